"""The MFPPO's actor and critic as functions of the agents' states."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mfcheck.algorithms.mfppo.agent_networks import actor_and_critic, empirical_distribution
from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT


def test_empirical_distribution_and_validation() -> None:
    assert np.allclose(empirical_distribution(np.array([[0, 2, 2, 1]]), 3), [[0.25, 0.25, 0.5]])
    with pytest.raises(ValueError, match="others"):
        empirical_distribution(np.zeros((2, 0), dtype=int), 3)


def test_networks_are_mean_pooled_and_follow_the_embedding() -> None:
    algorithm = dataclasses.replace(MFPPO_DEFAULT, width=8)
    nets = actor_and_critic(algorithm, np.random.default_rng(0), n_states=3, n_actions=2)
    own, action = np.array([0, 1]), np.array([1, 0])
    others = np.array([[0, 1, 1, 2], [2, 2, 2, 0]])
    for name, net in nets.items():
        values = net(own, others, action)
        assert values.shape == (2,) and np.isfinite(values).all(), name
        assert np.allclose(net(own, others[:, ::-1], action), values)
        # mean pooling: duplicating every agent changes nothing
        assert np.allclose(net(own, np.repeat(others, 3, axis=1), action), values)
    blind = dataclasses.replace(algorithm, critic_embedding=lambda w: np.full_like(w, 1 / 3))
    critic = actor_and_critic(blind, np.random.default_rng(0), n_states=3, n_actions=2)["critic at initialisation"]
    assert np.allclose(critic(own, others, action), critic(own, np.zeros_like(others), action))
