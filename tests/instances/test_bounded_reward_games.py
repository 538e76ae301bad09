"""The Lemma 3 probe games: rewards in [0, 1], the trap's action gap, Q* = Q_max under r ≡ 1."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.instances.bounded_reward_games import trap_game, unit_reward_game
from mfcheck.solvers import soft_best_response


@pytest.mark.parametrize("make", [trap_game, unit_reward_game])
def test_rewards_lie_in_the_unit_interval(make) -> None:
    game = make(gamma=0.8, lam=0.5)
    for mu in (game.initial, np.eye(game.n_states)[0]):
        reward = game.reward(mu)
        assert reward.min() >= 0.0 and reward.max() <= 1.0


def test_unit_reward_attains_q_max() -> None:
    gamma, lam = 0.8, 0.3
    game = unit_reward_game(gamma=gamma, lam=lam)
    q = soft_best_response(game, game.initial).q_values
    np.testing.assert_allclose(q, (1 + gamma * lam * np.log(3)) / (1 - gamma), rtol=1e-10)


def test_trap_gap_is_about_one_over_one_minus_gamma() -> None:
    game = trap_game(gamma=0.9, lam=0.01)
    q = soft_best_response(game, game.initial).q_values
    assert 8.5 < q[0, 0] - q[0, 1] <= 1 / (1 - 0.9)  # 1 + γ·(entropy of the trap) below the 1/(1-γ) ceiling
