"""The N = ∞ mean-field MDP (MF-PPO Def 2.1, meta-actions) and its grid discretisation.

As N → ∞ the next empirical distribution concentrates on the deterministic flow

    ``d' = Φ_ā(d) = Σ_x d(x) p(· | x, ā(x), d)``,   reward ``R(d, ā) = Σ_x d(x) r(x, ā(x), d)``,

so the limit MDP has state d ∈ P(S) (the representative's own state is a spectator: it moves
but changes neither the team reward nor the flow) and values
``V∞(d) = max_ā R(d, ā) + γ V∞(Φ_ā(d))``.

Discretisation (semi-Lagrangian): on the nodes ``{k / K : k ∈ ℕ^S, Σ k = K}`` replace
``V∞(Φ_ā(d))`` by the barycentric interpolation of the node values on the Freudenthal
triangulation (simplices of the cumulative coordinates ``y_j = K Σ_{i<=j} d_i``). The
interpolation weights form a Markov kernel, so the scheme is a finite MDP
(:meth:`MeanFieldLimit.grid_mdp`) solved exactly (:func:`mfcheck.solvers.mean_field_limit.solve_limit`,
which returns a :class:`LimitSolution`), and on the nodes
``‖V_K - V∞‖∞ <= γ ε_K / (1 - γ)`` with ``ε_K = sup_d |interp(V∞)(d) - V∞(d)|``
(``<= Lip(V∞) · 2/K``). When K is a multiple of N, the nodes include every count state n/N.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from mfcheck.models.cooperative import CooperativeModel, check_meta_actions
from mfcheck.models.count_space import composition_index, compositions
from mfcheck.models.sparse_mdp import SparseMDP
from mfcheck.models.validation import as_float_array, check_positive_int, check_stochastic

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]


def simplex_interpolation(points: ArrayLike, resolution: int) -> tuple[IntArray, Array]:
    """Barycentric (Freudenthal) interpolation on the grid ``{k/K}`` of the simplex.

    Parameters
    ----------
    points : array [P, S]
        Distributions.
    resolution : int
        K >= 1.

    Returns
    -------
    nodes : int array [P, S]
        Indices (in :func:`~mfcheck.models.count_space.compositions` (K, S) order) of the
        vertices of the grid simplex that contains each point.
    weights : array [P, S]
        Barycentric weights (non-negative, summing to 1; linear functions are reproduced).
    """
    points = as_float_array(points, "simplex_interpolation.points", ndim=2)
    check_stochastic(points, "simplex_interpolation.points")
    resolution = check_positive_int(resolution, "simplex_interpolation.resolution")
    n_points, parts = points.shape
    if parts == 1:
        return np.zeros((n_points, 1), dtype=np.int64), np.ones((n_points, 1))
    dims = parts - 1
    y = np.clip(np.cumsum(points[:, :dims], axis=1) * resolution, 0.0, resolution)
    y = np.maximum.accumulate(y, axis=1)
    base = np.minimum(np.floor(y), resolution - 1)
    frac = y - base
    # descending fractional parts; ties broken by the larger coordinate first (keeps y monotone)
    order = np.lexsort((-np.broadcast_to(np.arange(dims), frac.shape), -frac), axis=1)
    ordered = np.take_along_axis(frac, order, axis=1)
    weights = np.empty((n_points, parts))
    weights[:, 0] = 1.0 - ordered[:, 0]
    weights[:, 1:dims] = ordered[:, :-1] - ordered[:, 1:]
    weights[:, dims] = ordered[:, -1]
    vertices = np.empty((n_points, parts, dims))
    vertices[:, 0] = base
    steps = np.zeros((n_points, dims))
    rows = np.arange(n_points)
    for k in range(1, parts):
        steps[rows, order[:, k - 1]] = 1.0
        vertices[:, k] = base + steps
    cumulative = np.rint(vertices).astype(np.int64)
    counts = np.diff(cumulative, axis=2, prepend=0, append=resolution)
    counts = np.clip(counts, 0, resolution)  # zero-weight vertices may step outside; clip them
    counts[..., -1] = resolution - counts[..., :-1].sum(axis=-1)
    bad = counts[..., -1] < 0
    counts[bad] = np.eye(parts, dtype=np.int64)[-1] * resolution
    weights[bad] = 0.0
    weights = np.clip(weights, 0.0, None)
    weights /= weights.sum(axis=1, keepdims=True)
    return composition_index(counts, resolution), weights


@dataclass(frozen=True, eq=False)
class LimitSolution:
    """Optimal values of the discretised N = ∞ mean-field MDP on the grid of resolution K."""

    resolution: int
    nodes: Array
    values: Array
    q_values: Array
    policy: Array
    residual: float

    def value_at(self, distributions: ArrayLike) -> Array:
        """Interpolated ``V_K(d)`` for distributions [P, S]."""
        index, weights = simplex_interpolation(np.atleast_2d(distributions), self.resolution)
        return (self.values[index] * weights).sum(axis=1)


@dataclass(frozen=True, eq=False)
class MeanFieldLimit:
    """Def 2.1 as N → ∞: deterministic flow Φ_ā, team reward R(d, ā), meta-actions Ā.

    Parameters
    ----------
    model : CooperativeModel
    meta_actions : int array [M, S], optional
        Ā ⊆ A^S (all of A^S when omitted).
    """

    model: CooperativeModel
    meta_actions: IntArray = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if not isinstance(self.model, CooperativeModel):
            raise ValueError(f"MeanFieldLimit.model: expected a CooperativeModel, got {type(self.model).__name__}")
        meta = (
            self.model.meta_actions()
            if self.meta_actions is None
            else check_meta_actions(self.meta_actions, self.model.n_states, self.model.n_actions,
                                    "MeanFieldLimit.meta_actions")
        )
        object.__setattr__(self, "meta_actions", meta)

    @property
    def n_meta_actions(self) -> int:
        return int(self.meta_actions.shape[0])

    def flow(self, d: ArrayLike) -> Array:
        """``Φ_ā(d)[y] = Σ_x d(x) p(y | x, ā(x), d)`` for every meta-action: [..., M, S]."""
        d = np.asarray(d, dtype=float)
        kernel = self.model.kernel(d)  # [..., S, A, S']
        states = np.arange(self.model.n_states)
        chosen = kernel[..., states[None, :], self.meta_actions, :]  # [..., M, S, S']
        return np.einsum("...x,...mxy->...my", d, chosen)

    def reward(self, d: ArrayLike) -> Array:
        """``R(d, ā) = Σ_x d(x) r(x, ā(x), d)`` for every meta-action: [..., M]."""
        d = np.asarray(d, dtype=float)
        reward = self.model.reward(d)  # [..., S, A]
        states = np.arange(self.model.n_states)
        return np.einsum("...x,...mx->...m", d, reward[..., states[None, :], self.meta_actions])

    def grid_mdp(self, resolution: int) -> SparseMDP:
        """The semi-Lagrangian discretisation as a finite MDP on the nodes ``compositions(K, S)/K``."""
        resolution = check_positive_int(resolution, "MeanFieldLimit.grid_mdp.resolution")
        nodes = compositions(resolution, self.model.n_states) / resolution
        flows = self.flow(nodes)  # [X, M, S]
        n_x, n_meta, parts = flows.shape
        index, weights = simplex_interpolation(flows.reshape(-1, parts), resolution)
        rows = np.repeat(np.arange(n_x * n_meta), parts)
        transition = sp.csr_array((weights.ravel(), (rows, index.ravel())), shape=(n_x * n_meta, n_x))
        init_index, init_weights = simplex_interpolation(self.model.initial[None, :], resolution)
        initial = np.zeros(n_x)
        np.add.at(initial, init_index[0], init_weights[0])
        return SparseMDP(
            transition=transition,
            reward=self.reward(nodes),
            gamma=self.model.gamma,
            initial=initial,
            name=f"MeanFieldLimit.grid_mdp(K={resolution})",
        )


def relaxed_model(model: CooperativeModel, levels: int) -> CooperativeModel:
    """The model whose actions are mixtures ``w ∈ {k/levels}`` of the original actions.

    ``p'(·|x, w, d) = Σ_a w_a p(·|x, a, d)`` and ``r'(x, w, d) = Σ_a w_a r(x, a, d)``. Meta-actions
    of the relaxed model are local policies ``h: S -> P(A)`` on a grid, so
    ``MeanFieldLimit(relaxed_model(model, q))`` approaches, as q grows, the mean-field MDP whose
    action set is ``P(A)^S`` (agents in one state may split): the limit of the unrestricted
    N-agent optimum, which meta-actions ``ā ∈ A^S`` do not reach (see ``mfppo.mf_limit``).
    """
    levels = check_positive_int(levels, "relaxed_model.levels")
    weights = compositions(levels, model.n_actions) / levels  # [A', A]

    def kernel(d: np.ndarray) -> np.ndarray:
        return np.einsum("ja,...xay->...xjy", weights, model.kernel(d))

    def reward(d: np.ndarray) -> np.ndarray:
        return np.einsum("ja,...xa->...xj", weights, model.reward(d))

    return CooperativeModel(
        n_states=model.n_states, n_actions=weights.shape[0], kernel_fn=kernel, reward_fn=reward,
        gamma=model.gamma, reward_bound=model.reward_bound, initial=model.initial,
        name=f"{model.name}(relaxed, {levels} levels)",
    )
