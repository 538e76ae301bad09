"""Wrong statements for ``mfppo.prop2_2`` (a claim about models: the checker must refute each
with a counterexample, or, for a statement outside eq 2.1, answer not applicable).

* :data:`REPRESENTATIVE_PERMUTED`: "V^ν is unchanged when κ permutes all agents, the
  representative included" (its own state pooled with the others'): false for policies in
  which the representative chooses the meta-action from its own state.
* :data:`LUMPING_EXCLUDES_OWN_AGENT`: "g is the value of the finite mean-field MDP whose kernel
  and reward are evaluated at the others' distribution m/(N-1)" (the printed p̂ read as the
  argument of p and r) while the N agents feel all agents' n/N: joint values stay constant on
  classes but differ from this g.
* :data:`KERNEL_DEPENDS_ON_AGENT_ONE`: the conclusions stated for N-agent MDPs in which every
  agent moves with ``p(·|s_i, a_i, (d + δ_{s_1})/2)`` (agent 1 heard twice): eq 2.1 fails for the
  kernel (a hypothesis breaker: the checker must say not applicable, naming eq 2.1).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from mfcheck.judgement.statement import Statement
from mfcheck.models.count_space import PRUNE, compositions, meta_action_rows, multinomial_law
from mfcheck.models.finite_mdp import FiniteMDP
from mfcheck.models.mean_field_mdp import FiniteMeanFieldMDP
from mfcheck.models.n_agent import MAX_JOINT_ENTRIES, CooperativeModel, NAgentMDP, product_kernel
from mfcheck.models.permutation_invariance import ValueOfCounts
from mfcheck.models.sparse_mdp import SparseMDP


class AgentOneKernelNAgentMDP(NAgentMDP):
    """N-agent model whose kernel hears agent 1's state twice (breaks eq 2.1 for the kernel)."""

    def joint_space(self, *, max_entries: int = MAX_JOINT_ENTRIES) -> FiniteMDP:
        honest = super().joint_space(max_entries=max_entries)
        states = self.joint_states()
        heard = 1 if self.n_agents > 1 else 0
        d = 0.5 * (self.joint_counts() / self.n_agents + np.eye(self.n_states)[states[:, heard]])
        kernel = self.model.kernel(d)  # [J, S, A, S']
        rows = np.take_along_axis(kernel, states[:, :, None, None], axis=1)  # [J, N, A, S']
        return FiniteMDP(transition=product_kernel(rows), reward=honest.reward, gamma=honest.gamma,
                         initial=honest.initial)


def kernel_depends_on_agent_one(n_agent_mdp: NAgentMDP) -> AgentOneKernelNAgentMDP:
    """The same agents, with the kernel evaluated at (d + δ_{s_1}) / 2."""
    return AgentOneKernelNAgentMDP(n_agent_mdp.model, n_agent_mdp.n_agents)


def lumping_excludes_own_agent(
    model: CooperativeModel, n_agents: int, meta_actions: ArrayLike | None = None, *, prune: float = PRUNE
) -> FiniteMeanFieldMDP:
    """A finite mean-field MDP built like Def 2.1's but with p, r evaluated at ``m / (N-1)``."""
    meta = model.meta_actions() if meta_actions is None else np.asarray(meta_actions, dtype=np.int64)
    n_local = model.n_states
    others = compositions(n_agents - 1, n_local)
    n_others = others.shape[0]
    n_x = n_local * n_others
    own = np.repeat(np.arange(n_local), n_others)
    counts_others = np.tile(others, (n_local, 1))
    wrong_d = counts_others / (n_agents - 1)
    kernel = model.kernel(wrong_d)
    own_rows = kernel[np.arange(n_x)[:, None], own[:, None], meta[:, own].T]
    blocks = []
    for part, probs in meta_action_rows(kernel, counts_others, meta, prune=prune):
        blocks.append(sp.csr_array((own_rows[part][:, :, :, None] * probs[:, :, None, :]).reshape(-1, n_x)))
    counts = counts_others + np.eye(n_local, dtype=np.int64)[own]
    reward = model.reward(wrong_d)[np.arange(n_x)[:, None, None], np.arange(n_local)[None, None, :],
                                   meta[None, :, :]]  # [X, M, S]
    team = np.einsum("xms,xs->xm", reward, counts / n_agents)
    mdp = SparseMDP(
        transition=sp.vstack(blocks, format="csr"), reward=team, gamma=model.gamma,
        initial=np.outer(model.initial, multinomial_law(model.initial, n_agents - 1)).ravel(),
        name="lumping_excludes_own_agent",
    )
    return FiniteMeanFieldMDP(model=model, n_agents=n_agents, meta_actions=meta, own_state=own,
                              counts_others=counts_others, mdp=mdp)


REPRESENTATIVE_PERMUTED = Statement(
    text="V^ν(κ(s, s_r)) = V^ν(s, s_r) for every permutation κ of all N agents (the representative's "
         "own state pooled with the others')",
    value=ValueOfCounts(permuted="all"),
    wrong=True,
)

LUMPING_EXCLUDES_OWN_AGENT = Statement(
    text="V^ν(s, s_r) = g(s, p̂_{s_r}) with g the value of the finite mean-field MDP whose p and r are "
         "evaluated at the others' distribution m/(N-1)",
    value=ValueOfCounts(g=lumping_excludes_own_agent),
    wrong=True,
)

KERNEL_DEPENDS_ON_AGENT_ONE = Statement(
    text="Prop 2.2's conclusions for N-agent MDPs whose kernel hears agent 1 twice",
    value=ValueOfCounts(models=kernel_depends_on_agent_one),
    wrong=True,
)
