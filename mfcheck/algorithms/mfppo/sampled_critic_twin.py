"""Algorithm 1 with the MFPPO's own sampled critic and the exact actor update.

For k = 0..K-1: the critic θ_k is the MFPPO's ``policy_evaluation`` (Algorithm 2) on a batch of T
samples of σ_k = ν_k π_k with N agents per sample (``n_agents``), read at the population through
its ``critic_embedding``; the actor is Prop 3.2's closed form in energy form (the MFPPO's
``proximal_target`` with its ``schedule``), F_{k+1} = τ_{k+1}(F_θk/v_k + F_k/τ_k), π_{k+1} ∝
exp(F_{k+1}/τ_{k+1}): Algorithm 3 at its limit ε'_{k+1} = 0. π_0 is uniform; every critic run
restarts from the shared initialisation (Sec 4). This is :meth:`MFPPO.run` without the actor's
fit, so the N agents enter only where Thm 4.1's critic error does.
Reference: MF-PPO Alg 1, Alg 2, Prop 3.2, Thm 4.1.
"""

from __future__ import annotations

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO
from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet
from mfcheck.algorithms.mfppo.ideal import softmax
from mfcheck.algorithms.mfppo.problem import Array, MeanFieldProblem, stationary_distribution
from mfcheck.algorithms.mfppo.sampling import sample_batch

__all__ = ["run_with_exact_actor"]


def run_with_exact_actor(algorithm: MFPPO, problem: MeanFieldProblem, rng: np.random.Generator, *,
                         n_runs: int) -> Array:
    """Policies π_0..π_K [K+1, R, X, M] of ``n_runs`` independent runs (one initialisation each)."""
    network = BatchedDeepSet.initialise(rng, n_runs=n_runs, width=algorithm.width, n_local=problem.n_local,
                                        n_actions=problem.n_actions, symmetric=algorithm.symmetric_init)
    embed = algorithm.critic_embedding
    taus, proximities = algorithm.schedule(algorithm.v, algorithm.n_iterations)
    energy = np.zeros((n_runs, problem.n_joint, problem.n_actions))
    policies = [softmax(energy, taus[0])]
    inner = algorithm.inner(algorithm.radius_critic)
    for k in range(algorithm.n_iterations):
        policy = policies[-1]
        nu = stationary_distribution(problem, policy)
        batch = sample_batch(rng, problem, nu, policy, algorithm.n_steps, algorithm.n_agents, with_next=True)
        critic = algorithm.policy_evaluation(network, inner, batch, problem.gamma, embed)
        values = network.population(critic.output, problem, weights=embed(problem.dist))
        energy = algorithm.proximal_target(values, energy, taus[k], taus[k + 1], proximities[k])
        policies.append(softmax(energy, taus[k + 1]))
    return np.array(policies)
