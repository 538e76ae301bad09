"""Plain-text table of a :class:`~mfcheck.compare.engine.Comparison` (JSON: ``Comparison.to_dict``)."""

from __future__ import annotations

import math
from collections import Counter

from mfcheck.compare.engine import ClaimComparison, Comparison


def number(value: float | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return f"{value:.4g}"


def difference_text(c: ClaimComparison) -> str:
    """``+1.2e-05 [-3e-06, 2.1e-05]``, or ``+1.2e-05 (exact, 1 seed)``, or ``-``."""
    i = c.interval
    if i is None:
        return "-"
    if i.exact:
        return f"{i.difference:+.4g} (exact, {i.n_seeds} seed{'s' if i.n_seeds != 1 else ''})"
    if math.isnan(i.low):
        return f"{i.difference:+.4g} (no interval)"
    return f"{i.difference:+.4g} [{i.low:+.4g}, {i.high:+.4g}], {i.n_seeds} seeds"


def judgement_text(c: ClaimComparison) -> str:
    text = c.judgement
    if c.judgement == "inconclusive" and c.seeds_to_decide:
        text += f" (~{c.seeds_to_decide} seeds would say {c.would_be})"
    if c.regressed:
        text += "  REGRESSED" + (" (newly failing)" if c.newly_failing else "")
    return text


def main_reason(c: ClaimComparison) -> str:
    """The variant's first reason to fail or err (a not-applicable part's reason only as a last resort)."""
    verdict = c.variant.verdict
    if c.variant_status not in ("fail", "error") or not verdict.reasons:
        return ""
    judged = [r for r in verdict.reasons if "hypothesis violated" not in r]
    return (judged or list(verdict.reasons))[0]


def table_rows(comparison: Comparison) -> list[list[str]]:
    head = ["claim", "figure (better)", "baseline", "variant", f"difference [{0.95:.0%} interval]", "δ",
            "status", "judgement"]
    rows = [head]
    for c in comparison.claims:
        figure = f"{c.figure} ({c.direction})" if c.figure else "-"
        rows.append([c.claim_id, figure, number(c.baseline_value), number(c.variant_value), difference_text(c),
                     number(c.margin) if c.figure else "-", f"{c.baseline_status} -> {c.variant_status}",
                     judgement_text(c)])
    return rows


def comparison_text(comparison: Comparison, *, baseline_label: str = "") -> str:
    """The whole plain-text output: run line, table, counts, notes, skipped claims."""
    lines = [f"variant {comparison.algorithm} against {baseline_label or comparison.baseline_source} "
             f"({comparison.baseline_algorithm}); profile {comparison.profile}, master seed "
             f"{comparison.master_seed}, {comparison.resamples} paired resamples"]
    rows = table_rows(comparison)
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
    for row in rows:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    counts = Counter(c.judgement for c in comparison.claims)
    judged = ", ".join(f"{counts[k]} {k}" for k in ("same", "better", "worse", "inconclusive", "n/a") if counts[k])
    regressed = comparison.regressed
    lines.append(f"{len(comparison.claims)} claims compared ({judged or 'none'}); "
                 + (f"regressed: {', '.join(regressed)}" if regressed else "nothing regressed"))
    for c in comparison.claims:
        if c.note and not c.note.startswith("exact"):  # the difference column says exact already
            lines.append(f"  {c.claim_id}: {c.note}")
        reason = main_reason(c)
        if reason:
            lines.append(f"  {c.claim_id} (variant {c.variant_status}): {reason}")
    by_reason: dict[str, list[str]] = {}
    for claim_id, reason in comparison.skipped:
        by_reason.setdefault(reason, []).append(claim_id)
    for reason, ids in by_reason.items():
        lines.append(f"  skipped ({reason}): {', '.join(ids)}")
    return "\n".join(lines)
