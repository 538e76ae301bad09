"""Exact twin of MF-PPO: exact Q^{π_k} and the exact KL-proximal update of Prop 3.2 (numpy only).

``π_{k+1} ∝ π_k exp(Q^{π_k} / v_k)``, equivalently the energy form of Prop 3.2:
``F_{k+1} = τ_{k+1} (Q^{π_k} / v_k + F_k / τ_k)`` and ``π_{k+1} ∝ exp(F_{k+1} / τ_{k+1})``,
with the schedules of Algorithm 1 (``τ_{k+1} = v sqrt(K)/(k+1)``, ``v_k = v sqrt(K)``) and the
uniform ``π_0`` (``F_0 = 0``, ``τ_0 = 1``). ``direction=-1`` moves against Q (a mutant).
Reference: MF-PPO Alg 1, Prop 3.2, eq (4.2), proof sketch of Thm 4.1.
"""

from __future__ import annotations

from collections.abc import Callable
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


#: the critic of an energy-form run: policy [X, M] -> the Q it acts on [X, M]
Critic = Callable[[Array], Array]
#: (v, K) -> (τ_0..τ_K, v_0..v_{K-1})
Schedule = Callable[[float, int], tuple[Array, Array]]


#: (F_critic, F_actor, τ_k, τ_{k+1}, v_k) -> F_{k+1}
ProximalTarget = Callable[[Array, Array, float, float, float], Array]


def proximal_energy(critic: Array, actor: Array, tau: float, tau_next: float, proximity: float) -> Array:
    """Prop 3.2's closed form in energy form: F_{k+1} = τ_{k+1}(Q/v_k + F_k/τ_k), so that
    softmax(F_{k+1}/τ_{k+1}) = argmax_π <Q, π> - v_k KL(π‖π_k) with π_k = softmax(F_k/τ_k)."""
    return tau_next * (critic / proximity + actor / tau)


def softmax(energy: Array, temperature: float) -> Array:
    """exp(energy/τ) normalised over the last axis (computed with the row maximum subtracted)."""
    z = energy / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def run_energy_form(problem: MeanFieldProblem, n_iterations: int, v: float, critic: Critic, *,
                    schedule: Schedule = temperature_schedule,
                    proximal: ProximalTarget = proximal_energy) -> tuple[Array, Array, Array]:
    """Algorithm 1 in the energy form of Prop 3.2 with a given critic, from π_0 uniform (F_0 = 0).

    ``F_{k+1} = τ_{k+1} (critic(π_k) / v_k + F_k / τ_k)``, ``π_{k+1} = softmax(F_{k+1} / τ_{k+1})``.
    Returns (policies [K+1, X, M], critic values [K, X, M], energies [K+1, X, M]). Every twin of
    MF-PPO is this loop with its own critic: exact Q (ideal), a mean-field-blind Q (a mutant),
    the TD fixed point in the network's class (class twin).
    """
    taus, proximities = schedule(v, n_iterations)
    energy = np.zeros((problem.n_joint, problem.n_actions))
    policies, qs, energies = [softmax(energy, taus[0])], [], [energy]
    for k in range(n_iterations):
        q = critic(policies[-1])
        energy = proximal(q, energy, taus[k], taus[k + 1], proximities[k])
        qs.append(q)
        energies.append(energy)
        policies.append(softmax(energy, taus[k + 1]))
    return np.array(policies), np.array(qs), np.array(energies)


def run_ideal(problem: MeanFieldProblem, config: IdealConfig) -> IdealHistory:
    """Run ideal MF-PPO for K iterations and record π_0..π_K, Q^{π_0..π_{K-1}}, energies."""
    taus, proximities = temperature_schedule(config.v, config.n_iterations)

    def critic(policy: Array) -> Array:
        return config.direction * q_function(problem, policy, normalised=config.normalised_q)

    policies, qs, energies = run_energy_form(problem, config.n_iterations, config.v, critic)
    return IdealHistory(
        policies=policies, q_values=qs * config.direction, energies=energies,
        temperatures=taus, proximities=proximities,
        stationary=stationary_distribution(problem, policies),
    )


def kl_to(reference: Array, policies: Array, weights: Array) -> Array:
    """E_{weights}[KL(reference ‖ π_k)] for every k, shape [K+1]."""
    return kl_rows(reference[None], policies) @ weights
