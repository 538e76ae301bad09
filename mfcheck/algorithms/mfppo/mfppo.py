"""Algorithm 1 of MF-PPO (neural actor and critic, Alg 2 and 3 inside), R seeds at once.

For k = 0..K-1: τ_{k+1} = v√K/(k+1), v_k = v√K; the critic θ_k is Alg 2 on samples of
σ_k = ν_k π_k; the actor α_{k+1} is Alg 3 on samples of σ̃_k = ν_k π_0 with target
τ_{k+1}(F_{θ_k}/v_k + F_{α_k}/τ_k); π_{k+1} ∝ exp(F_{α_{k+1}}/τ_{k+1}). π_0 is uniform
(F^{A,0} = 0, τ_0 = 1). Policies act on the exact state (s, d) through the population
network (mean pooling, N = ∞); training sees N sampled agents. Critic and actor share the
initialisation (Sec 4) and every inner run restarts from it (Alg 2-3 initialise afresh).
Reference: MF-PPO Alg 1, Sec 3, Sec 4, Lemma 4.1-4.2 (ε_k, ε'_{k+1}).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet
from mfcheck.algorithms.mfppo.ideal import softmax, temperature_schedule
from mfcheck.algorithms.mfppo.problem import (
    Array,
    MeanFieldProblem,
    q_function,
    stationary_distribution,
)
from mfcheck.algorithms.mfppo.projected_sgd import ProjectedSGDConfig, run_projected_sgd
from mfcheck.algorithms.mfppo.sampling import sample_batch

#: a hook mapping the agent weights the critic sees (mutants: ignore the mean field)
WeightsView = Callable[[Array], Array]

__all__ = ["MFPPOConfig", "MFPPOHistory", "WeightsView", "run_mfppo", "softmax"]


@dataclass(frozen=True, kw_only=True)
class MFPPOConfig:
    """Settings of Algorithm 1."""

    #: outer iterations K
    n_iterations: int
    #: policy update parameter v
    v: float = 1.0
    #: inner steps T of Alg 2 and Alg 3
    n_steps: int = 256
    #: width m = m_A = m_Q
    width: int = 64
    #: agents N sampled per state; None = the population d (N = ∞)
    n_agents: int | None = 64
    #: projection radii R_Q (critic) and R_A (actor)
    radius_critic: float = 4.0
    radius_actor: float = 4.0
    #: inner step size (None: T^-1/2)
    step_size: float | None = None
    #: inner averaging ("ergodic" as the paper, "last" a mutant)
    averaging: str = "ergodic"
    #: symmetric initialisation (paired units, F_{θ0} ≡ 0; Cai et al. 2019) instead of Sec 4's
    symmetric_init: bool = False

    def __post_init__(self) -> None:
        if int(self.n_iterations) != self.n_iterations or self.n_iterations < 1:
            raise ValueError(f"MFPPOConfig.n_iterations: must be a positive int, got {self.n_iterations!r}")
        if not self.v > 0:
            raise ValueError(f"MFPPOConfig.v: must be > 0, got {self.v!r}")

    def inner(self, radius: float) -> ProjectedSGDConfig:
        return ProjectedSGDConfig(n_steps=self.n_steps, radius=radius, step_size=self.step_size,
                                  averaging=self.averaging)


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


def run_mfppo(problem: MeanFieldProblem, config: MFPPOConfig, rng: np.random.Generator, *,
              n_runs: int, schedule: Callable[[float, int], tuple[Array, Array]] = temperature_schedule,
              critic_view: WeightsView | None = None) -> MFPPOHistory:
    """Run Algorithm 1 for ``n_runs`` independent seeds (one network init each) from ``rng``."""
    n_x, n_m = problem.n_joint, problem.n_actions
    network = BatchedDeepSet.initialise(rng, n_runs=n_runs, width=config.width,
                                        n_local=problem.n_local, n_actions=n_m,
                                        symmetric=config.symmetric_init)
    view = (lambda w: w) if critic_view is None else critic_view
    taus, proximities = schedule(config.v, config.n_iterations)
    uniform = np.full((n_runs, n_x, n_m), 1.0 / n_m)
    policy = uniform.copy()
    actor_energy_pop = np.zeros((n_runs, n_x, n_m))
    actor_beta: Array | None = None
    policies, eps, eps_prime, d_critic, d_actor = [policy], [], [], [], []
    pop_dist = view(problem.dist)
    for k in range(config.n_iterations):
        nu = stationary_distribution(problem, policy)
        q_exact = q_function(problem, policy)
        batch = sample_batch(rng, problem, nu, policy, config.n_steps, config.n_agents, with_next=True)
        critic = run_projected_sgd(
            network, config.inner(config.radius_critic), own=batch.own,
            weights=view(batch.weights), action=batch.action,
            target=(1 - problem.gamma) * batch.reward, discount=problem.gamma,
            next_own=batch.next_own, next_weights=view(batch.next_weights),
            next_action=batch.next_action)
        theta = critic.output
        critic_pop = network.population(theta, problem, weights=pop_dist)
        sigma = nu[:, :, None] * policy
        eps.append(((critic_pop - q_exact) ** 2 * sigma).sum(axis=(1, 2)))
        d_critic.append(critic.distances.max(axis=1))
        imp = sample_batch(rng, problem, nu, uniform, config.n_steps, config.n_agents, with_next=False)
        critic_at = network.forward(theta, imp.own, view(imp.weights), imp.action)
        actor_at = (np.zeros_like(critic_at) if actor_beta is None
                    else network.forward(actor_beta, imp.own, imp.weights, imp.action))
        target = taus[k + 1] * (critic_at / proximities[k] + actor_at / taus[k])
        actor = run_projected_sgd(network, config.inner(config.radius_actor), own=imp.own,
                                  weights=imp.weights, action=imp.action, target=target)
        actor_beta = actor.output
        new_energy = network.population(actor_beta, problem)
        ideal_energy = taus[k + 1] * (critic_pop / proximities[k] + actor_energy_pop / taus[k])
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
