"""A parametric policy class on features, as the three functions MFG-NAC's analysis uses.

App B.1-B.2: the actor is log-linear, π_θ(a|s) ∝ exp(θᵀφ_{s,a}); its score (the compatible
features) is ∇_θ log π_θ(a|s) = φ_{s,a} - Σ_a' π_θ(a'|s) φ_{s,a'} and the Hessian of log π_θ(a|s)
is -Cov_{a'~π_θ(·|s)}[φ_{s,a'}] (the same for every a). :data:`LOG_LINEAR` is that class;
:func:`tempered` is the softmax at temperature τ, π ∝ exp(θᵀφ/τ) (score and Hessian scaled by 1/τ
and 1/τ²), which a statement about the class can be held against.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.log_linear import (
    Features,
    log_policy,
    log_policy_hessian,
    score_function,
)

Array = NDArray[np.float64]


@dataclass(frozen=True)
class PolicyClass:
    """log π_θ [S, A], ∇_θ log π_θ [S, A, d] and ∇²_θ log π_θ(a|s) [S, d, d] as functions of (features, θ)."""

    log_policy: Callable[[Features, Array], Array]
    score: Callable[[Features, Array], Array]
    hessian: Callable[[Features, Array], Array]


def _scaled(features: Features, scale: float) -> Features:
    return features if scale == 1.0 else Features(features.phi * scale, kind="custom")


def tempered_log_policy(features: Features, theta: Array, *, temperature: float = 1.0) -> Array:
    """log π_θ(a|s) with π_θ ∝ exp(θᵀφ_{s,a}/τ)."""
    return log_policy(_scaled(features, 1.0 / temperature), theta)


def tempered_score(features: Features, theta: Array, *, temperature: float = 1.0) -> Array:
    """(φ_{s,a} - Σ_a' π φ_{s,a'})/τ, shape [S, A, d]."""
    scaled = _scaled(features, 1.0 / temperature)
    return score_function(scaled, np.exp(log_policy(scaled, theta)))


def tempered_hessian(features: Features, theta: Array, *, temperature: float = 1.0) -> Array:
    """-Cov_{π(·|s)}[φ]/τ², shape [S, d, d]."""
    scaled = _scaled(features, 1.0 / temperature)
    return log_policy_hessian(scaled, np.exp(log_policy(scaled, theta)))


def tempered(temperature: float) -> PolicyClass:
    """The softmax policy class at temperature τ, π_θ ∝ exp(θᵀφ/τ) (τ = 1: :data:`LOG_LINEAR`)."""
    if not temperature > 0:
        raise ValueError(f"tempered: temperature must be > 0, got {temperature}")
    return PolicyClass(partial(tempered_log_policy, temperature=temperature),
                       partial(tempered_score, temperature=temperature),
                       partial(tempered_hessian, temperature=temperature))


#: MFG-NAC's actor: π_θ ∝ exp(θᵀφ)
LOG_LINEAR = tempered(1.0)
