"""Exact samplers of MF-PPO's training data on a finite mean-field MDP, vectorised over runs.

(x, ā) ~ σ = ν π (Alg 2) or ν π_0 (Alg 3) from the exact stationary distribution, x' ~ P(·|x, ā)
from the exact kernel, ā' ~ π(·|x'), and the N agents' states i.i.d. from d. Because the
mean-pooled network depends on the N states only through their empirical distribution, the N
draws are taken as one multinomial count vector per sample (same law as N i.i.d. draws, no
loop over agents); ``n_agents=None`` gives the population d itself (N = ∞).
Reference: MF-PPO Sec 3 (sampling for eq 3.1, 3.2), App E (eq E.5).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.mfppo.problem import Array, MeanFieldProblem


def categorical(rng: np.random.Generator, probs: Array) -> Array:
    """One index per row of probs [..., K] by inverse CDF."""
    cdf = np.cumsum(probs, axis=-1)
    u = rng.random(probs.shape[:-1]) * cdf[..., -1]
    return np.minimum((u[..., None] > cdf).sum(axis=-1), probs.shape[-1] - 1)


def agent_weights(rng: np.random.Generator, dist: Array, n_agents: int | None) -> Array:
    """Empirical distribution of N i.i.d. draws from each row of dist [..., S] (dist if N is None)."""
    if n_agents is None:
        return dist.copy()
    if int(n_agents) != n_agents or n_agents < 1:
        raise ValueError(f"n_agents: must be a positive int or None, got {n_agents!r}")
    return rng.multinomial(int(n_agents), dist) / n_agents


@dataclass(frozen=True, kw_only=True)
class Batch:
    """Samples [R, T] of (x, s, w, ā, r) and, for TD, (x', s', w', ā')."""

    state: Array
    own: Array
    weights: Array
    action: Array
    reward: Array
    next_state: Array | None = None
    next_own: Array | None = None
    next_weights: Array | None = None
    next_action: Array | None = None


def sample_batch(rng: np.random.Generator, problem: MeanFieldProblem, nu: Array, policy: Array,
                 n_samples: int, n_agents: int | None, *, with_next: bool,
                 next_policy: Array | None = None) -> Batch:
    """Draw ``n_samples`` transitions per run: x ~ ν[r], ā ~ policy[r, x], x' ~ P, ā' ~ next_policy.

    nu [R, X], policy / next_policy [R, X, M] (next_policy defaults to policy).
    """
    n_runs = nu.shape[0]
    runs = np.arange(n_runs)[:, None]
    state = categorical(rng, np.broadcast_to(nu[:, None, :], (n_runs, n_samples, nu.shape[1])))
    action = categorical(rng, policy[runs, state])
    own = problem.own[state]
    weights = agent_weights(rng, problem.dist[state], n_agents)
    reward = problem.reward[state, action]
    if not with_next:
        return Batch(state=state, own=own, weights=weights, action=action, reward=reward)
    nxt = categorical(rng, problem.transition[state, action])
    follow = policy if next_policy is None else next_policy
    next_action = categorical(rng, follow[runs, nxt])
    return Batch(state=state, own=own, weights=weights, action=action, reward=reward,
                 next_state=nxt, next_own=problem.own[nxt],
                 next_weights=agent_weights(rng, problem.dist[nxt], n_agents),
                 next_action=next_action)
