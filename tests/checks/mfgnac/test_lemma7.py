"""MFG-NAC Lemma 7 along exact-oracle and TD + SGD NAC runs."""

from __future__ import annotations

import pytest

from mfcheck.checks.mfgnac import lemma7
from mfcheck.claims import QUICK, Verdict
from mfcheck.testing.mutants.mfgnac_lemma7 import (
    mutant_oracle_noise_unrecorded,
    mutant_wrong_sign_run,
)


@pytest.fixture(scope="module")
def quick() -> Verdict:
    return lemma7.run(QUICK)


def test_quick_run_passes_on_control_and_is_not_applicable_on_sis(quick: Verdict) -> None:
    assert quick.status == "pass"
    control, sis_case = quick.evidence["cases"]
    assert control["d_bar"] > 0 and control["n_violations"] == 0
    assert control["final_mu_error"] < 1e-4
    assert 1.0 <= control["C2"] < 1.1
    assert sis_case["d_bar"] < 0  # d3 = 1.51 on SIS: Lemma 7 says nothing
    assert any("does not apply" in r for r in quick.reasons)


def test_sampled_run_passes_with_sigma_at_the_noise_floor(quick: Verdict) -> None:
    control = quick.evidence["cases"][0]
    (sampled,) = quick.evidence["sampled_cases"]
    assert sampled["n_violations"] == 0 and sampled["n_violations_step7"] == 0
    assert sampled["min_slack"] > 0  # 0.0021 (QUICK seed)
    assert sampled["d_bar"] == control["d_bar"]  # same μ*, same estimate
    # the oracle noise keeps σ_t (median 0.003) and ‖μ_T - μ*‖ (0.005) at a floor; the term
    # d2 C2 β sqrt(σ_t) is ~30% of the RHS (0.07% on the exact run), LHS/RHS median 0.70 (0.97)
    assert 1e-3 < sampled["sigma_median"] < 1e-2 and 1e-3 < sampled["final_mu_error"] < 2e-2
    assert sampled["sigma_term_share_median"] > 0.1 > 1e-2 > control["sigma_term_share_median"]
    assert 0.5 < sampled["ratio_median"] < 0.9
    # realised oracle errors (medians over t): ε_critic 7.1, ε_actor 0.019, ε_approx ~1e-30
    eps = sampled["epsilon"]
    assert 2 < eps["critic"]["median"] < 20 and 5e-3 < eps["actor"]["median"] < 5e-2
    assert eps["approx"]["max"] < 1e-20 and eps["total"]["min"] > 0


def test_rejects_wrong_sign_run() -> None:
    control, _ = lemma7.check_exact_cases(QUICK, runner=mutant_wrong_sign_run)
    assert control.status == "fail"
    assert control.evidence["n_violations"] > 100


def test_rejects_oracle_noise_unrecorded() -> None:
    verdict = lemma7.check_sampled_case(QUICK, runner=mutant_oracle_noise_unrecorded)
    assert verdict.status == "fail"
    assert verdict.evidence["sigma_median"] == 0
    assert verdict.evidence["n_violations"] > 50  # 126 of 300 (QUICK seed)
