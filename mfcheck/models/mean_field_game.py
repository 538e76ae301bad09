"""Mean-field games: discounted with entropy regularisation, and finite-horizon undiscounted.

Two conventions, both with a mean field μ over states entering the kernel and reward:

* :class:`MeanFieldGame` is the MFG-NAC setting (Section 2 of the main text, App A-B):
  stationary policies π[s, a], stationary mean fields μ[s], discount γ in [0, 1),
  entropy weight λ >= 0, initial distribution ρ. Values are
  ``V^{π,λ}_μ(s) = E[Σ_t γ^t (r(s_t, a_t, μ) - λ log π(a_t|s_t))]`` so that
  ``Q^{π,λ}_μ(s, a) = r(s, a, μ) + γ E[V^{π,λ}_μ(s')]`` (the reading behind Lemma 3's
  ``Q_max = (1 + γ λ log|A|) / (1 - γ)``).
* :class:`FiniteHorizonMFG` is the convention of mfglib and OpenSpiel: decision epochs
  t = 0..T (reward collected at every epoch, t = T included), no discount, time-indexed
  policies π[t, s, a] and a mean-field flow μ[t, s] started at μ_0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mfcheck.models.validation import (
    SIMPLEX_ATOL,
    as_float_array,
    check_discount,
    check_distribution,
    check_horizon,
    check_positive_int,
    check_shape,
    check_stochastic,
    check_temperature,
)

Array = NDArray[np.float64]
StationaryKernel = Callable[[Array], ArrayLike]
StationaryReward = Callable[[Array], ArrayLike]
TimedKernel = Callable[[int, Array], ArrayLike]
TimedReward = Callable[[int, Array], ArrayLike]


def _probe_mean_fields(n_states: int, initial: Array) -> list[Array]:
    """Mean fields at which a game's callables are validated: ρ, uniform and every vertex."""
    probes = [initial, np.full(n_states, 1.0 / n_states)]
    probes.extend(np.eye(n_states))
    return probes


def _validated_output(raw: object, shape: tuple[int, ...], what: str, *, stochastic: bool) -> Array:
    """A kernel (``stochastic``) or reward returned by a game's callable, as a validated array.

    Fast path first: two array reductions (shape; non-negativity and rows summing to 1 within
    ``SIMPLEX_ATOL`` for kernels, finiteness for rewards; NaN fails them too). Only when it fails
    do the checks of :mod:`mfcheck.models.validation` run, raising the usual ``ValueError`` that
    names the index and value. Both accept exactly the same arrays.
    """
    try:
        array = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    if array is not None and array.shape == shape:
        if stochastic and array.min() >= 0 and np.abs(array.sum(axis=-1) - 1.0).max() <= SIMPLEX_ATOL:
            return array
        if not stochastic and np.isfinite(array).all():
            return array
    array = as_float_array(raw if array is None else array, what, ndim=len(shape))
    check_shape(array, shape, what)
    if stochastic:
        check_stochastic(array, what)
    return array


def _labels(labels: Sequence[str] | None, size: int, what: str) -> tuple[str, ...]:
    if labels is None:
        return tuple(str(i) for i in range(size))
    labels = tuple(str(label) for label in labels)
    if len(labels) != size:
        raise ValueError(f"{what}: {len(labels)} labels for {size} entries")
    return labels


def _validate_fields(
    game: MeanFieldGame | FiniteHorizonMFG, timing: str, check_timing: Callable[[Any, str], Any]
) -> tuple[int, Array]:
    """Validate a game's |S|, |A|, its ``timing`` field (γ or T, by ``check_timing``), λ, ρ
    (uniform when None) and labels, in that order, storing the validated values; returns |S|, ρ."""
    n_states = check_positive_int(game.n_states, f"{game.name}.n_states")
    n_actions = check_positive_int(game.n_actions, f"{game.name}.n_actions")
    object.__setattr__(game, timing, check_timing(getattr(game, timing), f"{game.name}.{timing}"))
    object.__setattr__(game, "lam", check_temperature(game.lam, f"{game.name}.lam"))
    if game.initial is None:
        initial = np.full(n_states, 1.0 / n_states)
    else:
        initial = check_distribution(game.initial, n_states, f"{game.name}.initial")
    object.__setattr__(game, "initial", initial)
    object.__setattr__(
        game, "state_labels", _labels(game.state_labels, n_states, f"{game.name}.state_labels")
    )
    object.__setattr__(
        game, "action_labels", _labels(game.action_labels, n_actions, f"{game.name}.action_labels")
    )
    return n_states, initial


