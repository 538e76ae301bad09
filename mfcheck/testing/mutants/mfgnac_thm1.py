"""Mutants for mfgnac.thm1: Algorithm 1 with one part broken (run through run_claim)."""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.algorithm import NAC, NAC_DEFAULT

Array = NDArray[np.float64]


def unregularised_policy_update(theta: Array, w_hat: Array, eta: float, lam: float) -> Array:
    """θ_{t+1} = θ_t + η ŵ_t: Algorithm 1's step without the (1 - ηλ) decay of θ_t.

    The entropy regularisation then never pulls θ back: π_t climbs towards the greedy policy of
    the soft Q-function instead of the Boltzmann best response Γ1^λ(μ_t) = softmax(Q/λ), so the
    error of Theorem 1 stalls at a positive level instead of decaying in T.
    """
    return theta + eta * w_hat


#: NAC_DEFAULT with the unregularised policy update (the one part replaced)
UNREGULARISED_POLICY_UPDATE: NAC = dataclasses.replace(NAC_DEFAULT, policy_update=unregularised_policy_update)
