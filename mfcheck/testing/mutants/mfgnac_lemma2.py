"""Mutants for mfgnac.lemma2: gradient estimates that skip Algorithm 3's projection."""

from __future__ import annotations

import numpy as np


def mutant_unprojected_w(
    dim: int, radius: float, n_iterations: int = 200, *, factor: float = 3.0
) -> np.ndarray:
    """ŵ_t = factor·R·e_1 for every t: an oracle that does not project onto ‖w‖ <= R.

    With a constant ŵ the update converges to θ = ŵ/λ, whose norm factor·R/λ exceeds R/λ,
    so the bound of Lemma 2 is really violated (not only its hypothesis).
    """
    w = np.zeros((n_iterations, dim))
    w[:, 0] = factor * radius
    return w
