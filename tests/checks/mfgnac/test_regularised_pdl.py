"""MFG-NAC App B.1: the regularised performance-difference lemma is an exact identity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.checks.mfgnac import regularised_pdl
from mfcheck.claims import run_claim
from mfcheck.instances import sis
from mfcheck.judgement import QUICK, get_claim
from mfcheck.solvers.performance_difference import pdl_lhs, pdl_rhs
from mfcheck.testing.mutants.mfgnac_regularised_pdl import MISSING_KL, UNSHIFTED_Q
from mfcheck.testing.strategies_mfg import mean_field_games, policies, simplex_vectors

CLAIM_ID = regularised_pdl.CLAIM_ID


@pytest.fixture(scope="module")
def verdict():
    return run_claim(CLAIM_ID, QUICK)


def test_quick_run_passes_with_numbers(verdict) -> None:
    assert verdict.status == "pass", verdict.reasons
    measured = {f.name: f.value for f in verdict.measured}
    assert measured["max |LHS - RHS|"] < 1e-12
    assert measured["min over games of max error, unshifted q"] > 0.1
    assert measured["min over games of max error, unnormalised d"] > 0.1
    assert len(verdict.evidence["games"]) == 12


@given(game=mean_field_games(), data=st.data())
def test_identity_on_random_games(game, data) -> None:
    pi = data.draw(policies(n_states=game.n_states, n_actions=game.n_actions))
    pi_prime = data.draw(policies(n_states=game.n_states, n_actions=game.n_actions, min_prob=1e-3))
    mu = data.draw(simplex_vectors(size=game.n_states))
    lhs = pdl_lhs(game, pi, pi_prime, mu)
    assert abs(lhs - pdl_rhs(game, pi, pi_prime, mu)) <= get_claim(CLAIM_ID).threshold("rtol") * max(1.0, abs(lhs))


def test_identity_is_zero_for_equal_policies() -> None:
    game = sis()
    pi = np.array([[0.3, 0.7], [0.5, 0.5]])
    assert abs(pdl_rhs(game, pi, pi, game.initial)) < 1e-12


def test_cells_are_pure() -> None:
    cell = regularised_pdl.cells(QUICK)[3]
    a = regularised_pdl.measure(cell, None, QUICK.master_seed)
    b = regularised_pdl.measure(cell, None, QUICK.master_seed)
    assert a.values == b.values
    assert max(regularised_pdl.errors(a, pdl_rhs, QUICK.master_seed)) < 1e-12


def test_rejects_missing_kl() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, statement=MISSING_KL)
    assert verdict.status == "fail"
    assert verdict.evidence["n_violations"] > 50
    assert any("|LHS - RHS|" in r for r in verdict.reasons)


def test_rejects_unshifted_q() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, statement=UNSHIFTED_Q)
    assert verdict.status == "fail"
    assert verdict.measured[0].value > 0.1
