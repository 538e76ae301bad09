"""Cooperative presets: the stated kernels and rewards, reward range [0, 1], parameter errors."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.instances.cooperative import (
    PRESETS,
    cooperative_sis,
    crowd_ring,
    random_cooperative_model,
)


def test_sis_kernel_and_reward_are_the_documented_ones() -> None:
    model = cooperative_sis()
    d = np.array([0.6, 0.4])
    kernel, reward = model.kernel(d), model.reward(d)
    assert kernel[0, 0, 1] == pytest.approx(0.8 * 0.4) and kernel[0, 1, 1] == pytest.approx(0.1 * 0.4)
    assert np.allclose(kernel[1, :, 0], 0.3)
    assert np.allclose(reward, [[1.0, 0.7], [0.4, 0.1]])


def test_crowd_ring_moves_are_slowed_by_the_destination_crowd() -> None:
    model = crowd_ring()
    d = np.array([0.2, 0.5, 0.3])
    kernel = model.kernel(d)
    assert kernel[0, 1, 1] == pytest.approx(0.9 * (1 - 0.7 * 0.5))
    assert kernel[2, 1, 0] == pytest.approx(0.9 * (1 - 0.7 * 0.2))
    assert kernel[1, 0, 2] == pytest.approx(0.05)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_have_rewards_in_the_unit_interval(name: str) -> None:
    model = PRESETS[name]()
    d = np.random.default_rng(0).dirichlet(np.ones(model.n_states), size=200)
    reward = model.reward(d)
    assert reward.min() >= 0.0 and reward.max() <= model.reward_bound == 1.0


def test_random_models_reward_lies_in_the_unit_interval() -> None:
    model = random_cooperative_model(np.random.default_rng(1), 3, 2, coupling=5.0)
    reward = model.reward(np.random.default_rng(2).dirichlet(np.ones(3), size=100))
    assert 0.0 < reward.min() and reward.max() < 1.0


def test_presets_refuse_bad_parameters() -> None:
    with pytest.raises(ValueError, match=r"cooperative_sis.infection_out: must lie in \[0, 1\], got 1.5"):
        cooperative_sis(infection_out=1.5)
    with pytest.raises(ValueError, match=r"infected_cost \+ distancing_cost = 1.2 > 1"):
        cooperative_sis(infected_cost=0.6, distancing_cost=0.6)
    with pytest.raises(ValueError, match=r"crowd_ring.attractiveness: need 3 values in \[0, 1\]"):
        crowd_ring(attractiveness=(1.0, 2.0, 0.0))
    with pytest.raises(ValueError, match=r"random_cooperative_model.coupling: must be finite and >= 0, got -1.0"):
        random_cooperative_model(np.random.default_rng(0), 2, 2, coupling=-1.0)
