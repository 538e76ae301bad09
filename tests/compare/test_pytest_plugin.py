"""The pytest plugin (``pytest --mfcheck-variant ...``) through pytester, on the two example variants
and two test-only ones: pass passes, fail fails with the figures, not_applicable is skipped with
its reason, a checker error is a test error, a baseline turns each test into a comparison that
fails on regression, and a stale baseline or a bad variant is a usage error."""

from __future__ import annotations

import os
import tomllib
from importlib.metadata import entry_points
from pathlib import Path

import pytest

# imported here so that pytester's in-process runs reuse them (it drops modules they import)
import mfcheck.checks.mfgnac.lemma7
import mfcheck.cli
import mfcheck.compare  # noqa: F401

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CLAIM = "mfgnac.lemma7"
VALID = f"{ROOT / 'examples' / 'nac_half_mean_field_step.py'}:VARIANT"
BROKEN = f"{ROOT / 'examples' / 'nac_wrong_sign_mean_field.py'}:VARIANT"
RAISING = f"{HERE / 'variants_for_tests.py'}:RAISING"
HUGE_STEP = f"{HERE / 'variants_for_tests.py'}:HUGE_STEP"
QUIET = ("-p", "no:cacheprovider", "-W", "ignore::pytest.PytestAssertRewriteWarning")


def plugin_args() -> list[str]:
    """``-p mfcheck.pytest_plugin`` unless pytest autoloads it from the installed entry point."""
    installed = any(ep.name == "mfcheck" and ep.value == "mfcheck.pytest_plugin"
                    for ep in entry_points(group="pytest11"))
    return [] if installed and not os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD") else ["-p", "mfcheck.pytest_plugin"]


def run(pytester: pytest.Pytester, variant: str, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess(*plugin_args(), *QUIET, "-rA",
                                        "--mfcheck-variant", variant, "--mfcheck-only", CLAIM, *args)


def test_the_entry_point_is_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["pytest11"] == {"mfcheck": "mfcheck.pytest_plugin"}


def test_one_test_per_applicable_claim_named_by_its_id(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_inprocess(*plugin_args(), *QUIET, "--collect-only", "-q",
                                          "--mfcheck-variant", VALID)
    result.stdout.fnmatch_lines(["mfcheck::mfgnac.lemma7", "mfcheck::mfgnac.thm1"])
    assert "mfppo" not in result.stdout.str()  # MF-PPO claims judge another algorithm type
    assert result.ret == 0


def test_without_a_variant_the_plugin_collects_nothing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user="def test_user():\n    assert True\n")
    result = pytester.runpytest_inprocess(*plugin_args(), *QUIET)
    result.assert_outcomes(passed=1)


def test_valid_variant_passes(pytester: pytest.Pytester) -> None:
    result = run(pytester, VALID)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["PASSED mfcheck::mfgnac.lemma7"])


def test_broken_variant_fails_with_stated_and_measured_figures(pytester: pytest.Pytester) -> None:
    result = run(pytester, BROKEN)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*mfgnac.lemma7 fails on NAC(mean_field_update=*wrong_sign_update)*",
                                 "stated: *d̄ = 0.18*", "measured: *min slack = -0.05*",
                                 "FAILED mfcheck::mfgnac.lemma7*"])


def test_not_applicable_is_skipped_with_its_reason(pytester: pytest.Pytester) -> None:
    result = run(pytester, HUGE_STEP)
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["SKIPPED*mfgnac.lemma7 not_applicable*0 <= β_t <= 1: violated*"])


def test_checker_error_is_a_test_error(pytester: pytest.Pytester) -> None:
    result = run(pytester, RAISING)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*the checker raised*this mean-field update always raises*",
                                 "ERROR mfcheck::mfgnac.lemma7*"])


def test_with_a_baseline_a_regression_fails(pytester: pytest.Pytester, lemma7_baseline: Path) -> None:
    result = run(pytester, BROKEN, "--mfcheck-baseline", str(lemma7_baseline))
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*mfgnac.lemma7 regressed (newly failing*",
                                 "min slack (higher is better): baseline 7.37*e-08 (pass), variant -0.055* (fail);*worse"])


def test_with_a_baseline_a_claim_that_errors_is_still_an_error(pytester: pytest.Pytester,
                                                               lemma7_baseline: Path) -> None:
    run(pytester, RAISING, "--mfcheck-baseline", str(lemma7_baseline)).assert_outcomes(errors=1)


def test_stale_baseline_and_bad_variant_are_usage_errors(pytester: pytest.Pytester, stale_baseline: Path) -> None:
    stale = run(pytester, VALID, "--mfcheck-baseline", str(stale_baseline))
    assert stale.ret == pytest.ExitCode.USAGE_ERROR
    stale.stderr.fnmatch_lines(["*baseline*refused: claim mfgnac.lemma7*"])
    bad = run(pytester, "examples/nowhere.py:VARIANT")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR
    bad.stderr.fnmatch_lines(["*does not exist*"])
    nothing = pytester.runpytest_inprocess(*plugin_args(), "--mfcheck-variant", VALID, "--mfcheck-only", "nope.*")
    assert nothing.ret == pytest.ExitCode.USAGE_ERROR
    nothing.stderr.fnmatch_lines(["*--mfcheck-only 'nope.*' matches no claim*"])
    other = pytester.runpytest_inprocess(*plugin_args(), "--mfcheck-variant", VALID, "--mfcheck-only", "mfppo.alg1")
    assert other.ret == pytest.ExitCode.USAGE_ERROR
    other.stderr.fnmatch_lines(["*no implemented claim matching --mfcheck-only applies to NAC(*"])
