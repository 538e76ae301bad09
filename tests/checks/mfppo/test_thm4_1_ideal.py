"""mfppo.thm4_1_ideal: the ideal recursion holds on exact models; an update against Q breaks it."""

from __future__ import annotations

import numpy as np
from hypothesis import given

from mfcheck.checks.mfppo.thm4_1_ideal import (
    check_thm4_1_ideal,
    evaluate_reading,
    instances,
    run,
)
from mfcheck.claims import QUICK
from mfcheck.testing.mutants.mfppo_thm4_1_ideal import mutant_update_against_q
from mfcheck.testing.strategies_mfppo import mean_field_problems


def test_quick_profile_passes_with_positive_slack() -> None:
    verdict = run(QUICK)
    assert verdict.status == "pass"
    for reading in ("unnormalised", "normalised"):
        summary = verdict.evidence["by_reading"][reading]
        assert summary["violations"] == 0
        assert summary["worst_step_slack"] > 0.0
        assert summary["worst_bound_slack"] > 0.5


def test_mixed_reading_is_reported_and_can_fail() -> None:
    # Finding: normalised Q in the update with unnormalised L breaks the per-step inequality.
    verdict = run(QUICK)
    assert verdict.evidence["by_reading"]["mixed"]["worst_step_slack"] < 0


@given(mean_field_problems())
def test_hypothesis_instances_satisfy_both_consistent_readings(problem) -> None:
    for reading in ("unnormalised", "normalised"):
        out = evaluate_reading(problem, n_iterations=8, v=0.5, reading=reading)
        assert out["worst_step_slack"] >= 0.0
        assert out["bound_slack"] >= 0.0


def test_deterministic() -> None:
    a = evaluate_reading(instances(QUICK)[0], n_iterations=8, v=0.5, reading="normalised")
    b = evaluate_reading(instances(QUICK)[0], n_iterations=8, v=0.5, reading="normalised")
    assert a == b
    assert np.isfinite(a["min_gap"])


def test_rejects_update_against_q() -> None:
    verdict = check_thm4_1_ideal(instances(QUICK), n_iterations=(4, 16), vs=(0.05, 0.5, 5.0),
                                 direction=mutant_update_against_q())
    assert verdict.status == "fail"
    assert verdict.evidence["by_reading"]["normalised"]["worst_step_slack"] < 0
