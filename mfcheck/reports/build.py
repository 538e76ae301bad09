"""Write a report folder from verdicts: ``summary.json``, ``report.md``, ``report.html`` and ``plots/``.

Everything a report shows comes from the verdicts (stored or fresh), the claims' tomls and
``theory/findings.toml``; the folder is self-contained (the HTML page embeds its plots).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mfcheck.judgement import STATUSES, Claim, Profile, Verdict
from mfcheck.reports.calibration_figures import calibration_entry
from mfcheck.reports.findings import DeclaredFinding, generate_findings
from mfcheck.reports.html import render_html
from mfcheck.reports.markdown import render_markdown
from mfcheck.reports.plots import claim_plot, plot_name
from mfcheck.reports.store import write_json_atomic, write_text_atomic
from mfcheck.reports.summary import SCHEMA, SCHEMA_VERSION, claim_entry

PLOTS = "plots"


def _plot(out: Path, verdict: Verdict, seed: int) -> tuple[str | None, str]:
    """The plot's path relative to ``out`` (None when there is nothing to draw) and a drawing error."""
    try:
        path = claim_plot(verdict, out / PLOTS / plot_name(verdict.claim_id), seed=seed)
    except Exception as error:  # malformed evidence must not lose the other claims' report
        return None, f"{type(error).__name__}: {error}"
    return (path.relative_to(out).as_posix() if path is not None else None), ""


def build_summary(out: Path, rows: Sequence[tuple[Claim, Verdict]], run: Mapping[str, Any], *,
                  profile: Profile, declared: Sequence[DeclaredFinding] | None = None,
                  calibration: Path | None = None) -> dict[str, Any]:
    """Draw the plots into ``out/plots`` (removing those of claims no longer in the report) and
    return the summary (``summary.json``'s content)."""
    entries = []
    for claim, verdict in rows:
        plot, plot_error = _plot(out, verdict, profile.master_seed)
        entry = claim_entry(claim, verdict, profile, plot)
        entry["calibration"] = calibration_entry(claim, calibration) if claim.rates else None
        if plot_error:
            entry["plot_error"] = plot_error
        entries.append(entry)
    drawn = {e["plot"] for e in entries if e["plot"]}
    for stale in (out / PLOTS).glob("*.png"):
        if stale.relative_to(out).as_posix() not in drawn:
            stale.unlink()
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "run": dict(run),
        # the run's settings also at the top level, where schema 1 (unversioned) had them
        **{key: run.get(key) for key in ("profile", "master_seed", "variant", "algorithm")},
        "counts": {s: sum(1 for _, v in rows if v.status == s) for s in STATUSES},
        "claims": entries,
        "findings": [f.to_dict() for f in generate_findings(rows, declared)],
    }


def write_report(out: Path, rows: Sequence[tuple[Claim, Verdict]], run: Mapping[str, Any], *,
                 profile: Profile, declared: Sequence[DeclaredFinding] | None = None,
                 calibration: Path | None = None) -> dict[str, Any]:
    """Write ``summary.json``, ``report.md``, ``report.html`` and ``plots/`` into ``out`` (created);
    returns the summary."""
    out.mkdir(parents=True, exist_ok=True)
    summary = build_summary(out, rows, run, profile=profile, declared=declared, calibration=calibration)
    write_json_atomic(out / "summary.json", summary)
    write_text_atomic(out / "report.md", render_markdown(summary))
    write_text_atomic(out / "report.html", render_html(summary, out))
    return summary
