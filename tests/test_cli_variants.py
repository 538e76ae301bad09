"""--variant on the command line and the Python API: loading, applicability, exit codes, and the
paper's NAC against the two examples on mfgnac.lemma7 (pass / pass / fail)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import mfcheck
from mfcheck.algorithms.nac import NAC_DEFAULT
from mfcheck.claims.variants import VariantError, load_variant
from mfcheck.cli import main

ROOT = Path(__file__).resolve().parents[1]
VALID = f"{ROOT / 'examples' / 'nac_half_mean_field_step.py'}:VARIANT"
BROKEN = f"{ROOT / 'examples' / 'nac_wrong_sign_mean_field.py'}:VARIANT"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("examples/nowhere.py:VARIANT", "does not exist"),
        (f"{ROOT / 'examples' / 'nac_half_mean_field_step.py'}:NOPE", "has no attribute 'NOPE'"),
        ("mfcheck.algorithms.nac:Constant", "is not an algorithm value"),
        ("no_such_module_xyz:VARIANT", "not found"),
        ("just_a_name", "expected module:attribute"),
    ],
)
def test_bad_variant_is_a_usage_error_naming_it(spec: str, message: str) -> None:
    with pytest.raises(VariantError, match=message):
        load_variant(spec)
    result = invoke("check", "mfgnac.lemma7", "--variant", spec)
    assert result.exit_code == 2 and message in result.output


def test_part_with_the_wrong_signature_is_rejected_before_any_claim(tmp_path: Path) -> None:
    path = tmp_path / "bad_signature.py"
    path.write_text("import dataclasses\nfrom mfcheck.algorithms.nac import NAC_DEFAULT\n"
                    "VARIANT = dataclasses.replace(NAC_DEFAULT, mean_field_update=lambda mu: mu)\n")
    result = invoke("report", "--only", "mfgnac.lemma7", "--out", str(tmp_path / "out"), "--variant", f"{path}:VARIANT")
    assert result.exit_code == 2
    assert "mean_field_update" in result.output and "(mu, image, beta)" in result.output
    assert not (tmp_path / "out").exists()


def test_list_variant_says_which_claims_apply_and_why_not() -> None:
    result = invoke("list", "--json", "--variant", VALID)
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.output)}
    assert rows["mfgnac.lemma7"]["applies"] is True
    assert rows["mfppo.alg1"]["applies"] is False and "'mfppo'" in rows["mfppo.alg1"]["why"]
    assert rows["mfppo.prop3_1"]["applies"] is False and "judges no algorithm" in rows["mfppo.prop3_1"]["why"]


def test_claim_of_another_type_is_not_applicable_naming_the_expected_type() -> None:
    verdict = mfcheck.check("mfppo.alg1", load_variant(VALID))
    assert verdict.status == "not_applicable"
    assert "'mfppo'" in verdict.summary and "'nac'" in verdict.summary


def test_report_only_pattern_matching_nothing_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("report", "--only", "zzz*", "--out", str(tmp_path / "new"))
    assert result.exit_code == 2 and "matches no claim" in result.output


@pytest.fixture(scope="module")
def lemma7_verdicts() -> dict[str, object]:
    return {"paper": mfcheck.check("mfgnac.lemma7", NAC_DEFAULT),
            "valid": mfcheck.check("mfgnac.lemma7", VALID),
            "broken": mfcheck.check("mfgnac.lemma7", BROKEN)}


def test_paper_nac_and_the_valid_example_pass_the_broken_one_fails(lemma7_verdicts) -> None:
    assert lemma7_verdicts["paper"].status == "pass"
    assert lemma7_verdicts["valid"].status == "pass"
    assert lemma7_verdicts["broken"].status == "fail"
    assert "wrong_sign_update" in lemma7_verdicts["broken"].algorithm


def test_check_exit_codes_through_variant() -> None:
    assert invoke("check", "mfgnac.lemma7", "--variant", VALID).exit_code == 0
    broken = invoke("check", "mfgnac.lemma7", "--variant", BROKEN)
    assert broken.exit_code == 1 and "FAIL" in broken.output


def test_checker_error_is_status_error_and_exit_3(tmp_path: Path) -> None:
    path = tmp_path / "raising.py"
    path.write_text(
        "import dataclasses\nfrom mfcheck.algorithms.nac import NAC_DEFAULT\n"
        "def exploding(mu, image, beta):\n    raise RuntimeError('boom in the update')\n"
        "VARIANT = dataclasses.replace(NAC_DEFAULT, mean_field_update=exploding)\n")
    result = invoke("check", "mfgnac.lemma7", "--variant", f"{path}:VARIANT", "--json")
    assert result.exit_code == 3, result.output
    verdict = json.loads(result.output)
    assert verdict["status"] == "error" and "RuntimeError: boom in the update" in verdict["error"]
