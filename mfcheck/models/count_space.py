"""Count space: the N-agent cooperative MDP lumped onto occupation counts (polynomial in N).

Under eq 2.1 with agents moving independently given the joint state, a configuration matters
only through its counts ``n ∈ {n ∈ ℕ^S : Σ n = N}`` (C(N + S - 1, S - 1) of them, MF-PPO
Prop 3.1). When the agents of group g (say, those in state g playing action a) each draw
their next state from one row q_g, the next counts are a sum of independent multinomials;
their probability generating function is ``Π_g (Σ_s' q_g(s') z_s')^{n_g}``. Evaluating it on
the (N+1)-th roots of unity in the first |S| - 1 variables (``z_{S-1} = 1``) and applying an
inverse real FFT returns every next-count probability exactly (degree <= N: nothing aliases);
see ``shared/notes/exact-solvers.md``. :func:`next_count_distribution_direct` is the slow,
obvious reference (one agent at a time).

:class:`CountSpaceMDP` is the lumped N-agent MDP under the policy class "every agent plays the
same meta-action ā ∈ Ā ⊆ A^S" (MF-PPO Def 2.1): state n, action ā, team reward
``R(n, ā) = Σ_g (n_g / N) r(g, ā(g), n / N)``. Its values equal the joint-space values of the
joint policy that plays ``ā(s_i)`` at every agent (tested against
:meth:`~mfcheck.models.n_agent.NAgentMDP.joint_meta_action_space`). It is solved by
:func:`mfcheck.solvers.count_space.optimal_solution` and :func:`mfcheck.solvers.count_space.evaluate`
(this module holds data only and imports no solver).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from mfcheck.models.cooperative import CooperativeModel, check_integer_counts, check_meta_actions
from mfcheck.models.sparse_mdp import SparseMDP
from mfcheck.models.validation import as_float_array, check_positive_int, check_stochastic

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Next-count probabilities below this are dropped (FFT round-off is ~1e-17) and rows renormalised.
PRUNE = 1e-15
#: Default limit on X · M · C (dense next-count rows before pruning) of a count-space model.
MAX_COUNT_ENTRIES = 60_000_000
#: Rows per FFT batch (bounds the working memory).
BATCH_ELEMENTS = 250_000


def n_compositions(total: int, parts: int) -> int:
    """Number of count vectors of ``parts`` entries summing to ``total``: C(total+parts-1, parts-1)."""
    return math.comb(total + parts - 1, parts - 1)


@cache
def _compositions(total: int, parts: int) -> tuple[IntArray, IntArray]:
    if parts == 1:
        return np.array([[total]], dtype=np.int64), np.zeros(1, dtype=np.int64)
    side = total + 1
    grid = np.indices((side,) * (parts - 1)).reshape(parts - 1, -1).T
    keep = grid.sum(axis=1) <= total
    head = grid[keep]
    counts = np.column_stack([head, total - head.sum(axis=1)]).astype(np.int64)
    flat = np.flatnonzero(keep).astype(np.int64)
    counts.setflags(write=False)
    flat.setflags(write=False)
    return counts, flat


def compositions(total: int, parts: int) -> IntArray:
    """Every count vector [C, parts] summing to ``total`` (lexicographic in the first parts-1)."""
    check_positive_int(parts, "compositions.parts")
    if int(total) != total or total < 0:
        raise ValueError(f"compositions.total: must be an integer >= 0, got {total!r}")
    return _compositions(int(total), int(parts))[0]


def composition_index(counts: ArrayLike, total: int) -> IntArray:
    """Position of each count vector ``counts[..., S]`` in :func:`compositions` (total, S)."""
    counts = np.asarray(counts, dtype=np.int64)
    parts = counts.shape[-1]
    _, flat = _compositions(int(total), parts)
    if parts == 1:
        return np.zeros(counts.shape[:-1], dtype=np.int64)
    keys = np.ravel_multi_index(tuple(np.moveaxis(counts[..., :-1], -1, 0)), (total + 1,) * (parts - 1))
    return np.searchsorted(flat, keys).astype(np.int64)


def multinomial_spectra(rows: Array, counts: ArrayLike, total: int) -> NDArray[np.complex128]:
    """Generating functions ``(Σ_s' q(s') z_s')^n`` of Multinomial(n, q) on the FFT grid.

    Parameters
    ----------
    rows : array [..., S]
        Distributions q.
    counts : int array broadcastable to ``rows.shape[:-1]``
        Sizes n <= ``total``.
    total : int
        Fixes the grid: ``z_s = exp(-2πi k_s / (total+1))`` for s < S-1, ``z_{S-1} = 1``, on the
        rfft half-grid ``(total+1,)*(S-2) + (total//2+1,)``.

    Returns
    -------
    complex array [..., grid]

    Notes
    -----
    Each pmf is written on the count grid from log-factorials (``gammaln``) and transformed
    with one real FFT; this is ~3x faster in numpy than raising the linear factor to the
    n-th power pointwise (complex ``exp``/``power`` or real cos/sin are slow).
    """
    import scipy.fft
    from scipy.special import gammaln

    parts = rows.shape[-1]
    side, dims = total + 1, parts - 1
    lead = np.broadcast_shapes(np.shape(counts), rows.shape[:-1])
    flat_rows = np.broadcast_to(rows, (*lead, parts)).reshape(-1, parts)
    flat_n = np.broadcast_to(counts, lead).reshape(-1).astype(np.int64)
    half = (side,) * (dims - 1) + (side // 2 + 1,)
    out = np.empty((flat_n.size, *half), dtype=np.complex128)
    with np.errstate(divide="ignore"):
        log_q = np.maximum(np.log(flat_rows), -1e300)  # q = 0 gives pmf 0 unless its count is 0
    for n in np.unique(flat_n):
        chosen = np.flatnonzero(flat_n == n)
        comps, _ = _compositions(int(n), parts)
        log_coefficient = gammaln(n + 1.0) - gammaln(comps + 1.0).sum(axis=1)
        exponent = np.where(comps[None] > 0, comps[None] * log_q[chosen][:, None, :], 0.0).sum(axis=-1)
        grid = np.zeros((chosen.size, side**dims))
        grid[:, np.ravel_multi_index(tuple(comps[:, :dims].T), (side,) * dims)] = np.exp(
            log_coefficient + exponent
        )
        out[chosen] = scipy.fft.rfftn(
            grid.reshape(chosen.size, *(side,) * dims), axes=tuple(range(-dims, 0)), workers=1
        )
    return out.reshape(*lead, *half)


def distribution_from_pgf(
    pgf: NDArray[np.complex128], total: int, parts: int, *, prune: float = PRUNE
) -> Array:
    """Next-count probabilities [..., C] from the generating function on the FFT grid."""
    import scipy.fft

    dims = parts - 1
    side = total + 1
    values = scipy.fft.irfftn(pgf, s=(side,) * dims, axes=tuple(range(-dims, 0)), workers=1)
    flat = values.reshape(*values.shape[: values.ndim - dims], -1)
    probs = flat[..., _compositions(total, parts)[1]]
    probs[probs < prune] = 0.0
    probs /= probs.sum(axis=-1, keepdims=True)
    return probs


def next_count_distribution(rows: ArrayLike, counts: ArrayLike, *, prune: float = PRUNE) -> Array:
    """Exact law of the next counts when ``counts[b, g]`` agents each draw from ``rows[b, g]``.

    Parameters
    ----------
    rows : array [B, G, S]
        One next-state distribution per group g.
    counts : int array [B, G]
        Group sizes; every row must have the same total N.
    prune : float
        Probabilities below this are set to 0 and rows renormalised (0 keeps every positive
        entry; FFT round-off is ~1e-17).

    Returns
    -------
    array [B, C(N + S - 1, S - 1)] over :func:`compositions` (N, S).
    """
    rows = as_float_array(rows, "next_count_distribution.rows", ndim=3)
    check_stochastic(rows, "next_count_distribution.rows")
    counts = np.asarray(counts)
    if counts.shape != rows.shape[:2]:
        raise ValueError(f"next_count_distribution.counts: shape {counts.shape} != rows[:2] {rows.shape[:2]}")
    if (counts < 0).any() or not np.all(counts == np.round(counts)):
        raise ValueError("next_count_distribution.counts: must be non-negative integers")
    totals = counts.sum(axis=1)
    if totals.size and (totals != totals[0]).any():
        raise ValueError(f"next_count_distribution.counts: row totals differ: {sorted(set(totals.tolist()))}")
    total = int(totals[0]) if totals.size else 0
    parts = rows.shape[-1]
    if parts == 1:
        return np.ones((rows.shape[0], 1))
    pgf = np.prod(multinomial_spectra(rows, counts.astype(np.int64), total), axis=1)
    return distribution_from_pgf(pgf, total, parts, prune=prune)


def next_count_distribution_direct(rows: ArrayLike, counts: ArrayLike) -> Array:
    """Reference for :func:`next_count_distribution`: add agents one at a time (small N only)."""
    rows = np.asarray(rows, dtype=float)
    counts = np.asarray(counts, dtype=np.int64)
    n_batch, n_groups, parts = rows.shape
    total = int(counts[0].sum())
    index = composition_index(compositions(total, parts), total)
    out = np.zeros((n_batch, n_compositions(total, parts)))
    for b in range(n_batch):
        law = np.zeros((total + 1,) * parts)
        law[(0,) * parts] = 1.0
        for g in range(n_groups):
            for _ in range(counts[b, g]):
                new = np.zeros_like(law)
                for s in range(parts):
                    new += rows[b, g, s] * np.roll(law, 1, axis=s)
                law = new
        comps = compositions(total, parts)
        out[b, index] = law[tuple(comps.T)]
    return out


def meta_action_rows(
    kernel: Array, counts: IntArray, meta: IntArray, *, prune: float = PRUNE
) -> Iterator[tuple[slice, Array]]:
    """Next-count laws of ``counts[x]`` agents when each plays ``ā_m(own state)``, batched over x.

    ``kernel[x]`` = p(· | ·, ·, d_x) [X, S, A, S']. Yields ``(slice of x, probs [chunk, M, C])``;
    the powers ``w_{g,a}^{n_g}`` are computed once per (x, state, action) and shared by the M
    meta-actions (each meta-action multiplies S of them).
    """
    n_x, parts, n_actions, _ = kernel.shape
    total = int(counts[0].sum())
    grid_size = (total + 1) ** (parts - 2) * (total // 2 + 1) if parts > 1 else 1
    per_x = meta.shape[0] * (total + 1) ** (parts - 1) + 2 * parts * n_actions * grid_size
    chunk = max(1, BATCH_ELEMENTS // max(per_x, 1))
    for start in range(0, n_x, chunk):
        part = slice(start, min(n_x, start + chunk))
        if parts == 1:
            yield part, np.ones((part.stop - part.start, meta.shape[0], 1))
            continue
        powers = multinomial_spectra(kernel[part], counts[part][:, :, None], total)  # [c, S, A, grid]
        states = np.arange(parts)
        pgf = np.empty((part.stop - part.start, meta.shape[0], *powers.shape[3:]), dtype=complex)
        for m, action in enumerate(meta):
            pgf[:, m] = np.prod(powers[:, states, action], axis=1)
        yield part, distribution_from_pgf(pgf, total, parts, prune=prune)


@dataclass(frozen=True, eq=False)
class CountSpaceMDP:
    """The N-agent cooperative MDP under meta-action policies, lumped onto counts.

    Attributes
    ----------
    model : CooperativeModel
    n_agents : int
    meta_actions : int array [M, S]
    counts : int array [X, S]
        Count state x (all N agents), in :func:`compositions` (N, S) order.
    mdp : SparseMDP
        Kernel [X·M, X], team reward [X, M] in [0, r̄], initial law Multinomial(N, d₀).
    """

    model: CooperativeModel
    n_agents: int
    meta_actions: IntArray
    counts: IntArray
    mdp: SparseMDP

    @property
    def distribution(self) -> Array:
        """Empirical distribution ``counts / N`` of each state, [X, S]."""
        return self.counts / self.n_agents

    def index(self, counts: ArrayLike) -> IntArray:
        """State index of count vectors ``counts[..., S]`` (validated)."""
        counts = check_integer_counts(counts, self.model.n_states, self.n_agents, "CountSpaceMDP.index")
        return composition_index(counts, self.n_agents)


def multinomial_law(distribution: Array, total: int) -> Array:
    """Multinomial(total, distribution) over :func:`compositions` (total, S)."""
    return next_count_distribution(distribution[None, None, :], np.array([[total]]), prune=0.0)[0]


def team_reward(model: CooperativeModel, counts: IntArray, n_agents: int, meta: IntArray) -> Array:
    """``R[x, m] = Σ_g (counts[x, g] / N) r(g, ā_m(g), counts[x] / N)``, shape [X, M]."""
    reward = model.reward(counts / n_agents)  # [X, S, A]
    states = np.arange(model.n_states)
    per_meta = reward[:, states[None, :], meta]  # [X, M, S]
    return np.einsum("xms,xs->xm", per_meta, counts / n_agents)


def build_count_space_mdp(
    model: CooperativeModel,
    n_agents: int,
    meta_actions: ArrayLike | None = None,
    *,
    prune: float = PRUNE,
    max_entries: int = MAX_COUNT_ENTRIES,
) -> CountSpaceMDP:
    """Lump the N-agent MDP with meta-action policies onto counts (exact up to ``prune``).

    Raises
    ------
    ValueError
        On a bad model, N or meta-action set, or when X · M · X exceeds ``max_entries``.
    """
    if not isinstance(model, CooperativeModel):
        raise ValueError(f"build_count_space_mdp.model: expected a CooperativeModel, got {type(model).__name__}")
    n_agents = check_positive_int(n_agents, "build_count_space_mdp.n_agents")
    meta = (
        model.meta_actions()
        if meta_actions is None
        else check_meta_actions(meta_actions, model.n_states, model.n_actions, "build_count_space_mdp.meta_actions")
    )
    counts = compositions(n_agents, model.n_states)
    n_x, n_meta = counts.shape[0], meta.shape[0]
    if n_x * n_meta * n_x > max_entries:
        raise ValueError(
            f"build_count_space_mdp: N={n_agents}, |S|={model.n_states}, M={n_meta} give "
            f"{n_x} count states and {n_x * n_meta * n_x} > max_entries={max_entries} kernel entries"
        )
    kernel = model.kernel(counts / n_agents)
    blocks = []
    for _, probs in meta_action_rows(kernel, counts, meta, prune=prune):
        blocks.append(sp.csr_array(probs.reshape(-1, n_x)))
    transition = sp.vstack(blocks, format="csr")
    mdp = SparseMDP(
        transition=transition,
        reward=team_reward(model, counts, n_agents, meta),
        gamma=model.gamma,
        initial=multinomial_law(model.initial, n_agents),
        name=f"CountSpaceMDP(N={n_agents})",
    )
    return CountSpaceMDP(model=model, n_agents=n_agents, meta_actions=meta, counts=counts, mdp=mdp)
