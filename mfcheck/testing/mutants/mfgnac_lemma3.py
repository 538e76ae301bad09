"""Mutants for MFG-NAC Lemma 3 (checker: :mod:`mfcheck.checks.mfgnac.lemma3`)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from mfcheck.models import MeanFieldGame
from mfcheck.solvers import soft_best_response
from mfcheck.solvers.dynamic_programming import boltzmann_policy

Array = NDArray[np.float64]


def mutant_wrong_temperature(factor: float = 10.0):
    """A best response that reports softmax(Q*/(λ/factor)) as π*: a sharper policy than the
    Boltzmann one, whose smallest probability falls below Lemma 3's floor where the action gap
    is large (e.g. the trap game). ``factor < 1`` gives a hotter policy, which does *not*
    violate the floor (the lemma is one-sided)."""

    def best_response(game: MeanFieldGame, mu: Array) -> tuple[Array, Array]:
        solution = soft_best_response(game, mu)
        return solution.q_values, boltzmann_policy(solution.q_values, game.lam / factor)

    return best_response


def mutant_unscaled_rewards(game: MeanFieldGame, scale: float = 10.0) -> MeanFieldGame:
    """The game with rewards multiplied by ``scale`` but still *declared* in [0, 1]: a rescaling
    step that forgot to divide. The checker measures the rewards, so on its own it answers
    not_applicable; the Q bound fails when the declared bounds are trusted (see the tests)."""
    base = game.reward_fn
    return game.with_parameters(
        reward_fn=lambda mu: scale * np.asarray(base(mu), dtype=float), name=f"{game.name}[x{scale}]"
    )
