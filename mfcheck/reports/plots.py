"""Plots of a report (matplotlib, Agg backend): one PNG per claim that has data to draw.

Rate claims: nothing to do in the checker. :func:`mfcheck.judgement.rate_verdict` puts
``evidence["fits"]``, one entry per fitted exponent (``label``, ``parameter``,
``stated_exponent``, ``margin``, ``exponent``, ``ci``, ``intercept``, ``grid`` (the fitted part),
``mean_error``, ``full_grid``, ``errors_per_seed[g][r]``, ``confidence``); each becomes a panel:
the error against the parameter on log-log axes, each seed faint, the mean over seeds with a
percentile-bootstrap band (the fit's confidence level), the fitted line
``exp(intercept) * grid**exponent`` over the fitted range (slope and interval in the legend) and
the stated slope drawn beside it, anchored at the first fitted point.

Empirical claims (the convention a checker adopts to get its curves plotted):
``evidence["curves"]`` is a list of panels, each a JSON dict::

    {"title": "SIS: exploitability", "xlabel": "iteration t", "ylabel": "E(π_t)",
     "logx": false, "logy": true,
     "series": [
        {"label": "NAC", "x": [0, 10, 20, ...], "y_per_seed": [[...], [...], ...]},
        {"label": "DL-NAC", "x": [...], "y_per_seed": [[...], ...]},
        {"label": "bound", "x": [...], "y": [...], "reference": true}
     ]}

``y_per_seed[r][i]`` is seed r's value at ``x[i]``; each seed is drawn faint, with the mean over
seeds and its 95 % percentile-bootstrap band. A series without seeds gives ``y`` instead;
``"reference": true`` draws it dashed (a bound, a stated value). ``logx``/``logy`` default to
false; non-finite values (also the strings "nan", "inf" that JSON storage makes of them) and, on
log axes, non-positive ones are left out. Keep a panel to a few thousand points: the evidence is
stored in the verdict's JSON.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mfcheck.judgement import Verdict

#: bootstrap resamples of the band of the mean (a drawing aid: the judged interval is the fit's)
BAND_RESAMPLES = 1000
PANEL_SIZE = (5.4, 3.8)


def _floats(values: Any) -> np.ndarray:
    """A float array from JSON data ("nan"/"inf" strings and None become nan)."""
    return np.array([[_float(v) for v in row] if isinstance(row, list) else _float(row) for row in values],
                    dtype=float)


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def mean_band(per_seed: np.ndarray, confidence: float, rng: np.random.Generator,
              n_resamples: int = BAND_RESAMPLES) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean over seeds and its percentile-bootstrap band, per point.

    Parameters
    ----------
    per_seed : array (n_points, n_seeds)
        Values per point and seed (nan where missing).
    confidence : float
        Two-sided level of the band.

    Returns
    -------
    mean, low, high : arrays (n_points,)
    """
    per_seed = np.atleast_2d(per_seed)
    with warnings.catch_warnings():  # a point with no finite value (e.g. a run that diverged) is nan
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(per_seed, axis=1) if per_seed.size else np.empty(0)
    n_seeds = per_seed.shape[1]
    if n_seeds < 2:
        return mean, mean.copy(), mean.copy()
    index = rng.integers(0, n_seeds, size=(n_resamples, n_seeds))
    with warnings.catch_warnings():  # all-nan resamples (a missing point) give nan, not a warning
        warnings.simplefilter("ignore", RuntimeWarning)
        means = np.nanmean(per_seed[:, index], axis=2)  # (points, resamples)
        tail = 50 * (1 - confidence)
        low, high = np.nanpercentile(means, [tail, 100 - tail], axis=1)
    return mean, low, high


def _positive(values: np.ndarray, log: bool) -> np.ndarray:
    values = np.where(np.isfinite(values), values, np.nan)
    return np.where(values > 0, values, np.nan) if log else values


def _grid_ticks(ax: Any, grid: np.ndarray) -> None:
    """Label a log x axis at the grid's points (no crowded minor labels)."""
    points = np.unique(grid[np.isfinite(grid) & (grid > 0)])
    ax.xaxis.set_minor_formatter(_null_formatter())
    if 0 < len(points) <= 12:
        ax.set_xticks(points, [f"{p:g}" for p in points], fontsize=7)


def _null_formatter() -> Any:
    from matplotlib.ticker import NullFormatter

    return NullFormatter()


