"""fit_rate recovers known exponents, its interval covers them, and it rejects bad input."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.stats import fit_rate, seed_streams, stream


def _synthetic(exponent: float, noise: float, seed: int, n_seeds: int = 8) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    grid = np.array([8.0, 16, 32, 64, 128, 256])
    errors = 3.0 * grid[:, None] ** exponent * np.exp(rng.normal(0, noise, (grid.size, n_seeds)))
    return grid, errors


@pytest.mark.parametrize("exponent", [-1.0, -0.5, -0.25, -0.2])
def test_exact_power_law_is_recovered(exponent: float) -> None:
    grid = np.array([10.0, 20, 40, 80])
    errors = np.repeat((2.0 * grid**exponent)[:, None], 3, axis=1)
    fit = fit_rate(grid, errors, rng=stream(0))
    assert fit.exponent == pytest.approx(exponent, abs=1e-12)
    assert fit.low == pytest.approx(exponent, abs=1e-12)
    assert fit.high == pytest.approx(exponent, abs=1e-12)
    assert np.allclose(fit.local_slopes, exponent)
    assert fit.r_squared == pytest.approx(1.0)


def test_interval_covers_the_true_exponent_and_verdicts_are_one_sided() -> None:
    grid, errors = _synthetic(-0.5, 0.2, seed=1)
    fit = fit_rate(grid, errors, rng=stream(1))
    assert fit.low < -0.5 < fit.high
    assert fit.passes(-0.5, 0.1)
    # a slower decay (exponent -0.2) must fail a claim of -0.5 with margin 0.1
    grid, slow = _synthetic(-0.2, 0.2, seed=2)
    assert not fit_rate(grid, slow, rng=stream(2)).passes(-0.5, 0.1)
    # a faster decay passes (the check is one-sided)
    grid, fast = _synthetic(-1.0, 0.2, seed=3)
    assert fit_rate(grid, fast, rng=stream(3)).passes(-0.5, 0.1)


def test_asymptotic_part_of_the_grid_is_used() -> None:
    grid = np.array([1.0, 2, 4, 8, 16])
    errors = np.array([1.0, 1.0, 0.25, 0.125, 0.0625])[:, None] * np.ones((1, 4))
    fit = fit_rate(grid, errors, rng=stream(0), asymptotic_from=2)
    assert fit.exponent == pytest.approx(-1.0)
    assert fit.grid.tolist() == [4.0, 8.0, 16.0]
    assert fit.local_slopes.size == 4


def test_same_seed_same_interval() -> None:
    grid, errors = _synthetic(-0.5, 0.3, seed=4)
    a = fit_rate(grid, errors, rng=stream(7))
    b = fit_rate(grid, errors, rng=stream(7))
    assert (a.low, a.high) == (b.low, b.high)


def test_seed_streams_are_deterministic_and_label_dependent() -> None:
    a = [g.random() for g in seed_streams(5, 3, label="x")]
    b = [g.random() for g in seed_streams(5, 3, label="x")]
    c = [g.random() for g in seed_streams(5, 3, label="y")]
    assert a == b
    assert a != c
    assert len(set(a)) == 3


@pytest.mark.parametrize(
    ("grid", "errors", "match"),
    [
        ([1.0, 2.0], [[1.0], [np.nan]], "finite"),
        ([1.0, 2.0], [[1.0], [-1.0]], "non-negative"),
        ([2.0, 1.0], [[1.0], [0.5]], "increasing"),
        ([0.0, 1.0], [[1.0], [0.5]], "positive"),
        ([1.0, 2.0, 3.0], [[1.0], [0.5]], "does not match"),
        ([1.0, 2.0], [[0.0], [0.5]], "zero mean error"),
    ],
)
def test_bad_input_is_named(grid, errors, match) -> None:
    with pytest.raises(ValueError, match=match):
        fit_rate(grid, errors, rng=stream(0))
