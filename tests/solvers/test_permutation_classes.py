"""Counts of permutation-equivalence classes: printed sum, stars and bars and enumeration agree;
the degree in N is computed exactly."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.solvers.permutation_classes import (
    ClassCount,
    degree_in_agents,
    enumerated_class_count,
    growth_slope,
    multiset_count,
    power_of_states,
    printed_class_count,
    sympy_identity,
)


@given(st.integers(1, 500), st.integers(1, 500))
def test_printed_sum_equals_multiset_count(n_states: int, n_agents: int) -> None:
    assert printed_class_count(n_states, n_agents) == math.comb(n_agents + n_states - 1, n_agents)


@given(st.integers(1, 5), st.integers(1, 6))
def test_enumeration_agrees_with_the_formula(n_states: int, n_agents: int) -> None:
    assert enumerated_class_count(n_states, n_agents) == multiset_count(n_states, n_agents)


def test_enumeration_small_case() -> None:
    # 3 states, 4 agents: C(6, 4) = 15 multisets out of 81 ordered tuples
    assert enumerated_class_count(3, 4) == 15 == printed_class_count(3, 4)


@pytest.mark.parametrize("n_states", [1, 2, 3, 6, 10])
def test_degree_of_the_class_count_is_s_minus_one(n_states: int) -> None:
    assert degree_in_agents(multiset_count, n_states, 30) == n_states - 1
    assert growth_slope(multiset_count, n_states, 10**6) == pytest.approx(n_states - 1, abs=1e-3)


def test_degree_of_other_sequences() -> None:
    assert degree_in_agents(lambda s, n: n**s, 4, 20) == 4
    assert degree_in_agents(lambda s, n: 3 * n**2 - n + 7, 1, 10) == 2
    assert degree_in_agents(lambda s, n: s**n, 2, 20) is None  # exponential: no finite degree
    assert degree_in_agents(lambda s, n: 0, 2, 5) is None
    with pytest.raises(ValueError, match="n_max"):
        degree_in_agents(multiset_count, 2, 2)


def test_sympy_identity() -> None:
    holds, how = sympy_identity()
    assert holds, how


def test_class_count_statement_value() -> None:
    statement = ClassCount(count=printed_class_count, order=power_of_states, tight=False)
    assert statement.count(3, 4) == 15 and statement.order(3) == 3 and not statement.tight
