"""Plots: what a rate panel and a curves panel draw, read back from the matplotlib axes."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.judgement import Verdict
from mfcheck.reports.plots import claim_plot, curve_panel, mean_band, panels, rate_panel


def axes():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure()
    FigureCanvasAgg(figure)
    return figure.add_subplot()


def test_rate_panel_draws_seeds_band_fit_and_stated_slope(rows) -> None:
    fit = rows[0][1].evidence["fits"][0]
    ax = axes()
    rate_panel(ax, fit, np.random.default_rng(0))
    assert ax.get_xscale() == ax.get_yscale() == "log"
    lines = ax.get_lines()
    seeds = [line for line in lines if line.get_alpha() is not None]
    assert len(seeds) == 6  # one faint line per seed
    fitted = next(line for line in lines if line.get_label().startswith("fit: slope"))
    grid = np.array(fit["grid"])
    np.testing.assert_allclose(fitted.get_xdata(), grid)
    np.testing.assert_allclose(fitted.get_ydata(), np.exp(fit["intercept"]) * grid ** fit["exponent"])
    stated = next(line for line in lines if line.get_label().startswith("stated slope -0.5"))
    x, y = stated.get_xdata(), stated.get_ydata()
    assert y[0] == pytest.approx(fit["mean_error"][0])  # anchored at the first fitted point
    assert np.log(y[-1] / y[0]) / np.log(x[-1] / x[0]) == pytest.approx(-0.5)
    assert "(pass if upper end <= -0.4)" in stated.get_label()
    assert len(ax.collections) == 1  # the bootstrap band of the mean


def test_mean_band_brackets_the_mean() -> None:
    rng = np.random.default_rng(1)
    values = rng.lognormal(size=(5, 8))
    mean, low, high = mean_band(values, 0.95, rng)
    np.testing.assert_allclose(mean, values.mean(axis=1))
    assert np.all(low <= mean) and np.all(mean <= high) and np.all(low < high)
    same = np.ones((3, 4))
    assert all(np.array_equal(a, np.ones(3)) for a in mean_band(same, 0.95, rng))
    one_seed = mean_band(values[:, :1], 0.95, rng)
    assert np.array_equal(one_seed[1], one_seed[2])


def test_curve_panel_tolerates_json_non_finite_values(rows) -> None:
    panel = rows[2][1].evidence["curves"][0]
    ax = axes()
    curve_panel(ax, panel, np.random.default_rng(0))
    labels = [line.get_label() for line in ax.get_lines()]
    assert "NAC (mean of 4 seeds, 95% band)" in labels and "floor" in labels
    dl_mean = next(line for line in ax.get_lines() if line.get_label().startswith("DL-NAC"))
    assert np.all(np.isfinite(dl_mean.get_ydata()))  # the "nan" of seed 0 is skipped in the mean
    assert ax.get_yscale() == "log" and ax.get_xscale() == "linear"


def test_no_plot_without_fits_or_curves(tmp_path) -> None:
    verdict = Verdict(claim_id="mfppo.x", status="pass", summary="", evidence={"fits": "not a list", "curves": []})
    assert panels(verdict) == []
    assert claim_plot(verdict, tmp_path / "x.png") is None and not (tmp_path / "x.png").exists()


def test_malformed_evidence_does_not_lose_the_report(write, rows, tmp_path) -> None:
    from dataclasses import replace

    claim, verdict = rows[2]
    broken = replace(verdict, evidence={"curves": [{"series": [{"x": [1, 2], "y_per_seed": [[1, 2, 3]]}]}]})
    summary = write([(claim, broken), rows[3]])
    entry = summary["claims"][0]
    assert entry["plot"] is None and entry["plot_error"].startswith("ValueError")
    assert (tmp_path / "report.html").exists()


def test_stale_plots_are_removed(write, rows, tmp_path) -> None:
    write([rows[1], rows[3]])
    assert [p.name for p in (tmp_path / "plots").glob("*.png")] == ["mfppo.test_report_rate_fail.png"]
    write([rows[3]])
    assert list((tmp_path / "plots").glob("*.png")) == []
