"""Mutants for MFG-NAC Lemma 7 (claim mfgnac.lemma7).

Each is ``dataclasses.replace(NAC_DEFAULT, mean_field_update=<broken part>)``: Algorithm 1's
line 5, μ_{t+1} = (1 - β_t)μ_t + β_tΓ2(π_t, μ_t), broken, run through the same entry point as a
user's variant (``mfcheck check mfgnac.lemma7 --variant
mfcheck.testing.mutants.mfgnac_lemma7:WRONG_SIGN_MEAN_FIELD``).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.algorithm import NAC_DEFAULT

Array = NDArray[np.float64]


def wrong_sign_mean_field_update(mu: Array, image: Array, beta: float) -> Array:
    """μ_{t+1} = (1 + β)μ_t - βΓ2(π_t, μ_t), clipped to the simplex: a step away from Γ2, so μ
    leaves the equilibrium instead of contracting towards it."""
    out = np.clip((1.0 + beta) * mu - beta * image, 0.0, None)
    return out / out.sum()


def frozen_mean_field_update(mu: Array, image: Array, beta: float) -> Array:
    """μ_{t+1} = μ_t: the mean field never moves, so ‖μ_t - μ*‖ never contracts."""
    return mu


#: the broken example of the issue: NAC whose mean-field step has the wrong sign
WRONG_SIGN_MEAN_FIELD = dataclasses.replace(NAC_DEFAULT, mean_field_update=wrong_sign_mean_field_update)
#: NAC whose mean field never moves
FROZEN_MEAN_FIELD = dataclasses.replace(NAC_DEFAULT, mean_field_update=frozen_mean_field_update)
