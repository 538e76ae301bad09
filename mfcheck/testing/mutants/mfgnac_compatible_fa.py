"""Mutants for mfgnac.compatible_fa: a score without its baseline, features of norm > 1."""

from __future__ import annotations

import numpy as np

from mfcheck.algorithms.nac import Features


def mutant_score_without_baseline(features: Features, theta: np.ndarray) -> np.ndarray:
    """∇ log π "=" φ_{s,a} (the Σ_a' π φ_{s,a'} term dropped): wrong unless that mean is 0."""
    return np.array(features.phi)


def mutant_unnormalised_features(scale: float = 3.0) -> Features:
    """Features of norm ``scale`` > 1 pointing in opposite directions for the two actions.

    At θ = 0 (uniform π) the Hessian of log π is -Cov[φ] = -scale² e eᵀ, spectral norm
    scale² > 1: 1-smoothness really fails.
    """
    phi = np.zeros((1, 2, 2))
    phi[0, 0, 0], phi[0, 1, 0] = scale, -scale
    return Features(phi)
