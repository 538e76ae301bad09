"""Exact twin of MF-PPO: exact Q^{π_k} and the exact KL-proximal update of Prop 3.2 (numpy only).

``π_{k+1} ∝ π_k exp(Q^{π_k} / v_k)``, equivalently the energy form of Prop 3.2:
``F_{k+1} = τ_{k+1} (Q^{π_k} / v_k + F_k / τ_k)`` and ``π_{k+1} ∝ exp(F_{k+1} / τ_{k+1})``,
with the schedules of Algorithm 1 (``τ_{k+1} = v sqrt(K)/(k+1)``, ``v_k = v sqrt(K)``) and the
uniform ``π_0`` (``F_0 = 0``, ``τ_0 = 1``). ``direction=-1`` moves against Q (a mutant).
Reference: MF-PPO Alg 1, Prop 3.2, eq (4.2), proof sketch of Thm 4.1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mfcheck.algorithms.mfppo.problem import (
    Array,
    MeanFieldProblem,
    kl_rows,
    q_function,
    stationary_distribution,
)


@dataclass(frozen=True, kw_only=True)
class IdealConfig:
    """Ideal MF-PPO settings."""

    #: number of outer iterations K
    n_iterations: int
    #: policy update parameter v (v_k = v sqrt(K))
    v: float = 1.0
    #: True: Q in the paper's (1-γ) normalisation (Sec 2); False: Q = E Σ γ^t r
    normalised_q: bool = True
    #: +1 the paper's update; -1 a mutant that moves against Q
    direction: float = 1.0

    def __post_init__(self) -> None:
        if int(self.n_iterations) != self.n_iterations or self.n_iterations < 1:
            raise ValueError(f"IdealConfig.n_iterations: must be a positive int, got {self.n_iterations!r}")
        if not self.v > 0:
            raise ValueError(f"IdealConfig.v: must be > 0, got {self.v!r}")


@dataclass(frozen=True, kw_only=True)
class IdealHistory:
    """Every iterate of the ideal run: policies[K+1, X, M], q[K, X, M], energies, schedules."""

    policies: Array
    q_values: Array
    energies: Array
    temperatures: Array
    proximities: Array
    stationary: Array = field(repr=False)


def temperature_schedule(v: float, n_iterations: int) -> tuple[Array, Array]:
    """(τ_0..τ_K, v_0..v_{K-1}) of Algorithm 1: τ_0 = 1, τ_{k+1} = v√K/(k+1), v_k = v√K."""
    k = np.arange(n_iterations)
    taus = np.concatenate([[1.0], v * np.sqrt(n_iterations) / (k + 1)])
    return taus, np.full(n_iterations, v * np.sqrt(n_iterations))


def proximal_update(policy: Array, q_values: Array, proximity: float) -> Array:
    """argmax_π <q, π> - v KL(π ‖ π_k) = π_k exp(q/v) / Z, row by row (Prop 3.2)."""
    logits = np.log(np.clip(policy, 1e-300, None)) + q_values / proximity
    logits = logits - logits.max(axis=-1, keepdims=True)
    weights = np.exp(logits)
    return weights / weights.sum(axis=-1, keepdims=True)


def run_ideal(problem: MeanFieldProblem, config: IdealConfig) -> IdealHistory:
    """Run ideal MF-PPO for K iterations and record π_0..π_K, Q^{π_0..π_{K-1}}, energies."""
    taus, proximities = temperature_schedule(config.v, config.n_iterations)
    shape = (problem.n_joint, problem.n_actions)
    energy = np.zeros(shape)
    policies, qs, energies = [np.full(shape, 1.0 / problem.n_actions)], [], [energy]
    for k in range(config.n_iterations):
        q = config.direction * q_function(problem, policies[-1], normalised=config.normalised_q)
        energy = taus[k + 1] * (q / proximities[k] + energy / taus[k])
        z = energy / taus[k + 1]
        z = z - z.max(axis=1, keepdims=True)
        policy = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        qs.append(q * config.direction)
        energies.append(energy)
        policies.append(policy)
    policies_arr = np.array(policies)
    return IdealHistory(
        policies=policies_arr, q_values=np.array(qs), energies=np.array(energies),
        temperatures=taus, proximities=proximities,
        stationary=stationary_distribution(problem, policies_arr),
    )


def kl_to(reference: Array, policies: Array, weights: Array) -> Array:
    """E_{weights}[KL(reference ‖ π_k)] for every k, shape [K+1]."""
    return kl_rows(reference[None], policies) @ weights
