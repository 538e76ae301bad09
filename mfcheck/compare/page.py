"""The HTML page of a comparison: one self-contained file (inline CSS, plots as base64 PNG).

Per claim, one plot with both sets of curves on the same axes, baseline in blue and variant in
orange: each fitted rate (``evidence["fits"]``: per-seed lines, mean with a bootstrap band,
fitted line), each curve panel (``evidence["curves"]``), and for claims with neither the
comparison figure per instance (one point per matching figure, baseline beside variant).
"""

from __future__ import annotations

import base64
import io
import math
import textwrap
from collections.abc import Mapping
from html import escape
from typing import Any

import numpy as np

from mfcheck.compare.engine import ClaimComparison, Comparison
from mfcheck.compare.figures import matching_figures
from mfcheck.compare.render import difference_text, judgement_text, number
from mfcheck.judgement import Verdict
from mfcheck.reports.html import STYLE
from mfcheck.reports.plots import PANEL_SIZE, _floats, _positive, mean_band, panels

TITLE = "mfcheck compare"
COLOURS = {"baseline": "tab:blue", "variant": "tab:orange"}
EXTRA_STYLE = ".regressed { background: #fbd9d7; } .judgement { font-weight: 700; }"


def _rate_pair(ax: Any, fits: Mapping[str, Mapping[str, Any] | None], rng: np.random.Generator) -> None:
    """Baseline and variant fits of one exponent on shared log-log axes."""
    parameter = "parameter"
    for who, fit in fits.items():
        if fit is None:
            continue
        colour = COLOURS[who]
        parameter = str(fit.get("parameter", parameter))
        grid = _floats(fit.get("full_grid") or fit.get("grid", []))
        per_seed = fit.get("errors_per_seed")
        if per_seed:
            errors = _positive(_floats(per_seed).reshape(len(grid), -1), log=True)
            for seed in errors.T[:100]:
                ax.plot(grid, seed, color=colour, alpha=min(0.25, 5 / errors.shape[1]), lw=0.6)
            mean, low, high = mean_band(errors, 0.95, rng)
            ax.fill_between(grid, _positive(low, True), _positive(high, True), color=colour, alpha=0.2, lw=0)
            ax.plot(grid, _positive(mean, True), "o-", color=colour, lw=1.5, ms=3,
                    label=f"{who}: mean of {errors.shape[1]} seeds")
        exponent, intercept = float(fit.get("exponent", math.nan)), float(fit.get("intercept", math.nan))
        fitted = _floats(fit.get("grid", []))
        if len(fitted) and math.isfinite(exponent) and math.isfinite(intercept):
            ci = fit.get("ci") or [fit.get("low"), fit.get("high")]
            ax.plot(fitted, np.exp(intercept) * fitted ** exponent, "--", color=colour, lw=2,
                    label=f"{who}: slope {exponent:.3g} [{_num(ci[0])}, {_num(ci[1])}]")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(parameter)
    ax.set_ylabel("error")
    label = next((str(f.get("label", "")) for f in fits.values() if f), "")
    ax.set_title(textwrap.fill(f"{label}: error against {parameter}", 80), fontsize=8)


def _num(value: Any) -> str:
    try:
        return f"{float(value):.3g}"
    except (TypeError, ValueError):
        return "?"


def _curve_pair(ax: Any, curves: Mapping[str, Mapping[str, Any] | None], rng: np.random.Generator) -> None:
    """Baseline and variant versions of one curve panel on shared axes (variant dashed)."""
    panel = next(c for c in curves.values() if c)
    logx, logy = bool(panel.get("logx", False)), bool(panel.get("logy", False))
    palette = ("tab:blue", "tab:green", "tab:purple", "tab:brown", "tab:gray", "tab:olive")
    for who, curve in curves.items():
        if curve is None:
            continue
        style = "-" if who == "baseline" else "--"
        for k, series in enumerate(curve.get("series", ())):
            colour = palette[k % len(palette)] if who == "baseline" else "tab:orange" if k == 0 else palette[
                (k + 3) % len(palette)]
            x = _positive(_floats(series.get("x", [])), logx)
            name = f"{who}: {series.get('label', '')}"
            if series.get("y_per_seed"):
                values = _positive(_floats(series["y_per_seed"]).reshape(-1, len(x)).T, logy)
                mean, low, high = mean_band(values, 0.95, rng)
                ax.fill_between(x, _positive(low, logy), _positive(high, logy), color=colour, alpha=0.2, lw=0)
                ax.plot(x, _positive(mean, logy), style, color=colour, lw=1.6,
                        label=f"{name} (mean of {values.shape[1]} seeds)")
            elif not (series.get("reference") and who == "variant"):
                ax.plot(x, _positive(_floats(series.get("y", [])), logy), ":" if series.get("reference") else style,
                        color=colour, lw=1.3, label=name)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(str(panel.get("xlabel", "")))
    ax.set_ylabel(str(panel.get("ylabel", "")))
    ax.set_title(textwrap.fill(str(panel.get("title", "")), 80), fontsize=8)


def _figure_points(ax: Any, c: ClaimComparison) -> None:
    """The comparison figure per instance, baseline beside variant."""
    found = {who: dict(matching_figures(run.verdict.measured, c.figure))
             for who, run in (("baseline", c.baseline), ("variant", c.variant))}
    names = list(dict.fromkeys([*found["baseline"], *found["variant"]]))
    for k, who in enumerate(("baseline", "variant")):
        x = [i + (k - 0.5) * 0.2 for i in range(len(names))]
        y = [found[who].get(n, math.nan) for n in names]
        ax.plot(x, y, "o", color=COLOURS[who], ms=8, label=who)
    ax.axhline(0.0, color="black", lw=0.6)
    ax.set_xticks(range(len(names)), [textwrap.fill(n, 34) for n in names], fontsize=7)
    ax.set_xlim(-0.6, len(names) - 0.4)
    ax.set_ylabel(c.figure if len(c.figure) <= 30 else c.figure[:29] + "…", fontsize=8)
    ax.set_title(f"{c.claim_id}: comparison figure per instance ({c.direction} is better)", fontsize=9)


