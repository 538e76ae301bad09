"""N-agent cooperative MDPs built from one agent's kernel and reward (MF-PPO Section 2, eq 2.1).

A :class:`~mfcheck.models.cooperative.CooperativeModel` describes ONE agent: its kernel
``p(s' | s, a, d)`` and reward ``r(s, a, d)``, where ``d`` is the empirical distribution of ALL
N agents (the agent itself included; ``d = counts / N``). Choosing "all agents" rather than
"the others" makes ``d`` the same for every agent, defines the model for N = 1, and makes the
team reward a function of ``d`` and the meta-action only (so it coincides with the mean-field
reward of Def 2.1 at ``d``). An :class:`NAgentMDP` puts N such agents together:

* team reward ``r(s, a) = (1/N) Σ_i r(s_i, a_i, d(s))`` (the average of the individual rewards);
* kernel ``P(s' | s, a) = Π_i p(s'_i | s_i, a_i, d(s))`` (next states drawn independently given
  the current joint state).

Both are unchanged when the same permutation κ acts on the agents of ``s``, ``a`` and ``s'``,
so eq 2.1 holds by construction. Joint states and joint actions are indexed in mixed radix
with agent 0 the most significant digit (``numpy.ravel_multi_index`` on ``(S,) * N``).

:class:`~mfcheck.models.cooperative.CooperativeModel`, :func:`all_meta_actions`,
:func:`check_meta_actions` and :func:`check_integer_counts` live in
:mod:`mfcheck.models.cooperative` (below the count space and the mean-field MDP, which this
module builds) and are re-exported here.

Reference: MF-PPO Section 2, eq (2.1) and Definition 2.1 (meta-actions ``ā ∈ A^S``).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mfcheck.models.cooperative import (
    REWARD_ATOL,
    CooperativeModel,
    KernelFn,
    RewardFn,
    all_meta_actions,
    check_integer_counts,
    check_meta_actions,
)
from mfcheck.models.count_space import CountSpaceMDP, build_count_space_mdp
from mfcheck.models.finite_mdp import FiniteMDP
from mfcheck.models.mean_field_mdp import FiniteMeanFieldMDP, build_finite_mean_field_mdp
from mfcheck.models.validation import check_positive_int

__all__ = [
    "MAX_JOINT_ENTRIES",
    "REWARD_ATOL",
    "CooperativeModel",
    "KernelFn",
    "NAgentMDP",
    "RewardFn",
    "all_meta_actions",
    "average_reward",
    "check_integer_counts",
    "check_meta_actions",
    "joint_tuples",
    "permutation_index",
    "permutations",
    "product_kernel",
]

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Default limit on the number of entries S^N · A^N · S^N of a dense joint-space kernel.
MAX_JOINT_ENTRIES = 20_000_000


def joint_tuples(n_agents: int, size: int) -> IntArray:
    """Every tuple of [size]^N as rows of an int array [size^N, N] (agent 0 most significant)."""
    return np.indices((size,) * n_agents).reshape(n_agents, -1).T.astype(np.int64)


def permutation_index(permutation: ArrayLike, n_agents: int, size: int) -> IntArray:
    """Index map of κ on [size]^N: ``out[j]`` is the index of κ(x_j) with ``κ(x)_i = x_{κ[i]}``."""
    permutation = np.asarray(permutation, dtype=np.int64)
    if sorted(permutation.tolist()) != list(range(n_agents)):
        raise ValueError(f"permutation: {permutation.tolist()} is not a permutation of range({n_agents})")
    tuples = joint_tuples(n_agents, size)
    return np.ravel_multi_index(tuple(tuples[:, permutation].T), (size,) * n_agents).astype(np.int64)


def permutations(n_agents: int, *, fixed: tuple[int, ...] = (), limit: int = 720) -> list[IntArray]:
    """All permutations of range(N) fixing the agents in ``fixed`` when there are at most
    ``limit`` of them, otherwise the adjacent transpositions of the free agents (they generate
    the same group)."""
    free = [i for i in range(n_agents) if i not in fixed]
    if math.factorial(len(free)) <= limit:
        out = []
        for order in itertools.permutations(free):
            perm = np.arange(n_agents)
            perm[free] = order
            out.append(perm)
        return out
    out = []
    for left, right in itertools.pairwise(free):
        perm = np.arange(n_agents)
        perm[[left, right]] = perm[[right, left]]
        out.append(perm)
    return out


@dataclass(frozen=True, eq=False)
class NAgentMDP:
    """N agents of a :class:`CooperativeModel`: team reward = average reward (eq 2.1 holds).

    Parameters
    ----------
    model : CooperativeModel
    n_agents : int
        N >= 1.
    """

    model: CooperativeModel
    n_agents: int

    def __post_init__(self) -> None:
        if not isinstance(self.model, CooperativeModel):
            raise ValueError(f"NAgentMDP.model: expected a CooperativeModel, got {type(self.model).__name__}")
        check_positive_int(self.n_agents, "NAgentMDP.n_agents")

    @property
    def n_states(self) -> int:
        return self.model.n_states

    @property
    def n_actions(self) -> int:
        return self.model.n_actions

    def joint_states(self) -> IntArray:
        """Joint states as rows [S^N, N]."""
        return joint_tuples(self.n_agents, self.n_states)

    def joint_actions(self) -> IntArray:
        """Joint actions as rows [A^N, N]."""
        return joint_tuples(self.n_agents, self.n_actions)

    def joint_counts(self) -> IntArray:
        """Occupation counts of every joint state, int [S^N, S]."""
        states = self.joint_states()
        return np.stack([(states == s).sum(axis=1) for s in range(self.n_states)], axis=1)

    def _check_size(self, n_actions: int, max_entries: int) -> None:
        n_joint = self.n_states**self.n_agents
        entries = n_joint * n_actions * n_joint
        if entries > max_entries:
            raise ValueError(
                f"NAgentMDP.joint_space: N={self.n_agents}, |S|={self.n_states}, "
                f"{n_actions} joint actions give a dense kernel of {entries} entries "
                f"(> max_entries={max_entries}); use the count space instead"
            )

    def _agent_rows(self) -> tuple[Array, Array]:
        """Per-agent kernel rows [J, N, A, S'] and rewards [J, N, A] at every joint state."""
        states = self.joint_states()
        d = self.joint_counts() / self.n_agents
        kernel = self.model.kernel(d)  # [J, S, A, S']
        reward = self.model.reward(d)  # [J, S, A]
        rows = np.take_along_axis(kernel, states[:, :, None, None], axis=1)
        rewards = np.take_along_axis(reward, states[:, :, None], axis=1)
        return rows, rewards

    def joint_space(self, *, max_entries: int = MAX_JOINT_ENTRIES) -> FiniteMDP:
        """The exact joint-space MDP over S^N with joint actions A^N (small N only).

        ``P[s, a, s'] = Π_i p(s'_i | s_i, a_i, d(s))`` and ``r[s, a] = (1/N) Σ_i r(s_i, a_i, d(s))``;
        the initial distribution is i.i.d. d₀ per agent.

        Raises
        ------
        ValueError
            When S^N · A^N · S^N exceeds ``max_entries``.
        """
        self._check_size(self.n_actions**self.n_agents, max_entries)
        rows, rewards = self._agent_rows()
        return FiniteMDP(
            transition=product_kernel(rows),
            reward=average_reward(rewards),
            gamma=self.model.gamma,
            initial=self.joint_initial(),
        )

    def joint_meta_action_space(
        self, meta_actions: ArrayLike | None = None, *, max_entries: int = MAX_JOINT_ENTRIES
    ) -> FiniteMDP:
        """Joint-space MDP whose actions are meta-actions: every agent plays ``ā(s_i)``.

        ``P[s, m, s'] = Π_i p(s'_i | s_i, ā_m(s_i), d(s))``; the reference the count space is
        tested against. ``meta_actions`` defaults to all of A^S.
        """
        meta = self._meta(meta_actions)
        self._check_size(meta.shape[0], max_entries)
        rows, rewards = self._agent_rows()
        states = self.joint_states()
        joint_action = meta[:, states]  # [M, J, N]: action of agent i under ā_m
        transition = np.empty((states.shape[0], meta.shape[0], states.shape[0]))
        reward = np.empty((states.shape[0], meta.shape[0]))
        for m in range(meta.shape[0]):
            chosen_rows = np.take_along_axis(rows, joint_action[m][:, :, None, None], axis=2)[:, :, 0]
            transition[:, m] = product_kernel(chosen_rows[:, :, None, :])[:, 0]
            chosen = np.take_along_axis(rewards, joint_action[m][:, :, None], axis=2)[:, :, 0]
            reward[:, m] = chosen.mean(axis=1)
        return FiniteMDP(transition=transition, reward=reward, gamma=self.model.gamma,
                         initial=self.joint_initial())

    def count_space(self, meta_actions: ArrayLike | None = None, **options: float) -> CountSpaceMDP:
        """The lumped count-space MDP under meta-action policies (polynomial in N).

        See :func:`mfcheck.models.count_space.build_count_space_mdp`.
        """
        return build_count_space_mdp(self.model, self.n_agents, meta_actions, **options)

    def finite_mean_field_mdp(self, meta_actions: ArrayLike | None = None, **options: float) -> FiniteMeanFieldMDP:
        """The exact finite-N mean-field MDP of Def 2.1 (states: own state, others' counts).

        See :func:`mfcheck.models.mean_field_mdp.build_finite_mean_field_mdp`.
        """
        return build_finite_mean_field_mdp(self.model, self.n_agents, meta_actions, **options)

    def _joint_action_index(self, joint_action: IntArray) -> IntArray:
        return np.ravel_multi_index(
            tuple(np.moveaxis(joint_action, -1, 0)), (self.n_actions,) * self.n_agents
        )

    def _meta(self, meta_actions: ArrayLike | None) -> IntArray:
        if meta_actions is None:
            return self.model.meta_actions()
        return check_meta_actions(meta_actions, self.n_states, self.n_actions, "meta_actions")

    def meta_action_joint_policy(self, meta_actions: ArrayLike | None = None) -> IntArray:
        """Joint-action index of every (meta-action, joint state): int [M, S^N]."""
        meta = self._meta(meta_actions)
        return self._joint_action_index(meta[:, self.joint_states()])

    def joint_initial(self) -> Array:
        """i.i.d. initial distribution over S^N: ``Π_i d₀(s_i)``."""
        states = self.joint_states()
        return np.prod(self.model.initial[states], axis=1)


def product_kernel(rows: Array) -> Array:
    """``T[j, a, s'] = Π_i rows[j, i, a_i, s'_i]`` from per-agent rows [J, N, A, S']."""
    n_joint, n_agents, n_actions, n_states = rows.shape
    kernel = rows[:, 0]
    for i in range(1, n_agents):
        kernel = kernel[:, :, None, :, None] * rows[:, i][:, None, :, None, :]
        kernel = kernel.reshape(n_joint, n_actions ** (i + 1), n_states ** (i + 1))
    return kernel


def average_reward(rewards: Array) -> Array:
    """``r[j, a] = (1/N) Σ_i rewards[j, i, a_i]`` from per-agent rewards [J, N, A]."""
    n_joint, n_agents, _ = rewards.shape
    total = rewards[:, 0]
    for i in range(1, n_agents):
        total = (total[:, :, None] + rewards[:, i][:, None, :]).reshape(n_joint, -1)
    return total / n_agents
