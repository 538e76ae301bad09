"""mfppo.prop3_1: the printed count is exact, its order N^|S| an upper bound; the tight order
N^(|S|-1) is computed, and wrong statements are refuted with counterexamples."""

from __future__ import annotations

import pytest

from mfcheck.checks.mfppo.prop3_1 import PAPER_STATEMENT, check
from mfcheck.claims import QUICK, run_claim
from mfcheck.judgement import Verdict, using_executor
from mfcheck.testing.executors import json_round_trip
from mfcheck.testing.mutants.mfppo_prop3_1 import ORDERED_OVER_FACTORIAL, POWER_AS_TIGHT

CLAIM_ID = "mfppo.prop3_1"


@pytest.fixture(scope="module")
def verdict() -> Verdict:
    return run_claim(CLAIM_ID, QUICK)


def test_paper_statement_passes_and_tight_order_is_computed(verdict: Verdict) -> None:
    assert verdict.status == "pass", verdict.reasons
    figures = {f.name: f.value for f in verdict.measured}
    assert figures["count mismatches"] == 0 and figures["order counterexamples"] == 0
    assert figures["grid pairs checked"] == 3600 and figures["brute-force pairs"] == 236
    assert figures["sympy identity"] is True
    assert figures["stated order tight"] is False and figures["tight order"] == "N^(|S|-1)"
    order = verdict.evidence["order"]
    assert [r["degree"] for r in order] == [s - 1 for s in range(1, 13)]
    assert all(abs(r["slope"] - r["degree"]) < 1e-3 for r in order)
    assert "not tight" in verdict.summary


def test_check_is_deterministic_and_takes_the_statement_by_keyword() -> None:
    first = check(profile=QUICK, statement=PAPER_STATEMENT)
    assert first.evidence == check(profile=QUICK).evidence


def test_records_round_tripped_through_json_give_the_same_verdict(verdict: Verdict) -> None:
    with using_executor(json_round_trip):
        again = run_claim(CLAIM_ID, QUICK)
    assert again.status == verdict.status == "pass"
    assert again.measured == verdict.measured and again.stated == verdict.stated
    assert again.summary == verdict.summary and again.evidence == verdict.evidence


def test_rejects_ordered_over_factorial() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, statement=ORDERED_OVER_FACTORIAL)
    assert verdict.status == "fail"
    counterexamples = {(m["S"], m["N"]): (m["claimed"], m["exact"])
                       for m in verdict.evidence["count_counterexamples"]}
    assert counterexamples[(2, 2)] == (2, 3)  # {0,0}, {0,1}, {1,1}: 3 classes, not 4/2
    assert {f.name: f.value for f in verdict.measured}["count mismatches"] == 3539
    assert "the exact count" in verdict.reasons[0]


def test_rejects_power_as_tight() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, statement=POWER_AS_TIGHT)
    assert verdict.status == "fail"
    order = {r["S"]: r for r in verdict.evidence["order"]}
    assert not any(r["order_holds"] for r in order.values())
    assert order[2]["degree"] == 1 and order[2]["claimed_exponent"] == 2
    assert order[2]["log10_ratio"] == pytest.approx(-6.0, abs=1e-5)  # (N + 1) / N^2 at N = 1e6
    assert any(r.startswith("|S|=2: Θ(N^2) is refuted") for r in verdict.reasons)
    assert {f.name: f.value for f in verdict.measured}["count mismatches"] == 0  # the count is right
