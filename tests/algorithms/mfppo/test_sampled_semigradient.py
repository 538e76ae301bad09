"""Lemma E.4's semi-gradients read off one step of the MFPPO's Alg 2, against torch (differential)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet
from mfcheck.algorithms.mfppo.sampled_semigradient import (
    aligned_point,
    initialise,
    sample_tuples,
    semigradient_deviation,
    step_semigradients,
    tuple_batch,
)
from mfcheck.algorithms.mfppo.semigradient_problem import (
    SemiGradientProblem,
    random_semigradient_problem,
)

PROBLEM = random_semigradient_problem(np.random.default_rng(0), n_states=3, n_actions=2, n_points=4, gamma=0.5,
                                      reward_range=(2.0, 4.0))
ONE_STEP = dataclasses.replace(MFPPO_DEFAULT, width=32, n_steps=1, averaging="last", step_size=1e-2)


def test_problem_validates_and_tuple_law_is_a_distribution() -> None:
    assert np.isclose(PROBLEM.tuple_weights().sum(), 1.0)
    with pytest.raises(ValueError, match="mu"):
        dataclasses.replace(PROBLEM, mu=1.0)
    assert isinstance(PROBLEM, SemiGradientProblem) and PROBLEM.gamma == 0.5


def test_one_step_semigradient_equals_torch_delta_times_gradient() -> None:
    """ĝ = (β - β(1))/η from the numpy Alg 2 step equals δ̂ ∇F of the torch network at the sampled agents."""
    rng = np.random.default_rng(1)
    network = initialise(ONE_STEP, PROBLEM, rng)
    beta = aligned_point(network, PROBLEM, 0.8)
    assert np.isclose(np.sqrt(((beta - network.beta0) ** 2).sum()), 0.8)
    tuples = sample_tuples(rng, PROBLEM, 5)
    batch = tuple_batch(rng, PROBLEM, tuples, 7)
    g_hat = step_semigradients(ONE_STEP, network, beta, batch, PROBLEM.gamma)
    net = TwoLayerDeepSet(OneHotEncoder(3, 2), 32, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        net.u.copy_(torch.as_tensor(network.u[0]))
        net.beta0.copy_(torch.as_tensor(network.beta0[0].reshape(-1)))
    flat = torch.as_tensor(beta[0].reshape(-1))
    for k in range(5):
        own, act = torch.tensor([int(batch.own[k, 0])]), torch.tensor([int(batch.action[k, 0])])
        w = torch.as_tensor(batch.weights[k])
        value = net.population(own, w, act, flat)
        nxt = net.population(torch.tensor([int(batch.next_own[k, 0])]), torch.as_tensor(batch.next_weights[k]),
                             torch.tensor([int(batch.next_action[k, 0])]), flat)
        delta = value - (1 - PROBLEM.gamma) * float(batch.reward[k, 0]) - PROBLEM.gamma * nxt
        expected = (delta * net.population_grad(own, w, act, flat))[0].numpy().reshape(g_hat[k].shape)
        assert np.allclose(g_hat[k], expected, rtol=1e-8, atol=1e-10)


def test_deviation_vanishes_with_the_population_and_needs_a_one_step_configuration() -> None:
    rng = np.random.default_rng(2)
    network = initialise(ONE_STEP, PROBLEM, rng)
    beta = aligned_point(network, PROBLEM, 1.0)
    tuples = sample_tuples(rng, PROBLEM, 16)
    many = semigradient_deviation(ONE_STEP, PROBLEM, network, beta, tuples, np.random.default_rng(3), 4096)
    few = semigradient_deviation(ONE_STEP, PROBLEM, network, beta, tuples, np.random.default_rng(3), 4)
    assert 0 < many < few / 100
    with pytest.raises(ValueError, match="n_steps=1"):
        step_semigradients(MFPPO_DEFAULT, network, beta, tuple_batch(rng, PROBLEM, tuples, 4), 0.5)
