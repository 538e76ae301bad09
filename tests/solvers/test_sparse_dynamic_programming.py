"""Sparse policy iteration / value iteration / evaluation against the dense solvers."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given

from mfcheck.models.finite_mdp import FiniteMDP
from mfcheck.models.sparse_mdp import SparseMDP
from mfcheck.solvers import sparse_dynamic_programming as sdp
from mfcheck.solvers.dynamic_programming import evaluate_policy, soft_policy_iteration
from mfcheck.testing.strategies import finite_mdps


def _sparse(mdp: FiniteMDP) -> SparseMDP:
    n_states, n_actions, _ = mdp.transition.shape
    return SparseMDP(transition=sp.csr_array(mdp.transition.reshape(n_states * n_actions, n_states)),
                     reward=mdp.reward, gamma=mdp.gamma, initial=mdp.initial)


@given(finite_mdps(max_states=6, max_actions=3))
def test_sparse_solvers_match_the_dense_ones(mdp: FiniteMDP) -> None:
    sparse = _sparse(mdp)
    dense = soft_policy_iteration(mdp.transition, mdp.reward, mdp.gamma)
    for solution in (sdp.policy_iteration(sparse), sdp.policy_iteration(sparse, linear_solver="krylov"),
                     sdp.value_iteration(sparse)):
        assert np.abs(solution.values - dense.values).max() <= 1e-9
    policy = np.full(mdp.reward.shape, 1.0 / mdp.reward.shape[1])
    values, q_values = sdp.evaluate_policy(sparse, policy)
    dense_values, dense_q = evaluate_policy(mdp.transition, mdp.reward, mdp.gamma, policy)
    assert np.abs(values - dense_values).max() <= 1e-10 and np.abs(q_values - dense_q).max() <= 1e-10


def test_stationary_distribution_of_a_chain_with_two_closed_classes() -> None:
    # 0 -> {1, 2} w.p. 1/4, 3/4; {1} absorbing; {2, 3} a 2-cycle; 4 -> 0
    kernel = sp.csr_array(np.array([
        [0.0, 0.25, 0.75, 0.0, 0.0],
        [0.0, 1.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 1.0, 0.0],
        [0.0, 0.0, 1.0, 0.0, 0.0],
        [1.0, 0.0, 0.0, 0.0, 0.0],
    ]))
    stationary = sdp.stationary_distribution(kernel, np.array([0.0, 0.0, 0.0, 0.0, 1.0]))
    assert np.allclose(stationary, [0.0, 0.25, 0.375, 0.375, 0.0], atol=1e-15)
    assert np.allclose(sdp.stationary_distribution(kernel, np.array([0.0, 0.0, 0.0, 1.0, 0.0])),
                       [0.0, 0.0, 0.5, 0.5, 0.0])


def test_solvers_refuse_unknown_methods() -> None:
    with pytest.raises(ValueError, match=r"solve_resolvent.method: 'qr' not in \('auto', 'lu', 'krylov'\)"):
        sdp.solve_resolvent(sp.csr_array(np.eye(2)), np.ones(2), 0.5, method="qr")
    with pytest.raises(ValueError, match=r"stationary_distribution: initial: row \(\) sums to"):
        sdp.stationary_distribution(sp.csr_array(np.eye(2)), np.array([0.5, 0.6]))
