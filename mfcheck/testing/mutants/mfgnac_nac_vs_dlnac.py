"""Mutants for mfgnac.nac_vs_dlnac: the NAC arm with one part broken (run through run_claim)."""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.algorithm import NAC, NAC_DEFAULT

Array = NDArray[np.float64]


def frozen_mean_field_update(mu: Array, image: Array, beta: float) -> Array:
    """μ_{t+1} = μ_t: Algorithm 1's mean-field step that never moves (β ignored).

    The estimate stays at μ_0 = ρ, so the policy converges to the soft best response Γ1^λ(ρ),
    not to an equilibrium policy: its exploitability stays positive on SIS (where the mean field
    matters), and NAC no longer ends below DL-NAC.
    """
    return np.array(mu, dtype=float, copy=True)


#: NAC_DEFAULT with a mean-field update that never moves (the one part replaced)
FROZEN_MEAN_FIELD: NAC = dataclasses.replace(NAC_DEFAULT, mean_field_update=frozen_mean_field_update)
