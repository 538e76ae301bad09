"""The compatible-function-approximation regression of App B.2 and its exact solution.

L_t(w) = E_{s~d^π_μ, a~π}[(wᵀ∇log π(a|s) - A(s, a))²] (App B.2); Algorithm 3 minimises the
same loss with the critic's Â over the ball ‖w‖ <= R. :func:`fit_compatible` returns the exact
minimiser over the ball (a trust-region problem solved through an eigendecomposition and the
secular equation), the minimum-norm minimiser when the ball does not bind. For one-hot
features the Fisher matrix is block diagonal (one |A|x|A| block per state) and is solved per
block.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.log_linear import Features

Array = NDArray[np.float64]


def compatible_loss(score: Array, weights: Array, target: Array, w: Array) -> float | Array:
    """Σ_{s,a} weights[s,a] (wᵀ score[s,a] - target[s,a])²; ``w`` [d] or [..., d]."""
    pred = np.einsum("sad,...d->...sa", score, np.asarray(w, dtype=float))
    return np.einsum("sa,...sa->...", weights, (pred - target) ** 2)


def _secular(eig: Array, coef: Array, radius: float) -> Array:
    """z_i = c_i/(e_i + ν) with ν >= 0 the root of ‖z(ν)‖ = radius (ν = 0 if it does not bind)."""
    scale = max(float(eig.max()), 1e-300)
    null = eig <= 1e-12 * scale
    safe = np.where(null, 1.0, eig)
    z0 = np.where(null, 0.0, coef / safe)
    if not np.isfinite(radius) or np.linalg.norm(z0) <= radius:
        return z0
    # ‖z(ν)‖ decreases in ν: bracket and bisect on log ν (60 halvings, then one Newton polish)
    low, high = 0.0, float(np.linalg.norm(coef)) / radius + scale
    for _ in range(100):
        mid = 0.5 * (low + high)
        if np.linalg.norm(coef / (eig + mid)) > radius:
            low = mid
        else:
            high = mid
        if high - low <= 1e-15 * max(high, 1e-300):
            break
    return coef / (eig + high)


def fit_compatible(
    features: Features,
    score: Array | None,
    weights: Array,
    target: Array,
    *,
    radius: float = np.inf,
    policy: Array | None = None,
) -> Array:
    """argmin_{‖w‖ <= radius} Σ weights (wᵀ score - target)² (minimum norm among minimisers).

    Parameters
    ----------
    features : Features
        Used for the one-hot fast path (``features.kind == "one_hot"``, needs ``policy``).
    score : [S, A, d] (may be ``None`` on the one-hot path, which builds its own blocks); weights : [S, A] (non-negative); target : [S, A]
    radius : float
        R of Algorithm 3's projection (``inf``: unconstrained).
    """
    weights = np.asarray(weights, dtype=float)
    target = np.asarray(target, dtype=float)
    if features.kind == "one_hot" and policy is not None:
        n_states, n_actions = weights.shape
        visited = weights.sum(axis=1) > 0
        if (policy[visited] > 0).all():
            # closed form: within a visited state the minimisers are target_s + c·1; the
            # minimum-norm one has c = -mean(target_s); unvisited states get w_s = 0
            w = np.where(visited[:, None], target - target.mean(axis=1, keepdims=True), 0.0)
            if not np.isfinite(radius) or np.linalg.norm(w) <= radius:
                return w.ravel()
        # block s: F_s = Σ_a weights[s,a] g gᵀ with g = e_a - π_s; b_s = Σ_a weights t g
        centred = np.eye(n_actions)[None, :, :] - policy[:, None, :]  # [S, A(a), A(coord)]
        fisher = np.einsum("sa,sai,saj->sij", weights, centred, centred)
        rhs = np.einsum("sa,sai->si", weights * target, centred)
        eig, vecs = np.linalg.eigh(fisher)  # [S, A], [S, A, A]
        coef = np.einsum("sji,sj->si", vecs, rhs)
        z = _secular(eig.ravel(), coef.ravel(), radius).reshape(n_states, n_actions)
        return np.einsum("sij,sj->si", vecs, z).ravel()
    if score is None:
        raise ValueError("fit_compatible: score is required unless features are one-hot with a policy")
    fisher = np.einsum("sa,sai,saj->ij", weights, score, score)
    rhs = np.einsum("sa,sai->i", weights * target, score)
    eig, vecs = np.linalg.eigh(fisher)
    z = _secular(eig, vecs.T @ rhs, radius)
    return vecs @ z


def project_ball(w: Array, radius: float) -> Array:
    """Euclidean projection of the rows of ``w`` [..., d] onto the ball of radius ``radius``."""
    if not np.isfinite(radius):
        return w
    norms = np.linalg.norm(w, axis=-1, keepdims=True)
    return w * np.minimum(1.0, radius / np.where(norms > 0, norms, 1.0))
