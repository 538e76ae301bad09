"""`mfcheck report` runs cells through the sweep engine: per-cell records stored under
OUT/cells, the process pool gives the same verdicts as this process, a rerun reuses every cell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mfcheck.cli import main

CLAIM = "mfgnac.lemma3"


def report(out: Path, *extra: str) -> dict:
    result = CliRunner().invoke(main, ["report", "--only", CLAIM, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    (claim,) = summary["claims"]
    return claim


def test_report_stores_cell_records_and_reuses_them(tmp_path: Path) -> None:
    first = report(tmp_path / "a", "--executor", "sequential")
    lines = (tmp_path / "a" / "cells" / CLAIM / "records.jsonl").read_text().splitlines()
    assert len(lines) >= 10 and all(json.loads(line)["record"]["claim_id"] == CLAIM for line in lines)
    # a rerun without the stored verdict recomputes the verdict from the stored cells
    (tmp_path / "a" / "verdicts" / f"{CLAIM}.json").unlink()
    again = report(tmp_path / "a", "--executor", "sequential")
    assert again["measured"] == first["measured"] and again["status"] == first["status"] == "pass"
    assert (tmp_path / "a" / "cells" / CLAIM / "records.jsonl").read_text().splitlines() == lines


@pytest.mark.fullsize
def test_process_pool_report_equals_sequential(tmp_path: Path) -> None:
    sequential = report(tmp_path / "seq", "--executor", "sequential")
    pooled = report(tmp_path / "pool", "--executor", "process", "--workers", "2")
    assert pooled["measured"] == sequential["measured"] and pooled["status"] == sequential["status"]
