"""``report.md``: run line, summary table, findings, one section per claim, run details.

Rendered from the summary (:mod:`mfcheck.reports.summary`'s schema), so a stored
``summary.json`` can be rendered again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mfcheck.judgement import Figure
from mfcheck.reports.calibration_figures import calibration_text
from mfcheck.reports.table import STATUS_MARK

#: figures shown in a table cell; the rest go to the claim's details block
TABLE_FIGURES = 3


def figures(data: Sequence[Mapping[str, Any]]) -> list[Figure]:
    return [Figure(**f) for f in data]


def figure_text(figure: Figure) -> str:
    """``name = value [low, high] unit``, with a one-sided interval said in words."""
    if (figure.low is None) == (figure.high is None):
        return figure.render()
    plain = Figure(name=figure.name, value=figure.value, unit=figure.unit).render()
    side = f"upper end <= {figure.high:.4g}" if figure.low is None else f"lower end >= {figure.low:.4g}"
    return f"{plain} ({side})"


def short_figures(data: Sequence[Mapping[str, Any]], limit: int = TABLE_FIGURES) -> tuple[list[str], int]:
    """The figures a table cell shows (those with an interval first) and how many it leaves out."""
    ranked = sorted(figures(data), key=lambda f: f.low is None and f.high is None)
    return [figure_text(f) for f in ranked[:limit]], max(0, len(data) - limit)


def measured_cell(entry: Mapping[str, Any]) -> tuple[list[str], int]:
    """What the table's "measured" column says for a claim (figures, or why there are none)."""
    status = entry["status"]
    if status == "pending":
        return [], 0
    if status == "error":
        return [f"error: {entry['error'] or entry['summary']}"[:200]], 0
    if status == "not_applicable":
        return [f"not applicable: {(entry['violated_hypotheses'] or [entry['summary']])[0]}"], 0
    return short_figures(entry["measured"])


def run_line(run: Mapping[str, Any]) -> str:
    git = run.get("git") or {}
    revision = (git.get("revision") or "no git revision")[:12] + (" (uncommitted changes)" if git.get("dirty") else "")
    machine = run.get("machine") or {}
    return (f"{run['profile']} profile, master seed {run['master_seed']}, algorithm: {run['algorithm']}; "
            f"git {revision}; {machine.get('platform', '?')}, {machine.get('cpu_count', '?')} CPUs; "
            f"created {run.get('created', '?')}")


def counts_line(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{n} {STATUS_MARK[s].lower() if s != 'not_applicable' else 'not applicable'}"
                     for s, n in counts.items() if n) or "no claims"


def seeds_text(n: int | None) -> str:
    return "1 seed index" if n == 1 else f"{n} seed indices"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(entries: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = ["| claim | statement | stated | measured | status |", "|---|---|---|---|---|"]
    for entry in entries:
        stated, more_stated = short_figures(entry["stated"])
        measured, more_measured = measured_cell(entry)
        stated += [f"... +{more_stated} more"] if more_stated else []
        measured += [f"... +{more_measured} more (details in its section)"] if more_measured else []
        lines.append(f"| [{entry['id']}]({entry['section']}) | {_cell(entry['title'])} | {_cell('; '.join(stated))} "
                     f"| {_cell('; '.join(measured))} | {STATUS_MARK[entry['status']]} |")
    return lines


def _findings(findings: Sequence[Mapping[str, Any]]) -> list[str]:
    if not findings:
        return ["No findings: no measurement in this report contradicts a paper.", ""]
    lines = []
    for number, finding in enumerate(findings, 1):
        lines += [f"### {number}. {finding['title']}", "",
                  f"*{finding['kind_text']}*, [{finding['claim']}]({finding['section']}) "
                  f"({finding['status']}, {finding['origin']})", "", finding["text"], ""]
        lines += [f"- {' '.join(e.split())}" for e in finding["evidence"]] + ([""] if finding["evidence"] else [])
    return lines


def _details(entry: Mapping[str, Any]) -> list[str]:
    lines = [f"<details><summary>All figures ({len(entry['stated'])} stated, {len(entry['measured'])} measured), "
             "reading, grids</summary>", ""]
    lines += [f"- stated: {figure_text(f)}" + (f" ({f.note})" if f.note else "") for f in figures(entry["stated"])]
    lines += [f"- measured: {figure_text(f)}" + (f" ({f.note})" if f.note else "")
              for f in figures(entry["measured"])]
    lines += [f"- hypothesis: {h['name']}: {'holds' if h['holds'] else 'violated'}"
              + (f" (measured {h['measured']})" if h.get("measured") is not None else "") for h in entry["hypotheses"]]
    lines += [f"- reason: {r}" for r in entry["reasons"]]
    if entry["reading"]:
        lines += ["", f"Reading: {' '.join(entry['reading'].split())}"]
    grid = entry["grids"]
    if grid.get("cells"):
        lines += ["", f"Grid: {grid['cells']} cells, {seeds_text(grid['seeds'])}; "
                  + "; ".join(f"{k}: {v}" for k, v in grid["axes"].items())]
    lines += ["", f"Algorithm: {entry['algorithm'] or 'none (a closed form or a model)'}"
              + (f"; overridden by the grid: {', '.join(entry['overridden'])}" if entry["overridden"] else ""),
              "", f"Fingerprint {entry['fingerprint']}, {entry['seconds']:.1f} s.", "", "</details>", ""]
    return lines


def _section(entry: Mapping[str, Any]) -> list[str]:
    anchor = entry["section"].lstrip("#")
    lines = [f'### <a id="{anchor}"></a>{entry["id"]}: {STATUS_MARK[entry["status"]]}', "",
             f"*{entry['source']}; {entry['kind']}; {entry['seconds']:.1f} s*", "",
             "> " + "\n> ".join(entry["statement"].splitlines()), "", " ".join(entry["sentences"]), ""]
    if entry.get("calibration"):
        lines += [calibration_text(entry["calibration"]), ""]
    if entry["plot"]:
        lines += [f"![{entry['id']}]({entry['plot']})", ""]
    return lines + _details(entry)


def render_markdown(summary: Mapping[str, Any]) -> str:
    """The whole ``report.md`` of a summary."""
    run, entries = summary["run"], summary["claims"]
    lines = ["# mfcheck report", "", run_line(run), "", f"**{counts_line(summary['counts'])}**", "",
             "## Claims", "", *_table(entries), "", "## Findings", "", *_findings(summary["findings"]),
             "## Claims in detail", ""]
    for entry in entries:
        lines += _section(entry)
    lines += ["## Run", "", "| package | version |", "|---|---|",
              *(f"| {name} | {version or 'not installed'} |" for name, version in run["packages"].items()), ""]
    return "\n".join(lines)