def rate_panel(ax: Any, fit: Mapping[str, Any], rng: np.random.Generator) -> None:
    """Draw one fitted exponent (an ``evidence["fits"]`` entry) on ``ax``."""
    parameter = str(fit.get("parameter", "parameter"))
    confidence = _float(fit.get("confidence", 0.95))
    fitted_grid = _floats(fit.get("grid", []))
    full_grid = _floats(fit.get("full_grid") or fit.get("grid", []))
    per_seed = fit.get("errors_per_seed")
    if per_seed:
        errors = _positive(_floats(per_seed).reshape(len(full_grid), -1), log=True)
        for seed in errors.T[:200]:
            ax.plot(full_grid, seed, color="tab:blue", alpha=min(0.3, 6 / errors.shape[1]), lw=0.7)
        mean, low, high = mean_band(errors, confidence, rng)
        ax.fill_between(full_grid, _positive(low, True), _positive(high, True), color="tab:blue", alpha=0.25,
                        lw=0, label=f"mean, {confidence:.0%} bootstrap band ({errors.shape[1]} seeds)")
        ax.plot(full_grid, _positive(mean, True), "o-", color="tab:blue", lw=1.6, ms=3.5)
    else:
        ax.plot(fitted_grid, _positive(_floats(fit.get("mean_error", [])), True), "o-", color="tab:blue",
                lw=1.6, ms=3.5, label="mean error")
    exponent, intercept = _float(fit.get("exponent")), _float(fit.get("intercept"))
    low, high = fit.get("ci") or (fit.get("low"), fit.get("high"))
    if len(fitted_grid) and math.isfinite(exponent) and math.isfinite(intercept):
        ax.plot(fitted_grid, np.exp(intercept) * fitted_grid ** exponent, color="tab:red", lw=2,
                label=f"fit: slope {exponent:.3g} [{_float(low):.3g}, {_float(high):.3g}]")
        stated = _float(fit.get("stated_exponent"))
        mean_fitted = _floats(fit.get("mean_error", []))
        anchor = mean_fitted[0] if len(mean_fitted) else np.exp(intercept) * fitted_grid[0] ** exponent
        if math.isfinite(stated) and anchor > 0:
            margin = _float(fit.get("margin"))
            ax.plot(fitted_grid, anchor * (fitted_grid / fitted_grid[0]) ** stated, "--", color="black", lw=1.4,
                    label=f"stated slope {stated:g}" + (f" (pass if upper end <= {stated + margin:g})"
                                                        if math.isfinite(margin) else ""))
    ax.set_xscale("log")
    ax.set_yscale("log")
    _grid_ticks(ax, full_grid)
    ax.set_xlabel(parameter)
    ax.set_ylabel("error")
    verdict = "" if fit.get("passed") is None else (" (pass)" if fit.get("passed") else " (fail)")
    ax.set_title(f"{fit.get('label', '')}: error against {parameter}{verdict}", fontsize=9)
    ax.legend(fontsize=7, loc="best")
    ax.grid(True, which="both", alpha=0.25)


def curve_panel(ax: Any, panel: Mapping[str, Any], rng: np.random.Generator) -> None:
    """Draw one ``evidence["curves"]`` panel on ``ax`` (see the module's docstring)."""
    logx, logy = bool(panel.get("logx", False)), bool(panel.get("logy", False))
    colours = iter(("tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:brown", "tab:pink",
                    "tab:olive", "tab:cyan", "tab:red", "tab:gray") * 4)
    for series in panel.get("series", ()):
        x = _positive(_floats(series.get("x", [])), logx)
        colour = next(colours)
        label = str(series.get("label", ""))
        if series.get("y_per_seed"):
            values = _positive(_floats(series["y_per_seed"]).reshape(-1, len(x)).T, logy)  # (points, seeds)
            for seed in values.T[:100]:
                ax.plot(x, seed, color=colour, alpha=min(0.25, 5 / values.shape[1]), lw=0.7)
            mean, low, high = mean_band(values, 0.95, rng)
            ax.fill_between(x, _positive(low, logy), _positive(high, logy), color=colour, alpha=0.25, lw=0)
            ax.plot(x, _positive(mean, logy), color=colour, lw=1.8,
                    label=f"{label} (mean of {values.shape[1]} seeds, 95% band)")
        else:
            y = _positive(_floats(series.get("y", [])), logy)
            ax.plot(x, y, "--" if series.get("reference") else "-", color=colour, lw=1.5, label=label)
    if logx:
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(_null_formatter())
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(str(panel.get("xlabel", "")))
    ax.set_ylabel(str(panel.get("ylabel", "")))
    ax.set_title(str(panel.get("title", "")), fontsize=9)
    ax.legend(fontsize=7, loc="best")
    ax.grid(True, which="both", alpha=0.25)


def panels(verdict: Verdict) -> list[tuple[str, Mapping[str, Any]]]:
    """The panels a verdict's evidence holds: ("rate", fit) and ("curve", panel) pairs."""
    found: list[tuple[str, Mapping[str, Any]]] = []
    fits = verdict.evidence.get("fits")
    if isinstance(fits, Sequence):
        found += [("rate", f) for f in fits if isinstance(f, Mapping) and (f.get("full_grid") or f.get("grid"))]
    curves = verdict.evidence.get("curves")
    if isinstance(curves, Sequence):
        found += [("curve", c) for c in curves if isinstance(c, Mapping) and c.get("series")]
    return found


def claim_plot(verdict: Verdict, path: Path, *, seed: int = 0) -> Path | None:
    """Draw every panel of ``verdict`` into one PNG at ``path`` (None when there is none).

    ``seed`` seeds the bootstrap of the drawn bands (a drawing aid, not a judged figure).
    """
    drawn = panels(verdict)
    if not drawn:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    columns = 1 if len(drawn) == 1 else 2
    rows = math.ceil(len(drawn) / columns)
    figure = MplFigure(figsize=(PANEL_SIZE[0] * columns, PANEL_SIZE[1] * rows), layout="constrained")
    FigureCanvasAgg(figure)  # the Agg backend, without touching pyplot's global state
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    rng = np.random.default_rng(seed)
    for ax, (kind, data) in zip(axes, drawn):
        (rate_panel if kind == "rate" else curve_panel)(ax, data, rng)
    for ax in axes[len(drawn):]:
        ax.set_visible(False)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=90)
    return path


def plot_name(claim_id: str) -> str:
    return f"{claim_id}.png"
