"""MFG-NAC Lemma 3: soft-optimal Q* <= Q_max and the Boltzmann floor on π* (a closed-form claim)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.checks.mfgnac import lemma3
from mfcheck.claims import run_claim
from mfcheck.instances import sis
from mfcheck.instances.bounded_reward_games import trap_game, unit_reward_game
from mfcheck.instances.rescaling import rescale_rewards
from mfcheck.judgement import QUICK
from mfcheck.models import MeanFieldGame
from mfcheck.testing.mutants.mfgnac_lemma3 import FLOOR_AT_TEN_LAMBDA, Q_MAX_WITHOUT_ENTROPY
from mfcheck.testing.strategies_mfg import mean_field_games, simplex_vectors

CLAIM_ID = lemma3.CLAIM_ID
RTOL = 1e-9


@pytest.fixture(scope="module")
def verdict():
    return run_claim(CLAIM_ID, QUICK)


def test_quick_run_passes_with_numbers(verdict) -> None:
    assert verdict.status == "pass", verdict.reasons
    measured = {f.name: f.value for f in verdict.measured}
    # the unit-reward game attains Q_max exactly
    assert measured["max Q*/Q_max"] == pytest.approx(1.0, rel=1e-9)
    assert measured["log(min π*) - log(floor)"] > 10
    assert measured["games checked"] == 14


def test_cells_are_pure(verdict) -> None:
    again = lemma3.check(profile=QUICK)
    assert again.evidence == verdict.evidence


def test_bounds_formula() -> None:
    q_max, log_floor = lemma3.lemma3_bounds(0.9, 0.1, 2)
    assert np.isclose(q_max, (1 + 0.09 * np.log(2)) / 0.1, rtol=1e-14)
    assert np.isclose(log_floor, -q_max / 0.1 - np.log(2))
    # in log space: no underflow where the floor itself is below the smallest double (full profile)
    q_small, log_small = lemma3.lemma3_bounds(0.99, 0.01, 4)
    assert np.isfinite(log_small) and log_small < -700 and np.isclose(log_small, -q_small / 0.01 - np.log(4))


def test_q_max_is_attained_by_unit_reward() -> None:
    game = unit_reward_game(gamma=0.8, lam=0.3)
    part = lemma3.judge(lemma3.soft_optimum(game, [np.array([0.5, 0.5])]), lemma3.lemma3_bounds, rtol=RTOL)
    assert part.status == "pass"
    assert np.isclose(part.evidence["max_q"], part.evidence["q_max"], rtol=1e-10)


@given(game=mean_field_games(), data=st.data())
def test_random_games_satisfy_lemma3(game: MeanFieldGame, data: st.DataObject) -> None:
    mus = [data.draw(simplex_vectors(size=game.n_states)) for _ in range(3)]
    part = lemma3.judge(lemma3.soft_optimum(game, mus), lemma3.lemma3_bounds, rtol=RTOL)
    assert part.status == "pass", part.reasons


def test_unrescaled_sis_is_not_applicable_and_rescaled_passes() -> None:
    game = sis()
    part = lemma3.judge(lemma3.soft_optimum(game, [game.initial]), lemma3.lemma3_bounds, rtol=RTOL)
    assert part.status == "not_applicable"
    assert "r(s, a, μ) ∈ [0, 1]" in part.hypotheses[0].name and "-1.5" in str(part.hypotheses[0].measured)
    assert lemma3.judge(lemma3.soft_optimum(rescale_rewards(game), [game.initial]), lemma3.lemma3_bounds, rtol=RTOL).status == "pass"


def test_rewards_declared_but_not_in_range_are_refused() -> None:
    """Rewards x10 still declared in [0, 1]: the checker measures them and refuses (not a pass)."""
    base = trap_game()
    game = base.with_parameters(reward_fn=lambda mu: 10 * np.asarray(base.reward_fn(mu)), name="trap[x10]")
    assert lemma3.judge(lemma3.soft_optimum(game, [game.initial]), lemma3.lemma3_bounds, rtol=RTOL).status == "not_applicable"


def test_rejects_q_max_without_entropy() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, statement=Q_MAX_WITHOUT_ENTROPY)
    assert verdict.status == "fail"
    assert any("max Q*" in r for r in verdict.reasons)
    unit = [g for g in verdict.evidence["games"] if g["game"] == "unit_reward"]
    assert unit and all(g["status"] == "fail" and g["max_q"] > g["q_max"] for g in unit)
    assert verdict.measured[0].value > 1.0


def test_rejects_floor_at_ten_lambda() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, statement=FLOOR_AT_TEN_LAMBDA)
    assert verdict.status == "fail"
    assert any("min π*" in r for r in verdict.reasons)
    assert [g["status"] for g in verdict.evidence["games"] if g["game"] == "trap"] == ["fail", "fail"]
    assert verdict.measured[1].value < 0
