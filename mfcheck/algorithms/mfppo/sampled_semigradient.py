"""The semi-gradient of the given MFPPO's Alg 2 step on N sampled agents against the population one.

Lemma E.4 compares ĝ_β = δ̂_β ∇F_β(s, ŝ, a) (the network at the N sampled agents, in δ and ∇F) with
g_β = δ_β ∇F_β(s, d_S, a) (the population network, N = ∞). Both are read off what the algorithm
does: one step of its ``policy_evaluation`` from β, on one sample, gives β(1) = Π(β - η ĝ), so
ĝ = (β - β(1))/η while the projection does not bite (η ‖ĝ‖ << R). The tuples (s, d_S, a, s', d'_S,
a') are drawn from ρ P π of a finite :class:`SemiGradientProblem`, the N agents of s and of s' i.i.d.
from d_S and d'_S; ĝ and g are taken at the same tuples (coupled).
Reference: MF-PPO (arXiv 2105.08268) Lemma E.4, eq (E.11), Alg 2, App E (E.5).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO
from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet
from mfcheck.algorithms.mfppo.problem import Array
from mfcheck.algorithms.mfppo.sampling import Batch, agent_weights, categorical
from mfcheck.algorithms.mfppo.semigradient_problem import SemiGradientProblem

__all__ = ["Tuples", "aligned_point", "sample_tuples", "semigradient_deviation", "step_semigradients"]


def initialise(algorithm: MFPPO, problem: SemiGradientProblem, rng: np.random.Generator) -> BatchedDeepSet:
    """One draw of the network ``algorithm`` builds (its width and initialisation) for ``problem``."""
    return BatchedDeepSet.initialise(rng, n_runs=1, width=algorithm.width, n_local=problem.n_states,
                                     n_actions=problem.n_actions, symmetric=algorithm.symmetric_init)


def aligned_point(network: BatchedDeepSet, problem: SemiGradientProblem, radius: float) -> Array:
    """β = β(0) + R v [1, m, d], v the unit vector along -Σ_{p,a} ∇F_β(0)(s_p, d_p, a).

    Moving along v lowers every F(s, d, a); with positive rewards δ = F - τ r - μ F' is negative, so
    |δ| grows linearly in R: the R² regime of the bound.
    """
    own = np.repeat(problem.own, problem.n_actions)
    weights = np.repeat(problem.dists, problem.n_actions, axis=0)
    action = np.tile(np.arange(problem.n_actions), problem.n_points)
    _, grad = network.forward_and_grad(network.beta0, own, weights, action)
    direction = -grad.sum(axis=1)
    return network.beta0 + radius * direction / np.sqrt((direction**2).sum(axis=(1, 2), keepdims=True))


@dataclass(frozen=True, kw_only=True)
class Tuples:
    """K tuples (p, a, q, b) of ρ P π: point, action, next point, next action, each [K]."""

    point: np.ndarray
    action: np.ndarray
    next_point: np.ndarray
    next_action: np.ndarray


def sample_tuples(rng: np.random.Generator, problem: SemiGradientProblem, n_samples: int) -> Tuples:
    """``n_samples`` i.i.d. tuples from ρ(p, a) P(q | p, a) π(b | q)."""
    law = problem.tuple_weights()
    flat = categorical(rng, np.broadcast_to(law.reshape(-1), (n_samples, law.size)))
    p, a, q, b = np.unravel_index(flat, law.shape)
    return Tuples(point=p, action=a, next_point=q, next_action=b)


def tuple_batch(rng: np.random.Generator, problem: SemiGradientProblem, tuples: Tuples,
                n_agents: int | None) -> Batch:
    """One-sample batches [K, 1] of the tuples, with N agents i.i.d. from d_S and d'_S (None: d itself)."""
    col = (slice(None), None)
    return Batch(state=tuples.point[col], own=problem.own[tuples.point][col],
                 weights=agent_weights(rng, problem.dists[tuples.point], n_agents)[:, None],
                 action=tuples.action[col], reward=problem.xi[tuples.point, tuples.action][col],
                 next_state=tuples.next_point[col], next_own=problem.own[tuples.next_point][col],
                 next_weights=agent_weights(rng, problem.dists[tuples.next_point], n_agents)[:, None],
                 next_action=tuples.next_action[col])


def step_semigradients(algorithm: MFPPO, network: BatchedDeepSet, beta: Array, batch: Batch,
                       gamma: float) -> Array:
    """ĝ [K, m, d]: one step of ``algorithm.policy_evaluation`` from β on each sample, (β - β(1))/η.

    ``algorithm`` must be configured with ``n_steps=1``, ``averaging="last"`` and a ``step_size``
    small enough that the projection onto B(β, R) does not bite.
    """
    if algorithm.n_steps != 1 or algorithm.averaging != "last" or algorithm.step_size is None:
        raise ValueError("step_semigradients: configure the MFPPO with n_steps=1, averaging='last' and a step_size")
    n = batch.state.shape[0]
    centred = BatchedDeepSet(table=network.table, u=np.repeat(network.u, n, axis=0),
                             beta0=np.repeat(beta, n, axis=0))
    history = algorithm.policy_evaluation(centred, algorithm.inner(algorithm.radius_critic), batch, gamma,
                                          algorithm.critic_embedding)
    return (centred.beta0 - history.output) / algorithm.step_size


def semigradient_deviation(algorithm: MFPPO, problem: SemiGradientProblem, network: BatchedDeepSet, beta: Array,
                           tuples: Tuples, rng: np.random.Generator, n_agents: int) -> float:
    """mean_k ‖ĝ_k - g_k‖² over the tuples: ĝ with N agents, g with the population (same tuples)."""
    sampled = step_semigradients(algorithm, network, beta, tuple_batch(rng, problem, tuples, n_agents), problem.gamma)
    population = step_semigradients(algorithm, network, beta, tuple_batch(rng, problem, tuples, None), problem.gamma)
    return float(((sampled - population) ** 2).sum(axis=(1, 2)).mean())

