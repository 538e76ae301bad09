"""Gaps between the N-agent optimum and the N = ∞ limit: grid nodes are exact, the count-space
optimum equals the joint-space one, the discretisation error is second order."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.instances.cooperative import cooperative_sis, random_cooperative_model
from mfcheck.models.count_space import build_count_space_mdp, composition_index
from mfcheck.models.n_agent import NAgentMDP
from mfcheck.solvers.count_space import optimal_solution
from mfcheck.solvers.dynamic_programming import soft_policy_iteration
from mfcheck.solvers.mean_field_gap import gap_curve, restriction_gap


def _model():
    return random_cooperative_model(np.random.default_rng(11), 2, 2)


def test_gap_curve_uses_grid_nodes_exactly() -> None:
    record = gap_curve(_model(), (4, 8), 64)
    assert [row["n_count_states"] for row in record["curve"]] == [5, 9]
    # |V_64 - V_32| ~ 3e-4 at the count states (2.6e-5 at K = 256): second order in 1/K
    assert all(row["discretisation"] <= 1e-3 <= 0.1 * row["sup_gap"] for row in record["curve"])
    finer = gap_curve(_model(), (4, 8), 256)
    assert max(r["discretisation"] for r in finer["curve"]) < 0.2 * max(r["discretisation"] for r in record["curve"])


def test_count_space_optimum_equals_the_joint_meta_action_optimum() -> None:
    model = _model()
    for n_agents in (2, 3):
        joint = NAgentMDP(model, n_agents).joint_meta_action_space()
        exact = soft_policy_iteration(joint.transition, joint.reward, joint.gamma).values
        counts_mdp = build_count_space_mdp(model, n_agents)
        counted = optimal_solution(counts_mdp).values
        joint_counts = NAgentMDP(model, n_agents).joint_counts()
        np.testing.assert_allclose(exact, counted[composition_index(joint_counts, n_agents)], atol=1e-9)


def test_restriction_costs_nothing_when_homogeneous_actions_are_optimal() -> None:
    record = restriction_gap(cooperative_sis(), (2, 4), levels=2, resolution=16)
    assert max(row["sup"] for row in record["curve"]) <= 1e-9


def test_grids_off_the_resolution_are_refused() -> None:
    with pytest.raises(ValueError, match="not a multiple of N"):
        gap_curve(_model(), (3,), 16)
    with pytest.raises(ValueError, match="not a multiple of N"):
        restriction_gap(_model(), (2, 3), levels=2, resolution=16)
