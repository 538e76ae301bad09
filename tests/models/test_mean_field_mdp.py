"""The exact finite-N mean-field MDP (Def 2.1) and its N = ∞ limit on the simplex grid."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.instances.cooperative import cooperative_sis, crowd_ring, random_cooperative_model
from mfcheck.models.count_space import build_count_space_mdp, composition_index, compositions
from mfcheck.models.finite_mdp import FiniteMDP
from mfcheck.models.mean_field_limit import MeanFieldLimit, simplex_interpolation
from mfcheck.models.mean_field_mdp import build_finite_mean_field_mdp
from mfcheck.solvers.count_space import (
    discounted_state_distribution,
    evaluate,
    objective,
    optimal_solution,
    optimal_value,
    stationary_distribution,
)
from mfcheck.solvers.dynamic_programming import evaluate_policy
from mfcheck.solvers.mean_field_limit import solve_limit


@pytest.fixture(scope="module")
def finite_mf():
    return build_finite_mean_field_mdp(crowd_ring(), 5)


def test_interface_shapes_and_ranges(finite_mf) -> None:
    mf = finite_mf
    n_others = 15  # C(4 + 2, 2)
    assert (mf.n_local_states, mf.n_states, mf.n_meta_actions) == (3, 3 * n_others, 8)
    assert mf.meta_actions.shape == (8, 3)
    assert mf.own_state.shape == (45,) and mf.own.tolist() == mf.own_state.tolist()
    assert np.allclose(mf.distribution.sum(axis=1), 1.0) and np.allclose(mf.others_distribution.sum(axis=1), 1.0)
    assert (mf.counts == mf.counts_others + np.eye(3, dtype=int)[mf.own_state]).all()
    dense = mf.transition
    assert dense.shape == (45, 8, 45) and np.allclose(dense.sum(axis=2), 1.0)
    assert all(np.allclose(m.toarray(), dense[:, k]) for k, m in enumerate(mf.transition_matrices()))
    assert mf.reward.shape == (45, 8)
    assert 0.0 <= mf.reward.min() and mf.reward.max() <= mf.reward_bound == 1.0
    assert mf.initial.sum() == pytest.approx(1.0) and mf.gamma == 0.9
    assert isinstance(mf.as_finite_mdp(), FiniteMDP)
    x = mf.state_index(mf.own_state, mf.counts_others)
    assert x.tolist() == list(range(45))


def test_optimal_values_equal_the_count_space_optimum(finite_mf) -> None:
    """Reward and kernel depend on x = (s, m) only through n = m + e_s: V*(s, m) = W*(n)."""
    counts = optimal_solution(build_count_space_mdp(crowd_ring(), 5))
    values = optimal_value(finite_mf)
    assert np.abs(values - counts.values[composition_index(finite_mf.counts, 5)]).max() <= 1e-10
    reference = optimal_solution(finite_mf, "value_iteration").values
    assert np.abs(values - reference).max() <= 1e-9


def test_evaluation_and_distributions_agree_with_dense_formulas(finite_mf) -> None:
    rng = np.random.default_rng(0)
    policy = rng.dirichlet(np.ones(8), size=45)
    values, q_values = evaluate(finite_mf, policy)
    dense = finite_mf.as_finite_mdp()
    dense_values, dense_q = evaluate_policy(dense.transition, dense.reward, dense.gamma, policy)
    assert np.abs(values - dense_values).max() <= 1e-12 and np.abs(q_values - dense_q).max() <= 1e-12
    assert objective(finite_mf, policy) == pytest.approx(finite_mf.initial @ dense_values, abs=1e-12)
    kernel = np.einsum("xm,xmy->xy", policy, dense.transition)
    stationary = stationary_distribution(finite_mf, policy)
    assert stationary.sum() == pytest.approx(1.0) and np.abs(stationary @ kernel - stationary).max() <= 1e-13
    discounted = discounted_state_distribution(finite_mf, policy)
    expected = 0.1 * np.linalg.solve((np.eye(45) - 0.9 * kernel).T, finite_mf.initial)
    assert np.abs(discounted - expected).max() <= 1e-13


def test_sampling_follows_the_kernel_and_is_deterministic(finite_mf) -> None:
    draws = finite_mf.sample_next(np.full(20000, 7), np.full(20000, 3), np.random.default_rng(1))
    again = finite_mf.sample_next(np.full(20000, 7), np.full(20000, 3), np.random.default_rng(1))
    assert np.array_equal(draws, again)
    frequencies = np.bincount(draws, minlength=45) / 20000
    expected = finite_mf.transition[7, 3]
    assert np.abs(frequencies - expected).max() <= 5 * np.sqrt(0.25 / 20000)
    assert set(np.flatnonzero(frequencies)) <= set(np.flatnonzero(expected))


def test_finite_mean_field_mdp_refuses_bad_arguments(finite_mf) -> None:
    with pytest.raises(ValueError, match=r"needs N >= 2 \(a representative and others\), got 1"):
        build_finite_mean_field_mdp(cooperative_sis(), 1)
    with pytest.raises(ValueError, match=r"model: expected a CooperativeModel, got int"):
        build_finite_mean_field_mdp(3, 4)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"N=30, \|S\|=3, M=8 give 1395 states .* > max_entries=1000"):
        build_finite_mean_field_mdp(crowd_ring(), 30, max_entries=1000)
    with pytest.raises(ValueError, match=r"state_index: own_state \[3\] outside \[0, 3\)"):
        finite_mf.state_index([3], [[4, 0, 0]])
    with pytest.raises(ValueError, match=r"counts_others: counts at \(0,\) sum to 5, not 4"):
        finite_mf.state_index([0], [[5, 0, 0]])
    with pytest.raises(ValueError, match=r"FiniteMeanFieldMDP.optimal_solution: method 'sarsa' not in"):
        optimal_solution(finite_mf, "sarsa")
    with pytest.raises(ValueError, match=r"policy: shape \(45, 2\) does not match expected \(45, 8\)"):
        evaluate(finite_mf, np.full((45, 2), 0.5))


def test_simplex_interpolation_is_barycentric() -> None:
    rng = np.random.default_rng(2)
    points = np.vstack([rng.dirichlet(np.ones(3), size=500), np.eye(3), compositions(6, 3) / 6])
    index, weights = simplex_interpolation(points, 6)
    nodes = compositions(6, 3) / 6
    assert (weights >= 0).all() and np.allclose(weights.sum(axis=1), 1.0)
    assert np.abs((nodes[index] * weights[:, :, None]).sum(axis=1) - points).max() <= 1e-14
    on_nodes = simplex_interpolation(nodes, 6)
    assert np.allclose(on_nodes[1].max(axis=1), 1.0)
    with pytest.raises(ValueError, match=r"simplex_interpolation.resolution: must be an integer >= 1, got 0"):
        simplex_interpolation(points, 0)
    with pytest.raises(ValueError, match=r"simplex_interpolation.points: row \(0,\) sums to"):
        simplex_interpolation(np.array([[0.5, 0.6]]), 4)


def test_limit_flow_reward_and_grid_convergence() -> None:
    model = random_cooperative_model(np.random.default_rng(4), 2, 2)
    limit = MeanFieldLimit(model)
    d = np.array([[0.3, 0.7], [1.0, 0.0]])
    flow = limit.flow(d)
    assert flow.shape == (2, 4, 2) and np.allclose(flow.sum(axis=-1), 1.0)
    kernel, reward = model.kernel(d[0]), model.reward(d[0])
    meta = limit.meta_actions[2]
    assert np.allclose(flow[0, 2], sum(d[0, x] * kernel[x, meta[x]] for x in range(2)))
    assert limit.reward(d)[0, 2] == pytest.approx(sum(d[0, x] * reward[x, meta[x]] for x in range(2)))
    values = [solve_limit(limit, k).value_at(model.initial)[0] for k in (64, 128, 256, 512)]
    steps = np.abs(np.diff(values))
    assert steps[-1] <= steps[0] and steps[-1] <= 1e-4
    with pytest.raises(ValueError, match=r"MeanFieldLimit.model: expected a CooperativeModel"):
        MeanFieldLimit("sis")  # type: ignore[arg-type]
