"""Mean fields induced by a policy: the population update Γ2, finite-horizon flows, stationary points.

Definitions (``theory/README.md`` repeats them):

* Γ2(π, μ)(s') = Σ_s μ(s) Σ_a π(a|s) P(s'|s, a, μ): one step of the population (MFG-NAC App A).
* Finite horizon: μ_0 given, μ_{t+1} = Γ2_t(π_t, μ_t) for t < T (mfglib / OpenSpiel).
* Stationary: a fixed point μ = Γ2(π, μ). It need not be unique. The mean field *induced* by π
  (the one exploitability refers to) is the limit of the flow μ_{k+1} = Γ2(π, μ_k) started at
  the game's initial distribution ρ; :func:`stationary_mean_fields` searches from many starts and
  returns every distinct fixed point so a user can see when there are several.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

from mfcheck.models import FiniteHorizonMFG, MeanFieldGame
from mfcheck.models.validation import check_distribution, check_policy
from mfcheck.solvers.dynamic_programming import ConvergenceError, policy_kernel
from mfcheck.solvers.kernels import flow_and_kernels, stationary_kernel

Array = NDArray[np.float64]


class _HasMeanField(Protocol):
    @property
    def mean_field(self) -> Array: ...


#: a fixed point found from a start: anything with a ``mean_field`` (μ or an equilibrium's μ*)
Point = TypeVar("Point", bound=_HasMeanField)


def population_update(game: MeanFieldGame, policy: Array, mu: Array) -> Array:
    """Γ2(π, μ): the next mean field when everyone plays π in the population μ."""
    return mu @ policy_kernel(stationary_kernel(game, mu), policy)


def mean_field_flow(game: FiniteHorizonMFG, policy: Array) -> Array:
    """The finite-horizon flow μ[t, s], t = 0..T, of a time-indexed policy π[t, s, a]."""
    policy = check_policy(policy, game.n_states, game.n_actions, horizon=game.horizon)
    return flow_and_kernels(game, policy)[0]


def _newton_polish(game: MeanFieldGame, policy: Array, mu: Array, tol: float) -> Array:
    """Newton steps on F(μ) = Γ2(π, μ) - μ in the simplex's tangent space.

    The Jacobian is taken by forward differences along e_i - μ, which keep μ + h(e_i - μ)
    inside the simplex; the residual itself is exact, so the iteration still converges to the
    fixed point (linearly at rate ~h when the Jacobian is approximate).
    """
    n = game.n_states
    h = 1e-7
    for _ in range(30):
        image = population_update(game, policy, mu)
        residual = image - mu
        if np.abs(residual).sum() <= tol:
            return image
        directions = np.eye(n) - mu[None, :]  # rows: e_i - μ
        columns = []
        for direction in directions:
            shifted = mu + h * direction
            columns.append((population_update(game, policy, shifted) - shifted - residual) / h)
        jac_dirs = np.stack(columns, axis=1)  # J·(e_i - μ) as columns
        coeffs, *_ = np.linalg.lstsq(jac_dirs, -residual, rcond=None)
        candidate = mu + directions.T @ coeffs
        candidate = np.clip(candidate, 0.0, None)
        candidate /= candidate.sum()
        new_residual = np.abs(population_update(game, policy, candidate) - candidate).sum()
        if new_residual >= np.abs(residual).sum():
            return mu
        mu = candidate
    return mu


@dataclass(frozen=True)
class StationaryMeanField:
    """A fixed point of Γ2(π, ·) with how it was found."""

    mean_field: Array
    residual: float
    iterations: int


#: squared-flow outcomes other than a limit
_KERNEL_CHANGED, _CYCLES, _UNSETTLED = "kernel changed", "cycles", "unsettled"


def _flow_limit_of_a_fixed_chain(
    game: MeanFieldGame, policy: Array, kernel: Array, mu: Array, tol: float
) -> tuple[Array, Array] | str:
    """The flow μ_{k+n} = μ_k P_π^n of one fixed kernel, followed to n = 2, 4, 8, ... 2^63 by
    repeated squaring of P_π, until two successive points are within ``tol`` (L1).

    Returns (the last point, its image one P_π-step on) when it got there with the game's
    kernel bit-identical to ``kernel`` at every point visited; otherwise ``_KERNEL_CHANGED``
    (the kernel is seen to depend on μ), ``_CYCLES`` (the last 8 squared points all still
    move by more than 1e-6: a subsequence of the flow that does not converge, so the flow
    cannot; a periodic chain) or ``_UNSETTLED``.
    """
    chain = policy_kernel(kernel, policy)
    power = chain
    current = mu @ power
    moves: list[float] = []
    for _ in range(63):
        if not np.array_equal(stationary_kernel(game, current), kernel):
            return _KERNEL_CHANGED
        power = power @ power
        # squaring doubles a row's deviation from mass 1: without this, mass leaks as 2^j ε
        power /= power.sum(axis=1, keepdims=True)
        following = mu @ power
        moves.append(float(np.abs(following - current).sum()))
        if moves[-1] <= tol:
            if not np.array_equal(stationary_kernel(game, following), kernel):
                return _KERNEL_CHANGED
            point = following / following.sum()
            return point, point @ chain
        current = following
    return _CYCLES if min(moves[-8:]) > 1e-6 else _UNSETTLED


def _settles_in_time(changes: tuple[float, float], gap: int, steps_left: int, tol: float) -> bool:
    """Whether the flow, shrinking geometrically at the rate the last two checkpoint changes
    (``gap`` steps apart) show, gets its change to ``tol`` within ``steps_left`` steps."""
    before, now = changes
    if now <= tol:
        return True
    if not np.isfinite(before):
        return True  # the first checkpoint: no rate yet
    if before <= 0.0 or now >= before:
        return False
    rate = np.log(now / before) / gap  # < 0: log of the per-step contraction
    return float(np.log(tol / now) / rate) <= steps_left


def induced_mean_field(
    game: MeanFieldGame,
    policy: Array,
    *,
    start: Array | None = None,
    tol: float = 1e-12,
    max_iter: int = 200_000,
    polish_every: int = 200,
) -> StationaryMeanField:
    """Limit of the population flow μ_{k+1} = Γ2(π, μ_k) from ``start`` (default ρ).

    The flow is iterated until one step changes μ by at most ``tol`` (L1); the image is
    returned. Every ``polish_every`` steps:

    * a Newton polish is tried, and accepted only when it lands on a fixed point (residual
      <= ``tol``) closer than 1e3 steps' travel to the current iterate (so the answer stays the
      limit of the flow from ``start``, not a fixed point elsewhere);
    * when the game's kernel has been bit-identical at every iterate so far (a kernel that does
      not depend on μ, e.g. the LQ game without mean reversion), the flow is one Markov chain
      P_π, and when the last two checkpoints' changes predict that it will not settle within
      ``max_iter`` steps (a nearly decomposable chain: a nearly deterministic policy whose
      basins the noise rarely crosses, second eigenvalue ~1 - 1e-6), the flow is followed
      exactly further, to steps k + 2^j by repeated squaring of P_π, until it settles. That is
      the flow limit from ``start`` itself (not an arbitrary stationary vector of P_π, which
      need not be unique), and it is accepted only when the kernel was the same at every point
      visited and one more step Γ2(π, ·) changes it by at most ``tol``; ``iterations`` then
      counts the steps iterated one by one before the jump. The kernel is compared only at the
      points visited (the steps k + 2^j, not those in between): a kernel that depends on μ yet
      agrees at all of them would be taken for a fixed one, but the answer is still checked to
      be a fixed point of Γ2(π, ·). The prediction is only an estimate: where it triggers
      although the plain flow would have settled, the result is the same limit to within
      rounding (where the old plain flow settled in the tests, results are bit-identical).

    Raises :class:`ConvergenceError` when the flow does not settle in ``max_iter`` steps (a
    cycle, for instance), and at once when the kernel is fixed, the Newton polish did not
    answer and the squared flow keeps moving by more than 1e-6 (a periodic chain: its flow
    cannot converge). Note that for a periodic chain with a fixed point the polish usually does
    answer: it returns that fixed point although the flow itself has no limit.
    """
    policy = check_policy(policy, game.n_states, game.n_actions)
    mu = game.initial.copy() if start is None else check_distribution(start, game.n_states, "start")
    fixed_kernel: Array | None = None  # the kernel while it has been the same at every iterate
    kernel_is_fixed = True
    checkpoint_change = np.inf
    for iteration in range(1, max_iter + 1):
        kernel = stationary_kernel(game, mu)
        if kernel_is_fixed:
            if fixed_kernel is None:
                fixed_kernel = kernel
            elif not np.array_equal(kernel, fixed_kernel):
                kernel_is_fixed = False
        new = mu @ policy_kernel(kernel, policy)  # Γ2(π, μ), as population_update
        change = float(np.abs(new - mu).sum())
        mu = new
        if change <= tol:
            return StationaryMeanField(mu, change, iteration)
        if iteration % polish_every == 0:
            polished = _newton_polish(game, policy, mu, tol)
            residual = float(np.abs(population_update(game, policy, polished) - polished).sum())
            # accept only a fixed point the flow is visibly heading to: within 1e3 steps' travel
            if residual <= tol and np.abs(polished - mu).sum() <= 1e3 * change:
                return StationaryMeanField(polished, residual, iteration)
            changes, checkpoint_change = (checkpoint_change, change), change
            if (kernel_is_fixed and fixed_kernel is not None
                    and not _settles_in_time(changes, polish_every, max_iter - iteration, tol)):
                limit = _flow_limit_of_a_fixed_chain(game, policy, fixed_kernel, mu, tol)
                if isinstance(limit, tuple):
                    point, image = limit
                    residual = float(np.abs(image - point).sum())
                    # a verified fixed point, and a distribution (μ = 0 would pass the residual)
                    if residual <= tol and abs(image.sum() - 1.0) <= 1e-12 and np.all(image >= 0):
                        return StationaryMeanField(image, residual, iteration)
                elif limit == _CYCLES:
                    raise ConvergenceError(
                        f"induced_mean_field: population flow of {game.name} cycles: its kernel "
                        f"is the same at every point visited and μ P_π^(2^j) does not converge "
                        f"(last change {change:.3g} after {iteration} steps)"
                    )
    raise ConvergenceError(
        f"induced_mean_field: population flow of {game.name} did not settle in {max_iter} steps "
        f"(last change {change:.3g}); the flow may cycle"
    )


def stationary_mean_fields(
    game: MeanFieldGame,
    policy: Array,
    *,
    rng: np.random.Generator | None = None,
    n_random_starts: int = 8,
    tol: float = 1e-12,
    distinct_atol: float = 1e-6,
) -> list[StationaryMeanField]:
    """Every distinct fixed point of Γ2(π, ·) reached from ρ, the uniform μ, each vertex and
    ``n_random_starts`` Dirichlet draws; sorted by first coordinate.

    More than one element means the mean field induced by π is not unique; the one
    :func:`induced_mean_field` returns is the flow limit from ρ.
    """

    def reach(start: Array) -> StationaryMeanField | None:
        try:
            return induced_mean_field(game, policy, start=start, tol=tol)
        except ConvergenceError:
            return None

    return distinct_fixed_points(game, reach, rng=rng, n_random_starts=n_random_starts,
                                 distinct_atol=distinct_atol)


def distinct_fixed_points(
    game: MeanFieldGame,
    reach: Callable[[Array], Point | None],
    *,
    rng: np.random.Generator | None,
    n_random_starts: int,
    distinct_atol: float,
) -> list[Point]:
    """Every distinct point ``reach(start)`` arrives at (``None``: it did not converge from that
    start) from ρ, the uniform μ, each vertex and ``n_random_starts`` Dirichlet(1) draws of ``rng``
    (``default_rng(0)`` when None), in that order; distinct: ‖μ - μ'‖₁ > ``distinct_atol`` from
    every point kept before. Sorted by mean field (its first coordinate first)."""
    rng = np.random.default_rng(0) if rng is None else rng
    n = game.n_states
    starts = [game.initial, np.full(n, 1.0 / n), *np.eye(n)]
    starts.extend(rng.dirichlet(np.ones(n), size=n_random_starts))
    found: list[Point] = []
    for start in starts:
        point = reach(start)
        if point is not None and all(np.abs(point.mean_field - f.mean_field).sum() > distinct_atol
                                     for f in found):
            found.append(point)
    return sorted(found, key=lambda f: tuple(f.mean_field))
