"""State and trajectory of NAC-type runs (Algorithm 1 and DL-NAC): θ_t, μ_t and every iterate."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.context import PolicyContext

Array = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class NACState:
    """Iterate t of Algorithm 1: θ_t, μ_t (and the exact context of π_t against μ_t)."""

    t: int
    theta: Array
    mean_field: Array
    context: PolicyContext


@dataclass(frozen=True, eq=False)
class StepRecord:
    """What one step produced besides the next state: ŵ_t and q̂_t."""

    w_hat: Array
    q_hat: Array


@dataclass(frozen=True, eq=False)
class NACTrajectory:
    """Every iterate of a run: θ_t, π_t, μ_t for t = 0..T; ŵ_t for t = 0..T-1.

    ``exploitability`` holds (t, E(π_t)) pairs when requested. ``seconds`` is the wall time.
    """

    thetas: Array  # [T+1, d]
    policies: Array  # [T+1, S, A]
    mean_fields: Array  # [T+1, S]
    w_hats: Array  # [T, d]
    policy_steps: Array  # [T] η_t
    mean_field_steps: Array  # [T] β_t
    exploitability: list[tuple[int, float]] = field(default_factory=list)
    seconds: float = 0.0
    q_hats: Array | None = None  # [T, S, A] the critic's q̂_t

    @property
    def n_iterations(self) -> int:
        return self.w_hats.shape[0]

    def average_policy(self, last: int | None = None) -> Array:
        """(1/T) Σ_{t<T} π_t (state-wise average of the iterates; Theorem 1's avg π_t)."""
        pols = self.policies[:-1] if last is None else self.policies[-last - 1 : -1]
        return pols.mean(axis=0)

    def average_mean_field(self, last: int | None = None) -> Array:
        """(1/T) Σ_{t<T} μ_t."""
        mus = self.mean_fields[:-1] if last is None else self.mean_fields[-last - 1 : -1]
        return mus.mean(axis=0)
