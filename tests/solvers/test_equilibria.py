"""Equilibria: SIS's two equilibria, determinism of the reference solvers, finite-horizon FP and
OMD against slow references (the previous implementation; the stated update)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.instances import sis
from mfcheck.models import FiniteHorizonMFG
from mfcheck.solvers import (
    backward_induction,
    best_response_finite_horizon,
    evaluate_policy_finite_horizon,
    exploitability,
    fictitious_play,
    fictitious_play_finite_horizon,
    find_equilibria,
    mean_field_flow,
    online_mirror_descent,
    policy_values_finite_horizon,
)
from mfcheck.solvers.kernels import flow_and_kernels, reward_stack
from mfcheck.solvers.mirror_descent import (
    mirror_descent_start,
    mirror_descent_step,
    online_mirror_descent_finite_horizon,
)
from mfcheck.testing.strategies import finite_horizon_mfgs


def test_find_equilibria_finds_the_two_sis_equilibria() -> None:
    """SIS (γ = 0.9, λ = 0.1) has a disease-free and an endemic equilibrium.

    Disease-free: at μ = (1, 0) nobody is infected, so U and D lead to the same next state and
    Q(s, U) - Q(s, D) = 0.5 (the distancing cost) in both states: π(U|·) = 1/(1 + e^{-0.5/0.1})
    = 0.9933071; μ = (1, 0) is then a fixed point of Γ2 for any policy (no infection source).
    Endemic: i = μ(I) > 0 is stationary iff the inflow equals the outflow,
    (1 - i)·0.81·i·π(U|S) = 0.3·i, i.e. (1 - i)·0.81·π(U|S) = 0.3; the solver's i = 0.3905476
    (π(U|S) = 0.6077101, π(U|I) = 0.9933071: in I both actions again lead alike).
    """
    game = sis()
    found = find_equilibria(game)
    assert len(found) == 2
    endemic, disease_free = found
    p_out = 1.0 / (1.0 + np.exp(-0.5 / 0.1))
    np.testing.assert_allclose(disease_free.mean_field, [1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(disease_free.policy, [[p_out, 1 - p_out]] * 2, atol=1e-12)
    i = endemic.mean_field[1]
    np.testing.assert_allclose((1 - i) * 0.81 * endemic.policy[0, 0], 0.3, atol=1e-9)
    np.testing.assert_allclose(endemic.policy[1, 0], p_out, atol=1e-12)
    np.testing.assert_allclose(i, 0.3905476, atol=1e-7)
    np.testing.assert_allclose(endemic.policy[0, 0], 0.6077101, atol=1e-7)
    for eq in found:
        assert abs(eq.exploitability) <= 1e-8
    # The endemic one attracts the flow from ρ = (0.4, 0.6): its policy's exploitability against
    # its *induced* mean field is also 0; the disease-free one is unstable under its policy
    # (the flow from ρ goes endemic), so against the induced mean field it is exploitable.
    assert abs(exploitability(game, endemic.policy)) <= 1e-8
    assert exploitability(game, disease_free.policy) > 0.5


def test_solvers_are_deterministic() -> None:
    game = sis()
    first = find_equilibria(game, rng=np.random.default_rng(7))
    second = find_equilibria(game, rng=np.random.default_rng(7))
    assert len(first) == len(second)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a.mean_field, b.mean_field)
        np.testing.assert_array_equal(a.policy, b.policy)
        assert a.exploitability == b.exploitability
    fp_a = fictitious_play(game, n_iter=5)
    fp_b = fictitious_play(game, n_iter=5)
    np.testing.assert_array_equal(fp_a.policy, fp_b.policy)
    assert fp_a.history == fp_b.history


# --- finite horizon: fictitious play and online mirror descent --------------------------------


def _reference_exploitability(game: FiniteHorizonMFG, policy: np.ndarray, lam: float) -> float:
    flow, kernels = flow_and_kernels(game, policy)
    rewards = reward_stack(game, flow)
    best, _, _ = backward_induction(kernels, rewards, lam)
    own, _ = evaluate_policy_finite_horizon(kernels, rewards, policy, lam)
    return float(game.initial @ best[0]) - float(game.initial @ own[0])


def _reference_fictitious_play(
    game: FiniteHorizonMFG, n_iter: int, lam: float
) -> tuple[np.ndarray, list[float]]:
    """The previous implementation, on the per-epoch validated building blocks."""
    policy = np.full((game.horizon + 1, game.n_states, game.n_actions), 1.0 / game.n_actions)
    history = []
    for i in range(n_iter):
        flow, kernels = flow_and_kernels(game, policy)
        _, _, br = backward_induction(kernels, reward_stack(game, flow), lam)
        flow_br, _ = flow_and_kernels(game, br)
        weight = 1.0 / (i + 2)
        old = (1 - weight) * flow[:, :, None] * policy
        new = weight * flow_br[:, :, None] * br
        norm = (old + new).sum(axis=2, keepdims=True)
        policy = np.where(norm > 0, (old + new) / np.where(norm > 0, norm, 1.0), policy)
        history.append(_reference_exploitability(game, policy, lam))
    return policy, history


@pytest.mark.parametrize(
    "game",
    [sis(horizon=50, lam=0.0), sis(horizon=20, lam=0.2, initial=(0.7, 0.3))],
    ids=["sis_T50", "sis_T20_lam0.2"],
)
def test_finite_horizon_fictitious_play_equals_the_reference(game: FiniteHorizonMFG) -> None:
    eq = fictitious_play_finite_horizon(game, n_iter=8)
    policy, history = _reference_fictitious_play(game, 8, game.lam)
    np.testing.assert_allclose(eq.policy, policy, rtol=0, atol=1e-12)
    np.testing.assert_allclose(eq.history["exploitability"], history, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(eq.mean_field, mean_field_flow(game, eq.policy))


@given(game=finite_horizon_mfgs(lam=st.sampled_from([0.0, 0.4]), horizon=st.integers(1, 4)))
def test_finite_horizon_fictitious_play_equals_the_reference_on_random_games(
    game: FiniteHorizonMFG,
) -> None:
    eq = fictitious_play_finite_horizon(game, n_iter=4)
    policy, history = _reference_fictitious_play(game, 4, game.lam)
    np.testing.assert_allclose(eq.policy, policy, rtol=0, atol=1e-12)
    np.testing.assert_allclose(eq.history["exploitability"], history, rtol=0, atol=1e-12)


def _reference_mirror_descent(
    game: FiniteHorizonMFG, n_iter: int, learning_rate: float, lam: float
) -> list[np.ndarray]:
    """y += α (Q^{π,λ}_{μ(π)} - λ log π), π = softmax(y), from y = 0, by the public evaluators."""
    scores = np.zeros((game.horizon + 1, game.n_states, game.n_actions))
    policy = np.full_like(scores, 1.0 / game.n_actions)
    iterates = [policy]
    for _ in range(n_iter):
        flow = mean_field_flow(game, policy)
        _, q_values = policy_values_finite_horizon(game, policy, flow, lam=lam)
        scores = scores + learning_rate * (q_values - lam * np.log(policy))
        weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
        policy = weights / weights.sum(axis=-1, keepdims=True)
        iterates.append(policy)
    return iterates


@pytest.mark.parametrize(("lam", "learning_rate"), [(0.0, 1.0), (0.3, 0.5)])
def test_mirror_descent_steps_are_the_stated_update(lam: float, learning_rate: float) -> None:
    game = sis(horizon=20, lam=lam)
    reference = _reference_mirror_descent(game, 6, learning_rate, lam)
    state = mirror_descent_start(game)
    np.testing.assert_array_equal(state.policy, reference[0])
    for k in range(1, 7):
        state = mirror_descent_step(game, state, learning_rate=learning_rate)
        assert state.iteration == k
        np.testing.assert_allclose(state.policy, reference[k], rtol=0, atol=1e-12)
        assert abs(state.exploitability - _reference_exploitability(game, state.policy, lam)) <= 1e-12
    eq = online_mirror_descent_finite_horizon(game, n_iter=6, learning_rate=learning_rate)
    np.testing.assert_array_equal(eq.policy, state.policy)
    assert eq.history["exploitability"][-1] == eq.exploitability == state.exploitability


def test_regularised_mirror_descent_converges_to_the_boltzmann_equilibrium() -> None:
    """λ > 0: the -λ log π term makes the fixed point π = softmax(Q*/λ) against its own flow,
    the regularised equilibrium (without it the iteration drifts away: E 0.57 -> 2.2 here)."""
    game = sis(horizon=20, lam=0.5)
    eq = online_mirror_descent_finite_horizon(game, n_iter=300, learning_rate=0.1)
    assert eq.exploitability <= 1e-10
    _, _, best = best_response_finite_horizon(game, eq.mean_field)
    # E is second order in the distance to the equilibrium: E <= 1e-10 with |π - π*| ~ 1e-7
    np.testing.assert_allclose(eq.policy, best, atol=1e-6)
    history = eq.history["exploitability"]
    assert history[-1] < history[100] < history[10]


def test_regularised_discounted_mirror_descent_converges() -> None:
    """The discounted OMD with the same -λ log π term: E -> 0 on SIS (λ = 0.5, and the
    default 0.1), where y += lr Q^{π,λ} alone stalled at E = 0.57 (λ = 0.5)."""
    assert online_mirror_descent(sis(lam=0.5), n_iter=60, learning_rate=1.0).exploitability <= 1e-10
    assert online_mirror_descent(sis(), n_iter=100).exploitability <= 1e-9


def test_mirror_descent_rejects_a_bad_learning_rate() -> None:
    with pytest.raises(ValueError, match=r"learning_rate: must be finite and > 0, got -1\.0"):
        online_mirror_descent_finite_horizon(sis(horizon=3, lam=0.0), learning_rate=-1.0)


def test_finite_horizon_solvers_are_deterministic() -> None:
    game = sis(horizon=10, lam=0.1)
    for solve in (fictitious_play_finite_horizon, online_mirror_descent_finite_horizon):
        first, second = solve(game, n_iter=5), solve(game, n_iter=5)
        np.testing.assert_array_equal(first.policy, second.policy)
        assert first.history == second.history
