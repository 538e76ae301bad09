"""mfppo.prop3_1: counts of permutation-equivalence classes (exact integers, enumeration, sympy)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from mfcheck.checks.mfppo import prop3_1
from mfcheck.claims import QUICK
from mfcheck.testing.mutants.mfppo_prop3_1 import (
    mutant_ordered_over_factorial,
    mutant_power_as_tight,
)


@given(st.integers(1, 500), st.integers(1, 500))
def test_formula_equals_multiset_count(n_states: int, n_agents: int) -> None:
    assert prop3_1.paper_count(n_states, n_agents) == math.comb(n_agents + n_states - 1, n_agents)


def test_enumeration_small_cases() -> None:
    # 3 states, 4 agents: C(6, 4) = 15 multisets out of 81 ordered tuples
    assert prop3_1.enumerated_count(3, 4) == 15 == prop3_1.paper_count(3, 4)
    assert prop3_1.enumerated_count(2, 5) == 6


def test_tight_order_is_n_to_the_s_minus_one() -> None:
    for n_states in (2, 3, 4, 6):
        assert abs(prop3_1.growth_exponent(n_states) - (n_states - 1)) < 1e-3


def test_sympy_identity() -> None:
    holds, how = prop3_1.sympy_identity_holds()
    assert holds, how


def test_run_passes_with_figures() -> None:
    verdict = prop3_1.run(QUICK)
    assert verdict.status == "pass"
    figures = {f.name: f.value for f in verdict.measured}
    assert figures["mismatches"] == 0
    assert figures["brute-force pairs"] > 20
    assert figures["sympy identity"] is True


def test_rejects_ordered_over_factorial() -> None:
    verdict = prop3_1.check_prop3_1(counter=mutant_ordered_over_factorial, max_grid=10)
    assert verdict.status == "fail"
    assert "exact count" in verdict.reasons[0]


def test_rejects_power_as_tight() -> None:
    assert prop3_1.check_prop3_1(counter=mutant_power_as_tight, max_grid=10).status == "fail"
