"""The torch machinery of the network lemmas E.1-E.3: perturbations, exact population gaps."""

from __future__ import annotations

import math

import numpy as np
import torch

from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
from mfcheck.algorithms.mfppo.linearisation_torch import (
    independent_perturbation,
    init_second_moments,
    kink_perturbation,
    linearisation_gap,
    perturbation,
    population_semigradient,
    population_values,
    residuals,
    semigradient_gap,
    two_layer_network,
    worst_input,
)
from mfcheck.algorithms.mfppo.semigradient_problem import random_semigradient_problem

ENCODER = OneHotEncoder(4, 2)
PROBLEM = random_semigradient_problem(np.random.default_rng(0), n_states=4, n_actions=2, n_points=5, gamma=0.9)


def test_no_flip_no_gap_and_perturbations_on_the_sphere() -> None:
    g = torch.Generator().manual_seed(0)
    net = two_layer_network(ENCODER, 512, g)
    tiny = independent_perturbation(net, 1e-9, g)  # no unit crosses its kink
    assert linearisation_gap(net, PROBLEM, tiny) < 1e-28
    for radius in (0.5, 2.0):
        beta = independent_perturbation(net, radius, g)
        assert math.isclose(float(torch.linalg.vector_norm(beta - net.beta0)), radius, rel_tol=1e-12)
    x = worst_input(PROBLEM, ENCODER)
    beta, moved = kink_perturbation(net, x, 1.0, objective="value")
    assert math.isclose(float(torch.linalg.vector_norm(beta - net.beta0)), 1.0, rel_tol=1e-12)
    before, after = net.weights(net.beta0) @ x, net.weights(beta) @ x
    flipped = torch.sign(before) != torch.sign(after)
    assert int(flipped.sum()) == moved > 0 and bool((net.u[flipped] > 0).all())
    beta, moved = kink_perturbation(net, x, 1.0, objective="count")
    assert float(torch.linalg.vector_norm(beta - net.beta0)) <= 1.0 + 1e-12
    assert int((torch.sign(net.weights(beta) @ x) != torch.sign(before)).sum()) == moved
    adversarial = perturbation("adversarial", "value", net, PROBLEM, 1.0, g)
    assert torch.equal(adversarial, kink_perturbation(net, x, 1.0, objective="value")[0])


def test_semigradient_matches_a_direct_sum_over_tuples() -> None:
    """ḡ = Σ_{p,a} ρ δ ∇F(s_p, d_p, a): the input-coefficient form equals the direct sum."""
    encoder = OneHotEncoder(3, 2)
    problem = random_semigradient_problem(np.random.default_rng(1), n_states=3, n_actions=2, n_points=4, gamma=0.8)
    g = torch.Generator().manual_seed(2)
    net = two_layer_network(encoder, 64, g)
    beta = independent_perturbation(net, 0.7, g)
    for linearised in (False, True):
        values = population_values(net, problem, beta, linearised=linearised)
        delta = residuals(problem, values)
        direct = torch.zeros(net.n_params, dtype=torch.float64)
        for p in range(problem.n_points):
            for a in range(problem.n_actions):
                grad = net.population_grad(torch.tensor([problem.own[p]]), torch.as_tensor(problem.dists[p : p + 1]),
                                           torch.tensor([a]), beta, linearised=linearised)[0]
                direct += problem.rho[p, a] * delta[p, a] * grad
        assert torch.allclose(population_semigradient(net, problem, beta, linearised=linearised), direct, atol=1e-14)
    assert semigradient_gap(net, problem, net.beta0) == 0.0  # at β(0) the linearisation is exact


def test_init_second_moments_match_the_closed_form() -> None:
    x = ENCODER.table.reshape(-1, ENCODER.dim)
    samples = init_second_moments(ENCODER, x, width=16, n_inits=300, generator=torch.Generator().manual_seed(3))
    exact = 1 / (2 * ENCODER.dim)  # ‖x‖²/(2d) for unit-norm inputs
    se = samples.std(axis=0) / np.sqrt(samples.shape[0])
    assert samples.shape == (300, x.shape[0])
    assert (np.abs(samples.mean(axis=0) - exact) < 5 * se).all()
