"""Discounted state-visitation distributions d^π_μ of a stationary policy in the MDP induced by μ.

MFG-NAC App B.1 (performance-difference lemma) and B.2 (σ^π, d*_t): with the mean field frozen
at μ and s_0 ~ ρ,

    d^π_μ(s) = (1 - γ) Σ_t γ^t P(s_t = s | s_0 ~ ρ, π, μ)  =  (1 - γ) ρᵀ (I - γ P_π(μ))^{-1},

a probability vector (the normalisation under which the regularised PDL is an exact identity).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mfcheck.models import MeanFieldGame
from mfcheck.models.validation import check_distribution, check_policy
from mfcheck.solvers.dynamic_programming import policy_kernel

Array = NDArray[np.float64]


def discounted_visitation(
    game: MeanFieldGame, policy: ArrayLike, mu: ArrayLike, *, start: ArrayLike | None = None
) -> Array:
    """d^π_μ[S] = (1-γ) Σ_t γ^t P(s_t = ·) from ``start`` (default ρ), by one linear solve.

    Reference: MFG-NAC App B.1 (the visitation measure of the regularised PDL).
    """
    pol = check_policy(policy, game.n_states, game.n_actions)
    mean_field = check_distribution(mu, game.n_states, f"{game.name}: mean field μ")
    rho = game.initial if start is None else check_distribution(start, game.n_states, "start")
    kernel = policy_kernel(game.transition(mean_field), pol)
    occupancy = np.linalg.solve((np.eye(game.n_states) - game.gamma * kernel).T, rho)
    out = (1.0 - game.gamma) * occupancy
    return np.clip(out, 0.0, None) / np.clip(out, 0.0, None).sum()
