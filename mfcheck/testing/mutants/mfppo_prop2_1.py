"""Wrong statements for ``mfppo.prop2_1`` (a claim about models: the checker must refute each
with a counterexample, or, for a statement outside eq 2.1, answer not applicable).

* :data:`ACTIONS_ONLY`: "Q*, ν* and Q^ν are invariant when κ permutes the agents' actions
  alone" (the states stay put): false as soon as agents in different states are swapped.
* :data:`ANY_POLICY`: "V^ν and Q^ν are invariant for every policy ν", dropping the hypothesis
  that ν is invariant.
* :data:`IDENTITY_REWARD`: the conclusions stated for N-agent MDPs whose team reward weights
  agent 0 twice, ``Σ_i w_i r(s_i, a_i, d)`` with w ∝ (2, 1, ..., 1): eq 2.1 fails for the
  reward (a hypothesis breaker: the checker must say not applicable, naming eq 2.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from mfcheck.judgement.statement import Statement
from mfcheck.models.finite_mdp import FiniteMDP
from mfcheck.models.n_agent import MAX_JOINT_ENTRIES, NAgentMDP
from mfcheck.models.permutation_invariance import Invariance

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
        rows = np.arange(states.shape[0])
        team = sum(self.weights[i] * reward[rows, states[:, i]][:, actions[:, i]] for i in range(self.n_agents))
        return FiniteMDP(transition=honest.transition, reward=team, gamma=honest.gamma, initial=honest.initial)


def identity_reward(n_agent_mdp: NAgentMDP) -> IdentityRewardNAgentMDP:
    """The same agents with agent 0's reward counted twice: weights ∝ (2, 1, ..., 1)."""
    weights = np.ones(n_agent_mdp.n_agents)
    weights[0] = 2.0
    return IdentityRewardNAgentMDP(n_agent_mdp.model, n_agent_mdp.n_agents, weights=weights / weights.sum())


ACTIONS_ONLY = Statement(
    text="Q*(s, κa) = Q*(s, a), ν*(κa|s) = ν*(a|s), Q^ν(s, κa) = Q^ν(s, a): invariance when κ "
         "permutes the agents' actions alone",
    value=Invariance(permuted="actions"),
    wrong=True,
)

ANY_POLICY = Statement(
    text="V^ν(κs) = V^ν(s) and Q^ν(κs, κa) = Q^ν(s, a) for every policy ν (invariant or not)",
    value=Invariance(policies="all"),
    wrong=True,
)

IDENTITY_REWARD = Statement(
    text="Prop 2.1's conclusions for team rewards that weight agent 0 twice",
    value=Invariance(models=identity_reward),
    wrong=True,
)
