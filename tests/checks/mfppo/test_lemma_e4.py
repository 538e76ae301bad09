"""mfppo.lemma_e4: the MFPPO's N-agent Alg 2 semi-gradient vs the population one, E‖ĝ - g‖² = O(R²/N)."""

from __future__ import annotations

import pytest

from mfcheck.checks.mfppo import lemma_e4
from mfcheck.claims import QUICK, Verdict, run_claim
from mfcheck.testing.mutants.mfppo_lemma_e4 import FIXED_AGENT_SUBSAMPLE

CLAIM_ID = lemma_e4.CLAIM_ID
SMALL = lemma_e4.PpoLemmaE4Sizes(seeds=8, width=128)


def figure(verdict: Verdict, name: str):
    return next(f for f in verdict.measured if f.name == name)


def test_small_passes_with_exponent_minus_one(quick_sizes) -> None:
    with quick_sizes(lemma_e4.SIZES, SMALL):
        verdict = run_claim(CLAIM_ID, QUICK)
    assert verdict.status == "pass", verdict.reasons
    n_exp = figure(verdict, "N-exponent (aligned β)")
    assert -1.08 < n_exp.value < -0.92 and n_exp.high <= -0.9
    assert figure(verdict, "R-exponent (aligned β)").high <= 2.1
    assert verdict.overridden == ()


def test_rejects_fixed_agent_subsample(quick_sizes) -> None:
    with quick_sizes(lemma_e4.SIZES, SMALL):
        verdict = run_claim(CLAIM_ID, QUICK, algorithm=FIXED_AGENT_SUBSAMPLE)
    assert verdict.status == "fail"
    assert abs(figure(verdict, "N-exponent (aligned β)").value) < 0.1  # one agent whatever N


@pytest.mark.slow
def test_quick_profile_passes() -> None:
    verdict = lemma_e4.check(profile=QUICK)
    assert verdict.status == "pass", verdict.reasons
    assert figure(verdict, "N-exponent (aligned β)").high <= -0.9
