"""MFG-NAC Lemma 7 along exact-oracle NAC runs."""

from __future__ import annotations

from mfcheck.checks.mfgnac import lemma7
from mfcheck.claims import QUICK
from mfcheck.testing.mutants.mfgnac_lemma7 import mutant_wrong_sign_run


def test_quick_run_passes_on_control_and_is_not_applicable_on_sis() -> None:
    verdict = lemma7.run(QUICK)
    assert verdict.status == "pass"
    control, sis_case = verdict.evidence["cases"]
    assert control["d_bar"] > 0 and control["n_violations"] == 0
    assert control["final_mu_error"] < 1e-4
    assert 1.0 <= control["C2"] < 1.1
    assert sis_case["d_bar"] < 0  # d3 = 1.51 on SIS: Lemma 7 says nothing
    assert any("does not apply" in r for r in verdict.reasons)


def test_rejects_wrong_sign_run() -> None:
    verdict = lemma7.run(QUICK, runner=mutant_wrong_sign_run)
    assert verdict.status == "fail"
    assert verdict.evidence["cases"][0]["n_violations"] > 100
