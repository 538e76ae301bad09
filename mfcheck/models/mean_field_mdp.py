"""The mean-field MDP of MF-PPO Definition 2.1 with meta-actions: exact at finite N, and its limit.

Construction (MF-PPO Def 2.1, Prop 2.2). A representative agent in state ``s`` sees the
population and picks a meta-action ``ā ∈ Ā ⊆ A^S``; every agent (itself included) plays
``ā(own state)``; everyone receives the team reward.

* :class:`FiniteMeanFieldMDP` (N agents, exact): state ``x = (s, m)`` with ``m`` the counts of
  the other N - 1 agents, so the distribution component takes finitely many values; action
  ā; reward ``R(x, ā) = Σ_g (n_g / N) r(g, ā(g), n / N)`` with ``n = m + e_s`` (the team
  reward, in [0, r̄]); next state: the own agent draws ``s' ~ p(·|s, ā(s), n/N)`` and, independently,
  the others' next counts are the sum of multinomials ``Mult(m_g, p(·|g, ā(g), n/N))``
  (computed exactly in count space, :mod:`mfcheck.models.count_space`). It is the N-agent
  cooperative MDP under the policies "agent 0 draws ā from (its state, the others' counts)
  and everyone plays it": its values equal joint-space values (checked by ``mfppo.prop2_2``),
  and since reward and kernel depend on x only through n, its optimal values equal those of
  the count-space MDP at ``n = m + e_s``.
* :class:`~mfcheck.models.mean_field_limit.MeanFieldLimit` (N = ∞): ``d' = Φ_ā(d) = Σ_x d(x) p(·|x, ā(x), d)`` deterministically,
  reward ``R(d, ā) = Σ_x d(x) r(x, ā(x), d)``; the own state is a spectator (it moves but
  affects neither reward nor flow), so ``V∞(s, d) = V∞(d)``. It is solved by a discretisation:
  the semi-Lagrangian scheme on the grid ``{k/K}`` of the simplex with barycentric
  (Freudenthal) interpolation, itself a finite MDP (:mod:`mfcheck.models.mean_field_limit`).
  Error bound: ``‖V_K - V∞‖ <= γ ε_K / (1 - γ)`` on the nodes, where ``ε_K`` is the
  interpolation error of V∞ (``<= Lip(V∞) · 2/K`` when V∞ is Lipschitz); in practice the
  checkers measure ``‖V_K - V_{K/2}‖`` and report it beside every gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from mfcheck.models.cooperative import CooperativeModel, check_integer_counts, check_meta_actions
from mfcheck.models.count_space import (
    MAX_COUNT_ENTRIES,
    PRUNE,
    composition_index,
    compositions,
    meta_action_rows,
    multinomial_law,
    team_reward,
)
from mfcheck.models.finite_mdp import FiniteMDP
from mfcheck.models.sparse_mdp import MAX_DENSE_ENTRIES, SparseMDP
from mfcheck.models.validation import check_positive_int

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class FiniteMeanFieldMDP:
    """Exact finite-N mean-field MDP (MF-PPO Def 2.1): states (own state, others' counts).

    Build with :func:`build_finite_mean_field_mdp`; solve with :mod:`mfcheck.solvers.count_space`
    (``optimal_solution``, ``evaluate``, ``objective``, ``stationary_distribution``,
    ``discounted_state_distribution``). Values are undiscounted sums ``E Σ_t γ^t r_t``
    (MF-PPO's V and Q carry an extra factor 1 - γ).

    Attributes
    ----------
    model : CooperativeModel
        One agent's kernel and reward.
    n_agents : int
        N >= 2 (the representative and N - 1 others).
    meta_actions : int array [M, S]
        ``meta_actions[m, s]`` = action played in local state s under meta-action m.
    own_state : int array [X]
        The representative's local state of each state x.
    counts_others : int array [X, S]
        Counts of the other N - 1 agents; x = own_state · C + (index of the counts).
    mdp : SparseMDP
        Kernel [X·M, X] (row x·M + m), reward [X, M] in [0, r̄], γ, initial law over x.

    Notes
    -----
    ``distribution`` is the empirical distribution of all N agents (the argument of p and r);
    ``others_distribution`` that of the N - 1 others (Prop 2.2's p̂). Both tend to the same
    mean field d as N → ∞.
    """

    model: CooperativeModel
    n_agents: int
    meta_actions: IntArray
    own_state: IntArray
    counts_others: IntArray
    mdp: SparseMDP

    @property
    def n_local_states(self) -> int:
        """|S|."""
        return self.model.n_states

    @property
    def n_states(self) -> int:
        """X = |S| · C(N + |S| - 2, |S| - 1)."""
        return self.mdp.n_states

    @property
    def n_meta_actions(self) -> int:
        """M = |Ā|."""
        return self.mdp.n_actions

    @property
    def counts(self) -> IntArray:
        """Counts of all N agents ``n = m + e_s``, [X, S]."""
        return self.counts_others + np.eye(self.n_local_states, dtype=np.int64)[self.own_state]

    @property
    def distribution(self) -> Array:
        """Empirical distribution of all N agents ``n / N`` (the d of p and r), [X, S]."""
        return self.counts / self.n_agents

    @property
    def others_distribution(self) -> Array:
        """Empirical distribution of the N - 1 others ``m / (N - 1)`` (Prop 2.2's p̂), [X, S]."""
        return self.counts_others / (self.n_agents - 1)

    @property
    def own(self) -> IntArray:
        """Alias of :attr:`own_state` (the name ``mfcheck.algorithms.mfppo.problem.as_problem`` reads)."""
        return self.own_state

    @property
    def transition(self) -> Array:
        """Dense kernel [X, M, X]: ``transition[x, m, x'] = P(x' | x, ā_m)``.

        Raises ``ValueError`` when X·M·X exceeds ``MAX_DENSE_ENTRIES``; use
        :meth:`transition_matrices` (sparse, per meta-action) or ``mdp.transition`` (stacked).
        """
        return self.mdp.to_dense()

    def transition_matrices(self) -> tuple[sp.csr_array, ...]:
        """One CSR matrix [X, X] per meta-action: ``[m][x, x'] = P(x' | x, ā_m)``."""
        return self.mdp.action_matrices()

    @property
    def reward(self) -> Array:
        """Team reward R[x, m] in [0, r̄]."""
        return self.mdp.reward

    @property
    def gamma(self) -> float:
        return self.mdp.gamma

    @property
    def reward_bound(self) -> float:
        """r̄: every reward lies in [0, r̄]."""
        return self.model.reward_bound

    @property
    def r_max(self) -> float:
        """Alias of :attr:`reward_bound` (the name ``mfcheck.algorithms.mfppo.problem.as_problem`` reads)."""
        return self.model.reward_bound

    @property
    def initial(self) -> Array:
        """Initial law of x when agents start i.i.d. from d₀: ``d₀(s) · Mult(N-1, d₀)(m)``, [X]."""
        return self.mdp.initial

    def state_index(self, own_state: ArrayLike, counts_others: ArrayLike) -> IntArray:
        """Index x of (own state, others' counts) pairs (validated)."""
        own = np.asarray(own_state, dtype=np.int64)
        if ((own < 0) | (own >= self.n_local_states)).any():
            raise ValueError(f"FiniteMeanFieldMDP.state_index: own_state {own.tolist()} outside [0, {self.n_local_states})")
        counts = check_integer_counts(
            counts_others, self.n_local_states, self.n_agents - 1, "FiniteMeanFieldMDP.state_index counts_others"
        )
        n_others = self.n_states // self.n_local_states
        return own * n_others + composition_index(counts, self.n_agents - 1)

    def as_finite_mdp(self, *, max_entries: int = MAX_DENSE_ENTRIES) -> FiniteMDP:
        """Dense :class:`FiniteMDP` copy (raises when X·M·X exceeds ``max_entries``)."""
        return self.mdp.as_finite_mdp(max_entries=max_entries)

    def sample_next(self, states: ArrayLike, actions: ArrayLike, rng: np.random.Generator) -> IntArray:
        """Draw x' ~ P(· | x, ā) for arrays of states and meta-action indices."""
        states = np.asarray(states, dtype=np.int64)
        actions = np.asarray(actions, dtype=np.int64)
        rows = states * self.n_meta_actions + actions
        matrix = self.mdp.transition
        cumulative = np.cumsum(matrix.data)
        start, stop = matrix.indptr[rows], matrix.indptr[rows + 1]
        offset = np.where(start > 0, cumulative[np.maximum(start - 1, 0)], 0.0)
        target = offset + rng.random(rows.shape) * (cumulative[stop - 1] - offset)
        position = np.clip(np.searchsorted(cumulative, target, side="right"), start, stop - 1)
        return matrix.indices[position].astype(np.int64)


def build_finite_mean_field_mdp(
    model: CooperativeModel,
    n_agents: int,
    meta_actions: ArrayLike | None = None,
    *,
    prune: float = PRUNE,
    max_entries: int = MAX_COUNT_ENTRIES,
) -> FiniteMeanFieldMDP:
    """Build the exact finite-N mean-field MDP of Def 2.1 (see the module docstring).

    Raises
    ------
    ValueError
        On a bad model, N < 2, a bad meta-action set, or when X · M · X exceeds ``max_entries``
        (the others' next-count rows are nearly dense at |S| = 3: N ~ 24 is the practical limit
        there; |S| = 2 reaches N ~ 1000).
    """
    if not isinstance(model, CooperativeModel):
        raise ValueError(f"build_finite_mean_field_mdp.model: expected a CooperativeModel, got {type(model).__name__}")
    n_agents = check_positive_int(n_agents, "build_finite_mean_field_mdp.n_agents")
    if n_agents < 2:
        raise ValueError("build_finite_mean_field_mdp.n_agents: needs N >= 2 (a representative and others), got 1")
    n_local = model.n_states
    meta = (
        model.meta_actions()
        if meta_actions is None
        else check_meta_actions(meta_actions, n_local, model.n_actions, "build_finite_mean_field_mdp.meta_actions")
    )
    others = compositions(n_agents - 1, n_local)
    n_others, n_meta = others.shape[0], meta.shape[0]
    n_x = n_local * n_others
    if n_x * n_meta * n_x > max_entries:
        raise ValueError(
            f"build_finite_mean_field_mdp: N={n_agents}, |S|={n_local}, M={n_meta} give {n_x} states "
            f"and {n_x * n_meta * n_x} > max_entries={max_entries} kernel entries"
        )
    own = np.repeat(np.arange(n_local), n_others)
    counts_others = np.tile(others, (n_local, 1))
    counts = counts_others + np.eye(n_local, dtype=np.int64)[own]
    kernel = model.kernel(counts / n_agents)  # [X, S, A, S']
    own_rows = kernel[np.arange(n_x)[:, None], own[:, None], meta[:, own].T]  # [X, M, S']
    blocks = []
    for part, probs in meta_action_rows(kernel, counts_others, meta, prune=prune):
        joint = own_rows[part][:, :, :, None] * probs[:, :, None, :]  # [c, M, S', C]
        blocks.append(sp.csr_array(joint.reshape(-1, n_x)))
    initial = np.outer(model.initial, multinomial_law(model.initial, n_agents - 1)).ravel()
    mdp = SparseMDP(
        transition=sp.vstack(blocks, format="csr"),
        reward=team_reward(model, counts, n_agents, meta),
        gamma=model.gamma,
        initial=initial,
        name=f"FiniteMeanFieldMDP(N={n_agents})",
    )
    return FiniteMeanFieldMDP(
        model=model, n_agents=n_agents, meta_actions=meta, own_state=own,
        counts_others=counts_others, mdp=mdp,
    )
