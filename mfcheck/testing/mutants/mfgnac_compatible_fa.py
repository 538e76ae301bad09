"""Mutants for mfgnac.compatible_fa.

* ``UNNORMALISED_FEATURES``: ``replace(NAC_DEFAULT, features=...)`` with one-hot features scaled to
  norm 3. It breaks the lemma's hypothesis ‖φ‖ <= 1, not its conclusion: the checker must answer
  not_applicable (naming ‖φ(s,a)‖ <= 1, measured 3).
* ``TEMPERATURE_ONE_THIRD``: its replacement, which keeps the hypothesis: the statement that the
  softmax at temperature 1/3 on unit-norm features, π ∝ exp(3θᵀφ), is 1-smooth (its Hessian is
  -9 Cov[φ], norm up to 9).
* ``SCORE_WITHOUT_BASELINE``: the statement that the score is φ_{s,a} (the Σ_a' π φ_{s,a'} term dropped).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from mfcheck.algorithms.nac.algorithm import NAC_DEFAULT
from mfcheck.algorithms.nac.log_linear import Features, one_hot_features
from mfcheck.algorithms.nac.policy_class import LOG_LINEAR, PolicyClass, tempered
from mfcheck.judgement.statement import Statement
from mfcheck.models import MeanFieldGame


def one_hot_times_three(game: MeanFieldGame) -> Features:
    """One-hot features scaled by 3: ‖φ_{s,a}‖ = 3 > 1."""
    return Features(3.0 * one_hot_features(game.n_states, game.n_actions).phi)


def score_without_baseline(features: Features, theta: np.ndarray) -> np.ndarray:
    """∇ log π "=" φ_{s,a}: wrong unless Σ_a' π φ_{s,a'} = 0."""
    return np.array(features.phi)


UNNORMALISED_FEATURES = dataclasses.replace(NAC_DEFAULT, features=one_hot_times_three)
TEMPERATURE_ONE_THIRD = Statement(text="π_θ ∝ exp(3θᵀφ) on ‖φ‖ <= 1 is 1-smooth", value=(tempered(1 / 3), 1.0),
                                  wrong=True)
SCORE_WITHOUT_BASELINE = Statement(text="π_θ ∝ exp(θᵀφ): ∇ log π_θ = φ (no baseline)",
                                   value=(PolicyClass(LOG_LINEAR.log_policy, score_without_baseline,
                                                      LOG_LINEAR.hessian), 1.0), wrong=True)
