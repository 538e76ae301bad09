"""Lumping a joint policy onto (own state, counts of the others) classes (MF-PPO Prop 2.2).

For a joint policy ν invariant under the permutations of agents 1..N-1, the joint chain is
lumpable onto classes x = (s_0, m) (agent 0 the representative, m the others' counts): the
law of the next class depends on the joint state only through its class. The lumped chain is
computed here from one agent's kernel in count space, independently of the joint-space kernel:
at a representative joint state of x, every joint action a with ν(a|s) > 0 becomes
(a_0, k) with ``k[g, b]`` = number of other agents in state g playing b; the own agent moves
with ``p(·|s_0, a_0, d)`` and the others' next counts are the sum of the multinomials
``Mult(k[g, b], p(·|g, b, d))`` (exact FFT, :func:`~mfcheck.models.count_space.next_count_distribution`).
If ν is not invariant, or the model breaks eq 2.1, the lumped values differ from the joint ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from mfcheck.models.count_space import PRUNE, n_compositions, next_count_distribution
from mfcheck.models.joint_policies import class_index
from mfcheck.models.n_agent import NAgentMDP
from mfcheck.models.validation import check_policy

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class LumpedChain:
    """Markov reward process on classes x = (own state, others' counts).

    Its values ``(I - γ K)^{-1} r`` are :func:`mfcheck.solvers.count_space.chain_values`.

    Attributes
    ----------
    kernel : CSR matrix [X, X]
    reward : array [X]
        Expected team reward under the policy.
    classes : int array [S^N]
        Class of every joint state.
    gamma : float
    """

    kernel: sp.csr_array
    reward: Array
    classes: IntArray
    gamma: float


def lump_joint_policy(
    n_agent_mdp: NAgentMDP, joint_policy: ArrayLike, *, prune: float = PRUNE
) -> LumpedChain:
    """Lumped chain of a joint policy ν[S^N, A^N] onto (own state, others' counts) classes.

    Parameters
    ----------
    n_agent_mdp : NAgentMDP
        Supplies one agent's kernel and reward (not its joint space).
    joint_policy : array [S^N, A^N]
        Read at one representative joint state per class.
    """
    model, n_agents = n_agent_mdp.model, n_agent_mdp.n_agents
    n_states, n_actions = model.n_states, model.n_actions
    states, actions = n_agent_mdp.joint_states(), n_agent_mdp.joint_actions()
    policy = check_policy(joint_policy, states.shape[0], actions.shape[0], "lump_joint_policy.joint_policy")
    classes = class_index(n_agent_mdp)
    n_others = n_compositions(n_agents - 1, n_states)
    n_classes = n_states * n_others
    _, representative = np.unique(classes, return_index=True)
    if representative.size != n_classes:
        raise ValueError("lump_joint_policy: some class has no joint state (internal error)")
    kernel_rows = np.zeros((n_classes, n_classes))
    reward = np.zeros(n_classes)
    onehot_actions = np.eye(n_actions)[actions[:, 1:]]  # [A^N, N-1, A]
    for x, j in enumerate(representative):
        state = states[j]
        d = np.bincount(state, minlength=n_states) / n_agents
        kernel = model.kernel(d)  # [S, A, S']
        rewards = model.reward(d)  # [S, A]
        used = np.flatnonzero(policy[j] > 0)
        onehot_states = np.eye(n_states)[state[1:]]  # [N-1, S]
        k = np.einsum("is,uib->usb", onehot_states, onehot_actions[used])  # [U, S, A]
        groups = k.reshape(used.size, -1)
        rows = np.broadcast_to(kernel.reshape(1, n_states * n_actions, n_states), (used.size, *kernel.reshape(-1, n_states).shape))
        others = next_count_distribution(rows, np.rint(groups).astype(np.int64), prune=prune)  # [U, C]
        own = kernel[state[0], actions[used, 0]]  # [U, S']
        weights = policy[j, used]
        kernel_rows[x] = np.einsum("u,us,uc->sc", weights, own, others).ravel()
        team = (rewards[state[0], actions[used, 0]] + (k * rewards).sum(axis=(1, 2))) / n_agents
        reward[x] = weights @ team
    return LumpedChain(
        kernel=sp.csr_array(kernel_rows), reward=reward, classes=classes, gamma=model.gamma
    )
