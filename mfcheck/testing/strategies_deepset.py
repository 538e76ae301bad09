"""Hypothesis strategies for permutation-invariant networks: agent batches and permutations."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st
from numpy.typing import NDArray


@dataclass(frozen=True, kw_only=True)
class AgentBatch:
    """One batch of network inputs and a permutation of the agents of each row.

    Attributes
    ----------
    own : int array [B]
    others : int array [B, N]
    action : int array [B]
    permutations : int array [B, N]
        ``others[b, permutations[b]]`` is row b with its agents reordered.
    """

    own: NDArray[np.int64]
    others: NDArray[np.int64]
    action: NDArray[np.int64]
    permutations: NDArray[np.int64]

    def permuted_others(self) -> NDArray[np.int64]:
        return np.take_along_axis(self.others, self.permutations, axis=1)


@st.composite
def agent_batches(
    draw: st.DrawFn, *, n_states: int, n_actions: int, max_agents: int = 64, max_batch: int = 6
) -> AgentBatch:
    """Batches with 1 <= N <= ``max_agents`` other agents and one permutation per row."""
    n_agents = draw(st.integers(1, max_agents))
    batch = draw(st.integers(1, max_batch))
    states = st.integers(0, n_states - 1)
    others = np.array(
        [draw(st.lists(states, min_size=n_agents, max_size=n_agents)) for _ in range(batch)],
        dtype=np.int64,
    )
    permutations = np.array(
        [draw(st.permutations(range(n_agents))) for _ in range(batch)], dtype=np.int64
    )
    own = np.array(draw(st.lists(states, min_size=batch, max_size=batch)), dtype=np.int64)
    action = np.array(
        draw(st.lists(st.integers(0, n_actions - 1), min_size=batch, max_size=batch)), dtype=np.int64
    )
    return AgentBatch(own=own, others=others, action=action, permutations=permutations)
