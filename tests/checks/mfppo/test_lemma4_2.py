"""mfppo.lemma4_2: Alg 3's improvement error meets the T, N, m exponents; a mis-stepped SGD does not."""

from __future__ import annotations

import pytest

from mfcheck.checks.mfppo._policy_step_rates import interval_upper_ends as _exponents
from mfcheck.checks.mfppo.lemma4_2 import check_lemma4_2, run
from mfcheck.claims import QUICK
from mfcheck.testing.mutants.mfppo_lemma4_2 import (
    mutant_constant_step_last_iterate,
    mutant_step_one_over_t,
)


def test_small_grid_exponents(lemma4_small) -> None:
    # The SGD T-exponent sits at about -1/2 (quick: -0.65 [-0.82, -0.47]); at this small grid
    # (width 64, 16 seeds) its interval is ~±0.15 wide and can cross -0.4, so the small-grid
    # test asserts the point estimate; the verdict is asserted on the quick profile (slow).
    verdict = check_lemma4_2(config=lemma4_small, master_seed=1)
    high = _exponents(verdict)
    assert high["N"] < -1.0 and high["m"] < -0.5
    assert verdict.evidence["rates"][0]["exponent"] <= -0.4
    assert verdict.evidence["assumption1_max_ratio"] < 1.0


def test_deterministic(lemma4_tiny) -> None:
    a = check_lemma4_2(config=lemma4_tiny, master_seed=2)
    b = check_lemma4_2(config=lemma4_tiny, master_seed=2)
    assert a.evidence == b.evidence


def test_rejects_step_one_over_t(lemma4_small) -> None:
    verdict = check_lemma4_2(mutant_step_one_over_t, config=lemma4_small, master_seed=1)
    assert verdict.status == "fail"
    assert _exponents(verdict)["T"] > -0.4


@pytest.mark.slow
def test_constant_step_last_iterate_does_not_violate(lemma4_small) -> None:
    # Finding (toml notes): the brief's suggested mutant converges faster than T^-1/2 here.
    verdict = check_lemma4_2(mutant_constant_step_last_iterate, config=lemma4_small, master_seed=1)
    assert verdict.status == "pass"


@pytest.mark.slow
def test_quick_profile_passes() -> None:
    # With 96 seeds on the T sweep (power design, toml notes); at 16 seeds this failed at the
    # default master seed (T: -0.50 [-0.62, -0.37]).
    verdict = run(QUICK)
    assert verdict.status == "pass", verdict.reasons
    high = _exponents(verdict)
    assert high["T"] <= -0.4 and high["N"] < -1.0 and high["m"] < -0.5
