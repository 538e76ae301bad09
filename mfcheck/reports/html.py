"""``report.html``: one self-contained page (inline CSS, plots embedded as base64 PNG) that opens
offline: run line, the claims table (``id="claims"``), findings, one section per claim
(``id="claim-<paper>-<name>"``), run details.

A page script sets ``document.title`` to :data:`IMAGES_LOADED` on ``window.onload`` when every
image is complete with a non-zero natural width (and ``<body data-images-loaded="n">``), so a
headless browser's dumped DOM shows that the page rendered with its plots.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from mfcheck.reports.calibration_figures import calibration_text
from mfcheck.reports.markdown import (
    counts_line,
    figures,
    measured_cell,
    run_line,
    seeds_text,
    short_figures,
)
from mfcheck.reports.table import STATUS_MARK

TITLE = "mfcheck report"
#: document.title once every image has loaded (the rendering test looks for it)
IMAGES_LOADED = "mfcheck report: all images loaded"
IMAGES_BROKEN = "mfcheck report: an image did not load"

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
.run { color: #555; } .counts { font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #f4f4f4; }
td.figs { font-family: ui-monospace, monospace; font-size: 12px; }
.status { font-weight: 700; padding: 1px 6px; border-radius: 3px; white-space: nowrap; }
.pass { background: #d7f5dd; color: #125c22; } .fail { background: #fbd9d7; color: #8a1510; }
.not_applicable { background: #e8e8f8; color: #333a80; } .error { background: #ffe7b8; color: #7a4b00; }
.pending { background: #eee; color: #555; }
section.claim { border-top: 1px solid #ddd; padding-top: 0.5em; margin-top: 1.5em; }
.meta { color: #666; font-size: 13px; }
blockquote { white-space: pre-wrap; border-left: 3px solid #ccc; margin: 0.5em 0; padding-left: 1em; color: #333; }
img { max-width: 100%; border: 1px solid #eee; }
.finding { border-left: 4px solid #c0392b; padding: 0.2em 1em; margin: 1em 0; background: #fdf6f5; }
.finding.no_honest_mutant, .finding.loose_bound { border-color: #d68910; background: #fdf9f0; }
.more { color: #666; font-style: italic; }
details { margin: 0.5em 0; } summary { cursor: pointer; color: #1f4e8c; }
"""

SCRIPT = f"""
window.onload = function () {{
  var images = Array.prototype.slice.call(document.images);
  var loaded = images.every(function (i) {{ return i.complete && i.naturalWidth > 0; }});
  document.body.setAttribute("data-images-loaded", loaded ? String(images.length) : "broken");
  document.title = loaded ? "{IMAGES_LOADED}" : "{IMAGES_BROKEN}";
}};
"""


def _status(status: str) -> str:
    return f'<span class="status {status}">{STATUS_MARK[status]}</span>'


def _lines(items: Sequence[str], more: int, more_text: str) -> str:
    text = "<br>".join(escape(i) for i in items)
    return text + (f'<br><span class="more">... +{more} {escape(more_text)}</span>' if more else "")


def _table(entries: Sequence[Mapping[str, Any]]) -> str:
    rows = []
    for entry in entries:
        stated, more_stated = short_figures(entry["stated"])
        measured, more_measured = measured_cell(entry)
        rows.append(
            f'<tr id="row-{escape(entry["section"].lstrip("#"))}"><td><a href="{escape(entry["section"])}">'
            f'{escape(entry["id"])}</a></td><td>{escape(entry["title"])}</td>'
            f'<td class="figs">{_lines(stated, more_stated, "more")}</td>'
            f'<td class="figs">{_lines(measured, more_measured, "more in its section")}</td>'
            f'<td>{_status(entry["status"])}</td></tr>')
    return ('<table id="claims"><thead><tr><th>claim</th><th>statement</th><th>stated</th><th>measured</th>'
            '<th>status</th></tr></thead><tbody>\n' + "\n".join(rows) + "\n</tbody></table>")


def _findings(findings: Sequence[Mapping[str, Any]]) -> str:
    if not findings:
        return "<p>No findings: no measurement in this report contradicts a paper.</p>"
    blocks = []
    for number, finding in enumerate(findings, 1):
        evidence = "".join(f"<li>{escape(e)}</li>" for e in finding["evidence"])
        blocks.append(
            f'<div class="finding {escape(finding["kind"])}"><h3>{number}. {escape(finding["title"])}</h3>'
            f'<p class="meta">{escape(finding["kind_text"])}; <a href="{escape(finding["section"])}">'
            f'{escape(finding["claim"])}</a> ({escape(finding["status"])}, {escape(finding["origin"])})</p>'
            f'<p>{escape(finding["text"])}</p>' + (f"<ul>{evidence}</ul>" if evidence else "") + "</div>")
    return "\n".join(blocks)


