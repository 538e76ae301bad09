"""mfppo.lemma_e2: population semi-gradient gap ‖ḡ_β - ḡ⁰_β‖², exponents in m and R."""

from __future__ import annotations

import pytest

from mfcheck.checks.mfppo import lemma_e1, lemma_e2
from mfcheck.claims import QUICK, Verdict, run_claim
from mfcheck.testing.mutants.mfppo_lemma_e2 import INVERSE_WIDTH_ORDER

CLAIM_ID = lemma_e2.CLAIM_ID
SMALL = lemma_e1.PpoLemmaE1Sizes(widths=(256, 512, 1024, 2048, 4096), radius=0.25, seeds=6, seeds_tight=8, gamma=0.5,
                       reward_range=(2.0, 4.0))


def figure(verdict: Verdict, name: str):
    return next(f for f in verdict.measured if f.name == name)


@pytest.fixture(scope="module")
def paper_verdict() -> Verdict:
    return run_claim(CLAIM_ID, QUICK)


def test_quick_independent_meets_the_order_adversarial_does_not(paper_verdict: Verdict) -> None:
    m_ind = figure(paper_verdict, "m-exponent (independent β)")
    assert -0.6 < m_ind.value < -0.44 and m_ind.high <= -0.4  # the stated -1/2, attained
    assert 0.85 < figure(paper_verdict, "R-exponent (independent β)").value < 1.2
    m_adv = figure(paper_verdict, "m-exponent (adversarial β)")
    assert -0.45 < m_adv.value < -0.28 and m_adv.high > -0.4  # about -1/3
    assert 0.55 < figure(paper_verdict, "R-exponent (adversarial β)").value < 1.0
    assert paper_verdict.status == "fail"
    assert all("independent" not in reason for reason in paper_verdict.reasons)


def test_rejects_inverse_width_order(quick_sizes) -> None:
    with quick_sizes(lemma_e2.SIZES, SMALL):
        verdict = run_claim(CLAIM_ID, QUICK, statement=INVERSE_WIDTH_ORDER)
    assert verdict.status == "fail"
    assert any(r.startswith("independent β: m-exponent") for r in verdict.reasons)
    assert figure(verdict, "m-exponent (independent β)").high > -0.9  # m^-1/2, not m^-1
