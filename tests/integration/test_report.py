"""End to end: `mfcheck report` writes a table and JSON, and resumes from stored verdicts."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mfcheck.cli import main

pytestmark = pytest.mark.integration

FAST = ("mfgnac.lemma2", "mfgnac.compatible_fa")
FASTEST = "mfgnac.lemma3"


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


def test_report_writes_a_self_contained_folder(tmp_path) -> None:
    from mfcheck.claims.fingerprint import claim_fingerprint
    from mfcheck.judgement import DEFAULT_MASTER_SEED, Profile, get_claim

    out = tmp_path / "new" / "report"  # --out creates its folder
    result = CliRunner().invoke(main, ["report", "--only", FASTEST, "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("summary.json", "report.md", "report.html", f"verdicts/{FASTEST}.json"):
        assert (out / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["schema_version"] == 2
    run = summary["run"]
    assert (run["profile"], run["master_seed"], run["only"]) == ("quick", DEFAULT_MASTER_SEED, [FASTEST])
    assert run["packages"]["numpy"] and run["machine"]["cpu_count"] and "revision" in run["git"]
    (entry,) = summary["claims"]
    claim = get_claim(FASTEST)
    assert (entry["id"], entry["paper"], entry["source"], entry["kind"]) == (FASTEST, "mfgnac", claim.source, claim.kind)
    assert entry["status"] == "pass" and entry["stated"] and entry["measured"] and entry["seconds"] > 0
    assert entry["fingerprint"] == claim_fingerprint(claim, Profile(name="quick"))
    assert summary["counts"]["pass"] == 1
    page = (out / "report.html").read_text()
    assert '<table id="claims">' in page and f'id="{entry["section"][1:]}"' in page
    table = (out / "report.md").read_text()
    assert f"[{FASTEST}]({entry['section']})" in table and "| PASS |" in table


def test_only_matching_no_claim_is_a_usage_error(tmp_path) -> None:
    result = CliRunner().invoke(main, ["report", "--only", "mfppo.no_such_claim", "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert "matches no claim" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "r").exists()


def test_check_json_has_stated_and_measured_figures() -> None:
    result = CliRunner().invoke(main, ["check", "mfgnac.lemma2", "--json"])
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.output)
    assert verdict["status"] == "pass"
    assert verdict["stated"] and verdict["measured"]
    assert verdict["seconds"] > 0