def _figure_rows(entry: Mapping[str, Any]) -> str:
    rows = []
    for which in ("stated", "measured"):
        for f in figures(entry[which]):
            interval = "" if f.low is None and f.high is None else (
                f"<= {f.high:.6g}" if f.low is None else f">= {f.low:.6g}" if f.high is None else f"[{f.low:.6g}, {f.high:.6g}]")
            rows.append(f"<tr><td>{which}</td><td>{escape(f.name)}</td><td>{escape(str(f.value))}</td>"
                        f"<td>{escape(interval)}</td><td>{escape(f.unit)}</td><td>{escape(f.note)}</td></tr>")
    return ("<table><thead><tr><th></th><th>figure</th><th>value</th><th>interval</th><th>unit</th><th>note</th>"
            "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _details(entry: Mapping[str, Any]) -> str:
    parts = [_figure_rows(entry)]
    hypotheses = [f"{h['name']}: {'holds' if h['holds'] else 'violated'}"
                  + (f" (measured {h['measured']})" if h.get("measured") is not None else "")
                  for h in entry["hypotheses"]]
    for title, items in (("Hypotheses", hypotheses), ("Reasons", entry["reasons"])):
        if items:
            parts.append(f"<p>{title}:</p><ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>")
    if entry["reading"]:
        parts.append(f"<p>Reading: {escape(' '.join(entry['reading'].split()))}</p>")
    grid = entry["grids"]
    if grid.get("cells"):
        axes = "; ".join(f"{k}: {v}" for k, v in grid["axes"].items())
        parts.append(f"<p>Grid: {grid['cells']} cells, {seeds_text(grid['seeds'])}; {escape(axes)}</p>")
    parts.append(f"<p>Algorithm: {escape(entry['algorithm'] or 'none (a closed form or a model)')}"
                 + (f"; overridden by the grid: {escape(', '.join(entry['overridden']))}" if entry["overridden"] else "")
                 + f"</p><p>Fingerprint {escape(entry['fingerprint'])}, profile {escape(str(entry['profile']))}, "
                 f"master seed {entry['master_seed']}, {entry['seconds']:.1f} s.</p>")
    count = f"{len(entry['stated'])} stated, {len(entry['measured'])} measured"
    return f"<details><summary>All figures ({count}), reading, grids</summary>{''.join(parts)}</details>"


def _image(out: Path, relative: str, alt: str) -> str:
    data = base64.b64encode((out / relative).read_bytes()).decode("ascii")
    return f'<p><img alt="{escape(alt)}" src="data:image/png;base64,{data}"></p>'


def _section(entry: Mapping[str, Any], out: Path) -> str:
    plot = _image(out, entry["plot"], f"plot of {entry['id']}") if entry["plot"] else ""
    return (f'<section class="claim" id="{escape(entry["section"].lstrip("#"))}">'
            f'<h3>{escape(entry["id"])} {_status(entry["status"])}</h3>'
            f'<p class="meta">{escape(entry["source"])}; {escape(entry["kind"])}; {entry["seconds"]:.1f} s; '
            f'<a href="#claims">back to the table</a></p>'
            f'<p><b>{escape(entry["title"])}</b></p><blockquote>{escape(entry["statement"])}</blockquote>'
            f'<p>{escape(" ".join(entry["sentences"]))}</p>'
            + (f'<p class="calibration">{escape(calibration_text(entry["calibration"]))}</p>'
               if entry.get("calibration") else "")
            + f'{plot}{_details(entry)}</section>')


def render_html(summary: Mapping[str, Any], out: Path) -> str:
    """The whole ``report.html`` of a summary; plots are read from ``out`` and embedded."""
    run, entries = summary["run"], summary["claims"]
    packages = "".join(f"<tr><td>{escape(n)}</td><td>{escape(v or 'not installed')}</td></tr>"
                       for n, v in run["packages"].items())
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{TITLE}</title><style>{STYLE}</style><script>{SCRIPT}</script></head><body>",
        f"<h1>{TITLE}</h1>", f'<p class="run">{escape(run_line(run))}</p>',
        f'<p class="counts">{escape(counts_line(summary["counts"]))}</p>',
        "<h2>Claims</h2>", _table(entries),
        '<h2 id="findings">Findings</h2>', _findings(summary["findings"]),
        "<h2>Claims in detail</h2>", *(_section(e, out) for e in entries),
        f'<h2>Run</h2><table id="packages"><thead><tr><th>package</th><th>version</th></tr></thead>'
        f"<tbody>{packages}</tbody></table>",
        f"<p class=\"meta\">schema {escape(summary['schema'])} version {summary['schema_version']}; "
        f"Python {escape(str((run.get('machine') or {}).get('python')))}; "
        f"git {escape(str((run.get('git') or {}).get('revision')))}</p>",
        "</body></html>", ""])
