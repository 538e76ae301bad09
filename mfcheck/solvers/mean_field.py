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

    The flow is iterated; every ``polish_every`` steps a Newton polish is tried, and accepted
    only when it lands on a fixed point closer than the current iterate (so the answer stays the
    limit of the flow from ``start``, not a fixed point elsewhere). Raises
    :class:`ConvergenceError` when the flow does not settle (a cycle, for instance).
    """
    policy = check_policy(policy, game.n_states, game.n_actions)
    mu = game.initial.copy() if start is None else check_distribution(start, game.n_states, "start")
    for iteration in range(1, max_iter + 1):
        new = population_update(game, policy, mu)
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