@dataclass(frozen=True, eq=False)
class MeanFieldGame:
    """Discounted, entropy-regularised mean-field game with stationary mean fields.

    Parameters
    ----------
    n_states, n_actions : int
        |S| and |A|.
    transition_fn : callable μ[S] -> P[S, A, S']
        Kernel P(s' | s, a, μ); rows must be distributions for every μ.
    reward_fn : callable μ[S] -> r[S, A]
        Reward r(s, a, μ), finite.
    gamma : float
        Discount factor in [0, 1).
    lam : float
        Entropy regularisation λ >= 0 (λ = 0 is the unregularised game).
    initial : array [S]
        Initial state distribution ρ (used by values V(ρ) and as the start of mean-field flows).
    name : str
        A label used in reports.
    reward_bounds : (float, float), optional
        Known bounds (lo, hi) of r over all (s, a, μ); used where a lemma needs r in [0, 1].

    Notes
    -----
    The callables are evaluated and validated at ρ, at the uniform mean field and at every
    vertex of the simplex when the game is built, and outputs are re-validated on each call
    (cheap: two array reductions, see :func:`_validated_output`), so a kernel that breaks only
    for some μ is caught there. Solvers that pass mean fields they computed from validated data
    skip the check of μ with ``validate_mean_field=False`` (the outputs are still checked).
    """

    n_states: int
    n_actions: int
    transition_fn: StationaryKernel
    reward_fn: StationaryReward
    gamma: float
    lam: float = 0.0
    initial: Array = field(default=None)  # type: ignore[assignment]
    name: str = "mfg"
    state_labels: tuple[str, ...] | None = None
    action_labels: tuple[str, ...] | None = None
    reward_bounds: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        n_states, initial = _validate_fields(self, "gamma", check_discount)
        for mu in _probe_mean_fields(n_states, initial):
            self.transition(mu)
            self.reward(mu)

    def _check_mean_field(self, mu: ArrayLike) -> Array:
        return check_distribution(mu, self.n_states, f"{self.name}: mean field μ")

    def transition(self, mu: ArrayLike, *, validate_mean_field: bool = True) -> Array:
        """Return the validated kernel P[s, a, s'] at mean field ``mu``."""
        if validate_mean_field:
            mu = self._check_mean_field(mu)
        return _validated_output(
            self.transition_fn(mu), (self.n_states, self.n_actions, self.n_states),
            f"{self.name}.transition(μ)", stochastic=True,
        )

    def reward(self, mu: ArrayLike, *, validate_mean_field: bool = True) -> Array:
        """Return the validated reward r[s, a] at mean field ``mu``."""
        if validate_mean_field:
            mu = self._check_mean_field(mu)
        return _validated_output(
            self.reward_fn(mu), (self.n_states, self.n_actions), f"{self.name}.reward(μ)",
            stochastic=False,
        )

    def with_parameters(self, **changes: object) -> MeanFieldGame:
        """Return a copy with some fields replaced (e.g. ``lam=0.5``, ``gamma=0.95``)."""
        from dataclasses import replace

        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, eq=False)
class FiniteHorizonMFG:
    """Finite-horizon, undiscounted mean-field game (mfglib / OpenSpiel convention).

    Parameters
    ----------
    n_states, n_actions : int
    horizon : int
        T >= 1; decision epochs t = 0..T, reward collected at every epoch including T.
    transition_fn : callable (t, μ_t) -> P_t[S, A, S']
        Kernel from epoch t to t + 1 (called for t = 0..T-1).
    reward_fn : callable (t, μ_t) -> r_t[S, A]
        Reward at epoch t (called for t = 0..T).
    initial : array [S]
        μ_0.
    lam : float
        Entropy regularisation λ >= 0 (the peers use λ = 0).
    """

    n_states: int
    n_actions: int
    horizon: int
    transition_fn: TimedKernel
    reward_fn: TimedReward
    initial: Array = field(default=None)  # type: ignore[assignment]
    lam: float = 0.0
    name: str = "finite-horizon-mfg"
    state_labels: tuple[str, ...] | None = None
    action_labels: tuple[str, ...] | None = None
    reward_bounds: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        n_states, initial = _validate_fields(self, "horizon", check_horizon)
        for mu in _probe_mean_fields(n_states, initial):
            for t in {0, self.horizon - 1}:
                self.transition(t, mu)
            for t in {0, self.horizon}:
                self.reward(t, mu)

    def _check_time(self, t: int, last: int, what: str) -> int:
        if int(t) != t or not 0 <= t <= last:
            raise ValueError(f"{self.name}.{what}: epoch t={t!r} outside 0..{last}")
        return int(t)

    def transition(self, t: int, mu: ArrayLike, *, validate_mean_field: bool = True) -> Array:
        """Return the validated kernel P_t[s, a, s'] from epoch t to t+1 at mean field μ_t.

        ``validate_mean_field=False`` skips the check of μ_t (for solvers passing flows they
        computed from validated data); the kernel is checked either way.
        """
        t = self._check_time(t, self.horizon - 1, "transition")
        if validate_mean_field:
            mu = check_distribution(mu, self.n_states, f"{self.name}: mean field μ_{t}")
        return _validated_output(
            self.transition_fn(t, mu), (self.n_states, self.n_actions, self.n_states),
            f"{self.name}.transition(t={t}, μ)", stochastic=True,
        )

    def reward(self, t: int, mu: ArrayLike, *, validate_mean_field: bool = True) -> Array:
        """Return the validated reward r_t[s, a] at epoch t and mean field μ_t (μ_t as above)."""
        t = self._check_time(t, self.horizon, "reward")
        if validate_mean_field:
            mu = check_distribution(mu, self.n_states, f"{self.name}: mean field μ_{t}")
        return _validated_output(
            self.reward_fn(t, mu), (self.n_states, self.n_actions), f"{self.name}.reward(t={t}, μ)",
            stochastic=False,
        )
