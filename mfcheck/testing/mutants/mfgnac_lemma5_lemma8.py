"""Mutants for MFG-NAC Lemmas 5 and 8 (claim mfgnac.lemma5_lemma8).

Each is ``dataclasses.replace(NAC_DEFAULT, <part>=<broken part>)``: one part of Algorithm 1
broken, run through the same entry point as a user's variant.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.algorithm import NAC_DEFAULT, Constant

Array = NDArray[np.float64]


def undecayed_policy_update(theta: Array, w_hat: Array, eta: float, lam: float) -> Array:
    """θ_{t+1} = θ_t + ηŵ_t: the (1 - ηλ) decay of Algorithm 1's line 4 dropped, so the
    entropy regularisation no longer pulls θ back and π_t does not approach Γ1^λ(μ_t)."""
    return theta + eta * w_hat


def frozen_mean_field_update(mu: Array, image: Array, beta: float) -> Array:
    """μ_{t+1} = μ_t: the mean field never moves (Algorithm 1's line 5 skipped)."""
    return mu


#: the policy update without its (1 - ηλ) decay
UNDECAYED_POLICY_UPDATE = dataclasses.replace(NAC_DEFAULT, policy_update=undecayed_policy_update)
#: a mean-field step that never moves μ
FROZEN_MEAN_FIELD = dataclasses.replace(NAC_DEFAULT, mean_field_update=frozen_mean_field_update)
#: η = 15: η λ = 1.5 on SIS and LQ (λ = 0.1) and 15 on the control game (λ = 1), outside Lemma 2's
#: 0 < ηλ < 1 (a hypothesis breaker: the lemmas say nothing)
OVERSIZED_POLICY_STEP = dataclasses.replace(NAC_DEFAULT, policy_step=Constant(15.0))
