"""MFG-NAC Lemma 7 along runs of the given NAC (own oracle and TD + SGD): the paper's NAC passes
on the contractive game, SIS is not applicable (d̄ < 0), broken mean-field steps fail."""

from __future__ import annotations

import pytest

from mfcheck.checks.mfgnac import lemma7
from mfcheck.claims import QUICK, Verdict, run_claim
from mfcheck.testing.mutants.mfgnac_lemma7 import FROZEN_MEAN_FIELD, WRONG_SIGN_MEAN_FIELD

CLAIM_ID = lemma7.CLAIM_ID
CONTROL, SIS, SAMPLED = "control (own oracle)", "sis (own oracle)", "control (td_sgd oracle)"


@pytest.fixture(scope="module")
def quick() -> Verdict:
    return run_claim(CLAIM_ID, QUICK)


def test_paper_nac_passes_on_the_contractive_game(quick: Verdict) -> None:
    assert quick.status == "pass"
    control = quick.evidence[CONTROL]
    assert control["violations"] == [] and control["violations_step7"] == 0
    assert control["conformance"]["theta"] < 1e-12 and control["conformance"]["mean_field"] < 1e-12
    assert control["final_mu_error"] < 1e-4 and 1.0 <= control["C2"] < 1.1
    # d̄ ≈ 0.18 > 0 from lower-bound estimates of d1, d2, d3: estimated, not certified
    d_bar, other = [h for h in quick.hypotheses if h.name == lemma7.D_BAR and h.holds]  # both control cells
    assert d_bar == other and 0.1 < d_bar.measured < 0.3 and not d_bar.certified
    assert "hypothesis estimated, not certified" in d_bar.render()


def test_sis_is_not_applicable_with_a_certified_violation(quick: Verdict) -> None:
    (violated,) = [h for h in quick.hypotheses if not h.holds]
    assert violated.name == lemma7.D_BAR and violated.certified
    assert violated.measured < -0.5  # d3 = 1.51 alone exceeds 1: d̄ ≈ -0.59
    assert quick.evidence[SIS]["d3"] > 1.45
    assert any(r.startswith(SIS) and "violated" in r for r in quick.reasons)


def test_sampled_run_passes_with_sigma_at_the_noise_floor(quick: Verdict) -> None:
    control, sampled = quick.evidence[CONTROL], quick.evidence[SAMPLED]
    assert sampled["violations"] == [] and sampled["violations_step7"] == 0 and sampled["min_slack"] > 0
    assert sampled["d_bar"] == control["d_bar"]  # same μ*, same estimate
    # the oracle noise keeps σ_t and ‖μ_T - μ*‖ at a floor; the term d2 C2 β sqrt(σ_t) carries a
    # large share of the RHS (a tiny one on the exact run)
    assert 1e-3 < sampled["sigma_median"] < 1e-2 and 1e-3 < sampled["final_mu_error"] < 2e-2
    assert sampled["sigma_term_share_median"] > 0.1 > 1e-2 > control["sigma_term_share_median"]
    assert 0.5 < sampled["ratio_median"] < 0.9
    eps = sampled["epsilon"]  # realised oracle errors, medians over t
    assert 2 < eps["critic"]["median"] < 20 and 5e-3 < eps["actor"]["median"] < 5e-2
    assert eps["approx"]["max"] < 1e-20 and eps["total"]["min"] > 0


def test_rejects_wrong_sign_mean_field(quick: Verdict) -> None:
    # the Done-when: the paper's NAC and the broken example on the same claim, through the
    # user's entry point: pass vs fail
    wrong_sign = run_claim(CLAIM_ID, QUICK, algorithm=WRONG_SIGN_MEAN_FIELD)
    assert (quick.status, wrong_sign.status) == ("pass", "fail")
    assert "wrong_sign_mean_field_update" in wrong_sign.algorithm
    for label in (CONTROL, SAMPLED):
        row = wrong_sign.evidence[label]
        # μ moves away from Γ2: 2β‖Γ2 - μ‖ off the update, and ‖μ_t - μ*‖ grows at every step
        assert row["conformance"]["mean_field"] > 0.05 and row["conformance"]["theta"] < 1e-12
        assert len(row["violations"]) == 300 and row["min_slack"] < -0.05
    assert sum("mean-field update" in r for r in wrong_sign.reasons) == 2
    assert any(h.name == lemma7.D_BAR and not h.holds for h in wrong_sign.hypotheses)  # SIS still n/a


def test_rejects_frozen_mean_field() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, algorithm=FROZEN_MEAN_FIELD)
    assert verdict.status == "fail"
    row = verdict.evidence[CONTROL]
    assert row["conformance"]["mean_field"] > 0.01 and len(row["violations"]) == 300
    assert row["final_mu_error"] > 0.5  # μ stays at ρ
