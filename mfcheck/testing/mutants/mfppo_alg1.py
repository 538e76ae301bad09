"""Mutants of Algorithm 1: wrong temperature / proximity schedules."""

from __future__ import annotations

import numpy as np


def mutant_constant_temperature(v: float, n_iterations: int) -> tuple[np.ndarray, np.ndarray]:
    """τ_k = v√K for every k (the 1/(k+1) decay is dropped)."""
    return np.full(n_iterations + 1, v * np.sqrt(n_iterations)), np.full(n_iterations, v * np.sqrt(n_iterations))


def mutant_proximity_v(v: float, n_iterations: int) -> tuple[np.ndarray, np.ndarray]:
    """v_k = v (no √K) with the right τ schedule."""
    k = np.arange(n_iterations)
    return np.concatenate([[1.0], v * np.sqrt(n_iterations) / (k + 1)]), np.full(n_iterations, v)
