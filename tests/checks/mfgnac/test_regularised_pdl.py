"""MFG-NAC App B.1: the regularised performance-difference lemma is an exact identity."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.checks.mfgnac import regularised_pdl
from mfcheck.claims import QUICK
from mfcheck.instances import sis
from mfcheck.testing.mutants.mfgnac_regularised_pdl import mutant_missing_kl, mutant_unshifted_q
from mfcheck.testing.strategies_mfg import mean_field_games, policies, simplex_vectors


def test_quick_run_passes_with_numbers() -> None:
    verdict = regularised_pdl.run(QUICK)
    assert verdict.status == "pass"
    measured = {f.name: f.value for f in verdict.measured}
    assert measured["max |LHS - RHS|"] < 1e-10
    assert measured["min over games of max error, unshifted q"] > 1e-4
    assert measured["min over games of max error, unnormalised d"] > 1e-4


@given(game=mean_field_games(), data=st.data())
def test_identity_on_random_games(game, data) -> None:
    pi = data.draw(policies(n_states=game.n_states, n_actions=game.n_actions))
    pi_prime = data.draw(policies(n_states=game.n_states, n_actions=game.n_actions, min_prob=1e-3))
    mu = data.draw(simplex_vectors(size=game.n_states))
    verdict = regularised_pdl.check_regularised_pdl(game, [(pi, pi_prime, mu)])
    assert verdict.status == "pass", verdict.reasons


def test_identity_is_zero_for_equal_policies() -> None:
    game = sis()
    pi = np.array([[0.3, 0.7], [0.5, 0.5]])
    assert abs(regularised_pdl.pdl_rhs(game, pi, pi, game.initial)) < 1e-12


def test_rejects_missing_kl() -> None:
    verdict = regularised_pdl.run(QUICK, rhs=mutant_missing_kl)
    assert verdict.status == "fail"


def test_rejects_unshifted_q() -> None:
    assert regularised_pdl.run(QUICK, rhs=mutant_unshifted_q).status == "fail"
