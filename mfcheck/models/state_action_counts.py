"""The N-agent cooperative MDP lumped onto counts with unrestricted joint actions.

Meta-actions (MF-PPO Def 2.1, ``ā ∈ A^S``) make every agent in one local state play the same
action. Without that restriction a joint action matters, up to permutation, only through
``k[g, a]`` = the number of agents in state g that play a (``Σ_a k[g, a] = n_g``): the lumped MDP
has state n, a state-dependent action set {k} (``Π_g C(n_g + A - 1, A - 1)`` actions), team
reward ``Σ_{g,a} k[g, a] r(g, a, n/N) / N`` and next counts ``Σ_{g,a} Mult(k[g, a], p(·|g, a, n/N))``.
Its optimal value equals the joint-space optimum over all joint policies (Prop 2.1: an optimal
invariant policy exists; tested against joint space), so comparing it with
:class:`~mfcheck.models.count_space.CountSpaceMDP` measures what the meta-action restriction costs.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from mfcheck.models.cooperative import CooperativeModel
from mfcheck.models.count_space import PRUNE, compositions, next_count_distribution
from mfcheck.models.validation import check_positive_int

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Default limit on (lumped state-action pairs) x (count states).
MAX_ENTRIES = 40_000_000


@dataclass(frozen=True, eq=False)
class StateActionCountMDP:
    """Lumped MDP with actions k[g, a]; rows are (state, action) pairs grouped by state.

    Solve with :func:`mfcheck.solvers.count_space.state_action_optimal_values`.

    Attributes
    ----------
    counts : int array [X, S]
    actions : int array [R, S, A]
        ``k`` of every row.
    owner : int array [R]
        State of every row (non-decreasing).
    kernel : CSR matrix [R, X]
    reward : array [R]
    gamma : float
    """

    counts: IntArray
    actions: IntArray
    owner: IntArray
    kernel: sp.csr_array
    reward: Array
    gamma: float

    @property
    def starts(self) -> IntArray:
        """First row of every state."""
        return np.searchsorted(self.owner, np.arange(self.counts.shape[0])).astype(np.int64)


def _splits(n_g: int, n_actions: int) -> list[tuple[int, ...]]:
    return [tuple(int(v) for v in row) for row in compositions(n_g, n_actions)]


def build_state_action_count_mdp(
    model: CooperativeModel, n_agents: int, *, prune: float = PRUNE, max_entries: int = MAX_ENTRIES
) -> StateActionCountMDP:
    """Lump the unrestricted N-agent MDP onto counts (see the module docstring).

    Raises
    ------
    ValueError
        When (number of (n, k) pairs) x (number of count states) exceeds ``max_entries``.
    """
    n_agents = check_positive_int(n_agents, "build_state_action_count_mdp.n_agents")
    n_states, n_actions = model.n_states, model.n_actions
    counts = compositions(n_agents, n_states)
    per_state = [list(itertools.product(*(_splits(int(g), n_actions) for g in n))) for n in counts]
    n_rows = sum(len(k) for k in per_state)
    if n_rows * counts.shape[0] > max_entries:
        raise ValueError(
            f"build_state_action_count_mdp: N={n_agents}, |S|={n_states}, |A|={n_actions} give {n_rows} "
            f"(n, k) pairs x {counts.shape[0]} states > max_entries={max_entries}"
        )
    kernel = model.kernel(counts / n_agents).reshape(counts.shape[0], n_states * n_actions, n_states)
    rewards = model.reward(counts / n_agents)  # [X, S, A]
    blocks, actions, owner, reward = [], [], [], []
    for x, splits in enumerate(per_state):
        k = np.array(splits, dtype=np.int64).reshape(len(splits), n_states, n_actions)
        rows = np.broadcast_to(kernel[x], (len(splits), *kernel[x].shape))
        blocks.append(sp.csr_array(next_count_distribution(rows, k.reshape(len(splits), -1), prune=prune)))
        actions.append(k)
        owner.append(np.full(len(splits), x, dtype=np.int64))
        reward.append((k * rewards[x]).sum(axis=(1, 2)) / n_agents)
    return StateActionCountMDP(
        counts=counts,
        actions=np.concatenate(actions),
        owner=np.concatenate(owner),
        kernel=sp.vstack(blocks, format="csr"),
        reward=np.concatenate(reward),
        gamma=model.gamma,
    )
