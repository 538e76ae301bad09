"""Count space: exact next-count laws (FFT vs one agent at a time) and exactness against joint space."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.instances.cooperative import cooperative_sis, crowd_ring, random_cooperative_model
from mfcheck.models.count_space import (
    build_count_space_mdp,
    composition_index,
    compositions,
    multinomial_law,
    n_compositions,
    next_count_distribution,
    next_count_distribution_direct,
)
from mfcheck.models.joint_policies import count_index
from mfcheck.models.mean_field_limit import MeanFieldLimit
from mfcheck.models.n_agent import NAgentMDP
from mfcheck.models.sparse_mdp import SparseMDP
from mfcheck.solvers.count_space import evaluate, optimal_solution
from mfcheck.solvers.dynamic_programming import evaluate_policy, soft_policy_iteration
from mfcheck.testing.strategies_n_agent import n_agent_mdps


@pytest.mark.parametrize(("total", "parts"), [(0, 3), (1, 1), (5, 2), (7, 3), (4, 4)])
def test_compositions_are_all_count_vectors_in_index_order(total: int, parts: int) -> None:
    comps = compositions(total, parts)
    assert comps.shape == (math.comb(total + parts - 1, parts - 1), parts) == (n_compositions(total, parts), parts)
    assert (comps.sum(axis=1) == total).all() and (comps >= 0).all()
    assert len({tuple(c) for c in comps}) == comps.shape[0]
    assert composition_index(comps, total).tolist() == list(range(comps.shape[0]))


@given(seed=st.integers(0, 2**32 - 1), parts=st.integers(1, 4), groups=st.integers(1, 4),
       total=st.integers(0, 7))
def test_fft_next_counts_equal_the_one_agent_at_a_time_reference(seed: int, parts: int, groups: int, total: int) -> None:
    rng = np.random.default_rng(seed)
    rows = rng.dirichlet(np.full(parts, 0.5), size=(3, groups))
    rows[0, 0] = np.eye(parts)[rng.integers(parts)]  # degenerate rows (exact zeros) included
    counts = np.stack([rng.multinomial(total, np.full(groups, 1 / groups)) for _ in range(3)])
    fast = next_count_distribution(rows, counts, prune=0.0)
    slow = next_count_distribution_direct(rows, counts)
    assert np.abs(fast - slow).max() <= 1e-13
    assert np.allclose(fast.sum(axis=1), 1.0, atol=1e-14)


def test_multinomial_law_matches_the_formula() -> None:
    d = np.array([0.2, 0.3, 0.5])
    law = multinomial_law(d, 4)
    comps = compositions(4, 3)
    exact = [math.factorial(4) / np.prod([math.factorial(k) for k in c]) * np.prod(d**c) for c in comps]
    assert np.abs(law - exact).max() <= 1e-15


def test_expected_next_distribution_is_the_mean_field_flow() -> None:
    """E[n'/N | n, ā] = Φ_ā(n/N): the count chain's drift is the limit flow, exactly."""
    model = random_cooperative_model(np.random.default_rng(3), 3, 2)
    counts_mdp = build_count_space_mdp(model, 10, prune=0.0)
    mean_next = (counts_mdp.mdp.transition @ (counts_mdp.counts / 10)).reshape(counts_mdp.counts.shape[0], -1, 3)
    flow = MeanFieldLimit(model).flow(counts_mdp.distribution)
    assert np.abs(mean_next - flow).max() <= 1e-13


SIZES = [(cooperative_sis(), 1), (cooperative_sis(), 4), (crowd_ring(), 2), (crowd_ring(), 4),
         (random_cooperative_model(np.random.default_rng(0), 2, 3), 3),
         (random_cooperative_model(np.random.default_rng(1), 4, 2), 3),
         (random_cooperative_model(np.random.default_rng(2), 1, 2), 3)]


@pytest.mark.parametrize(("model", "n_agents"), SIZES, ids=lambda x: getattr(x, "name", x))
def test_count_space_is_exact_against_joint_space(model, n_agents: int) -> None:
    n_agent_mdp = NAgentMDP(model, n_agents)
    joint = n_agent_mdp.joint_meta_action_space()
    counts_mdp = build_count_space_mdp(model, n_agents)
    index = count_index(n_agent_mdp)
    exact = soft_policy_iteration(joint.transition, joint.reward, joint.gamma)
    lumped = optimal_solution(counts_mdp)
    assert np.abs(lumped.values[index] - exact.values).max() <= 1e-9
    assert np.abs(lumped.q_values[index] - exact.q_values).max() <= 1e-9
    policy = np.random.default_rng(5).dirichlet(np.ones(counts_mdp.mdp.n_actions), size=counts_mdp.mdp.n_states)
    values, q_values = evaluate(counts_mdp, policy)
    joint_values, joint_q = evaluate_policy(joint.transition, joint.reward, joint.gamma, policy[index])
    assert np.abs(values[index] - joint_values).max() <= 1e-9
    assert np.abs(q_values[index] - joint_q).max() <= 1e-9
    assert np.abs(np.bincount(index, weights=joint.initial) - counts_mdp.mdp.initial).max() <= 1e-14


@given(n_agent_mdps(max_agents=4, max_states=3, max_actions=2))
def test_count_space_values_match_joint_space_on_generated_models(mdp: NAgentMDP) -> None:
    joint = mdp.joint_meta_action_space()
    exact = soft_policy_iteration(joint.transition, joint.reward, joint.gamma).values
    lumped = optimal_solution(build_count_space_mdp(mdp.model, mdp.n_agents)).values
    assert np.abs(lumped[count_index(mdp)] - exact).max() <= 1e-9


@pytest.mark.parametrize("n_agents", [16, 32])
def test_policy_iteration_agrees_with_value_iteration(n_agents: int) -> None:
    counts_mdp = build_count_space_mdp(crowd_ring(), n_agents)
    fast, reference = optimal_solution(counts_mdp), optimal_solution(counts_mdp, "value_iteration")
    assert np.abs(fast.values - reference.values).max() <= 1e-9
    assert fast.residual <= 1e-10


@pytest.mark.slow
def test_n_64_three_states_is_solved_exactly() -> None:
    counts_mdp = build_count_space_mdp(crowd_ring(), 64)
    assert counts_mdp.mdp.n_states == 2145
    solution = optimal_solution(counts_mdp)
    assert solution.residual <= 1e-10
    assert np.abs(solution.values - optimal_solution(counts_mdp, "value_iteration").values).max() <= 1e-9


def test_count_space_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match=r"build_count_space_mdp.n_agents: must be an integer >= 1, got 0"):
        build_count_space_mdp(cooperative_sis(), 0)
    with pytest.raises(ValueError, match=r"build_count_space_mdp.model: expected a CooperativeModel, got dict"):
        build_count_space_mdp({}, 2)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"meta_actions: action 3 at index \(0, 0\) is not in \[0, 2\)"):
        build_count_space_mdp(cooperative_sis(), 2, np.array([[3, 0]]))
    with pytest.raises(ValueError, match=r"N=64, \|S\|=3, M=8 give 2145 count states .* > max_entries=1000"):
        build_count_space_mdp(crowd_ring(), 64, max_entries=1000)
    with pytest.raises(ValueError, match=r"CountSpaceMDP.index: counts at \(\) sum to 3, not 4"):
        build_count_space_mdp(cooperative_sis(), 4).index([1, 2])
    with pytest.raises(ValueError, match=r"method 'newton' not in \['policy_iteration', 'value_iteration'\]"):
        optimal_solution(build_count_space_mdp(cooperative_sis(), 2), "newton")


def test_next_count_distribution_refuses_bad_arguments() -> None:
    rows = np.full((1, 2, 2), 0.5)
    with pytest.raises(ValueError, match=r"counts: shape \(1, 3\) != rows\[:2\] \(1, 2\)"):
        next_count_distribution(rows, np.array([[1, 1, 1]]))
    with pytest.raises(ValueError, match=r"counts: must be non-negative integers"):
        next_count_distribution(rows, np.array([[-1, 2]]))
    with pytest.raises(ValueError, match=r"counts: row totals differ: \[2, 3\]"):
        next_count_distribution(np.full((2, 2, 2), 0.5), np.array([[1, 1], [1, 2]]))
    with pytest.raises(ValueError, match=r"next_count_distribution.rows: row \(0, 0\) sums to"):
        next_count_distribution(np.full((1, 2, 2), 0.6), np.array([[1, 1]]))
    with pytest.raises(ValueError, match=r"compositions.total: must be an integer >= 0, got -1"):
        compositions(-1, 2)


def test_sparse_mdp_refuses_malformed_kernels() -> None:
    reward = np.zeros((2, 1))
    with pytest.raises(ValueError, match=r"S.transition: expected a scipy sparse matrix, got ndarray"):
        SparseMDP(transition=np.eye(2), reward=reward, gamma=0.9, name="S")
    with pytest.raises(ValueError, match=r"S.transition: row \(state 1, action 0\) sums to 0.5, not 1"):
        SparseMDP(transition=sp.csr_array(np.array([[1.0, 0.0], [0.25, 0.25]])), reward=reward, gamma=0.9, name="S")
    with pytest.raises(ValueError, match=r"S.transition: negative probability -0.5 in row 1"):
        SparseMDP(transition=sp.csr_array(np.array([[1.0, 0.0], [1.5, -0.5]])), reward=reward, gamma=0.9, name="S")
    with pytest.raises(ValueError, match=r"S.transition: shape \(2, 2\) does not match expected \(4, 2\)"):
        SparseMDP(transition=sp.csr_array(np.eye(2)), reward=np.zeros((2, 2)), gamma=0.9, name="S")
    mdp = SparseMDP(transition=sp.csr_array(np.eye(2)), reward=reward, gamma=0.9, name="S")
    with pytest.raises(ValueError, match=r"S: policy: shape \(2, 2\) does not match expected \(2, 1\)"):
        mdp.policy_kernel(np.full((2, 2), 0.5))
    with pytest.raises(ValueError, match=r"S.to_dense: 4 entries exceed max_entries=3"):
        mdp.to_dense(max_entries=3)
