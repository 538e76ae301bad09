"""Exact oracle errors from iterates (mfcheck.solvers.oracle_errors) against the algorithm's own
exact quantities (mfcheck.algorithms.nac: policy_context, exact_actor, actor_loss, ...)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.algorithms.nac import (
    SampledOracle,
    SGDConfig,
    TDConfig,
    actor_loss,
    advantage_from_critic,
    approximation_error,
    exact_actor,
    one_hot_features,
    policy_context,
    random_features,
)
from mfcheck.instances import contractive_game
from mfcheck.solvers.oracle_errors import iterate_errors, run_errors


def _iterate(seed: int, one_hot: bool):
    game = contractive_game(lam=1.0)
    rng = np.random.default_rng(seed)
    features = one_hot_features(3, 2) if one_hot else random_features(rng, 3, 2, 2)
    theta = rng.normal(size=features.dim)
    mu = rng.dirichlet(np.ones(3))
    return game, features, theta, mu, policy_context(game, features, theta, mu), rng


@given(st.integers(0, 2**32 - 1), st.booleans())
def test_errors_match_the_algorithms_exact_quantities(seed: int, one_hot: bool) -> None:
    game, features, theta, mu, context, rng = _iterate(seed, one_hot)
    noise = rng.normal(scale=0.3, size=(3, 2))
    q_hat = context.shifted_q + noise
    advantage_hat = advantage_from_critic(context, q_hat)
    w_hat = exact_actor(context, features, advantage_hat) + rng.normal(scale=0.1, size=features.dim)
    errors = iterate_errors(game, features.phi, theta, mu, q_hat, w_hat)
    assert errors["critic"] == pytest.approx(float((noise**2).max()), rel=1e-9)
    assert errors["approx"] == pytest.approx(approximation_error(context, features), rel=1e-6, abs=1e-12)
    assert errors["loss"] == pytest.approx(float(actor_loss(context, context.advantage, w_hat)), rel=1e-9)
    best = float(actor_loss(context, advantage_hat, exact_actor(context, features, advantage_hat)))
    gap = float(actor_loss(context, advantage_hat, w_hat)) - best
    assert errors["actor"] == pytest.approx(max(gap, 0.0), rel=1e-6, abs=1e-12)
    weights = context.visitation[:, None] * context.policy
    assert errors["advantage"] == pytest.approx(float(np.sum(weights * (advantage_hat - context.advantage) ** 2)),
                                                rel=1e-9)


def test_exact_oracle_has_no_error_and_one_hot_no_approximation_error() -> None:
    game, features, theta, mu, context, _ = _iterate(0, True)
    w = exact_actor(context, features, context.advantage)
    errors = iterate_errors(game, features.phi, theta, mu, context.shifted_q, w)
    assert errors["critic"] < 1e-24 and errors["actor"] < 1e-20 and errors["approx"] < 1e-20


def test_sampled_oracle_errors_shrink_with_K() -> None:
    # sampled vs exact: Algorithm 2 + 3 at growing K, errors measured against the exact twin
    game, features, theta, mu, context, _ = _iterate(1, True)
    medians = []
    for k_steps in (32, 2048):
        oracle = SampledOracle(td=TDConfig(n_steps=k_steps, radius=100.0, batch_size=8),
                               sgd=SGDConfig(n_steps=k_steps, radius=5.0, batch_size=8))
        outs = [oracle(context, features, np.random.default_rng(s)) for s in range(6)]
        errors = run_errors(game, features.phi, [theta] * 6, [mu] * 6, [o.q_hat for o in outs], [o.w_hat for o in outs])
        assert errors.critic.shape == (6,) and (errors.total > 0).all()
        medians.append(np.median(errors.critic + errors.actor))
    assert medians[1] < 0.2 * medians[0]
