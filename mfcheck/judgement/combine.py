"""Joining sub-verdicts and screening hypotheses: the one place statuses are combined.

Precedence: any ``error`` -> error; else any ``fail`` -> fail; else any ``pass`` -> pass; else
``not_applicable`` (every part had a violated hypothesis). A part that is not applicable never
turns a verdict into a fail.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mfcheck.judgement.verdict import Hypothesis, Verdict


def combined_status(statuses: Sequence[str]) -> str:
    for status in ("error", "fail", "pass"):
        if status in statuses:
            return status
    return "not_applicable" if statuses else "pending"


def combine(claim_id: str, parts: Sequence[Verdict], *, reading: str = "", summary: str | None = None,
            labels: Sequence[str] | None = None, evidence: dict[str, Any] | None = None) -> Verdict:
    """One verdict from ``parts`` (e.g. one per instance): status by precedence, figures of the
    judged parts, reasons of failed and not-applicable ones, evidence keyed by ``labels``."""
    if not parts:
        raise ValueError(f"combine({claim_id}): no parts to combine")
    labels = list(labels) if labels is not None else [f"part {i}" for i in range(len(parts))]
    if len(labels) != len(parts):
        raise ValueError(f"combine({claim_id}): {len(labels)} labels for {len(parts)} parts")
    status = combined_status([p.status for p in parts])
    judged = [p for p in parts if p.status in ("pass", "fail")] or list(parts)
    hypotheses = tuple(h for p in parts for h in p.hypotheses)
    return Verdict(
        claim_id=claim_id,
        status=status,  # type: ignore[arg-type]
        summary=summary if summary is not None else "; ".join(f"{lab}: {p.summary}" for lab, p in zip(labels, parts)),
        stated=tuple(dict.fromkeys(f for p in judged for f in p.stated)),
        measured=tuple(f for p in judged for f in p.measured),
        reading=reading or parts[0].reading,
        reasons=tuple(f"{lab}: {r}" for lab, p in zip(labels, parts) if p.status != "pass" for r in p.reasons),
        evidence={**{lab: p.evidence for lab, p in zip(labels, parts)}, **(evidence or {})},
        hypotheses=hypotheses,
        error="; ".join(p.error for p in parts if p.error),
    )


def not_applicable(claim_id: str, hypothesis: Hypothesis, *, reading: str = "",
                   evidence: dict[str, Any] | None = None) -> Verdict:
    """The verdict of an instance on which ``hypothesis`` is violated (named and measured)."""
    if hypothesis.holds:
        raise ValueError(f"not_applicable({claim_id}): hypothesis {hypothesis.name!r} holds")
    return Verdict(claim_id=claim_id, status="not_applicable",
                   summary=f"does not apply: {hypothesis.render()}",
                   reasons=(f"hypothesis violated: {hypothesis.render()}",),
                   reading=reading, hypotheses=(hypothesis,), evidence=evidence or {})


def screen(claim_id: str, hypotheses: Sequence[Hypothesis], *, reading: str = "",
           evidence: dict[str, Any] | None = None) -> Verdict | None:
    """``not_applicable`` naming the first violated hypothesis, or None when all hold."""
    for hypothesis in hypotheses:
        if not hypothesis.holds:
            return not_applicable(claim_id, hypothesis, reading=reading, evidence=evidence)
    return None
