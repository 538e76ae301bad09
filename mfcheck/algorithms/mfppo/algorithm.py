"""MF-PPO (Li et al., arXiv 2105.08268) as an algorithm value: Algorithm 1 with its parts.

For k = 0..K-1: τ_{k+1}, v_k from ``schedule(v, K)`` (τ_{k+1} = v√K/(k+1), v_k = v√K); the critic
θ_k is ``policy_evaluation`` (Algorithm 2, projected TD on samples of σ_k = ν_k π_k); the actor
α_{k+1} is ``policy_improvement`` (Algorithm 3, projected SGD on samples of σ̃_k = ν_k π_0) fitted
to the target ``proximal_target(F_θk, F_αk, τ_k, τ_{k+1}, v_k)`` = τ_{k+1}(F_θk/v_k + F_αk/τ_k)
(Prop 3.2's closed form); π_{k+1} ∝ exp(F_{α_{k+1}}/τ_{k+1}). π_0 is uniform (F^{A,0} = 0,
τ_0 = 1). Policies act on the exact state (s, d) through the population network (mean pooling,
N = ∞); training sees N sampled agents. The critic sees the mean field through
``critic_embedding`` (the identity: the empirical distribution of the N agents). Critic and actor
share the initialisation (Sec 4) and every inner run restarts from it.

The exact twin (:meth:`MFPPO.exact_twin`) runs the same schedule and proximal update with the
exact Q^{π_k} (Prop 3.2's energy form). Reference: MF-PPO Alg 1-3, Sec 3-4, Lemma 4.1-4.2.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet
from mfcheck.algorithms.mfppo.ideal import (
    Schedule,
    proximal_energy,
    run_energy_form,
    softmax,
    temperature_schedule,
)
from mfcheck.algorithms.mfppo.problem import (
    Array,
    MeanFieldProblem,
    q_function,
    stationary_distribution,
)
from mfcheck.algorithms.mfppo.projected_sgd import (
    ProjectedSGDConfig,
    ProjectedSGDHistory,
    run_projected_sgd,
)
from mfcheck.algorithms.mfppo.sampling import Batch, sample_batch
from mfcheck.algorithms.protocol import AlgorithmBase, register_default

#: agent weights [..., S] -> the mean-field embedding the critic sees
Embedding = Callable[[Array], Array]
#: (network, inner config, batch, γ, embedding) -> the critic's projected-TD run (Algorithm 2)
PolicyEvaluation = Callable[[BatchedDeepSet, ProjectedSGDConfig, Batch, float, Embedding], ProjectedSGDHistory]
#: (network, inner config, batch, target [R, T]) -> the actor's projected-SGD run (Algorithm 3)
PolicyImprovement = Callable[[BatchedDeepSet, ProjectedSGDConfig, Batch, Array], ProjectedSGDHistory]
#: (F_critic, F_actor, τ_k, τ_{k+1}, v_k) -> F_{k+1} (Prop 3.2)
ProximalTarget = Callable[[Array, Array, float, float, float], Array]

__all__ = [
    "MFPPO",
    "MFPPO_DEFAULT",
    "MFPPOHistory",
    "identity_embedding",
    "run_mfppo",
    "sgd_improvement",
    "softmax",
    "td_evaluation",
]


def identity_embedding(weights: Array) -> Array:
    """The critic sees the agents' empirical distribution itself (mean pooling of one-hot states)."""
    return weights


def td_evaluation(network: BatchedDeepSet, inner: ProjectedSGDConfig, batch: Batch, gamma: float,
                  embed: Embedding) -> ProjectedSGDHistory:
    """Algorithm 2: projected TD(0) on (1-γ)r + γF(s', ā') - F(s, ā), from the shared init."""
    return run_projected_sgd(network, inner, own=batch.own, weights=embed(batch.weights), action=batch.action,
                             target=(1 - gamma) * batch.reward, discount=gamma, next_own=batch.next_own,
                             next_weights=embed(batch.next_weights), next_action=batch.next_action)


