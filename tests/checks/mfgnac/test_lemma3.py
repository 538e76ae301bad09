"""MFG-NAC Lemma 3: soft-optimal Q* <= Q_max and the Boltzmann floor on π*."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.checks.mfgnac import lemma3
from mfcheck.claims import QUICK
from mfcheck.instances import sis
from mfcheck.instances.rescaling import rescale_rewards
from mfcheck.models import MeanFieldGame
from mfcheck.testing.mutants.mfgnac_lemma3 import mutant_unscaled_rewards, mutant_wrong_temperature
from mfcheck.testing.strategies_mfg import mean_field_games, simplex_vectors


def test_quick_run_passes_with_numbers() -> None:
    verdict = lemma3.run(QUICK)
    assert verdict.status == "pass"
    measured = {f.name: f.value for f in verdict.measured}
    assert 0.5 < measured["max Q*/Q_max"] <= 1.0 + 1e-9
    assert measured["log(min π*) - log(floor)"] > 0
    assert measured["games checked"] == 12


def test_run_is_deterministic() -> None:
    assert lemma3.run(QUICK).evidence == lemma3.run(QUICK).evidence


def test_bounds_formula() -> None:
    q_max, floor = lemma3.lemma3_bounds(0.9, 0.1, 2)
    assert np.isclose(q_max, (1 + 0.09 * np.log(2)) / 0.1, rtol=1e-14)
    assert np.isclose(np.log(floor), -q_max / 0.1 - np.log(2))


def test_q_max_is_attained_by_unit_reward() -> None:
    """r ≡ 1: V* = (1 + λ log|A|)/(1-γ) and Q* = Q_max exactly (the bound is tight)."""
    game = MeanFieldGame(
        n_states=2, n_actions=3, transition_fn=lambda mu: np.full((2, 3, 2), 0.5),
        reward_fn=lambda mu: np.ones((2, 3)), gamma=0.8, lam=0.3, reward_bounds=(0.0, 1.0),
    )
    verdict = lemma3.check_lemma3(game, [np.array([0.5, 0.5])])
    assert verdict.status == "pass"
    assert np.isclose(verdict.evidence["max_q"], verdict.evidence["q_max"], rtol=1e-10)


@given(game=mean_field_games(), data=st.data())
def test_random_games_satisfy_lemma3(game: MeanFieldGame, data: st.DataObject) -> None:
    mus = [data.draw(simplex_vectors(size=game.n_states)) for _ in range(3)]
    verdict = lemma3.check_lemma3(game, mus)
    assert verdict.status == "pass", verdict.reasons


def test_unrescaled_sis_is_not_applicable_and_rescaled_passes() -> None:
    game = sis()
    assert lemma3.check_lemma3(game, [game.initial]).status == "not_applicable"
    assert lemma3.check_lemma3(rescale_rewards(game), [game.initial]).status == "pass"


def test_unscaled_rewards_are_refused_not_passed() -> None:
    """Rewards x10 declared in [0, 1]: the checker measures them and refuses (not a pass)."""
    game = mutant_unscaled_rewards(lemma3.trap_game())
    assert lemma3.check_lemma3(game, [game.initial]).status == "not_applicable"


def test_rejects_wrong_temperature() -> None:
    verdict = lemma3.run(QUICK, best_response=mutant_wrong_temperature(10.0))
    assert verdict.status == "fail"
    assert any("min π*" in r for r in verdict.reasons)


def test_hotter_policy_does_not_violate() -> None:
    """Finding: a *hotter* temperature (λ·10) keeps π* above the floor; the lemma is one-sided."""
    assert lemma3.run(QUICK, best_response=mutant_wrong_temperature(0.1)).status == "pass"
