"""mfppo.thm4_1_ideal: the ideal recursion holds on the paper's MF-PPO's exact twin; an update
against Q breaks it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT
from mfcheck.checks.mfppo.thm4_1_ideal import CLAIM_ID, cells, instance, slacks
from mfcheck.claims import run_claim
from mfcheck.judgement import QUICK, Verdict
from mfcheck.testing.mutants.mfppo_thm4_1_ideal import UPDATE_AGAINST_Q
from mfcheck.testing.strategies_mfppo import mean_field_problems


@pytest.fixture(scope="module")
def verdict() -> Verdict:
    return run_claim(CLAIM_ID, QUICK)


def test_quick_profile_passes_with_positive_slack(verdict: Verdict) -> None:
    assert verdict.status == "pass", verdict.reasons
    for reading in ("unnormalised", "normalised"):
        summary = verdict.evidence["by_reading"][reading]
        assert summary["violations"] == 0
        assert summary["worst_step_slack"] > 0.04
        assert summary["worst_bound_slack"] > 1.0
    assert len(verdict.evidence["rows"]) == 4 * 3 * 3 * 3


def test_mixed_reading_is_reported_and_can_fail(verdict: Verdict) -> None:
    # Finding: normalised Q in the update with unnormalised L breaks the per-step inequality.
    assert verdict.evidence["by_reading"]["mixed"]["worst_step_slack"] < -0.02


@given(mean_field_problems())
def test_hypothesis_instances_satisfy_both_consistent_readings(problem) -> None:
    algorithm = dataclasses.replace(MFPPO_DEFAULT, n_iterations=8, v=0.5)
    for reading in ("unnormalised", "normalised"):
        out = slacks(problem, algorithm, reading=reading, rtol=1e-9)
        assert out["worst_step_slack"] >= 0.0
        assert out["bound_slack"] >= 0.0


def test_deterministic_instances() -> None:
    cell = cells(QUICK)[0]
    algorithm = dataclasses.replace(MFPPO_DEFAULT, n_iterations=8, v=0.5)
    a = slacks(instance(cell, 7), algorithm, reading="normalised", rtol=1e-9)
    b = slacks(instance(cell, 7), algorithm, reading="normalised", rtol=1e-9)
    assert a == b
    assert np.isfinite(a["min_gap"])


def test_rejects_update_against_q() -> None:
    out = run_claim(CLAIM_ID, QUICK, algorithm=UPDATE_AGAINST_Q)
    assert out.status == "fail"
    assert out.evidence["by_reading"]["normalised"]["worst_step_slack"] < -0.1
    assert out.evidence["by_reading"]["unnormalised"]["violations"] > 0
