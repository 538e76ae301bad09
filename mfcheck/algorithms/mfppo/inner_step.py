"""One inner step of MF-PPO (Algorithm 2 or 3, as the given MFPPO runs it) on a realisable instance.

Lemmas 4.1 and 4.2 bound the error of one inner run, ``O(R² T^-1/2 + R^2.5 m^-1/4 + R² N^-1/2 +
R³ m^-1/2)``. On an instance where Assumption 1 holds by construction (:mod:`realisable`: Q^π,
resp. the improvement target, is F⁰_{β*} for some β* in the ball, for every initialisation) the
algorithm's own part (``policy_evaluation`` for Alg 2 with c = (1-γ) r, μ = γ; ``policy_improvement``
for Alg 3 with c = ξ, μ = 0) is run from the MFPPO's network and measured three ways:

* :func:`step_error`: ``E_ρ(F_β̄(T) - target)²`` at N = ∞ (the population d);
* :func:`agent_sweep`: the coupled N-term ``E_ρ(F_β̄^{(N)} - F_β̄^{(∞)})²`` between runs with the
  same initialisation and the same (x, ā, x', ā') samples that differ only in the N sampled agents
  (ε(N) <= 2 ε(∞) + 2 this, so it is the N-term);
* :func:`linearisation_term`: the coupled m-term ``E_ρ(F_β̄ - F⁰_β̄⁰)²`` between the network and
  its linearisation at β(0) trained on the same samples (the m-terms of Thm E.1 bound it).

Reference: MF-PPO Lemma 4.1, Lemma 4.2, Alg 2, Alg 3, Theorem E.1, App E.1.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO
from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet
from mfcheck.algorithms.mfppo.problem import Array
from mfcheck.algorithms.mfppo.realisable import RealisableInstance, pooled, realising_offsets
from mfcheck.algorithms.mfppo.sampling import Batch, agent_weights, sample_batch

__all__ = ["AgentSweep", "InnerStep", "agent_sweep", "assumption1_ratio", "initialise", "linearisation_term",
           "sample_step_batch", "step_error", "weighted_error"]


@dataclass(frozen=True, kw_only=True, eq=False)
class InnerStep:
    """What one inner run fits: Alg 2 (``evaluation``) or Alg 3 on a realisable instance."""

    instance: RealisableInstance
    evaluation: bool

    @property
    def target_values(self) -> Array:
        """Q^π (evaluation) or the pooled improvement target ξ (improvement), [X, M]."""
        if self.evaluation:
            return self.instance.q_values
        return pooled(self.instance.triple_values, self.instance.problem)

    @property
    def sample_policy(self) -> Array:
        """π for σ = ν π (evaluation); π_0 uniform for σ̃ = ν π_0 (improvement)."""
        if self.evaluation:
            return self.instance.policy
        n_x, n_m = self.instance.policy.shape
        return np.full((n_x, n_m), 1.0 / n_m)

    @property
    def weights(self) -> Array:
        """ρ [X, M]: σ (evaluation) or σ̃ (improvement), both from ν_π (Alg 1 samples ν_k)."""
        return self.instance.stationary[:, None] * self.sample_policy

    def radius(self, algorithm: MFPPO) -> float:
        """R_Q (evaluation) or R_A (improvement) of ``algorithm``."""
        return algorithm.radius_critic if self.evaluation else algorithm.radius_actor


def initialise(algorithm: MFPPO, step: InnerStep, rng: np.random.Generator, n_runs: int) -> BatchedDeepSet:
    """The network ``algorithm`` builds (its width and initialisation), ``n_runs`` independent draws."""
    problem = step.instance.problem
    return BatchedDeepSet.initialise(rng, n_runs=n_runs, width=algorithm.width, n_local=problem.n_local,
                                     n_actions=problem.n_actions, symmetric=algorithm.symmetric_init)


def sample_step_batch(rng: np.random.Generator, step: InnerStep, n_runs: int, n_steps: int) -> Batch:
    """``n_steps`` samples per run of ρ (with the next pair for Alg 2), agents at N = ∞ (d itself)."""
    problem = step.instance.problem
    nu = np.broadcast_to(step.instance.stationary, (n_runs, problem.n_joint))
    policy = np.broadcast_to(step.sample_policy, (n_runs, *step.sample_policy.shape))
    return sample_batch(rng, problem, np.ascontiguousarray(nu), np.ascontiguousarray(policy), n_steps, None,
                        with_next=step.evaluation)


def with_agents(rng: np.random.Generator, step: InnerStep, batch: Batch, n_agents: int | None) -> Batch:
    """``batch`` with the population weights replaced by the empirical distribution of N agents."""
    dist = step.instance.problem.dist
    if batch.next_state is None:
        return dataclasses.replace(batch, weights=agent_weights(rng, dist[batch.state], n_agents))
    return dataclasses.replace(batch, weights=agent_weights(rng, dist[batch.state], n_agents),
                               next_weights=agent_weights(rng, dist[batch.next_state], n_agents))


def fit(algorithm: MFPPO, step: InnerStep, network: BatchedDeepSet, batch: Batch, *,
        linearised: bool = False) -> Array:
    """Run the algorithm's Alg 2 (or Alg 3) part on ``batch``; F_β̄ on every (x, ā), [R, X, M].

    The critic is read at the population through the algorithm's ``critic_embedding``; Alg 3's
    target ξ(s, ŵ, ā) = Σ_x ŵ(x) g(s, x, ā) is taken at the sampled agents ŵ (as the target
    τ_{k+1}(F_θ/v_k + F_α/τ_k) of Alg 3 is).
    """
    problem = step.instance.problem
    inner = dataclasses.replace(algorithm.inner(step.radius(algorithm)), linearised=linearised)
    if step.evaluation:
        embed = algorithm.critic_embedding
        history = algorithm.policy_evaluation(network, inner, batch, problem.gamma, embed)
        return network.population(history.output, problem, linearised=linearised, weights=embed(problem.dist))
    g = step.instance.triple_values
    target = np.einsum("rtx,rtx->rt", batch.weights, g[batch.own, :, batch.action])
    history = algorithm.policy_improvement(network, inner, batch, target)
    return network.population(history.output, problem, linearised=linearised)


def weighted_error(values: Array, reference: Array, weights: Array) -> Array:
    """E_ρ(values - reference)² per run: Σ_{x,ā} ρ (values - reference)², shape [R]."""
    return ((values - reference) ** 2 * weights).sum(axis=(-2, -1))


def assumption1_ratio(network: BatchedDeepSet, step: InnerStep, radius: float) -> Array:
    """‖Δ*‖ / R per initialisation (Assumption 1 holds for it when <= 1), shape [R]."""
    offsets = realising_offsets(network, step.instance)
    return np.sqrt((offsets**2).sum(axis=(1, 2))) / radius


def step_error(algorithm: MFPPO, step: InnerStep, rng: np.random.Generator, n_runs: int) -> tuple[Array, Array]:
    """(ε [R] at N = ∞ after ``algorithm.n_steps`` steps, ‖Δ*‖/R [R])."""
    network = initialise(algorithm, step, rng, n_runs)
    batch = sample_step_batch(rng, step, n_runs, algorithm.n_steps)
    values = fit(algorithm, step, network, batch)
    return (weighted_error(values, step.target_values, step.weights),
            assumption1_ratio(network, step, step.radius(algorithm)))


@dataclass(frozen=True, kw_only=True)
class AgentSweep:
    """Errors of one coupled sweep over N: the population run and each N-agent run."""

    #: E_ρ(F^(∞) - target)² [R]
    population: Array
    #: E_ρ(F^(N) - F^(∞))² [G, R] (the coupled N-term)
    coupled: Array
    #: E_ρ(F^(N) - target)² [G, R] (the raw error at N)
    raw: Array
    #: ‖Δ*‖ / R [R]
    assumption1: Array


def agent_sweep(algorithms: Sequence[MFPPO], step: InnerStep, rng: np.random.Generator,
                n_runs: int) -> AgentSweep:
    """One initialisation and one batch of samples; the population run and one run per algorithm
    of ``algorithms`` (the same MFPPO configured with each N of the grid, ``n_agents``)."""
    base = algorithms[0]
    network = initialise(base, step, rng, n_runs)
    batch = sample_step_batch(rng, step, n_runs, base.n_steps)
    population = fit(base, step, network, batch)
    coupled, raw = [], []
    for algorithm in algorithms:
        sampled = fit(algorithm, step, network, with_agents(rng, step, batch, algorithm.n_agents))
        coupled.append(weighted_error(sampled, population, step.weights))
        raw.append(weighted_error(sampled, step.target_values, step.weights))
    return AgentSweep(population=weighted_error(population, step.target_values, step.weights),
                      coupled=np.array(coupled), raw=np.array(raw),
                      assumption1=assumption1_ratio(network, step, step.radius(base)))


def linearisation_term(algorithm: MFPPO, step: InnerStep, rng: np.random.Generator,
                       n_runs: int) -> tuple[Array, Array, Array]:
    """(coupled m-term E_ρ(F_β̄ - F⁰_β̄⁰)² [R], raw error [R], ‖Δ*‖/R [R]) at N = ∞."""
    network = initialise(algorithm, step, rng, n_runs)
    batch = sample_step_batch(rng, step, n_runs, algorithm.n_steps)
    relu = fit(algorithm, step, network, batch)
    linear = fit(algorithm, step, network, batch, linearised=True)
    return (weighted_error(relu, linear, step.weights), weighted_error(relu, step.target_values, step.weights),
            assumption1_ratio(network, step, step.radius(algorithm)))
