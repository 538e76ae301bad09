"""Plain-text and Markdown rendering of verdicts (the full report format is its own module)."""

from __future__ import annotations

from collections.abc import Sequence

from mfcheck.judgement.spec import Claim
from mfcheck.judgement.verdict import Verdict

STATUS_MARK = {"pass": "PASS", "fail": "FAIL", "not_applicable": "N/A", "error": "ERROR", "pending": "PENDING"}


def figures_text(verdict: Verdict, which: str) -> str:
    figures = verdict.stated if which == "stated" else verdict.measured
    return "; ".join(f.render() for f in figures)


def _cell(text: str) -> str:
    """Escape a table cell: pipes inside figures (|x|) would split the Markdown row."""
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(rows: Sequence[tuple[Claim, Verdict | None]]) -> str:
    """A Markdown table with one row per claim: id, kind, verdict, stated and measured figures."""
    lines = [
        "| claim | kind | verdict | stated | measured | time (s) |",
        "|---|---|---|---|---|---|",
    ]
    for claim, verdict in rows:
        if verdict is None or verdict.status == "pending":
            lines.append(f"| {claim.id} | {claim.kind} | PENDING | | | |")
            continue
        if verdict.status in ("error", "not_applicable"):
            lines.append(f"| {claim.id} | {claim.kind} | {STATUS_MARK[verdict.status]} | "
                         f"{_cell(figures_text(verdict, 'stated'))} | {_cell(verdict.summary)} | "
                         f"{verdict.seconds:.1f} |")
            continue
        lines.append(
            f"| {claim.id} | {claim.kind} | {STATUS_MARK[verdict.status]} | "
            f"{_cell(figures_text(verdict, 'stated'))} | {_cell(figures_text(verdict, 'measured'))} | "
            f"{verdict.seconds:.1f} |"
        )
    return "\n".join(lines) + "\n"


def verdict_text(claim: Claim, verdict: Verdict) -> str:
    """A multi-line human description of one verdict."""
    lines = [
        f"{claim.id} ({claim.kind}, {claim.source}): {STATUS_MARK[verdict.status]}",
        f"  {verdict.summary}",
    ]
    if verdict.stated:
        lines.append("  stated:   " + figures_text(verdict, "stated"))
    if verdict.measured:
        lines.append("  measured: " + figures_text(verdict, "measured"))
    if verdict.reading:
        lines.append("  reading:  " + verdict.reading)
    for hypothesis in verdict.hypotheses:
        lines.append("  hypothesis: " + hypothesis.render())
    if verdict.overridden:
        lines.append("  overridden by the checker's grid: " + ", ".join(verdict.overridden))
    if verdict.algorithm:
        lines.append("  algorithm: " + verdict.algorithm)
    for reason in verdict.reasons:
        lines.append("  reason:   " + reason)
    lines.append(f"  profile {verdict.profile}, {verdict.seconds:.2f} s")
    return "\n".join(lines)
