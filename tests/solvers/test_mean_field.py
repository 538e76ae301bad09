"""Mean fields: flows conserve mass, induced mean fields are fixed points, multiplicity is found."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.instances import sis
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
