"""mfppo.alg3_sgd: the given MF-PPO's policy improvement follows Algorithm 3; broken SGD parts are rejected."""

from __future__ import annotations

import dataclasses

import pytest

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT, sgd_improvement
from mfcheck.checks.mfppo.alg3_sgd import CLAIM_ID, check
from mfcheck.claims import run_claim
from mfcheck.judgement import QUICK, Profile, Verdict
from mfcheck.testing.mutants.mfppo_alg3_sgd import CONSTANT_STEP, LAST_ITERATE, NO_PROJECTION

STEP = "each step matches the torch reference with η = T^-1/2 (eq E.5-E.6)"


@pytest.fixture(scope="module")
def verdict() -> Verdict:
    return run_claim(CLAIM_ID, QUICK)


def test_paper_algorithm_conforms(verdict: Verdict) -> None:
    assert verdict.status == "pass", verdict.reasons
    worst = verdict.evidence["worst"]
    assert worst["distance"] <= 0.1 * (1 + 1e-9)
    assert worst["step"] < 1e-12
    assert worst["implied"] < 1e-9
    assert all(r["values"]["n_unprojected"] > 0 for r in verdict.evidence["records"])


def test_deterministic() -> None:
    other = Profile(name="quick", master_seed=3)
    assert check(profile=other).evidence == check(profile=other).evidence


def test_a_part_that_keeps_no_iterates_is_an_error() -> None:
    def forgetful(network, inner, batch, target):
        return sgd_improvement(network, dataclasses.replace(inner, record_iterates=False), batch, target)

    out = run_claim(CLAIM_ID, QUICK, algorithm=dataclasses.replace(MFPPO_DEFAULT, policy_improvement=forgetful))
    assert out.status == "error"
    assert "no iterates" in out.error


def test_rejects_no_projection() -> None:
    out = run_claim(CLAIM_ID, QUICK, algorithm=NO_PROJECTION)
    assert out.status == "fail"
    assert not out.evidence["checks"]["every iterate in B(β0, R)"]
    assert out.evidence["worst"]["distance"] > 0.3


def test_rejects_last_iterate() -> None:
    out = run_claim(CLAIM_ID, QUICK, algorithm=LAST_ITERATE)
    assert out.status == "fail"
    assert not out.evidence["checks"]["output is the ergodic mean of β(0..T-1)"]
    assert out.evidence["checks"][STEP]


def test_rejects_constant_step() -> None:
    out = run_claim(CLAIM_ID, QUICK, algorithm=CONSTANT_STEP)
    assert out.status == "fail"
    assert not out.evidence["checks"][STEP]
    figures = {f.name: f.value for f in out.measured}
    assert figures["step size implied by the iterates"] == pytest.approx(0.1, rel=1e-9)
