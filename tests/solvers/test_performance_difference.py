"""Both sides of the regularised PDL, against a Monte Carlo estimate and in their special cases."""

from __future__ import annotations

import numpy as np

from mfcheck.instances import random_mean_field_game, sis
from mfcheck.solvers import policy_values
from mfcheck.solvers.performance_difference import pdl_lhs, pdl_rhs


def test_lhs_matches_a_rollout_estimate() -> None:
    """V^{π,λ}(ρ) of the LHS against an average of discounted soft returns (exact vs sampled)."""
    rng = np.random.default_rng(3)
    game = random_mean_field_game(rng, 3, 2, gamma=0.6, lam=0.5)
    pi = rng.dirichlet(np.ones(2), size=3)
    mu = rng.dirichlet(np.ones(3))
    kernel, reward = game.transition(mu), game.reward(mu)
    n, horizon = 20_000, 40
    states = rng.choice(3, size=n, p=game.initial)
    total = np.zeros(n)
    for t in range(horizon):
        u = rng.random(n)
        actions = (u[:, None] > np.cumsum(pi[states], axis=1)).sum(axis=1)
        total += game.gamma**t * (reward[states, actions] - game.lam * np.log(pi[states, actions]))
        v = rng.random(n)
        states = (v[:, None] > np.cumsum(kernel[states, actions], axis=1)).sum(axis=1)
    exact = float(game.initial @ policy_values(game, pi, mu)[0])
    assert abs(total.mean() - exact) < 4 * total.std() / np.sqrt(n) + 1e-6


def test_readings_differ_by_their_closed_forms() -> None:
    game = sis(lam=0.7)
    rng = np.random.default_rng(0)
    pi, pi_prime = rng.dirichlet(np.ones(2), size=2), rng.dirichlet(np.ones(2), size=2)
    mu = game.initial
    exact = pdl_rhs(game, pi, pi_prime, mu)
    assert abs(pdl_lhs(game, pi, pi_prime, mu) - exact) < 1e-12
    # unnormalised d: every term of the RHS scales by 1/(1-γ)
    assert np.isclose(pdl_rhs(game, pi, pi_prime, mu, normalised=False), exact / (1 - game.gamma))
    assert abs(pdl_rhs(game, pi, pi_prime, mu, with_kl=False) - exact) > 1e-3
