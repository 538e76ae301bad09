"""Dynamic programming: the fast solvers against slow, obvious references."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.instances import random_finite_horizon_mfg
from mfcheck.models import FiniteMDP
from mfcheck.solvers import (
    backward_induction,
    evaluate_policy,
    evaluate_policy_finite_horizon,
    soft_policy_iteration,
    soft_value_iteration,
)
from mfcheck.solvers.dynamic_programming import entropy_term
from mfcheck.testing.strategies import finite_mdps, policies


@given(mdp=finite_mdps(), lam=st.floats(0.0, 1.0))
def test_soft_policy_iteration_equals_soft_value_iteration(mdp: FiniteMDP, lam: float) -> None:
    fast = soft_policy_iteration(mdp.transition, mdp.reward, mdp.gamma, lam)
    slow = soft_value_iteration(mdp.transition, mdp.reward, mdp.gamma, lam)
    scale = 1.0 / (1.0 - mdp.gamma) * (1.0 + lam * np.log(mdp.n_actions))
    np.testing.assert_allclose(fast.q_values, slow.q_values, rtol=0, atol=1e-9 * scale)
    np.testing.assert_allclose(fast.values, slow.values, rtol=0, atol=1e-9 * scale)
    assert fast.residual <= 1e-10 * scale
    if lam >= 0.05:  # softmax is smooth there; at λ = 0 near-ties may pick different argmax sets
        np.testing.assert_allclose(fast.policy, slow.policy, atol=1e-7)


@given(mdp=finite_mdps(), lam=st.floats(0.0, 1.0), data=st.data())
def test_evaluate_policy_satisfies_the_bellman_equation(
    mdp: FiniteMDP, lam: float, data: st.DataObject
) -> None:
    policy = data.draw(policies(n_states=mdp.n_states, n_actions=mdp.n_actions))
    values, q_values = evaluate_policy(mdp.transition, mdp.reward, mdp.gamma, policy, lam)
    # Q = r + γ P V and V = Σ_a π (Q - λ log π) (0 log 0 = 0)
    np.testing.assert_allclose(q_values, mdp.reward + mdp.gamma * mdp.transition @ values, atol=1e-10)
    expected = (policy * q_values).sum(axis=1) - lam * entropy_term(policy)
    np.testing.assert_allclose(values, expected, atol=1e-9 / (1 - mdp.gamma))


@given(mdp=finite_mdps(min_states=2), lam=st.floats(0.0, 1.0), data=st.data())
def test_soft_optimal_value_dominates_every_policy_value(
    mdp: FiniteMDP, lam: float, data: st.DataObject
) -> None:
    policy = data.draw(policies(n_states=mdp.n_states, n_actions=mdp.n_actions))
    best = soft_policy_iteration(mdp.transition, mdp.reward, mdp.gamma, lam)
    values, _ = evaluate_policy(mdp.transition, mdp.reward, mdp.gamma, policy, lam)
    assert np.all(best.values >= values - 1e-9 / (1 - mdp.gamma))
    own, _ = evaluate_policy(mdp.transition, mdp.reward, mdp.gamma, best.policy, lam)
    np.testing.assert_allclose(own, best.values, atol=1e-8 / (1 - mdp.gamma))


@given(seed=st.integers(0, 2**32 - 1), horizon=st.integers(1, 2), n_states=st.integers(1, 2))
def test_backward_induction_equals_brute_force_over_deterministic_policies(
    seed: int, horizon: int, n_states: int
) -> None:
    """V*_t(s) = max over the |A|^{S (T+1)} deterministic time-indexed policies, state by state."""
    rng = np.random.default_rng(seed)
    n_actions = 2
    game = random_finite_horizon_mfg(rng, n_states, n_actions, horizon)
    flow = rng.dirichlet(np.ones(n_states), size=horizon + 1)  # any fixed flow: an MDP
    transitions = np.stack([game.transition(t, flow[t]) for t in range(horizon)])
    rewards = np.stack([game.reward(t, flow[t]) for t in range(horizon + 1)])
    values, q_values, policy = backward_induction(transitions, rewards)
    best = np.full((horizon + 1, n_states), -np.inf)
    eye = np.eye(n_actions)
    for choice in itertools.product(range(n_actions), repeat=(horizon + 1) * n_states):
        det = eye[np.array(choice)].reshape(horizon + 1, n_states, n_actions)
        v, _ = evaluate_policy_finite_horizon(transitions, rewards, det)
        best = np.maximum(best, v)
    np.testing.assert_allclose(values, best, atol=1e-12)
    own, _ = evaluate_policy_finite_horizon(transitions, rewards, policy)
    np.testing.assert_allclose(own, values, atol=1e-12)
    np.testing.assert_allclose(values, q_values.max(axis=-1), atol=0)


def test_soft_value_iteration_on_a_two_state_chain_matches_closed_form() -> None:
    """One state, two actions with rewards 0 and 1, γ = 0.5, λ = 1:
    V = λ log(e^{0/λ} + e^{1/λ}) + γ V  =>  V = log(1 + e) / (1 - γ)."""
    transition = np.ones((1, 2, 1))
    reward = np.array([[0.0, 1.0]])
    for solver in (soft_value_iteration, soft_policy_iteration):
        solution = solver(transition, reward, 0.5, 1.0)
        np.testing.assert_allclose(solution.values, [np.log1p(np.e) / 0.5], rtol=1e-12)
        np.testing.assert_allclose(solution.policy, [[1 / (1 + np.e), np.e / (1 + np.e)]], rtol=1e-12)
