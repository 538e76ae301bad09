"""The oracle's halves (Algorithms 2 and 3 and their exact twins) against SampledOracle and the exact oracle."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mfcheck.algorithms.nac.actor_critic import (
    ActorCriticOracle,
    ExactActor,
    ExactCritic,
    SGDActor,
    TDCritic,
    as_actor_critic,
    swept_half,
)
from mfcheck.algorithms.nac.context import policy_context
from mfcheck.algorithms.nac.log_linear import one_hot_features
from mfcheck.algorithms.nac.oracles import (
    ExactOracle,
    SampledOracle,
    SGDConfig,
    TDConfig,
    actor_loss,
    advantage_from_critic,
    critic_error,
)
from mfcheck.instances import random_mean_field_game, sis


@pytest.fixture(scope="module")
def point():
    game = random_mean_field_game(np.random.default_rng(4), 3, 2, lam=0.5)
    features = one_hot_features(3, 2)
    rng = np.random.default_rng(5)
    return policy_context(game, features, 0.5 * rng.standard_normal(6), rng.dirichlet(np.ones(3))), features


def test_actor_critic_pair_draws_exactly_what_sampled_oracle_draws(point) -> None:
    context, features = point
    td, sgd = TDConfig(n_steps=200, radius=30.0, batch_size=3), SGDConfig(n_steps=150, radius=2.0)
    legacy = SampledOracle(td=td, sgd=sgd)(context, features, np.random.default_rng(11))
    pair = ActorCriticOracle(TDCritic(**dataclasses.asdict(td)), SGDActor(**dataclasses.asdict(sgd)))
    new = pair(context, features, np.random.default_rng(11))
    np.testing.assert_array_equal(new.q_hat, legacy.q_hat)
    np.testing.assert_array_equal(new.w_hat, legacy.w_hat)
    assert as_actor_critic(SampledOracle(td=td, sgd=sgd)) == pair


def test_exact_halves_equal_the_exact_oracle(point) -> None:
    context, features = point
    exact = ExactOracle(radius=0.7)(context, features, np.random.default_rng(0))
    pair = as_actor_critic(ExactOracle(radius=0.7))
    assert pair == ActorCriticOracle(ExactCritic(), ExactActor(radius=0.7)) and pair.radius == 0.7
    out = pair(context, features, np.random.default_rng(0))
    np.testing.assert_array_equal(out.q_hat, exact.q_hat)
    np.testing.assert_allclose(out.w_hat, exact.w_hat, rtol=1e-12, atol=1e-12)
    assert ExactCritic()(context, features, np.random.default_rng(0), 3).shape == (3, 3, 2)


def test_sampled_halves_approach_the_exact_ones_as_k_grows(point) -> None:
    """Differential: the TD critic's error and the SGD actor's excess loss shrink with K."""
    context, features = point
    rng = np.random.default_rng(3)
    radius = 2.0 * float(np.linalg.norm(context.shifted_q)) + 1.0
    critic = [float(critic_error(context, TDCritic(n_steps=k, radius=radius)(context, features, rng, 16)).mean())
              for k in (64, 4096)]
    assert critic[1] < critic[0] / 20
    advantage = advantage_from_critic(context, context.shifted_q)  # = the exact advantage
    np.testing.assert_allclose(advantage, context.advantage, atol=1e-10)
    w_star = ExactActor()(context, features, advantage, rng)[0]
    best = float(actor_loss(context, advantage, w_star))
    actor_radius = 2.0 * float(np.linalg.norm(w_star)) + 1e-3
    excess = [float(np.mean(actor_loss(context, advantage, SGDActor(n_steps=k, radius=actor_radius)(
        context, features, advantage, rng, 16)))) - best for k in (64, 4096)]
    assert 0 <= excess[1] < excess[0] / 4


def test_swept_half_stands_in_for_exact_halves_and_refuses_opaque_oracles() -> None:
    paper = TDCritic(n_steps=1)
    half = swept_half(ExactOracle(), "critic", paper)
    assert half.stand_in and half.half is paper and half.overridden(paper=paper) == ()
    own = swept_half(ActorCriticOracle(TDCritic(n_steps=9, radius=5.0), ExactActor()), "critic", paper)
    assert not own.stand_in and own.overridden(paper=paper) == ("oracle.critic.n_steps", "oracle.critic.radius")
    assert "not a critic-actor pair" in swept_half(lambda c, f, r: None, "critic", paper).problem

    def plain_critic(context, features, rng, n_replicates=1):
        return np.zeros((n_replicates, 2, 2))

    assert "no dataclass fields" in swept_half(ActorCriticOracle(plain_critic, ExactActor()), "critic", paper).problem
    with pytest.raises(ValueError, match="which"):
        swept_half(ExactOracle(), "both", paper)


def test_pair_runs_inside_nac() -> None:
    from mfcheck.algorithms.nac.algorithm import NAC_DEFAULT

    variant = dataclasses.replace(NAC_DEFAULT, n_iterations=5,
                                  oracle=ActorCriticOracle(TDCritic(n_steps=16, radius=50.0), ExactActor(radius=1.0)))
    variant.validate()
    run = variant.run(sis(lam=0.5), rng=np.random.default_rng(0))
    assert run.w_hats.shape == (5, 4) and np.linalg.norm(run.w_hats, axis=1).max() <= 1.0 + 1e-12
