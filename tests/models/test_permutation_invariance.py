"""Permutation actions on joint arrays: worst violations agree with the group residual, name
their counterexample, and eq 2.1 holds on N-agent cooperative models."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

from mfcheck.instances.cooperative import crowd_ring
from mfcheck.models.joint_policies import (
    invariance_residual,
    permutation_maps,
    random_invariant_policy,
)
from mfcheck.models.n_agent import NAgentMDP, joint_tuples
from mfcheck.models.permutation_invariance import (
    Invariance,
    ValueOfCounts,
    Violation,
    eq2_1_residuals,
    group_maps,
    kernel_violation,
    random_joint_policy,
    worst_violation,
)
from mfcheck.testing.strategies_n_agent import n_agent_mdps


@given(n_agent_mdps(max_agents=3))
def test_worst_violation_equals_the_group_residual(mdp: NAgentMDP) -> None:
    rng = np.random.default_rng(0)
    values = rng.normal(size=(mdp.n_states**mdp.n_agents, mdp.n_actions**mdp.n_agents))
    violation = worst_violation(values, mdp, group_maps(mdp))
    assert violation.residual == invariance_residual(values, permutation_maps(mdp))
    assert abs(violation.value - violation.moved) == pytest.approx(violation.residual)


def test_counterexample_is_where_the_values_differ() -> None:
    mdp = NAgentMDP(crowd_ring(), 3)
    values = np.zeros(3**3)
    states = joint_tuples(3, 3)
    target = int(np.flatnonzero((states == [0, 1, 2]).all(axis=1))[0])
    values[target] = 1.0
    violation = worst_violation(values, mdp, group_maps(mdp, "states"))
    assert violation.residual == 1.0
    moved = tuple(violation.state[i] for i in violation.permutation)
    assert (violation.state == (0, 1, 2)) != (moved == (0, 1, 2))  # one of the pair is the bump
    assert "κ=" in violation.describe("V") and "V(κs)" in violation.describe("V")
    assert Violation.from_dict(violation.to_dict()) == violation


def test_group_maps_act_where_told() -> None:
    mdp = NAgentMDP(crowd_ring(), 3)
    for element in group_maps(mdp, "actions"):
        np.testing.assert_array_equal(element.state_map, np.arange(27))
    for element in group_maps(mdp, "states", fixed=(0,)):
        np.testing.assert_array_equal(element.action_map, np.arange(8))
        assert element.permutation[0] == 0
    assert len(group_maps(mdp, fixed=(0,))) == 2 and len(group_maps(mdp)) == 6
    with pytest.raises(ValueError, match="acts_on"):
        group_maps(mdp, "agents")


@given(n_agent_mdps(max_agents=3))
def test_eq2_1_holds_on_cooperative_models(mdp: NAgentMDP) -> None:
    residuals = eq2_1_residuals(mdp)
    assert residuals.worst <= 1e-14


def test_invariant_policies_are_invariant_and_random_ones_are_not() -> None:
    mdp = NAgentMDP(crowd_ring(), 3)
    rng = np.random.default_rng(3)
    maps = group_maps(mdp)
    assert worst_violation(random_invariant_policy(mdp, rng), mdp, maps).residual <= 1e-15
    assert worst_violation(random_joint_policy(mdp, rng), mdp, maps).residual > 0.1


def test_kernel_violation_sees_a_kernel_that_singles_out_an_agent() -> None:
    mdp = NAgentMDP(crowd_ring(), 2)
    joint = mdp.joint_space()
    transition = joint.transition.copy()
    transition[0, 0] = np.roll(transition[0, 0], 1)  # one (s, a) row moved: not invariant
    assert kernel_violation(joint.transition, group_maps(mdp)) <= 1e-15
    assert kernel_violation(transition, group_maps(mdp)) > 1e-3


def test_statement_values_default_to_the_paper_and_refuse_unknown_fields() -> None:
    assert Invariance().permuted == "states and actions" and ValueOfCounts().permuted == "rest"
    mdp = NAgentMDP(crowd_ring(), 2)
    assert Invariance().models(mdp) is mdp and ValueOfCounts().models(mdp) is mdp
    with pytest.raises(ValueError, match=r"Invariance\.permuted"):
        Invariance(permuted="agents")
    with pytest.raises(ValueError, match=r"Invariance\.policies"):
        Invariance(policies="some")
    with pytest.raises(ValueError, match=r"ValueOfCounts\.permuted"):
        ValueOfCounts(permuted="others")
