"""Verdicts round-trip through JSON; stored atomically; resumable."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mfcheck.claims import Figure, Verdict
from mfcheck.reports.store import load_verdict, save_verdict


def _verdict() -> Verdict:
    return Verdict(
        claim_id="mfppo.prop3_1",
        status="pass",
        summary="ok",
        stated=(Figure(name="exponent", value=-0.5),),
        measured=(Figure(name="exponent", value=np.float64(-0.52), low=-0.6, high=-0.45),),
        evidence={"grid": np.arange(3), "nan": float("nan")},
        master_seed=3,
    )


def test_round_trip(tmp_path) -> None:
    verdict = _verdict()
    path = save_verdict(tmp_path, verdict)
    data = json.loads(path.read_text())
    assert data["measured"][0]["value"] == -0.52
    assert data["evidence"] == {"grid": [0, 1, 2], "nan": "nan"}
    loaded = load_verdict(tmp_path, "mfppo.prop3_1")
    assert loaded is not None
    assert loaded.measured[0].render() == "exponent = -0.52 [-0.6, -0.45]"
    assert loaded.master_seed == 3
    assert not list(tmp_path.rglob("*.tmp"))


def test_corrupt_file_is_treated_as_missing(tmp_path) -> None:
    save_verdict(tmp_path, _verdict())
    (tmp_path / "verdicts" / "mfppo.prop3_1.json").write_text("{not json")
    assert load_verdict(tmp_path, "mfppo.prop3_1") is None


def test_unknown_status_is_rejected() -> None:
    with pytest.raises(ValueError, match="maybe"):
        Verdict(claim_id="x.y", status="maybe", summary="")  # type: ignore[arg-type]


def test_markdown_table_escapes_pipes_in_figures() -> None:
    from mfcheck.claims import get_claim
    from mfcheck.reports.table import markdown_table

    verdict = Verdict(
        claim_id="mfppo.prop3_2",
        status="pass",
        summary="",
        measured=(Figure(name="max |π - π'|", value=1e-9),),
    )
    row = markdown_table([(get_claim("mfppo.prop3_2"), verdict)]).splitlines()[-1]
    assert row.count(" | ") == 5
    assert "\\|π - π'\\|" in row
