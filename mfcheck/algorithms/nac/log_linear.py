"""Log-linear policies π_θ(a|s) ∝ exp(θᵀφ_{s,a}) with features of norm at most 1.

MFG-NAC Section 3 / App B.2: the actor is log-linear in features φ_{s,a} ∈ R^d with
‖φ_{s,a}‖₂ <= 1 (used by Lemma 2 and by the 1-smoothness of log π_θ in Lemma 1). Its score
(the compatible features) is ∇_θ log π_θ(a|s) = φ_{s,a} - Σ_a' π_θ(a'|s) φ_{s,a'}, and the
Hessian of log π_θ(a|s) is -Cov_{a'~π_θ(·|s)}[φ_{s,a'}] (the same for every a).

Feature builders:

* :func:`one_hot_features`: d = |S||A|, φ_{s,a} = e_{(s,a)}: the tabular case, every Q and
  every policy is representable (ε_approx = 0);
* :func:`random_features`: d < |S||A| Gaussian projections of the one-hot features, each row
  normalised to norm ``scale`` <= 1 (ε_approx > 0 in general, measured by
  :func:`mfcheck.algorithms.nac.oracles.approximation_error`);
* :func:`polynomial_features`: monomials in (state position, action value), each row
  normalised to norm <= 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Features:
    """Feature map φ[s, a, :] of a log-linear policy.

    Attributes
    ----------
    phi : array [S, A, d]
        The features; validated finite.
    kind : str
        ``"one_hot"`` (enables the block-diagonal fast paths), ``"random"``,
        ``"polynomial"`` or ``"custom"``.
    """

    phi: Array
    kind: str = "custom"

    def __post_init__(self) -> None:
        phi = np.asarray(self.phi, dtype=float)
        if phi.ndim != 3 or min(phi.shape) < 1:
            raise ValueError(f"Features.phi: expected shape [S, A, d], got {phi.shape}")
        if not np.isfinite(phi).all():
            raise ValueError("Features.phi: contains non-finite values")
        phi.setflags(write=False)
        object.__setattr__(self, "phi", phi)

    @property
    def n_states(self) -> int:
        return self.phi.shape[0]

    @property
    def n_actions(self) -> int:
        return self.phi.shape[1]

    @property
    def dim(self) -> int:
        return self.phi.shape[2]

    @property
    def max_norm(self) -> float:
        """max_{s,a} ‖φ_{s,a}‖₂ (Lemma 2 and Lemma 1 need it <= 1)."""
        return float(np.linalg.norm(self.phi, axis=-1).max())


def one_hot_features(n_states: int, n_actions: int) -> Features:
    """Tabular features φ_{s,a} = e_{s·|A| + a} ∈ R^{|S||A|} (norm exactly 1)."""
    if n_states < 1 or n_actions < 1:
        raise ValueError(f"one_hot_features: need n_states, n_actions >= 1, got {n_states}, {n_actions}")
    phi = np.eye(n_states * n_actions).reshape(n_states, n_actions, n_states * n_actions)
    return Features(phi, kind="one_hot")


def _normalise_rows(phi: Array, scale: float) -> Array:
    norms = np.linalg.norm(phi, axis=-1, keepdims=True)
    return scale * phi / np.where(norms > 0, norms, 1.0)


def random_features(
    rng: np.random.Generator, n_states: int, n_actions: int, dim: int, *, scale: float = 1.0
) -> Features:
    """Gaussian random features of dimension ``dim``, each φ_{s,a} rescaled to norm ``scale``."""
    if dim < 1:
        raise ValueError(f"random_features.dim: must be >= 1, got {dim}")
    if not 0 < scale:
        raise ValueError(f"random_features.scale: must be > 0, got {scale}")
    phi = rng.standard_normal((n_states, n_actions, dim))
    return Features(_normalise_rows(phi, scale), kind="random")


def polynomial_features(
    positions: Sequence[float], actions: Sequence[float], degree: int = 2
) -> Features:
    """Monomials x^i a^j (i + j <= degree) of the scaled position and action, norm <= 1.

    Positions and actions are scaled to [-1, 1] first; each φ_{s,a} is then divided by the
    largest row norm, so max ‖φ‖ = 1 exactly.
    """
    if degree < 1:
        raise ValueError(f"polynomial_features.degree: must be >= 1, got {degree}")
    x = np.asarray(positions, dtype=float)
    u = np.asarray(actions, dtype=float)
    x = x / max(1.0, float(np.abs(x).max()))
    u = u / max(1.0, float(np.abs(u).max()))
    grid_x, grid_u = np.meshgrid(x, u, indexing="ij")
    monomials = [grid_x**i * grid_u**j for i in range(degree + 1) for j in range(degree + 1 - i)]
    phi = np.stack(monomials, axis=-1)
    phi = phi / np.linalg.norm(phi, axis=-1).max()
    return Features(phi, kind="polynomial")


def logits(features: Features, theta: Array) -> Array:
    """θᵀφ_{s,a}, shape [S, A]."""
    return features.phi @ np.asarray(theta, dtype=float)


def log_policy(features: Features, theta: Array) -> Array:
    """log π_θ(a|s) [S, A], computed stably (log-sum-exp)."""
    z = logits(features, theta)
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def log_linear_policy(features: Features, theta: Array) -> Array:
    """π_θ(a|s) ∝ exp(θᵀφ_{s,a}) [S, A] (MFG-NAC Section 3)."""
    return np.exp(log_policy(features, theta))


def mean_features(features: Features, policy: Array) -> Array:
    """Σ_a π(a|s) φ_{s,a}, shape [S, d]."""
    return np.einsum("sa,sad->sd", policy, features.phi)


def score_function(features: Features, policy: Array) -> Array:
    """∇_θ log π_θ(a|s) = φ_{s,a} - Σ_a' π_θ(a'|s) φ_{s,a'}, shape [S, A, d] (App B.2)."""
    return features.phi - mean_features(features, policy)[:, None, :]


def log_policy_hessian(features: Features, policy: Array) -> Array:
    """∇²_θ log π_θ(a|s) = -Cov_{a'~π(·|s)}[φ_{s,a'}], shape [S, d, d] (independent of a)."""
    centred = score_function(features, policy)
    return -np.einsum("sa,sad,sae->sde", policy, centred, centred)
