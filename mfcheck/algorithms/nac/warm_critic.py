"""A sampled critic that persists across iterations: App D's critic with learning rate 0.001.

MFG-NAC App D trains the critic of NAC and DL-NAC "with learning rate 0.001" from collected
samples. Algorithm 2 restarted at ψ = 0 each iteration with a constant step 0.001 would barely
move in a few hundred steps, so this critic keeps its table q̂ from one iteration of a run to the
next (as an actor-critic run keeps its critic). Each call performs ``n_steps`` TD(0) updates
with step ``lr`` on minibatches of ``batch`` on-policy transitions (s ~ ν^π_μ, the stationary
distribution of P_π(μ); a ~ π; s' ~ P(·|s, a, μ); a' ~ π) of the soft reward r - λ log π::

    q̂(s, a) <- q̂(s, a) + lr (r(s, a) - λ log π(a|s) + γ q̂(s', a') - q̂(s, a))   for each sample

(the samples of a minibatch are summed, not averaged). Tabular (one-hot) features only: q̂ is the
table. The actor is exact given q̂ (ε_actor = 0): ŵ = argmin L(w) with Â from q̂ (App B.2).

The table belongs to a run: it starts at 0 whenever the oracle is called with a generator other
than the one of its previous call (each run of :class:`~mfcheck.algorithms.nac.algorithm.NAC`
or ``DLNAC`` draws from one generator), so one value can serve many runs, one after another,
and each starts cold. ``fresh()`` returns a copy with no table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.context import PolicyContext
from mfcheck.algorithms.nac.log_linear import Features
from mfcheck.algorithms.nac.oracles import (
    OracleOutput,
    advantage_from_critic,
    exact_actor,
    sample_categorical,
)

Array = NDArray[np.float64]


def td_sweep(q_table: Array, context: PolicyContext, rng: np.random.Generator, *, lr: float, n_steps: int,
             batch: int) -> Array:
    """``n_steps`` minibatch TD(0) updates of ``q_table`` [S, A] in place (module docstring);
    returns it. Samples are drawn in one batch before the loop."""
    n_states, _ = context.policy.shape
    shape = (n_steps, batch)
    states = sample_categorical(np.broadcast_to(context.stationary, (*shape, n_states)), rng)
    actions = sample_categorical(context.policy[states], rng)
    next_states = sample_categorical(context.transition[states, actions], rng)
    next_actions = sample_categorical(context.policy[next_states], rng)
    soft_reward = context.reward - context.lam * context.log_policy
    for k in range(n_steps):
        s, a, s2, a2 = states[k], actions[k], next_states[k], next_actions[k]
        delta = soft_reward[s, a] + context.gamma * q_table[s2, a2] - q_table[s, a]
        np.add.at(q_table, (s, a), lr * delta)
    return q_table


@dataclass(frozen=True, eq=False)
class WarmTDCritic:
    """Oracle part (``oracle(context, features, rng)``): persistent tabular TD(0) critic with
    step ``lr`` + exact actor given the critic. ``radius`` bounds ‖ŵ‖ (the actor's ball)."""

    lr: float = 1e-3
    n_steps: int = 10
    batch: int = 64
    radius: float = np.inf
    _run: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.lr > 0:
            raise ValueError(f"WarmTDCritic.lr: must be > 0, got {self.lr!r}")
        for name in ("n_steps", "batch"):
            value = getattr(self, name)
            if int(value) != value or value < 1:
                raise ValueError(f"WarmTDCritic.{name}: must be a positive int, got {value!r}")

    def fresh(self) -> WarmTDCritic:
        """The same critic with no table (a new run)."""
        return WarmTDCritic(lr=self.lr, n_steps=self.n_steps, batch=self.batch, radius=self.radius)

    def table(self, context: PolicyContext, rng: np.random.Generator) -> Array:
        """The run's table: the previous call's when ``rng`` is the same generator, else zeros."""
        if self._run.get("rng") is not rng or self._run.get("table") is None:
            self._run.clear()
            self._run.update(rng=rng, table=np.zeros(context.policy.shape))
        table: Array = self._run["table"]
        if table.shape != context.policy.shape:
            raise ValueError(f"WarmTDCritic: table of shape {table.shape} for a game of shape {context.policy.shape}")
        return table

    def __call__(self, context: PolicyContext, features: Features, rng: np.random.Generator) -> OracleOutput:
        if features.kind != "one_hot":
            raise ValueError(f"WarmTDCritic: needs one-hot features, got {features.kind!r}")
        q = td_sweep(self.table(context, rng), context, rng, lr=self.lr, n_steps=self.n_steps, batch=self.batch)
        advantage = advantage_from_critic(context, q)
        w = exact_actor(context, features, advantage, radius=self.radius)
        return OracleOutput(w, q.copy())
