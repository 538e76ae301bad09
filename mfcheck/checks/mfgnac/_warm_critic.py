"""A sampled, warm-started TD critic for the App D experiments (adapter over nac-core's oracles).

App D trains the critic with learning rate 0.001 from collected trajectories; a fresh critic
(Algorithm 2 restarted at ψ = 0 each iteration) with a constant step 0.001 barely moves in a
few hundred steps, so here the critic persists across iterations (as an actor-critic run keeps
its critic): each call performs ``n_steps`` TD(0) updates on the soft reward r - λ log π with
step ``lr`` on minibatches of ``batch`` on-policy transitions (s ~ ν^π_μ, a ~ π, s' ~ P, a' ~ π),
each sample an SGD step (summed, not averaged). Tabular (one-hot) features: ψ is the q̂ table.
The actor is then exact given q̂ (ε_actor = 0): ŵ = argmin L(w) with Â from q̂ (App B.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac import (
    Features,
    OracleOutput,
    PolicyContext,
    advantage_from_critic,
    exact_actor,
)

Array = NDArray[np.float64]


def _categorical(probs: Array, rng: np.random.Generator) -> NDArray[np.int64]:
    cumulative = np.cumsum(probs, axis=-1)
    draws = rng.random(probs.shape[:-1])[..., None]
    return np.minimum((draws > cumulative).sum(axis=-1), probs.shape[-1] - 1)


@dataclass(eq=False)
class WarmTDCritic:
    """Stateful oracle: persistent tabular TD(0) critic with step ``lr`` + exact actor.

    One instance per run (it carries q̂ between calls).
    """

    lr: float = 1e-3
    n_steps: int = 10
    batch: int = 64
    radius: float = np.inf
    q_table: Array | None = field(default=None, repr=False)

    def __call__(self, context: PolicyContext, features: Features, rng: np.random.Generator) -> OracleOutput:
        if features.kind != "one_hot":
            raise ValueError(f"WarmTDCritic: needs one-hot features, got {features.kind!r}")
        n_states, n_actions = context.policy.shape
        if self.q_table is None:
            self.q_table = np.zeros((n_states, n_actions))
        q = self.q_table
        soft_reward = context.reward - context.lam * context.log_policy
        shape = (self.n_steps, self.batch)
        states = _categorical(np.broadcast_to(context.stationary, (*shape, n_states)), rng)
        actions = _categorical(context.policy[states], rng)
        next_states = _categorical(context.transition[states, actions], rng)
        next_actions = _categorical(context.policy[next_states], rng)
        for k in range(self.n_steps):
            s, a, s2, a2 = states[k], actions[k], next_states[k], next_actions[k]
            delta = soft_reward[s, a] + context.gamma * q[s2, a2] - q[s, a]
            np.add.at(q, (s, a), self.lr * delta)
        advantage = advantage_from_critic(context, q)
        w = exact_actor(context, features, advantage, radius=self.radius)
        return OracleOutput(w, q.copy())