def _panels(verdict: Verdict) -> list[tuple[str, Mapping[str, Any]]]:
    """The verdict's panels, and those of the parts a combined verdict keeps under their labels."""
    found = list(panels(verdict))
    for label, part in verdict.evidence.items():
        if isinstance(part, Mapping) and ("fits" in part or "curves" in part):
            inner = Verdict(claim_id=verdict.claim_id, status="pass", summary="", evidence=dict(part))
            for kind, data in panels(inner):
                key = "label" if kind == "rate" else "title"
                found.append((kind, {**data, key: f"{label}: {data.get(key, '')}"}))
    return found


def _pairs(c: ClaimComparison) -> list[tuple[str, dict[str, Any]]]:
    """Panels present in either verdict, matched by kind and label/title."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for who, run in (("baseline", c.baseline), ("variant", c.variant)):
        for kind, data in _panels(run.verdict):
            name = str(data.get("label", "")) + "|" + str(data.get("parameter", "")) if kind == "rate" else str(
                data.get("title", ""))
            out.setdefault((kind, name), {"baseline": None, "variant": None})[who] = data
    return [(kind, both) for (kind, _), both in out.items()]


def claim_png(c: ClaimComparison, *, seed: int = 0) -> bytes | None:
    """One PNG with every panel of the claim, both runs on each; None when there is nothing to draw."""
    drawn: list[tuple[str, Any]] = list(_pairs(c))
    if not drawn and c.figure and (c.baseline_value is not None or c.variant_value is not None):
        drawn = [("figures", c)]
    if not drawn:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    columns = 1 if len(drawn) == 1 else 2
    rows = math.ceil(len(drawn) / columns)
    figure = MplFigure(figsize=(PANEL_SIZE[0] * columns, PANEL_SIZE[1] * rows), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    rng = np.random.default_rng(seed)
    for ax, (kind, data) in zip(axes, drawn):
        if kind == "rate":
            _rate_pair(ax, data, rng)
        elif kind == "curve":
            _curve_pair(ax, data, rng)
        else:
            _figure_points(ax, data)
        ax.legend(fontsize=7, loc="best")
        ax.grid(True, which="both", alpha=0.25)
    for ax in axes[len(drawn):]:
        ax.set_visible(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def _row(c: ClaimComparison) -> str:
    cls = ' class="regressed"' if c.regressed else ""
    figure = f"{c.figure} ({c.direction} is better)" if c.figure else "-"
    return (f"<tr{cls}><td><a href=\"#{escape(c.claim_id)}\">{escape(c.claim_id)}</a></td><td>{escape(figure)}</td>"
            f"<td>{number(c.baseline_value)}</td><td>{number(c.variant_value)}</td>"
            f"<td>{escape(difference_text(c))}</td><td>{number(c.margin) if c.figure else '-'}</td>"
            f'<td><span class="status {c.baseline_status}">{c.baseline_status}</span> → '
            f'<span class="status {c.variant_status}">{c.variant_status}</span></td>'
            f'<td class="judgement">{escape(judgement_text(c))}</td></tr>')


def _section(c: ClaimComparison) -> str:
    png = claim_png(c)
    image = (f'<p><img alt="baseline and variant of {escape(c.claim_id)}" '
             f'src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}"></p>') if png else ""
    lines = [f"Baseline ({escape(c.baseline.algorithm or 'default')}): {escape(c.baseline.verdict.summary)}",
             f"Variant ({escape(c.variant.algorithm)}): {escape(c.variant.verdict.summary)}"]
    if c.note:
        lines.append(escape(c.note))
    lines += [f"Variant: {escape(r)}" for r in c.variant.verdict.reasons[:5]]
    return (f'<section class="claim" id="{escape(c.claim_id)}"><h3>{escape(c.claim_id)}: '
            f'{escape(judgement_text(c))}</h3><p><b>{escape(c.title)}</b></p>'
            + "".join(f"<p>{line}</p>" for line in lines) + image + "</section>")


def render_page(comparison: Comparison, *, baseline_label: str = "") -> str:
    """The whole HTML page of ``comparison``."""
    head = ("<tr><th>claim</th><th>figure</th><th>baseline</th><th>variant</th>"
            "<th>difference [95% interval]</th><th>δ</th><th>statuses</th><th>judgement</th></tr>")
    skipped = "".join(f"<li>{escape(cid)}: {escape(why)}</li>" for cid, why in comparison.skipped)
    regressed = comparison.regressed
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{TITLE}</title><style>{STYLE}{EXTRA_STYLE}</style></head><body>",
        f"<h1>{TITLE}</h1>",
        f'<p class="run">Variant {escape(comparison.algorithm)} against '
        f"{escape(baseline_label or comparison.baseline_source)} ({escape(comparison.baseline_algorithm)}); "
        f"profile {escape(comparison.profile)}, master seed {comparison.master_seed}, "
        f"{comparison.resamples} paired resamples.</p>",
        f'<p class="counts">{len(comparison.claims)} claims compared; '
        + (f"regressed: {escape(', '.join(regressed))}" if regressed else "nothing regressed") + "</p>",
        f'<table id="comparison"><thead>{head}</thead><tbody>'
        + "".join(_row(c) for c in comparison.claims) + "</tbody></table>",
        f"<ul>{skipped}</ul>" if skipped else "",
        *(_section(c) for c in comparison.claims),
        "</body></html>", ""])
