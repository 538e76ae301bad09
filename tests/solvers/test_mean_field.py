"""Mean fields: flows conserve mass, induced mean fields are fixed points, multiplicity is found."""

from __future__ import annotations

import time

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.instances import linear_quadratic, sis
from mfcheck.models import FiniteHorizonMFG, MeanFieldGame
from mfcheck.solvers import (
    induced_mean_field,
    mean_field_flow,
    population_update,
    stationary_mean_fields,
)
from mfcheck.solvers.dynamic_programming import policy_kernel
from mfcheck.testing.strategies import finite_horizon_mfgs, mean_field_games, policies


@given(game=finite_horizon_mfgs(horizon=st.integers(1, 6)), data=st.data())
def test_mean_field_flow_conserves_mass_and_follows_the_kernel(
    game: FiniteHorizonMFG, data: st.DataObject
) -> None:
    policy = data.draw(policies(n_states=game.n_states, n_actions=game.n_actions, horizon=game.horizon))
    flow = mean_field_flow(game, policy)
    assert flow.shape == (game.horizon + 1, game.n_states)
    np.testing.assert_allclose(flow.sum(axis=1), 1.0, atol=1e-13)
    assert np.all(flow >= 0)
    np.testing.assert_array_equal(flow[0], game.initial)
    for t in range(game.horizon):
        step = flow[t] @ policy_kernel(game.transition(t, flow[t]), policy[t])
        np.testing.assert_allclose(flow[t + 1], step, atol=1e-15)


@given(game=mean_field_games(), data=st.data())
def test_induced_mean_field_is_a_fixed_point(game: MeanFieldGame, data: st.DataObject) -> None:
    policy = data.draw(policies(n_states=game.n_states, n_actions=game.n_actions))
    point = induced_mean_field(game, policy)
    mu = point.mean_field
    assert abs(mu.sum() - 1.0) <= 1e-13 and np.all(mu >= 0)
    assert np.abs(population_update(game, policy, mu) - mu).sum() <= 1e-11


def _bistable_game() -> MeanFieldGame:
    """Everyone moves to state 1 with probability g(μ₁) = 2.5 μ₁² - 1.5 μ₁³, whatever they do.

    Fixed points of g: x = 0, x = 1 and x = 1/1.5 = 2/3 (g(x) = x ⇔ x (1.5x² - 2.5x + 1) = 0
    ⇔ x ∈ {0, 1, 2/3}); g'(0) = 0 and g'(1) = 0.5 (stable), g'(2/3) = 4/3 (unstable, never
    reached from ρ, uniform, the vertices or random starts).
    """

    def kernel(mu: np.ndarray) -> np.ndarray:
        g = 2.5 * mu[1] ** 2 - 1.5 * mu[1] ** 3
        out = np.empty((2, 2, 2))
        out[...] = (1.0 - g, g)
        return out

    return MeanFieldGame(
        n_states=2,
        n_actions=2,
        transition_fn=kernel,
        reward_fn=lambda mu: np.zeros((2, 2)),
        gamma=0.5,
        initial=np.array([0.8, 0.2]),
        name="bistable",
    )


def test_stationary_mean_fields_finds_both_stable_points_of_a_bistable_game() -> None:
    game = _bistable_game()
    found = stationary_mean_fields(game, np.full((2, 2), 0.5), rng=np.random.default_rng(1))
    points = [f.mean_field for f in found]
    assert len(points) == 2
    np.testing.assert_allclose(points[0], [0.0, 1.0], atol=1e-12)
    np.testing.assert_allclose(points[1], [1.0, 0.0], atol=1e-12)
    # the induced mean field is the flow limit from ρ = (0.8, 0.2): below 2/3, so to μ₁ = 0
    np.testing.assert_allclose(induced_mean_field(game, np.full((2, 2), 0.5)).mean_field, [1, 0], atol=1e-12)


