"""mfppo.lemma4_1: Alg 2's evaluation error meets the T, N, m exponents; a mis-stepped TD does not."""

from __future__ import annotations

import pytest

from mfcheck.checks.mfppo._policy_step_rates import interval_upper_ends as _exponents
from mfcheck.checks.mfppo.lemma4_1 import check_lemma4_1, run
from mfcheck.claims import QUICK
from mfcheck.testing.mutants.mfppo_lemma4_1 import (
    mutant_constant_step_last_iterate,
    mutant_step_one_over_t,
)


def test_small_grid_passes_with_room(lemma4_small) -> None:
    verdict = check_lemma4_1(config=lemma4_small, master_seed=1)
    assert verdict.status == "pass", verdict.reasons
    high = _exponents(verdict)
    assert high["N"] < -1.0 and high["m"] < -0.5 and high["T"] <= -0.4
    assert verdict.evidence["assumption1_max_ratio"] < 1.0


def test_deterministic(lemma4_tiny) -> None:
    a = check_lemma4_1(config=lemma4_tiny, master_seed=2)
    b = check_lemma4_1(config=lemma4_tiny, master_seed=2)
    assert a.evidence == b.evidence


def test_rejects_step_one_over_t(lemma4_small) -> None:
    verdict = check_lemma4_1(mutant_step_one_over_t, config=lemma4_small, master_seed=1)
    assert verdict.status == "fail"
    assert _exponents(verdict)["T"] > -0.4


@pytest.mark.slow
def test_constant_step_last_iterate_does_not_violate(lemma4_small) -> None:
    # Finding (toml notes): the brief's suggested mutant converges faster than T^-1/2 here.
    verdict = check_lemma4_1(mutant_constant_step_last_iterate, config=lemma4_small, master_seed=1)
    assert verdict.status == "pass"


@pytest.mark.slow
def test_quick_profile_passes() -> None:
    verdict = run(QUICK)
    assert verdict.status == "pass"
    assert _exponents(verdict)["T"] <= -0.4
