"""Calibration figures beside rate claims in a report: read from ``mfcheck calibrate``'s summaries.

For each claim with ``<folder>/<claim id>/summary.json``: seeds judged, false failures, the
observed rate and its one-sided Clopper-Pearson bound, the largest Gaussian tail estimate over
the fitted exponents, the calibrated sub-verdict, and whether the checker's code changed since
(``stale``: the summary's code fingerprint differs from the current one, or predates them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mfcheck.claims.fingerprint import code_fingerprint
from mfcheck.judgement import Claim


def calibration_entry(claim: Claim, folder: Path | None) -> dict[str, Any] | None:
    """The calibration figures of ``claim`` stored under ``folder`` (None when there are none)."""
    if folder is None:
        return None
    path = Path(folder) / claim.id / "summary.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text())
        tails = [r.get("tail_estimate") for r in data.get("rates", []) if r.get("tail_estimate") is not None]
        return {
            "n_seeds": len(data["seeds"]), "n_judged": int(data["n_judged"]), "n_fail": int(data["n_fail"]),
            "seeds": [min(data["seeds"]), max(data["seeds"])], "profile": data["profile"],
            "false_failure_rate": data["false_failure_rate"], "clopper_pearson_upper": data["clopper_pearson_upper"],
            "confidence": data["confidence"], "max_tail_estimate": max(tails) if tails else None,
            "sub_verdict": data.get("sub_verdict"),
            "stale": data.get("code_fingerprint") != code_fingerprint(claim),
        }
    except (KeyError, TypeError, ValueError):
        return None


def calibration_text(entry: dict[str, Any] | None) -> str:
    """One sentence for the claim's section (empty without calibration figures)."""
    if not entry:
        return ""
    part = f" ({entry['sub_verdict']} part)" if entry["sub_verdict"] else ""
    bound = entry["clopper_pearson_upper"]
    text = (f"Calibration{part}: {entry['n_fail']} false failures in {entry['n_judged']} master seeds "
            f"({entry['seeds'][0]}..{entry['seeds'][1]}, {entry['profile']} profile); one-sided "
            f"{entry['confidence']:.0%} Clopper-Pearson bound "
            + (f"{bound:.2%}" if isinstance(bound, float) else "n/a"))
    if entry["max_tail_estimate"] is not None:
        text += f", largest Gaussian tail estimate {entry['max_tail_estimate']:.2g}"
    if entry["stale"]:
        text += "; measured with earlier checker code (rerun `mfcheck calibrate` to refresh)"
    return text + "."
