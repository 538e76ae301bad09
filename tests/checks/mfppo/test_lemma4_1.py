"""mfppo.lemma4_1: the MFPPO's Alg 2 error meets the T, N, m exponents; broken evaluations do not."""

from __future__ import annotations

import pytest

from mfcheck.checks.mfppo import lemma4_1
from mfcheck.claims import QUICK, run_claim
from mfcheck.testing.mutants.mfppo_lemma4_1 import FIXED_AGENT_SUBSAMPLE, STEP_ONE_OVER_T

CLAIM_ID = lemma4_1.CLAIM_ID
#: test sizes (the quick profile's T grid with one block of 16 runs, narrower networks)
SMALL = lemma4_1.PpoLemma41Sizes(runs=16, t_grid=(64, 256, 1024, 4096), t_seeds=1, n_grid=(1, 4, 16), m_grid=(16, 64, 256),
                       width=64, n_steps=512)
#: the sizes the mutants are rejected at
MUTANT = lemma4_1.PpoLemma41Sizes(runs=16, t_grid=(64, 256, 1024), t_seeds=1, n_grid=(1, 4, 16, 64), m_grid=(16, 64),
                        width=32, n_steps=256)


@pytest.fixture(scope="module")
def default_verdict(quick_sizes):
    with quick_sizes(lemma4_1.SIZES, SMALL):
        return run_claim(CLAIM_ID, QUICK)


def test_small_grid_passes_with_room(default_verdict, upper) -> None:
    assert default_verdict.status == "pass", default_verdict.reasons
    high = upper(default_verdict)
    assert high["N"] < -0.9 and high["m"] < -0.3 and high["T"] <= -0.4  # bounds -0.4, -0.15, -0.4
    assert default_verdict.evidence["assumption1_max_ratio"] < 1.0
    assert default_verdict.hypotheses[0].holds and default_verdict.overridden == ()


def test_rejects_fixed_agent_subsample(quick_sizes, upper) -> None:
    with quick_sizes(lemma4_1.SIZES, MUTANT):
        verdict = run_claim(CLAIM_ID, QUICK, algorithm=FIXED_AGENT_SUBSAMPLE)
    assert verdict.status == "fail"
    assert upper(verdict)["N"] > -0.4  # the N-term stays that of one agent
    assert any(reason.startswith("‖F^(N) - F^(∞)‖² coupled: N-exponent") for reason in verdict.reasons)


def test_rejects_step_one_over_t(quick_sizes, upper) -> None:
    with quick_sizes(lemma4_1.SIZES, MUTANT):
        verdict = run_claim(CLAIM_ID, QUICK, algorithm=STEP_ONE_OVER_T)
    assert verdict.status == "fail"
    assert upper(verdict)["T"] > -0.4


def test_cells_are_seeded_by_what_they_are() -> None:
    cells = lemma4_1.cells(QUICK)
    assert len({c.key for c in cells}) == len(cells) == 6 * 4 + 1 + 4
    other = lemma4_1.cells(QUICK, "mfppo.lemma4_2")
    assert cells[0].rng(1, "s").random() != other[0].rng(1, "s").random()
    assert cells[3].rng(1, "s").random() == lemma4_1.cells(QUICK)[3].rng(1, "s").random()


@pytest.mark.slow
def test_quick_profile_passes(upper) -> None:
    verdict = lemma4_1.check(profile=QUICK)
    assert verdict.status == "pass", verdict.reasons
    high = upper(verdict)
    assert high["T"] <= -0.4 and high["N"] < -1.0 and high["m"] < -0.5
