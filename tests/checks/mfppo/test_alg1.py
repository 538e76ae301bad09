"""mfppo.alg1: the given MF-PPO's outer loop follows Algorithm 1 (judged from its iterates)."""

from __future__ import annotations

import dataclasses

import pytest

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT
from mfcheck.checks.mfppo.alg1 import CLAIM_ID, check
from mfcheck.claims import run_claim
from mfcheck.judgement import QUICK, Profile, Verdict, using_executor
from mfcheck.testing.executors import json_round_trip
from mfcheck.testing.mutants.mfppo_alg1 import CONSTANT_TEMPERATURE, PROXIMITY_V

TARGET = "Alg 3 target = τ_{k+1}(F_θk/v_k + F_αk/τ_k), τ_{k+1} = v√K/(k+1), v_k = v√K"


@pytest.fixture(scope="module")
def verdict() -> Verdict:
    return run_claim(CLAIM_ID, QUICK)


def test_paper_algorithm_conforms(verdict: Verdict) -> None:
    assert verdict.status == "pass", verdict.reasons
    worst = verdict.evidence["worst"]
    assert worst["target_deviation"] < 1e-12
    assert worst["policy_deviation"] < 1e-12
    assert worst["twin_policy_deviation"] < 1e-12
    assert all(verdict.evidence["checks"].values())


def test_deterministic_and_seeded_by_cells() -> None:
    other = Profile(name="quick", master_seed=5)
    assert check(profile=other).evidence == check(profile=other).evidence


def test_records_round_tripped_through_json_give_the_same_verdict(verdict: Verdict) -> None:
    with using_executor(json_round_trip):
        again = run_claim(CLAIM_ID, QUICK)
    assert again.status == verdict.status == "pass"
    assert again.measured == verdict.measured and again.stated == verdict.stated
    assert again.reasons == verdict.reasons and again.evidence == verdict.evidence


def test_a_valid_variant_passes_and_reports_overridden_sizes() -> None:
    wider = dataclasses.replace(MFPPO_DEFAULT, width=32, step_size=None)
    out = run_claim(CLAIM_ID, QUICK, algorithm=wider)
    assert out.status == "pass"
    assert out.overridden == ("width",)


def test_rejects_constant_temperature() -> None:
    out = run_claim(CLAIM_ID, QUICK, algorithm=CONSTANT_TEMPERATURE)
    assert out.status == "fail"
    checks = out.evidence["checks"]
    assert not checks[TARGET]
    assert out.evidence["worst"]["target_deviation"] > 0.5
    # Prop 3.2's policy is τ-free: the twin's policies still equal π_k exp(Q/v_k)/Z, its energies do not
    assert checks["exact twin: π_{k+1} = π_k exp(Q/v_k)/Z (Prop 3.2)"]
    assert not checks["exact twin: F_{k+1} = τ_{k+1}(Q/v_k + F_k/τ_k)"]


def test_rejects_proximity_v() -> None:
    out = run_claim(CLAIM_ID, QUICK, algorithm=PROXIMITY_V)
    assert out.status == "fail"
    assert not out.evidence["checks"][TARGET]
    assert out.evidence["worst"]["twin_policy_deviation"] > 1e-3
