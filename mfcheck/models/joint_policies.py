"""Joint-space tools for N-agent models: permutation actions, symmetrised and lifted policies.

A permutation κ of the agents acts on a joint state by ``κ(s)_i = s_{κ[i]}`` (and likewise on
joint actions); a function f on S^N × A^N is permutation invariant (MF-PPO eq 2.1, Prop 2.1)
when ``f(κs, κa) = f(s, a)`` for every κ. Classes:

* (own state, counts of the others) with agent 0 as the representative (MF-PPO Prop 2.2),
  in the order of :class:`~mfcheck.models.mean_field_mdp.FiniteMeanFieldMDP`;
* counts of all agents (Prop 2.1 / Prop 3.1), in :func:`~mfcheck.models.count_space.compositions` order.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mfcheck.models.count_space import composition_index, n_compositions
from mfcheck.models.n_agent import NAgentMDP, permutation_index, permutations
from mfcheck.models.validation import check_policy

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]


def class_index(n_agent_mdp: NAgentMDP) -> IntArray:
    """Class x = (s_0, counts of agents 1..N-1) of every joint state, [S^N] (own state major)."""
    states = n_agent_mdp.joint_states()
    n_states, n_agents = n_agent_mdp.n_states, n_agent_mdp.n_agents
    others = np.stack([(states[:, 1:] == s).sum(axis=1) for s in range(n_states)], axis=1)
    per_own = n_compositions(n_agents - 1, n_states)
    return states[:, 0] * per_own + composition_index(others, n_agents - 1)


def count_index(n_agent_mdp: NAgentMDP) -> IntArray:
    """Index of the counts of all N agents of every joint state, [S^N]."""
    return composition_index(n_agent_mdp.joint_counts(), n_agent_mdp.n_agents)


def permutation_maps(
    n_agent_mdp: NAgentMDP, *, fixed: tuple[int, ...] = (), limit: int = 720
) -> list[tuple[IntArray, IntArray]]:
    """(state map, action map) index pairs of the permutations fixing ``fixed`` (all of them
    when at most ``limit``, else adjacent transpositions, which generate the same group)."""
    n, s, a = n_agent_mdp.n_agents, n_agent_mdp.n_states, n_agent_mdp.n_actions
    return [
        (permutation_index(perm, n, s), permutation_index(perm, n, a))
        for perm in permutations(n, fixed=fixed, limit=limit)
    ]


def invariance_residual(
    values: ArrayLike, maps: list[tuple[IntArray, IntArray]]
) -> float:
    """``max_κ |f(κs, κa) - f(s, a)|`` for f [S^N] or [S^N, A^N] (0 for an invariant f)."""
    values = np.asarray(values, dtype=float)
    worst = 0.0
    for state_map, action_map in maps:
        moved = values[state_map] if values.ndim == 1 else values[state_map][:, action_map]
        worst = max(worst, float(np.abs(moved - values).max()))
    return worst


def symmetrise_policy(policy: ArrayLike, maps: list[tuple[IntArray, IntArray]]) -> Array:
    """Group average ``(1/|G|) Σ_κ ν(κa | κs)`` over a full permutation group (invariant result).

    ``maps`` must list every element of the group (``permutation_maps`` with a ``limit`` at
    least its order), not only generators.
    """
    policy = np.asarray(policy, dtype=float)
    total = np.zeros_like(policy)
    for state_map, action_map in maps:
        total += policy[state_map][:, action_map]
    return total / len(maps)


def random_invariant_policy(
    n_agent_mdp: NAgentMDP, rng: np.random.Generator, *, fixed: tuple[int, ...] = (), concentration: float = 0.5
) -> Array:
    """A random joint policy [S^N, A^N] invariant under the permutations fixing ``fixed``
    (Dirichlet rows, then symmetrised; the group must have at most 720 elements)."""
    maps = permutation_maps(n_agent_mdp, fixed=fixed, limit=720)
    free = n_agent_mdp.n_agents - len(fixed)
    if len(maps) != int(np.prod(np.arange(1, free + 1))):
        raise ValueError(f"random_invariant_policy: {free} free agents: the group is too large to average")
    n_joint = n_agent_mdp.n_states**n_agent_mdp.n_agents
    n_joint_actions = n_agent_mdp.n_actions**n_agent_mdp.n_agents
    raw = rng.dirichlet(np.full(n_joint_actions, concentration), size=n_joint)
    return symmetrise_policy(raw, maps)


def lift_meta_action_policy(
    n_agent_mdp: NAgentMDP, policy: ArrayLike, meta_actions: ArrayLike | None = None
) -> Array:
    """Joint policy of "agent 0 draws ā ~ π(·|s_0, counts of the others); every agent plays ā(s_i)".

    Parameters
    ----------
    policy : array [X, M]
        A policy of the finite mean-field MDP (classes of :func:`class_index`).

    Returns
    -------
    array [S^N, A^N]
    """
    joint_action = n_agent_mdp.meta_action_joint_policy(meta_actions)  # [M, J]
    classes = class_index(n_agent_mdp)
    n_meta = joint_action.shape[0]
    n_classes = n_agent_mdp.n_states * n_compositions(n_agent_mdp.n_agents - 1, n_agent_mdp.n_states)
    policy = check_policy(policy, n_classes, n_meta, "lift_meta_action_policy.policy")
    n_joint = classes.size
    lifted = np.zeros((n_joint, n_agent_mdp.n_actions**n_agent_mdp.n_agents))
    rows = np.arange(n_joint)
    for m in range(n_meta):
        np.add.at(lifted, (rows, joint_action[m]), policy[classes, m])
    return lifted
