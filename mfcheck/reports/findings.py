"""Findings: the places where a measurement contradicts a paper, generated from ``theory/findings.toml``
and the verdicts.

Declared findings (``[[finding]]`` entries of ``theory/findings.toml``) are shown when their claim
is in the report and its verdict's status is one of the entry's ``when``; each quotes the verdict's
figures named in ``evidence``. Automatic findings are added for every claim whose toml declares
``no_honest_mutant``, every ``fail`` verdict that no shown declared finding covers ("the
measurement contradicts the claim"), and every ``not_applicable`` verdict with a violated
hypothesis (unless a shown declared ``hypothesis_fails`` finding covers it).
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mfcheck.judgement import STATUSES, Claim, Verdict, theory_dir

FINDING_KINDS: tuple[str, ...] = ("contradiction", "loose_bound", "wrong_order", "hypothesis_fails",
                                  "no_honest_mutant", "not_reproduced")
#: words for each kind, as headings in the report
KIND_TEXT = {
    "contradiction": "measurement contradicts the paper",
    "loose_bound": "bound loose by orders of magnitude",
    "wrong_order": "stated order is not the true one",
    "hypothesis_fails": "hypothesis fails on the paper's instances",
    "no_honest_mutant": "no honest mutant exists",
    "not_reproduced": "experiment does not reproduce",
}
#: figures quoted per evidence name (a prefix can match many)
QUOTED_PER_NAME = 6


@dataclass(frozen=True, kw_only=True)
class DeclaredFinding:
    """One ``[[finding]]`` entry of ``theory/findings.toml``."""

    claim: str
    kind: str
    title: str
    text: str
    evidence: tuple[str, ...] = ()
    when: tuple[str, ...] = ("fail",)


@dataclass(frozen=True, kw_only=True)
class Finding:
    """A finding shown in a report: what, where (``claim`` and its section's ``anchor``), evidence."""

    claim: str
    kind: str
    title: str
    text: str
    evidence: tuple[str, ...]
    origin: str  # "declared" | "automatic"
    status: str
    anchor: str

    def to_dict(self) -> dict[str, object]:
        return {"claim": self.claim, "kind": self.kind, "kind_text": KIND_TEXT[self.kind], "title": self.title,
                "text": self.text, "evidence": list(self.evidence), "origin": self.origin,
                "status": self.status, "section": f"#{self.anchor}"}


def findings_path() -> Path:
    return theory_dir() / "findings.toml"


def load_findings(path: Path | None = None) -> tuple[DeclaredFinding, ...]:
    """The declared findings (``ValueError`` naming the entry and key when one is malformed)."""
    path = findings_path() if path is None else path
    if not path.exists():
        return ()
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    found = []
    for index, entry in enumerate(data.get("finding", ())):
        where = f"{path}: [[finding]] {index} ({entry.get('claim', '?')})"
        for key in ("claim", "kind", "title", "text"):
            if key not in entry:
                raise ValueError(f"{where}: missing key {key!r}")
        unknown = set(entry) - {"claim", "kind", "title", "text", "evidence", "when"}
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        if entry["kind"] not in FINDING_KINDS:
            raise ValueError(f"{where}: kind {entry['kind']!r} not in {FINDING_KINDS}")
        when = entry.get("when", ["fail"])
        when = (when,) if isinstance(when, str) else tuple(when)
        bad = [w for w in when if w not in STATUSES]
        if bad:
            raise ValueError(f"{where}: when {bad} not in {STATUSES}")
        found.append(DeclaredFinding(claim=entry["claim"], kind=entry["kind"], title=entry["title"].strip(),
                                     text=" ".join(entry["text"].split()),
                                     evidence=tuple(entry.get("evidence", ())), when=when))
    return tuple(found)


def anchor(claim_id: str) -> str:
    """The id of a claim's section in report.html (and its heading anchor in report.md)."""
    return "claim-" + claim_id.replace(".", "-")


def quote_evidence(verdict: Verdict, names: Sequence[str]) -> tuple[str, ...]:
    """The rendered stated/measured figures and hypotheses whose name equals, starts with or
    matches (fnmatch) one of ``names``; a name matching nothing is quoted as not measured."""
    quoted: list[str] = []
    for name in names:
        def hit(candidate: str, name: str = name) -> bool:
            return candidate == name or candidate.startswith(name) or fnmatch.fnmatchcase(candidate, name)

        matched = [f"measured {f.render()}" for f in verdict.measured if hit(f.name)]
        matched += [f"stated {f.render()}" for f in verdict.stated if hit(f.name)]
        matched += [f"hypothesis {h.render()}" for h in verdict.hypotheses if hit(h.name)]
        matched = list(dict.fromkeys(matched))
        if len(matched) > QUOTED_PER_NAME:
            matched = [*matched[:QUOTED_PER_NAME], f"... and {len(matched) - QUOTED_PER_NAME} more {name!r} figures"]
        quoted.extend(matched or [f"{name}: not measured in this run"])
    return tuple(dict.fromkeys(quoted))


def _violated(verdict: Verdict) -> list[str]:
    return [h.render() for h in verdict.hypotheses if not h.holds]


def generate_findings(rows: Sequence[tuple[Claim, Verdict]],
                      declared: Sequence[DeclaredFinding] | None = None) -> list[Finding]:
    """Every finding of a report over ``rows`` (declared ones first, in file order, then automatic
    ones in claim order)."""
    declared = load_findings() if declared is None else declared
    verdicts = {claim.id: verdict for claim, verdict in rows}
    shown: list[Finding] = []
    covered: set[tuple[str, str]] = set()  # (claim, "fail" | "hypothesis_fails")
    for entry in declared:
        verdict = verdicts.get(entry.claim)
        if verdict is None or verdict.status not in entry.when:
            continue
        shown.append(Finding(claim=entry.claim, kind=entry.kind, title=entry.title, text=entry.text,
                             evidence=quote_evidence(verdict, entry.evidence), origin="declared",
                             status=verdict.status, anchor=anchor(entry.claim)))
        if verdict.status == "fail":
            covered.add((entry.claim, "fail"))
        if entry.kind == "hypothesis_fails":
            covered.add((entry.claim, "hypothesis_fails"))
    for claim, verdict in rows:
        common = {"claim": claim.id, "origin": "automatic", "status": verdict.status, "anchor": anchor(claim.id)}
        if claim.no_honest_mutant:
            shown.append(Finding(kind="no_honest_mutant", title=f"{claim.source}: no honest mutant exists",
                                 text=" ".join(claim.no_honest_mutant.split()), evidence=(), **common))
        if verdict.status == "fail" and (claim.id, "fail") not in covered:
            failed = [f"measured {f.render()}" for f in verdict.measured if f.low is not None or f.high is not None]
            shown.append(Finding(kind="contradiction", title=f"{claim.source}: the measurement contradicts the claim",
                                 text=verdict.summary, evidence=tuple(verdict.reasons) + tuple(failed[:6]),
                                 **common))
        violated = _violated(verdict)
        if verdict.status == "not_applicable" and violated and (claim.id, "hypothesis_fails") not in covered:
            shown.append(Finding(kind="hypothesis_fails",
                                 title=f"{claim.source}: a hypothesis fails on the checked instances",
                                 text=verdict.summary, evidence=tuple(f"hypothesis {v}" for v in violated),
                                 **common))
    return shown
