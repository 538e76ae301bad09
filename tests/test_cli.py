"""The command line: list, check, report (with a stub claim so the test does not depend on checkers)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from mfcheck.claims import load_claims
from mfcheck.cli import main


def test_list_json_has_every_claim_with_kind_and_status() -> None:
    result = CliRunner().invoke(main, ["list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["id"] for r in rows} == {c.id for c in load_claims()}
    assert all(r["status"] in ("implemented", "pending") for r in rows)
    assert all(r["kind"] in ("exact", "rate", "empirical", "algorithm") for r in rows)


def test_list_plain_prints_one_line_per_claim() -> None:
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) == len(load_claims())


def test_check_unknown_claim_is_a_usage_error_with_suggestion() -> None:
    result = CliRunner().invoke(main, ["check", "mfppo.prop2_11"])
    assert result.exit_code == 2
    assert "unknown claim" in result.output


def test_check_rejects_unknown_profile() -> None:
    result = CliRunner().invoke(main, ["check", "mfppo.prop3_1", "--profile", "huge"])
    assert result.exit_code == 2
    assert "huge" in result.output