def sgd_improvement(network: BatchedDeepSet, inner: ProjectedSGDConfig, batch: Batch,
                    target: Array) -> ProjectedSGDHistory:
    """Algorithm 3: projected SGD of F_α towards the proximal target on samples of ν_k π_0."""
    return run_projected_sgd(network, inner, own=batch.own, weights=batch.weights, action=batch.action,
                             target=target)


@dataclass(frozen=True, kw_only=True)
class MFPPOHistory:
    """Every outer iterate: policies [K+1, R, X, M], schedules, errors ε_k, ε'_{k+1} [K, R]."""

    policies: Array
    temperatures: Array
    proximities: Array
    eval_errors: Array
    improve_errors: Array
    critic_distances: Array
    actor_distances: Array
    critic_init_values: Array


@dataclass(frozen=True, kw_only=True)
class MFPPO(AlgorithmBase):
    """Algorithm 1 of MF-PPO: the parts a variant may replace (see the module docstring)."""

    kind: ClassVar[str] = "mfppo"
    PARTS: ClassVar[dict[str, tuple[str, ...]]] = {
        "schedule": ("v", "n_iterations"),
        "proximal_target": ("critic", "actor", "tau", "tau_next", "proximity"),
        "policy_evaluation": ("network", "inner", "batch", "gamma", "embed"),
        "policy_improvement": ("network", "inner", "batch", "target"),
        "critic_embedding": ("weights",),
    }

    #: outer iterations K
    n_iterations: int = 8
    #: policy update parameter v
    v: float = 1.0
    #: inner steps T of Alg 2 and Alg 3
    n_steps: int = 256
    #: width m = m_A = m_Q of the two-layer DeepSets
    width: int = 64
    #: agents N sampled per state; None = the population d (N = ∞)
    n_agents: int | None = 64
    #: projection radii R_Q (critic) and R_A (actor)
    radius_critic: float = 4.0
    radius_actor: float = 4.0
    #: inner step size (None: T^-1/2)
    step_size: float | None = None
    #: inner averaging ("ergodic" as the paper, "last")
    averaging: str = "ergodic"
    #: symmetric initialisation (paired units, F_{θ0} ≡ 0; Cai et al. 2019) instead of Sec 4's
    symmetric_init: bool = False
    schedule: Schedule = temperature_schedule
    proximal_target: ProximalTarget = proximal_energy
    policy_evaluation: PolicyEvaluation = td_evaluation
    policy_improvement: PolicyImprovement = sgd_improvement
    critic_embedding: Embedding = identity_embedding

    def __post_init__(self) -> None:
        if int(self.n_iterations) != self.n_iterations or self.n_iterations < 1:
            raise ValueError(f"MFPPO.n_iterations: must be a positive int, got {self.n_iterations!r}")
        if not self.v > 0:
            raise ValueError(f"MFPPO.v: must be > 0, got {self.v!r}")

    def inner(self, radius: float) -> ProjectedSGDConfig:
        return ProjectedSGDConfig(n_steps=self.n_steps, radius=radius, step_size=self.step_size,
                                  averaging=self.averaging)

    def run(self, problem: MeanFieldProblem, rng: np.random.Generator, *, n_runs: int) -> MFPPOHistory:
        """Run Algorithm 1 for ``n_runs`` independent seeds (one network init each) from ``rng``."""
        n_x, n_m = problem.n_joint, problem.n_actions
        network = BatchedDeepSet.initialise(rng, n_runs=n_runs, width=self.width, n_local=problem.n_local,
                                            n_actions=n_m, symmetric=self.symmetric_init)
        embed = self.critic_embedding
        taus, proximities = self.schedule(self.v, self.n_iterations)
        uniform = np.full((n_runs, n_x, n_m), 1.0 / n_m)
        policy = uniform.copy()
        actor_energy_pop = np.zeros((n_runs, n_x, n_m))
        actor_beta: Array | None = None
        policies, eps, eps_prime, d_critic, d_actor = [policy], [], [], [], []
        pop_dist = embed(problem.dist)
        for k in range(self.n_iterations):
            nu = stationary_distribution(problem, policy)
            q_exact = q_function(problem, policy)
            batch = sample_batch(rng, problem, nu, policy, self.n_steps, self.n_agents, with_next=True)
            critic = self.policy_evaluation(network, self.inner(self.radius_critic), batch, problem.gamma, embed)
            theta = critic.output
            critic_pop = network.population(theta, problem, weights=pop_dist)
            sigma = nu[:, :, None] * policy
            eps.append(((critic_pop - q_exact) ** 2 * sigma).sum(axis=(1, 2)))
            d_critic.append(critic.distances.max(axis=1))
            imp = sample_batch(rng, problem, nu, uniform, self.n_steps, self.n_agents, with_next=False)
            critic_at = network.forward(theta, imp.own, embed(imp.weights), imp.action)
            actor_at = (np.zeros_like(critic_at) if actor_beta is None
                        else network.forward(actor_beta, imp.own, imp.weights, imp.action))
            target = self.proximal_target(critic_at, actor_at, taus[k], taus[k + 1], proximities[k])
            actor = self.policy_improvement(network, self.inner(self.radius_actor), imp, target)
            actor_beta = actor.output
            new_energy = network.population(actor_beta, problem)
            ideal_energy = proximal_energy(critic_pop, actor_energy_pop, taus[k], taus[k + 1], proximities[k])
            sigma_tilde = nu[:, :, None] / n_m
            eps_prime.append(((new_energy - ideal_energy) ** 2 * sigma_tilde).sum(axis=(1, 2)))
            d_actor.append(actor.distances.max(axis=1))
            actor_energy_pop = new_energy
            policy = softmax(new_energy, taus[k + 1])
            policies.append(policy)
        return MFPPOHistory(
            policies=np.array(policies), temperatures=taus, proximities=proximities,
            eval_errors=np.array(eps), improve_errors=np.array(eps_prime),
            critic_distances=np.array(d_critic), actor_distances=np.array(d_actor),
            critic_init_values=network.population(network.beta0, problem),
        )

    def exact_twin(self, problem: MeanFieldProblem, *, normalised_q: bool = True) -> tuple[Array, Array, Array]:
        """The exact twin: this algorithm's schedule and proximal update with the exact
        Q^{π_k} as critic. Returns (policies [K+1, X, M], Q values [K, X, M], energies [K+1, X, M])."""
        return run_energy_form(problem, self.n_iterations, self.v,
                               lambda pi: q_function(problem, pi, normalised=normalised_q),
                               schedule=self.schedule, proximal=self.proximal_target)


#: The paper's MF-PPO (Algorithm 1 with Algorithms 2-3 and Prop 3.2's update); checkers set the
#: sizes they sweep (K, T, m, N, R) with :func:`mfcheck.algorithms.protocol.configure`.
MFPPO_DEFAULT: MFPPO = register_default(MFPPO())

#: Former name of the settings (fields unchanged); prefer ``MFPPO``.
MFPPOConfig = MFPPO


def run_mfppo(problem: MeanFieldProblem, config: MFPPO, rng: np.random.Generator, *, n_runs: int,
              schedule: Schedule | None = None, critic_view: Embedding | None = None) -> MFPPOHistory:
    """``config.run`` with the schedule and the critic's embedding optionally replaced."""
    changes: dict[str, object] = {}
    if schedule is not None:
        changes["schedule"] = schedule
    if critic_view is not None:
        changes["critic_embedding"] = critic_view
    return dataclasses.replace(config, **changes).run(problem, rng, n_runs=n_runs)
