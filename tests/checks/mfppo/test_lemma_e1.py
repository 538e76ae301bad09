"""mfppo.lemma_e1: linearisation gap E|F⁰_β - F_β|², exponents in m and R, both kinds of β."""

from __future__ import annotations

import pytest

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT
from mfcheck.checks.mfppo import lemma_e1
from mfcheck.claims import QUICK, Verdict, run_claim
from mfcheck.testing.mutants.mfppo_lemma_e1 import R_SQUARED_ORDER

CLAIM_ID = lemma_e1.CLAIM_ID
SMALL = lemma_e1.PpoLemmaE1Sizes(widths=(256, 512, 1024, 2048, 4096), radii=(0.25, 0.5, 1.0, 2.0), radius_width=1024,
                       seeds=6, seeds_tight=8)


def figure(verdict: Verdict, name: str):
    return next(f for f in verdict.measured if f.name == name)


@pytest.fixture(scope="module")
def paper_verdict() -> Verdict:
    return run_claim(CLAIM_ID, QUICK)


def test_quick_independent_meets_the_order_adversarial_does_not(paper_verdict: Verdict) -> None:
    # independent β: gap ~ R³ m^-3/2 (faster than stated in m, exactly R³)
    m_ind = figure(paper_verdict, "m-exponent (independent β)")
    assert -1.8 < m_ind.value < -1.2 and m_ind.high <= -0.4
    r_ind = figure(paper_verdict, "R-exponent (independent β)")
    assert 2.85 < r_ind.value < 3.1 and r_ind.high <= 3.1
    # β built from β(0): gap ~ R^(8/3) m^(-1/3), slower than the stated m^-1/2
    m_adv = figure(paper_verdict, "m-exponent (adversarial β)")
    assert -0.42 < m_adv.value < -0.3 and m_adv.high > -0.4
    assert 2.5 < figure(paper_verdict, "R-exponent (adversarial β)").value < 2.85
    assert paper_verdict.status == "fail"
    assert any("Assumption 2" in reason for reason in paper_verdict.reasons)
    assert all("independent" not in reason for reason in paper_verdict.reasons)


def test_rejects_r_squared_order(quick_sizes) -> None:
    with quick_sizes(lemma_e1.SIZES, SMALL):
        verdict = run_claim(CLAIM_ID, QUICK, statement=R_SQUARED_ORDER)
    assert verdict.status == "fail"
    assert any(r.startswith("independent β: R-exponent") for r in verdict.reasons)
    assert figure(verdict, "R-exponent (independent β)").low > 2.5  # R³, not R²


def test_judges_no_algorithm_and_is_deterministic(quick_sizes) -> None:
    assert run_claim(CLAIM_ID, QUICK, algorithm=MFPPO_DEFAULT).status == "not_applicable"
    tiny = lemma_e1.PpoLemmaE1Sizes(widths=(256, 512, 1024), radii=(0.5, 1.0, 2.0), radius_width=512, seeds=2, seeds_tight=2)
    with quick_sizes(lemma_e1.SIZES, tiny):
        assert lemma_e1.check(profile=QUICK).to_dict() == lemma_e1.check(profile=QUICK).to_dict()
