"""Mutants for ``mfppo.prop2_1``: N-agent models whose team reward depends on agent identity.

:func:`mutant_identity_reward` returns an object that behaves like an
:class:`~mfcheck.models.n_agent.NAgentMDP` (same one-agent model, same kernel) but whose
joint-space team reward weights agent i by ``weights[i]`` instead of 1/N. Eq 2.1 then fails
for the reward, and so do the conclusions of Prop 2.1 (Q* is no longer invariant: swapping
the states of a heavily and a lightly weighted agent changes the value).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mfcheck.models.finite_mdp import FiniteMDP
from mfcheck.models.n_agent import MAX_JOINT_ENTRIES, NAgentMDP

Array = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class IdentityRewardNAgentMDP(NAgentMDP):
    """An N-agent model whose team reward is ``Σ_i weights[i] r(s_i, a_i, d)`` (not invariant)."""

    weights: Array = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        super().__post_init__()
        weights = np.asarray(self.weights, dtype=float)
        if weights.shape != (self.n_agents,) or (weights < 0).any() or not np.isclose(weights.sum(), 1.0):
            raise ValueError(f"IdentityRewardNAgentMDP.weights: need {self.n_agents} weights >= 0 summing to 1")
        object.__setattr__(self, "weights", weights)

    def joint_space(self, *, max_entries: int = MAX_JOINT_ENTRIES) -> FiniteMDP:
        honest = super().joint_space(max_entries=max_entries)
        states, actions = self.joint_states(), self.joint_actions()
        reward = self.model.reward(self.joint_counts() / self.n_agents)  # [J, S, A]
        team = np.zeros_like(honest.reward)
        for i in range(self.n_agents):
            team += self.weights[i] * _agent_reward(reward, states[:, i], actions[:, i])
        return FiniteMDP(transition=honest.transition, reward=team, gamma=honest.gamma, initial=honest.initial)


def _agent_reward(reward: Array, own_states: NDArray[np.int64], own_actions: NDArray[np.int64]) -> Array:
    """``r(s_i, a_i, d(s))`` as a [J, A^N] array from r[J, S, A] and agent i's digits."""
    rows = reward[np.arange(own_states.size), own_states]  # [J, A]
    return rows[:, own_actions]


def mutant_identity_reward(n_agent_mdp: NAgentMDP, weights: ArrayLike | None = None) -> IdentityRewardNAgentMDP:
    """Agent 0's reward counts double: weights ∝ (2, 1, ..., 1) (or the given weights)."""
    n = n_agent_mdp.n_agents
    if weights is None:
        weights = np.ones(n)
        weights[0] = 2.0
        weights = weights / weights.sum()
    return IdentityRewardNAgentMDP(n_agent_mdp.model, n, weights=np.asarray(weights, dtype=float))
