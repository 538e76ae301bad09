"""One agent of a homogeneous cooperative population, and validation of meta-actions and counts.

A :class:`CooperativeModel` describes ONE agent: its kernel ``p(s' | s, a, d)`` and reward
``r(s, a, d)``, where ``d`` is the empirical distribution of ALL N agents (the agent itself
included; ``d = counts / N``). The N-agent MDP built from it is
:class:`~mfcheck.models.n_agent.NAgentMDP`; its lumpings are
:mod:`mfcheck.models.count_space` and :mod:`mfcheck.models.mean_field_mdp`. This module sits
below all three, so they import it and never each other in a circle.

Reference: MF-PPO Section 2, eq (2.1) and Definition 2.1 (meta-actions ``ā ∈ A^S``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mfcheck.models.validation import (
    as_float_array,
    check_discount,
    check_distribution,
    check_finite,
    check_positive_int,
    check_shape,
    check_stochastic,
)

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]
KernelFn = Callable[[Array], ArrayLike]
RewardFn = Callable[[Array], ArrayLike]

#: Tolerance on the reward range [0, r̄].
REWARD_ATOL = 1e-12


@dataclass(frozen=True, eq=False)
class CooperativeModel:
    """One agent of a homogeneous cooperative population.

    Parameters
    ----------
    n_states, n_actions : int
        |S| and |A|.
    kernel_fn : callable d[..., S] -> p[..., S, A, S']
        ``p(s' | s, a, d)`` for a batch of distributions ``d`` (the empirical distribution of
        all agents); every row must be a distribution.
    reward_fn : callable d[..., S] -> r[..., S, A]
        ``r(s, a, d)``, with values in ``[0, reward_bound]``.
    gamma : float
        Discount factor in [0, 1).
    reward_bound : float
        r̄ > 0 with ``0 <= r <= r̄`` everywhere (MF-PPO Section 4 assumes a bounded reward).
    initial : array [S], optional
        Initial distribution d₀ of every agent (agents start i.i.d.; uniform if omitted).
    name : str
        Label used in messages and reports.

    Notes
    -----
    The callables are validated at construction at d₀, the uniform distribution and every
    vertex of the simplex, and their outputs are validated again on every call.
    """

    n_states: int
    n_actions: int
    kernel_fn: KernelFn
    reward_fn: RewardFn
    gamma: float
    reward_bound: float = 1.0
    initial: Array = field(default=None)  # type: ignore[assignment]
    name: str = "cooperative"

    def __post_init__(self) -> None:
        check_positive_int(self.n_states, f"{self.name}.n_states")
        check_positive_int(self.n_actions, f"{self.name}.n_actions")
        object.__setattr__(self, "gamma", check_discount(self.gamma, f"{self.name}.gamma"))
        bound = float(self.reward_bound)
        if not np.isfinite(bound) or bound <= 0:
            raise ValueError(f"{self.name}.reward_bound: must be finite and > 0, got {bound!r}")
        object.__setattr__(self, "reward_bound", bound)
        if self.initial is None:
            initial = np.full(self.n_states, 1.0 / self.n_states)
        else:
            initial = check_distribution(self.initial, self.n_states, f"{self.name}.initial")
        object.__setattr__(self, "initial", initial)
        probes = np.vstack([initial, np.full(self.n_states, 1.0 / self.n_states), np.eye(self.n_states)])
        self.kernel(probes)
        self.reward(probes)

    def _distributions(self, d: ArrayLike) -> Array:
        d = as_float_array(d, f"{self.name}: distribution d")
        if d.ndim == 0 or d.shape[-1] != self.n_states:
            raise ValueError(
                f"{self.name}: distribution d must have last axis {self.n_states}, got shape {d.shape}"
            )
        check_stochastic(d, f"{self.name}: distribution d")
        return d

    def kernel(self, d: ArrayLike) -> Array:
        """Validated ``p[..., s, a, s'] = p(s' | s, a, d)`` for distributions ``d[..., S]``."""
        d = self._distributions(d)
        what = f"{self.name}.kernel_fn(d)"
        kernel = as_float_array(self.kernel_fn(d), what)
        check_shape(kernel, (*d.shape[:-1], self.n_states, self.n_actions, self.n_states), what)
        check_stochastic(kernel, what)
        return kernel

    def reward(self, d: ArrayLike) -> Array:
        """Validated ``r[..., s, a] = r(s, a, d)`` in ``[0, r̄]`` for distributions ``d[..., S]``."""
        d = self._distributions(d)
        what = f"{self.name}.reward_fn(d)"
        reward = as_float_array(self.reward_fn(d), what)
        check_shape(reward, (*d.shape[:-1], self.n_states, self.n_actions), what)
        outside = (reward < -REWARD_ATOL) | (reward > self.reward_bound + REWARD_ATOL)
        if outside.any():
            index = tuple(int(i) for i in np.argwhere(outside)[0])
            raise ValueError(
                f"{what}: reward {reward[index].item()!r} at index {index} lies outside "
                f"[0, reward_bound={self.reward_bound!r}]"
            )
        return reward

    def meta_actions(self) -> IntArray:
        """Every meta-action ``ā ∈ A^S`` as an int array [A^S, S] (``ā[m, s]`` = action in s)."""
        return all_meta_actions(self.n_states, self.n_actions)


def all_meta_actions(n_states: int, n_actions: int) -> IntArray:
    """All maps S -> A as rows of an int array [A^S, S], ``ā(0)`` the most significant digit."""
    grids = np.indices((n_actions,) * n_states).reshape(n_states, -1).T
    return np.ascontiguousarray(grids, dtype=np.int64)


def check_meta_actions(meta_actions: ArrayLike, n_states: int, n_actions: int, what: str) -> IntArray:
    """Validate a meta-action set Ā ⊆ A^S: int [M, S], entries in [0, A), no repeated row."""
    array = np.asarray(meta_actions)
    if array.ndim != 2 or array.shape[1] != n_states or array.shape[0] < 1:
        raise ValueError(f"{what}: expected shape [M >= 1, {n_states}], got {array.shape}")
    if not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{what}: meta-actions must be integers, got dtype {array.dtype}")
    bad = (array < 0) | (array >= n_actions)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{what}: action {array[index].item()!r} at index {index} is not in [0, {n_actions})")
    unique, first = np.unique(array, axis=0, return_index=True)
    if unique.shape[0] != array.shape[0]:
        repeated = sorted(set(range(array.shape[0])) - set(first.tolist()))[0]
        raise ValueError(f"{what}: meta-action row {repeated} repeats an earlier row")
    return array.astype(np.int64)


def check_integer_counts(counts: ArrayLike, n_states: int, total: int, what: str) -> IntArray:
    """Validate occupation counts: int [..., S], non-negative, each row summing to ``total``."""
    array = np.asarray(counts)
    if array.ndim == 0 or array.shape[-1] != n_states:
        raise ValueError(f"{what}: expected last axis {n_states}, got shape {array.shape}")
    check_finite(array.astype(float), what)
    if not np.all(array == np.round(array)):
        index = tuple(int(i) for i in np.argwhere(array != np.round(array))[0])
        raise ValueError(f"{what}: non-integer count {array[index].item()!r} at index {index}")
    array = array.astype(np.int64)
    if (array < 0).any():
        index = tuple(int(i) for i in np.argwhere(array < 0)[0])
        raise ValueError(f"{what}: negative count {array[index].item()!r} at index {index}")
    sums = array.sum(axis=-1)
    if (sums != total).any():
        index = tuple(int(i) for i in np.argwhere(sums != total)[0])
        raise ValueError(f"{what}: counts at {index} sum to {sums[index].item()!r}, not {total}")
    return array
