"""``mfcheck report --save-baseline`` and ``mfcheck compare`` on mfgnac.lemma7 with the two example
variants: every exit code (0 same, 1 regressed, 2 usage errors and a stale baseline, 3 a part that
raises), JSON and the HTML page."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mfcheck.claims.fingerprint import code_fingerprint
from mfcheck.cli import main
from mfcheck.compare import load_baseline
from mfcheck.compare.bootstrap import replay_figure
from mfcheck.compare.engine import EXIT_ERROR, EXIT_OK, EXIT_REGRESSED, EXIT_USAGE
from mfcheck.compare.figures import comparison_value
from mfcheck.judgement import get_claim

ROOT = Path(__file__).resolve().parents[2]
CLAIM = "mfgnac.lemma7"
VALID = f"{ROOT / 'examples' / 'nac_half_mean_field_step.py'}:VARIANT"
BROKEN = f"{ROOT / 'examples' / 'nac_wrong_sign_mean_field.py'}:VARIANT"
RAISING = f"{Path(__file__).resolve().parent / 'variants_for_tests.py'}:RAISING"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def compare(*args: str):
    return invoke("compare", "--only", CLAIM, "--resamples", "20", *args)


def test_saved_baseline_holds_verdict_records_and_fingerprint(lemma7_baseline: Path) -> None:
    data = json.loads(lemma7_baseline.read_text())
    assert data["schema"] == "mfcheck.baseline" and data["profile"] == "quick"
    run = data["claims"][CLAIM]
    assert run["code_fingerprint"] == code_fingerprint(get_claim(CLAIM))
    assert run["verdict"]["status"] == "pass" and run["algorithm"] == "NAC()"
    cells = {(r["settings"]["case"], r["settings"]["oracle"], r["seed_index"]) for r in run["records"]}
    assert cells == {("control", "own", 0), ("sis", "own", 0), ("control", "td_sgd", 0)}
    assert all(r["type"] == "record" and r["values"] for r in run["records"])
    # replaying the stored records (no recomputation) gives the stored verdict's figure back
    baseline = load_baseline(lemma7_baseline).claims[CLAIM]
    from mfcheck.checks.mfgnac.lemma7 import DEFAULT_ALGORITHM, check

    spec = get_claim(CLAIM).comparison
    assert spec is not None
    stored = comparison_value(baseline.verdict, spec)
    assert stored is not None and 0 < stored < 1e-3  # the exact-oracle run's smallest slack
    assert replay_figure(check, DEFAULT_ALGORITHM, baseline.prof, baseline.records, spec) == stored


def test_valid_variant_is_the_same_exit_0_with_json_and_html(lemma7_baseline: Path, tmp_path: Path) -> None:
    page = tmp_path / "compare.html"
    result = compare("--variant", VALID, "--baseline", str(lemma7_baseline), "--json", "--html", str(page))
    assert result.exit_code == EXIT_OK, result.output
    out = json.loads(result.stdout)
    assert out["regressed"] == [] and out["exit_code"] == 0 and out["profile"] == "quick"
    (row,) = out["claims"]
    assert (row["claim_id"], row["baseline_status"], row["variant_status"]) == (CLAIM, "pass", "pass")
    assert row["judgement"] == "same" and row["exact"] is True and row["n_seeds"] == 1
    assert row["figure"] == "min slack" and row["direction"] == "higher" and row["margin"] == 0.01
    assert abs(row["difference"] - (row["variant_value"] - row["baseline_value"])) < 1e-15
    assert 0 < row["variant_value"] < 0.01  # β halved: the exact run still contracts, with more slack
    html = page.read_text()
    assert 'id="comparison"' in html and "data:image/png;base64," in html and "same" in html


def test_broken_variant_regressed_exit_1_with_the_baseline_computed_now() -> None:
    result = compare("--variant", BROKEN)
    assert result.exit_code == EXIT_REGRESSED, result.output
    assert "computed now from each claim's default algorithm" in result.output
    line = next(x for x in result.stdout.splitlines() if x.startswith(CLAIM))
    assert "pass -> fail" in line and "worse" in line and "REGRESSED (newly failing)" in line
    assert "-0.05" in line  # the wrong-sign run's smallest slack
    assert "regressed: mfgnac.lemma7" in result.stdout


def test_part_that_raises_is_a_checker_error_exit_3(lemma7_baseline: Path) -> None:
    result = compare("--variant", RAISING, "--baseline", str(lemma7_baseline), "--json")
    assert result.exit_code == EXIT_ERROR, result.output
    (row,) = json.loads(result.stdout)["claims"]
    assert row["variant_status"] == "error" and row["judgement"] == "n/a" and not row["regressed"]
    assert "this mean-field update always raises" in row["variant_error"]


def test_stale_baseline_is_refused_naming_the_claim_exit_2(stale_baseline: Path) -> None:
    result = compare("--variant", VALID, "--baseline", str(stale_baseline))
    assert result.exit_code == EXIT_USAGE
    assert "refused" in result.output and "claim mfgnac.lemma7" in result.output
    assert "00000000000000000000" in result.output


def test_usage_errors_exit_2(lemma7_baseline: Path, tmp_path: Path) -> None:
    bad = tmp_path / "not_a_baseline.json"
    bad.write_text('{"schema": "something else"}')
    cases = [
        (["--variant", "examples/nowhere.py:VARIANT"], "does not exist"),
        (["--variant", VALID, "--baseline", str(tmp_path / "missing.json")], "no such file"),
        (["--variant", VALID, "--baseline", str(bad)], "not an mfcheck baseline"),
        (["--variant", VALID, "--baseline", str(lemma7_baseline), "--profile", "full"], "differs from the baseline"),
        (["--variant", VALID, "--only", "mfppo.alg1"], "applies to"),
    ]
    for args, message in cases:
        result = invoke("compare", *args)
        assert result.exit_code == EXIT_USAGE, (args, result.output)
        assert message in result.output, (args, result.output)
