"""Finite discounted MDP with a sparse kernel: P stacked as a CSR matrix [X·M, X], reward r[X, M].

Row ``x * M + m`` of the stacked kernel is ``P(· | x, m)``. This is the storage of the
count-space models (:mod:`mfcheck.models.count_space`) and of the exact finite mean-field MDP
(:mod:`mfcheck.models.mean_field_mdp`), whose state counts are polynomial in N but too large
for a dense [X, M, X] array. Solvers live in :mod:`mfcheck.solvers.sparse_dynamic_programming`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from mfcheck.models.finite_mdp import FiniteMDP
from mfcheck.models.validation import (
    SIMPLEX_ATOL,
    as_float_array,
    check_discount,
    check_distribution,
    check_policy,
    check_shape,
)

Array = NDArray[np.float64]

#: Default limit on the entries X·M·X of a dense copy (``to_dense``, ``as_finite_mdp``).
MAX_DENSE_ENTRIES = 20_000_000


@dataclass(frozen=True, eq=False)
class SparseMDP:
    """A finite MDP with a sparse stacked kernel, validated at construction.

    Parameters
    ----------
    transition : sparse matrix [X·M, X]
        Row ``x * M + m`` is ``P(· | x, m)``; non-negative, finite, rows summing to 1.
    reward : array [X, M]
        Finite rewards.
    gamma : float
        Discount factor in [0, 1).
    initial : array [X], optional
        Initial state distribution (uniform if omitted).
    name : str
        Label used in messages.
    """

    transition: sp.csr_array
    reward: Array
    gamma: float
    initial: Array = field(default=None)  # type: ignore[assignment]
    name: str = "SparseMDP"

    def __post_init__(self) -> None:
        what = f"{self.name}.transition"
        if not sp.issparse(self.transition):
            raise ValueError(f"{what}: expected a scipy sparse matrix, got {type(self.transition).__name__}")
        transition = sp.csr_array(self.transition, dtype=np.float64)
        transition.sum_duplicates()
        reward = as_float_array(self.reward, f"{self.name}.reward", ndim=2)
        n_states, n_actions = reward.shape
        check_shape(transition, (n_states * n_actions, n_states), what)
        data = transition.data
        if not np.isfinite(data).all():
            k = int(np.argmax(~np.isfinite(data)))
            raise ValueError(f"{what}: non-finite value {float(data[k])!r} in row {self._row_of(transition, k)}")
        if (data < 0).any():
            k = int(np.argmax(data < 0))
            raise ValueError(f"{what}: negative probability {float(data[k])!r} in row {self._row_of(transition, k)}")
        sums = np.asarray(transition.sum(axis=1)).ravel()
        off = np.abs(sums - 1.0) > SIMPLEX_ATOL
        if off.any():
            row = int(np.argmax(off))
            raise ValueError(
                f"{what}: row (state {row // n_actions}, action {row % n_actions}) sums to "
                f"{float(sums[row])!r}, not 1"
            )
        gamma = check_discount(self.gamma, f"{self.name}.gamma")
        if self.initial is None:
            initial = np.full(n_states, 1.0 / n_states)
        else:
            initial = check_distribution(self.initial, n_states, f"{self.name}.initial")
        object.__setattr__(self, "transition", transition)
        object.__setattr__(self, "reward", reward)
        object.__setattr__(self, "gamma", gamma)
        object.__setattr__(self, "initial", initial)

    @staticmethod
    def _row_of(matrix: sp.csr_array, k: int) -> int:
        return int(np.searchsorted(matrix.indptr, k, side="right") - 1)

    @property
    def n_states(self) -> int:
        return int(self.reward.shape[0])

    @property
    def n_actions(self) -> int:
        return int(self.reward.shape[1])

    def action_matrix(self, action: int) -> sp.csr_array:
        """``P(· | ·, m)`` as a CSR matrix [X, X]."""
        if not 0 <= int(action) < self.n_actions:
            raise ValueError(f"{self.name}.action_matrix: action {action!r} not in [0, {self.n_actions})")
        return sp.csr_array(self.transition[int(action) :: self.n_actions])

    def action_matrices(self) -> tuple[sp.csr_array, ...]:
        """One CSR matrix [X, X] per action."""
        return tuple(self.action_matrix(m) for m in range(self.n_actions))

    def check_policy(self, policy: ArrayLike, what: str = "policy") -> Array:
        """Validate a stationary policy [X, M]."""
        return check_policy(policy, self.n_states, self.n_actions, f"{self.name}: {what}")

    def policy_kernel(self, policy: ArrayLike) -> sp.csr_array:
        """``P_π[x, x'] = Σ_m π(m|x) P(x'|x, m)`` as a CSR matrix [X, X]."""
        policy = self.check_policy(policy)
        n_states, n_actions = policy.shape
        rows = np.repeat(np.arange(n_states), n_actions)
        weights = sp.csr_array(
            (policy.ravel(), (rows, np.arange(n_states * n_actions))),
            shape=(n_states, n_states * n_actions),
        )
        return sp.csr_array(weights @ self.transition)

    def deterministic_kernel(self, actions: NDArray[np.int64]) -> sp.csr_array:
        """``P(x' | x, actions[x])`` as a CSR matrix [X, X] (rows picked from the stack)."""
        return sp.csr_array(self.transition[np.arange(self.n_states) * self.n_actions + actions])

    def to_dense(self, *, max_entries: int = MAX_DENSE_ENTRIES) -> Array:
        """The kernel as a dense array [X, M, X] (raises when X·M·X > ``max_entries``)."""
        entries = self.n_states * self.n_actions * self.n_states
        if entries > max_entries:
            raise ValueError(
                f"{self.name}.to_dense: {entries} entries exceed max_entries={max_entries}"
            )
        return self.transition.toarray().reshape(self.n_states, self.n_actions, self.n_states)

    def as_finite_mdp(self, *, max_entries: int = MAX_DENSE_ENTRIES) -> FiniteMDP:
        """A dense :class:`~mfcheck.models.finite_mdp.FiniteMDP` copy (when it fits)."""
        return FiniteMDP(
            transition=self.to_dense(max_entries=max_entries),
            reward=self.reward,
            gamma=self.gamma,
            initial=self.initial,
        )
