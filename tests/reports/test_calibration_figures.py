"""Calibration figures beside rate claims: read from mfcheck calibrate's summaries, marked stale
when the checker's code changed since."""

from __future__ import annotations

import json
from pathlib import Path

from mfcheck.claims.fingerprint import code_fingerprint
from mfcheck.judgement import get_claim
from mfcheck.reports.calibration_figures import calibration_entry, calibration_text

CLAIM = "mfppo.lemma_e4"


def write_summary(folder: Path, fingerprint: str | None) -> None:
    data = {"claim_id": CLAIM, "profile": "quick", "sub_verdict": None, "seeds": list(range(1000, 1100)),
            "statuses": ["pass"] * 100, "seconds": [1.0] * 100, "n_fail": 0, "n_judged": 100,
            "failed_seeds": [], "false_failure_rate": 0.0, "clopper_pearson_upper": 0.0295,
            "confidence": 0.95, "rates": [{"tail_estimate": 9e-29}, {"tail_estimate": 1e-3}]}
    if fingerprint is not None:
        data["code_fingerprint"] = fingerprint
    (folder / CLAIM).mkdir(parents=True)
    (folder / CLAIM / "summary.json").write_text(json.dumps(data))


def test_current_calibration_is_quoted_with_its_bound_and_tail(tmp_path: Path) -> None:
    claim = get_claim(CLAIM)
    write_summary(tmp_path, code_fingerprint(claim))
    entry = calibration_entry(claim, tmp_path)
    assert entry is not None and entry["stale"] is False
    assert (entry["n_fail"], entry["n_judged"], entry["max_tail_estimate"]) == (0, 100, 1e-3)
    text = calibration_text(entry)
    assert "0 false failures in 100 master seeds (1000..1099" in text and "2.95%" in text
    assert "earlier checker code" not in text


def test_calibration_from_other_code_is_marked_stale(tmp_path: Path) -> None:
    write_summary(tmp_path, None)
    entry = calibration_entry(get_claim(CLAIM), tmp_path)
    assert entry is not None and entry["stale"] is True
    assert "earlier checker code" in calibration_text(entry)


def test_no_summary_no_figures(tmp_path: Path) -> None:
    assert calibration_entry(get_claim(CLAIM), tmp_path) is None
    assert calibration_entry(get_claim(CLAIM), None) is None
    assert calibration_text(None) == ""