def test_stationary_mean_fields_of_sis_when_everyone_goes_out() -> None:
    """Policy U everywhere: i' = 0.81 (1 - i) i + 0.7 i. Fixed points i = 0 and
    0.81 (1 - i) = 0.3, i.e. i = 1 - 0.3/0.81 = 0.62963; the flow from ρ (i = 0.6) goes to the latter."""
    game = sis()
    go_out = np.array([[1.0, 0.0], [1.0, 0.0]])
    found = [f.mean_field for f in stationary_mean_fields(game, go_out)]
    endemic = 1.0 - 0.3 / 0.81
    assert len(found) == 2
    np.testing.assert_allclose(found[0], [1.0 - endemic, endemic], atol=1e-10)
    np.testing.assert_allclose(found[1], [1.0, 0.0], atol=0)
    np.testing.assert_allclose(induced_mean_field(game, go_out).mean_field, found[0], atol=1e-10)


def _nearly_deterministic_lq_policy() -> tuple[MeanFieldGame, np.ndarray]:
    """App D's discounted LQ game at nac_vs_dlnac's full size (25 states) and a softmax of a
    random Q at temperature 1e-3: P_π is nearly decomposable (second eigenvalue 1 - 5.9e-6), so
    the plain flow from ρ still moves by 1e-6 a step after 200,000 steps (the old failure)."""
    game = linear_quadratic(n_states=25, gamma=0.9, lam=0.1)
    logits = np.random.default_rng(0).normal(size=(4, 25, 7))[3] / 1e-3
    policy = np.exp(logits - logits.max(axis=1, keepdims=True))
    return game, policy / policy.sum(axis=1, keepdims=True)


def test_induced_mean_field_of_a_nearly_deterministic_lq_policy_is_a_verified_fixed_point() -> None:
    game, policy = _nearly_deterministic_lq_policy()
    started = time.perf_counter()
    point = induced_mean_field(game, policy)
    elapsed = time.perf_counter() - started
    mu = point.mean_field
    assert point.iterations <= 1_000 and elapsed < 5.0  # was 200,000 steps (~25 s), then an error
    assert abs(mu.sum() - 1.0) <= 1e-13 and np.all(mu >= 0)
    assert np.abs(population_update(game, policy, mu) - mu).sum() <= 1e-12
    # the kernel does not depend on μ: the unique stationary distribution of P_π (irreducible)
    chain = policy_kernel(game.transition(game.initial), policy)
    values, vectors = np.linalg.eig(chain.T)
    assert np.sort(np.abs(1.0 - values))[1] < 1e-5  # nearly decomposable, as described
    stationary = np.real(vectors[:, np.argmin(np.abs(values - 1.0))])
    np.testing.assert_allclose(mu, stationary / stationary.sum(), atol=1e-8)


def test_induced_mean_field_of_a_slow_reducible_chain_is_the_flow_limit_from_rho() -> None:
    """States 0 and 2 absorb; state 1 leaks to 0 at rate 1e-6 and to 2 at 3e-6. Every
    (a, 0, 1 - a) is a fixed point; the flow from ρ = (0.1, 0.6, 0.3) goes to (0.25, 0, 0.75),
    a quarter of state 1's mass to 0 (the plain flow would need ~7e6 steps to get within 1e-12)."""
    kernel = np.zeros((3, 1, 3))
    kernel[0, 0, 0] = kernel[2, 0, 2] = 1.0
    kernel[1, 0] = (1e-6, 1.0 - 4e-6, 3e-6)
    game = MeanFieldGame(
        n_states=3, n_actions=1, transition_fn=lambda mu: kernel, reward_fn=lambda mu: np.zeros((3, 1)),
        gamma=0.5, initial=np.array([0.1, 0.6, 0.3]), name="leaky",
    )
    point = induced_mean_field(game, np.ones((3, 1)))
    assert point.iterations <= 1_000
    assert np.abs(population_update(game, np.ones((3, 1)), point.mean_field) - point.mean_field).sum() <= 1e-12
    np.testing.assert_allclose(point.mean_field, [0.25, 0.0, 0.75], atol=1e-9)
