"""End to end: `mfcheck report` writes a table and JSON, and resumes from stored verdicts."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mfcheck.cli import main

pytestmark = pytest.mark.integration

FAST = ("mfgnac.lemma2", "mfgnac.compatible_fa")


def test_report_writes_table_and_summary_then_resumes(tmp_path) -> None:
    args = ["report", "--out", str(tmp_path), *[x for c in FAST for x in ("--only", c)]]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    verdicts = {c["id"]: c["verdict"] for c in summary["claims"]}
    assert set(verdicts) == set(FAST)
    assert all(v["status"] == "pass" for v in verdicts.values())
    assert all(v["master_seed"] == summary["master_seed"] for v in verdicts.values())
    table = (tmp_path / "report.md").read_text()
    assert all(c in table for c in FAST)
    assert "PASS" in table
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 0
    assert second.output.count("(stored)") == len(FAST)
    third = CliRunner().invoke(main, [*args, "--seed", "7"])
    assert "(stored)" not in third.output


def test_check_json_has_stated_and_measured_figures() -> None:
    result = CliRunner().invoke(main, ["check", "mfgnac.lemma2", "--json"])
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.output)
    assert verdict["status"] == "pass"
    assert verdict["stated"] and verdict["measured"]
    assert verdict["seconds"] > 0
