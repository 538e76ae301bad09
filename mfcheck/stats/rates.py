"""Rate fitting: log-log slopes over a grid and several seeds, with a stratified bootstrap interval.

Used by every rate claim. For a claim "error = O(n^p)" the data is an array
``errors[g, r]`` (grid point g, seed r). The fitted exponent is the least-squares slope of
``log(mean_r errors[g, r])`` against ``log(grid[g])`` over the asymptotic part of the grid;
its confidence interval comes from ``scipy.stats.bootstrap`` with one sample per grid point
(seeds are resampled within each grid point: a bootstrap stratified by grid point).
The verdict is one-sided: the claim holds when the interval's upper end does not exceed
``stated_exponent + margin`` (decay at least as fast as stated, up to the declared margin).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray


@dataclass(frozen=True, kw_only=True)
class RateFit:
    """Result of :func:`fit_rate`.

    Attributes
    ----------
    exponent : float
        Fitted log-log slope of the mean error.
    low, high : float
        Bootstrap confidence interval for the slope (level ``confidence``).
    intercept : float
        log of the fitted constant.
    grid, mean_error : arrays
        The grid used (asymptotic part) and the mean error per grid point.
    local_slopes : array
        Slopes between consecutive grid points of the full grid.
    r_squared : float
        Fraction of variance of log mean error explained by the line (a power-law check).
    confidence : float
    n_seeds : int
    """

    exponent: float
    low: float
    high: float
    intercept: float
    grid: NDArray[np.float64]
    mean_error: NDArray[np.float64]
    local_slopes: NDArray[np.float64]
    r_squared: float
    confidence: float
    n_seeds: int

    def passes(self, stated_exponent: float, margin: float) -> bool:
        """One-sided verdict: the interval's upper end is <= stated exponent + margin."""
        return bool(self.high <= stated_exponent + margin)

    def to_dict(self) -> dict[str, object]:
        return {
            "exponent": self.exponent,
            "ci": [self.low, self.high],
            "intercept": self.intercept,
            "grid": self.grid.tolist(),
            "mean_error": self.mean_error.tolist(),
            "local_slopes": self.local_slopes.tolist(),
            "r_squared": self.r_squared,
            "confidence": self.confidence,
            "n_seeds": self.n_seeds,
        }


def log_log_slope(grid: ArrayLike, values: ArrayLike) -> tuple[float, float]:
    """Least-squares slope and intercept of log(values) against log(grid)."""
    x = np.log(np.asarray(grid, dtype=float))
    y = np.log(np.asarray(values, dtype=float))
    slope, intercept = np.polyfit(x, y, 1)
    return float(slope), float(intercept)


def local_slopes(grid: ArrayLike, values: ArrayLike) -> NDArray[np.float64]:
    """Slopes of log(values) between consecutive grid points."""
    x = np.log(np.asarray(grid, dtype=float))
    y = np.log(np.asarray(values, dtype=float))
    return np.diff(y) / np.diff(x)


def fit_rate(
    grid: ArrayLike,
    errors: ArrayLike,
    *,
    rng: np.random.Generator,
    asymptotic_from: int = 0,
    confidence: float = 0.95,
    n_resamples: int = 2000,
) -> RateFit:
    """Fit error ~ C · grid^p with a bootstrap interval stratified by grid point.

    Parameters
    ----------
    grid : array [G]
        Positive, increasing parameter values (T, N, m, K, ...).
    errors : array [G, R]
        Non-negative errors, R seeds per grid point (R >= 2 for an interval).
    rng : numpy.random.Generator
        Source of the bootstrap resampling (derandomised by the caller's seed).
    asymptotic_from : int
        Index of the first grid point used in the fit (drop the pre-asymptotic head).
    confidence : float
        Two-sided level of the percentile interval; its upper end is the one-sided bound at
        level (1 + confidence) / 2.
    n_resamples : int
        Bootstrap resamples.

    Raises
    ------
    ValueError
        On a non-positive or non-increasing grid, negative or non-finite errors, or shapes
        that do not match.
    """
    from scipy import stats

    grid = np.asarray(grid, dtype=float)
    errors = np.asarray(errors, dtype=float)
    if errors.ndim == 1:
        errors = errors[:, None]
    if grid.ndim != 1 or errors.shape[0] != grid.size:
        raise ValueError(f"fit_rate: grid shape {grid.shape} does not match errors {errors.shape}")
    if (grid <= 0).any() or (np.diff(grid) <= 0).any():
        raise ValueError(f"fit_rate: grid must be positive and increasing, got {grid.tolist()}")
    if not np.isfinite(errors).all() or (errors < 0).any():
        raise ValueError("fit_rate: errors must be finite and non-negative")
    if not 0 <= asymptotic_from <= grid.size - 2:
        raise ValueError(
            f"fit_rate: asymptotic_from={asymptotic_from} leaves fewer than 2 grid points"
        )
    means_full = errors.mean(axis=1)
    if (means_full <= 0).any():
        raise ValueError("fit_rate: a grid point has zero mean error; a log-log fit is undefined")
    used_grid = grid[asymptotic_from:]
    used = errors[asymptotic_from:]
    slope, intercept = log_log_slope(used_grid, used.mean(axis=1))
    log_x = np.log(used_grid)
    y = np.log(used.mean(axis=1))
    fitted = intercept + slope * log_x
    ss_res = float(((y - fitted) ** 2).sum())
    ss_tot = float(((y - y.mean()) ** 2).sum())
    r_squared = 1.0 - ss_res / ss_tot if ss_tot > 0 else 1.0
    n_seeds = used.shape[1]
    if n_seeds >= 2 and np.ptp(used, axis=1).max() > 0:
        x_centered = log_x - log_x.mean()
        weights = x_centered / (x_centered**2).sum()

        def statistic(*samples: NDArray[np.float64], axis: int = -1) -> NDArray[np.float64]:
            logs = np.stack([np.log(np.mean(s, axis=axis)) for s in samples], axis=-1)
            return logs @ weights

        result = stats.bootstrap(
            tuple(used),
            statistic,
            n_resamples=n_resamples,
            confidence_level=confidence,
            method="percentile",
            vectorized=True,
            rng=rng,
        )
        low, high = float(result.confidence_interval.low), float(result.confidence_interval.high)
    else:
        low = high = slope
    return RateFit(
        exponent=slope,
        low=low,
        high=high,
        intercept=intercept,
        grid=used_grid,
        mean_error=used.mean(axis=1),
        local_slopes=local_slopes(grid, means_full),
        r_squared=r_squared,
        confidence=confidence,
        n_seeds=n_seeds,
    )
