"""Lemma 6's constants d1, d2, d3 (mfcheck.solvers.lipschitz): closed forms on SIS, exactness of
d2 per μ, and the estimates bound Λ's ratio at their own points (a triangle inequality)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.instances import contractive_game, sis
from mfcheck.solvers import boltzmann_best_response, population_update
from mfcheck.solvers.equilibrium_search import equilibrium_mean_fields
from mfcheck.solvers.lipschitz import (
    LipschitzEstimate,
    composite_ratio,
    d1_ratio,
    d2_at,
    d3_ratio,
    estimate_constants,
    policy_distance,
    random_pair,
    reference_visitation,
)


@cache
def _sis_estimate() -> tuple[object, np.ndarray, LipschitzEstimate]:
    game = sis(lam=1.0)
    mu_star = equilibrium_mean_fields(game)[0]
    weights = reference_visitation(game, mu_star)
    est = estimate_constants(game, weights, np.random.default_rng(1), n_pairs=30, n_local=2, extra_points=[mu_star])
    return game, weights, est


def test_sis_d3_matches_closed_form() -> None:
    # Γ2(π, μ)(I) = 0.81 π(U|S) x (1 - x) + 0.7 x with x = μ(I): max slope 1.51 at x = 0, π(U|S) = 1
    _, _, est = _sis_estimate()
    assert 1.45 < est.d3 <= 1.51 + 1e-6
    assert est.d_bar == pytest.approx(1 - est.d1 * est.d2 - est.d3) and est.d_bar < 0
    assert est.bound == pytest.approx(est.d1 * est.d2 + est.d3)


def test_d2_is_attained_by_one_state_perturbation() -> None:
    game, weights, _ = _sis_estimate()
    mu = np.array([0.5, 0.5])
    kernel = game.transition(mu)
    pi = np.array([[1.0, 0.0], [0.5, 0.5]])
    pi_prime = np.array([[0.0, 1.0], [0.5, 0.5]])
    lhs = np.abs(mu @ np.einsum("sa,sat->st", pi - pi_prime, kernel)).sum()
    assert np.isclose(lhs / policy_distance(weights, pi, pi_prime), d2_at(game, mu, weights))


@cache
def _control_weights() -> np.ndarray:
    game = contractive_game(lam=1.0)
    return reference_visitation(game, equilibrium_mean_fields(game)[0])


@given(st.integers(0, 2**32 - 1))
def test_composite_ratio_obeys_the_triangle_inequality_of_its_own_pair(seed: int) -> None:
    # ‖Λ(μ) - Λ(μ')‖ <= d2(μ) D(Γ1 μ, Γ1 μ') + ‖Γ2(Γ1 μ', μ) - Γ2(Γ1 μ', μ')‖ <= (d1 d2 + d3)‖μ - μ'‖
    # with the pair's own ratios in place of the suprema
    game = contractive_game(lam=1.0)
    rng = np.random.default_rng(seed)
    mu, other = random_pair(3, rng, close=bool(seed % 2), weight=0.9)
    weights = _control_weights()
    pair_bound = d1_ratio(game, mu, other, weights) * d2_at(game, mu, weights) + d3_ratio(game, mu, other, rng)
    assert composite_ratio(game, mu, other) <= pair_bound * (1 + 1e-9) + 1e-12


def test_composite_ratio_is_lambda_of_the_population_update() -> None:
    game = contractive_game(lam=1.0)
    mu, other = np.array([0.2, 0.3, 0.5]), np.array([0.6, 0.2, 0.2])
    image = population_update(game, boltzmann_best_response(game, mu), mu)
    image_other = population_update(game, boltzmann_best_response(game, other), other)
    assert np.isclose(composite_ratio(game, mu, other), np.abs(image - image_other).sum() / 0.8)
