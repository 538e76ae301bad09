"""Mutants of mfppo.alg1: MF-PPO with a wrong temperature or proximity schedule (one part replaced)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.problem import Array


def constant_temperature(v: float, n_iterations: int) -> tuple[Array, Array]:
    """τ_k = v√K for every k (the 1/(k+1) decay is dropped); v_k = v√K as the paper."""
    scale = v * np.sqrt(n_iterations)
    return np.full(n_iterations + 1, scale), np.full(n_iterations, scale)


def proximity_v(v: float, n_iterations: int) -> tuple[Array, Array]:
    """v_k = v (no √K) with the paper's τ schedule."""
    k = np.arange(n_iterations)
    return np.concatenate([[1.0], v * np.sqrt(n_iterations) / (k + 1)]), np.full(n_iterations, float(v))


CONSTANT_TEMPERATURE = replace(MFPPO_DEFAULT, schedule=constant_temperature)
PROXIMITY_V = replace(MFPPO_DEFAULT, schedule=proximity_v)
