"""App D's warm TD critic (mfcheck.algorithms.nac.warm_critic): sampled against exact, and its
table belongs to one run (one generator)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mfcheck.algorithms.nac.algorithm import DLNAC_DEFAULT, NAC_DEFAULT, Constant
from mfcheck.algorithms.nac.context import policy_context
from mfcheck.algorithms.nac.log_linear import one_hot_features, random_features
from mfcheck.algorithms.nac.oracles import ExactOracle, advantage_from_critic, exact_actor
from mfcheck.algorithms.nac.warm_critic import WarmTDCritic, td_sweep
from mfcheck.instances import contractive_game, sis


def _context(theta_seed: int = 0):
    game = contractive_game(lam=1.0)
    features = one_hot_features(game.n_states, game.n_actions)
    theta = np.random.default_rng(theta_seed).normal(size=features.dim)
    return game, features, policy_context(game, features, theta, game.initial)


def test_td_sweeps_converge_to_the_exact_shifted_q() -> None:
    # differential: on-policy tabular TD(0) at a fixed (π, μ) has the exact q = Q - λ log π as
    # its fixed point; many sweeps with a small step land near it
    _, _, context = _context()
    table = np.zeros(context.policy.shape)
    rng = np.random.default_rng(1)
    for _ in range(300):
        td_sweep(table, context, rng, lr=0.02, n_steps=10, batch=64)
    exact = context.shifted_q
    assert np.abs(table - exact).max() < 0.05 * np.abs(exact).max()


def test_actor_is_exact_given_the_critic() -> None:
    _, features, context = _context()
    critic = WarmTDCritic(lr=0.02)
    rng = np.random.default_rng(2)
    for _ in range(300):
        out = critic(context, features, rng)
    given = exact_actor(context, features, advantage_from_critic(context, out.q_hat))
    np.testing.assert_allclose(out.w_hat, given, atol=1e-12)
    exact = ExactOracle()(context, features, rng)
    # one-hot: ŵ is the centred Â, so its error is at most twice the critic's sup error
    assert np.abs(out.w_hat - exact.w_hat).max() <= 2 * np.abs(out.q_hat - exact.q_hat).max() + 1e-12


def test_table_persists_within_a_run_and_restarts_with_a_new_generator() -> None:
    _, features, context = _context()
    critic = WarmTDCritic(lr=0.01)
    rng = np.random.default_rng(3)
    first = critic(context, features, rng).q_hat
    second = critic(context, features, rng).q_hat
    assert np.abs(second).sum() > np.abs(first).sum()  # kept and moved further from 0
    again = critic(context, features, np.random.default_rng(3)).q_hat
    np.testing.assert_array_equal(again, first)  # a new generator: a cold table, same draws
    assert critic.fresh() is not critic and critic.fresh()._run == {}


def test_runs_are_reproducible_and_independent_of_run_order() -> None:
    game = sis(lam=0.1)
    nac = dataclasses.replace(NAC_DEFAULT, n_iterations=40, policy_step=Constant(0.05),
                              mean_field_step=Constant(0.01), oracle=WarmTDCritic())
    dl = dataclasses.replace(DLNAC_DEFAULT, n_iterations=40, policy_step=Constant(0.05), inner_steps=10,
                             oracle=nac.oracle)
    a = nac.run(game, rng=np.random.default_rng(5))
    dl.run(game, rng=np.random.default_rng(6))  # the shared oracle value serves another run between
    b = nac.run(game, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(a.thetas, b.thetas)
    np.testing.assert_array_equal(a.q_hats, b.q_hats)


def test_rejects_bad_settings_and_features() -> None:
    with pytest.raises(ValueError, match="lr"):
        WarmTDCritic(lr=0.0)
    with pytest.raises(ValueError, match="batch"):
        WarmTDCritic(batch=0)
    game, _, _ = _context()
    features = random_features(np.random.default_rng(0), game.n_states, game.n_actions, 4)
    context = policy_context(game, features, np.zeros(4), game.initial)
    with pytest.raises(ValueError, match="one-hot"):
        WarmTDCritic()(context, features, np.random.default_rng(0))
