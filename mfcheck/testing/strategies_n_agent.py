"""Public Hypothesis strategies for N-agent cooperative models (MF-PPO Section 2).

Models are drawn by seeding :func:`mfcheck.instances.cooperative.random_cooperative_model`
with an integer Hypothesis chooses, so a failing example shrinks to (|S|, |A|, N, seed, γ)
and replays exactly. Sizes are keyword-only and accept an int or a strategy of ints.

Examples
--------
>>> from hypothesis import given
>>> from mfcheck.testing.strategies_n_agent import n_agent_mdps
>>> @given(n_agent_mdps(max_agents=3))
... def test_joint_space_is_stochastic(mdp):
...     mdp.joint_space()
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from mfcheck.instances.cooperative import random_cooperative_model
from mfcheck.models.n_agent import CooperativeModel, NAgentMDP

IntOrStrategy = int | st.SearchStrategy[int]
_SIZES = st.integers(1, 3)
_DISCOUNTS = st.floats(0.5, 0.95)
_COUPLINGS = st.floats(0.0, 3.0)

__all__ = ["cooperative_models", "n_agent_mdps"]


def _int(draw: st.DrawFn, value: IntOrStrategy) -> int:
    return int(draw(value)) if isinstance(value, st.SearchStrategy) else int(value)


@st.composite
def cooperative_models(
    draw: st.DrawFn,
    *,
    n_states: IntOrStrategy = _SIZES,
    n_actions: IntOrStrategy = _SIZES,
    gamma: st.SearchStrategy[float] = _DISCOUNTS,
    coupling: st.SearchStrategy[float] = _COUPLINGS,
) -> CooperativeModel:
    """Random cooperative models: softmax kernels and sigmoid rewards in (0, 1), affine in d."""
    size_s, size_a = _int(draw, n_states), _int(draw, n_actions)
    if size_s < 1 or size_a < 1:
        raise ValueError(f"cooperative_models: need n_states, n_actions >= 1, got {size_s}, {size_a}")
    seed = draw(st.integers(0, 2**32 - 1))
    return random_cooperative_model(
        np.random.default_rng(seed), size_s, size_a, gamma=draw(gamma), coupling=draw(coupling)
    )


@st.composite
def n_agent_mdps(
    draw: st.DrawFn,
    *,
    min_agents: int = 1,
    max_agents: int = 4,
    max_states: int = 3,
    max_actions: int = 2,
    max_joint_entries: int = 100_000,
    gamma: st.SearchStrategy[float] = _DISCOUNTS,
) -> NAgentMDP:
    """N-agent cooperative MDPs whose dense joint space has at most ``max_joint_entries``
    entries (S^N · A^N · S^N), so that :meth:`NAgentMDP.joint_space` is cheap."""
    if not 1 <= min_agents <= max_agents:
        raise ValueError(f"n_agent_mdps: need 1 <= min_agents <= max_agents, got {min_agents}, {max_agents}")
    size_s = draw(st.integers(1, max_states))
    size_a = draw(st.integers(1, max_actions))
    fitting = [
        n for n in range(min_agents, max_agents + 1) if size_s ** (2 * n) * size_a**n <= max_joint_entries
    ]
    assume(fitting)  # no N in [min_agents, max_agents] fits: reject this (|S|, |A|)
    n_agents = draw(st.sampled_from(fitting))
    model = draw(cooperative_models(n_states=size_s, n_actions=size_a, gamma=gamma))
    return NAgentMDP(model, n_agents)
