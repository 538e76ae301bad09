"""Algorithms 2 (TD) and 3 (SGD) of MF-PPO: projected semi-gradient steps with ergodic averaging.

The unified update of App E (eq E.5-E.6), run for R seeds at once:
``β(t+1/2) = β(t) - η (F_β(t)(s, s, ā) - c - μ F_β(t)(s', s', ā')) ∇F_β(t)(s, s, ā)``,
``β(t+1) = Π_{B(β0, R)} β(t+1/2)``, output ``β̄_T = (1/T) Σ_{t=0}^{T-1} β(t)``, with
``η = T^-1/2``. Policy evaluation (Alg 2): ``c = (1-γ) r``, ``μ = γ``; policy improvement
(Alg 3): ``c = τ_{k+1}(F_Q/v_k + F_A/τ_k)`` at the sampled agents, ``μ = 0``.
Reading: the next term uses the next own state s' (Alg 2 and App E print F(s, s', ā'), a typo).
Reference: MF-PPO Alg 2, Alg 3, eq (3.1), (3.2), App E (E.3)-(E.6).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet, project
from mfcheck.algorithms.mfppo.problem import Array

AVERAGING: tuple[str, ...] = ("ergodic", "last")


@dataclass(frozen=True, kw_only=True)
class ProjectedSGDConfig:
    """Settings of Algorithm 2/3."""

    #: number of steps T
    n_steps: int
    #: projection radius R (B(β0, R)); math.inf switches the projection off (a mutant)
    radius: float
    #: step size η; None gives the paper's T^-1/2
    step_size: float | None = None
    #: "ergodic": (1/T) Σ_{t<T} β(t) (the paper); "last": β(T) (a mutant)
    averaging: str = "ergodic"
    #: keep every iterate β(0..T) in the history (memory R (T+1) m d)
    record_iterates: bool = False
    #: train the linearisation F⁰_β at β(0) instead of F_β (App E.1; a coupling for the m-terms)
    linearised: bool = False

    def __post_init__(self) -> None:
        if int(self.n_steps) != self.n_steps or self.n_steps < 1:
            raise ValueError(f"ProjectedSGDConfig.n_steps: must be a positive int, got {self.n_steps!r}")
        if not self.radius > 0:
            raise ValueError(f"ProjectedSGDConfig.radius: must be > 0, got {self.radius!r}")
        if self.step_size is not None and not self.step_size > 0:
            raise ValueError(f"ProjectedSGDConfig.step_size: must be > 0, got {self.step_size!r}")
        if self.averaging not in AVERAGING:
            raise ValueError(f"ProjectedSGDConfig.averaging: {self.averaging!r} not in {AVERAGING}")

    @property
    def eta(self) -> float:
        """η: the configured step or T^-1/2 (Alg 2-3)."""
        return float(self.step_size) if self.step_size is not None else self.n_steps ** -0.5


@dataclass(frozen=True, kw_only=True)
class ProjectedSGDHistory:
    """What a run leaves: output, last iterate, distances ‖β(t) - β0‖ [R, T+1], optional iterates."""

    output: Array
    last: Array
    distances: Array
    step_size: float
    radius: float
    averaging: str
    iterates: Array | None = None


def run_projected_sgd(network: BatchedDeepSet, config: ProjectedSGDConfig, *, own: Array,
                      weights: Array, action: Array, target: Array, discount: float = 0.0,
                      next_own: Array | None = None, next_weights: Array | None = None,
                      next_action: Array | None = None, start: Array | None = None,
                      ) -> ProjectedSGDHistory:
    """Run T projected semi-gradient steps on samples [R, T] (one sample per step, eq E.5).

    ``target`` [R, T] is the fixed part c of the residual; ``discount`` μ multiplies
    F(s', s', ā') (needs the next_* samples when μ > 0). ``start`` defaults to β0.
    """
    n_steps = config.n_steps
    if own.shape[1] < n_steps:
        raise ValueError(f"run_projected_sgd: {own.shape[1]} samples for T={n_steps} steps")
    if discount > 0 and next_own is None:
        raise ValueError("run_projected_sgd: discount > 0 needs next_own/next_weights/next_action")
    beta0 = network.beta0
    beta = beta0.copy() if start is None else start.copy()
    eta = config.eta
    total = np.zeros_like(beta)
    distances = np.empty((beta.shape[0], n_steps + 1))
    iterates = np.empty((n_steps + 1, *beta.shape)) if config.record_iterates else None
    for t in range(n_steps):
        distances[:, t] = np.sqrt(((beta - beta0) ** 2).sum(axis=(1, 2)))
        if iterates is not None:
            iterates[t] = beta
        total += beta
        sl = slice(t, t + 1)
        value, grad = network.forward_and_grad(beta, own[:, sl], weights[:, sl], action[:, sl],
                                               linearised=config.linearised)
        residual = value - target[:, sl]
        if discount > 0:
            residual = residual - discount * network.forward(
                beta, next_own[:, sl], next_weights[:, sl], next_action[:, sl],
                linearised=config.linearised)
        half = beta - eta * np.einsum("rb,rbjd->rjd", residual, grad) / residual.shape[1]
        beta = project(half, beta0, config.radius) if np.isfinite(config.radius) else half
    distances[:, n_steps] = np.sqrt(((beta - beta0) ** 2).sum(axis=(1, 2)))
    if iterates is not None:
        iterates[n_steps] = beta
        iterates = np.moveaxis(iterates, 0, 1)
    output = total / n_steps if config.averaging == "ergodic" else beta.copy()
    return ProjectedSGDHistory(output=output, last=beta, distances=distances, step_size=eta,
                               radius=config.radius, averaging=config.averaging, iterates=iterates)
