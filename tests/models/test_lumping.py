"""Lumping joint policies onto (own state, others' counts) classes; unrestricted state-action counts."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.instances.cooperative import cooperative_sis, crowd_ring, random_cooperative_model
from mfcheck.models.count_space import build_count_space_mdp
from mfcheck.models.joint_policies import (
    class_index,
    count_index,
    invariance_residual,
    lift_meta_action_policy,
    permutation_maps,
    random_invariant_policy,
)
from mfcheck.models.lumping import lump_joint_policy
from mfcheck.models.mean_field_limit import MeanFieldLimit, relaxed_model
from mfcheck.models.n_agent import NAgentMDP
from mfcheck.models.state_action_counts import build_state_action_count_mdp
from mfcheck.solvers.count_space import chain_values, optimal_solution, state_action_optimal_values
from mfcheck.solvers.dynamic_programming import evaluate_policy, soft_policy_iteration
from mfcheck.solvers.mean_field_limit import solve_limit

MODELS = [(cooperative_sis(), 4), (crowd_ring(), 3), (random_cooperative_model(np.random.default_rng(8), 2, 3), 3)]


@pytest.mark.parametrize(("model", "n_agents"), MODELS, ids=lambda x: getattr(x, "name", x))
def test_lumped_chain_reproduces_joint_values(model, n_agents: int) -> None:
    mdp = NAgentMDP(model, n_agents)
    joint = mdp.joint_space()
    policy = random_invariant_policy(mdp, np.random.default_rng(0), fixed=(0,))
    assert invariance_residual(policy, permutation_maps(mdp, fixed=(0,))) <= 1e-15
    values, _ = evaluate_policy(joint.transition, joint.reward, joint.gamma, policy)
    chain = lump_joint_policy(mdp, policy)
    assert np.abs(chain_values(chain)[chain.classes] - values).max() <= 1e-12
    assert np.allclose(chain.kernel.sum(axis=1), 1.0)


def test_a_policy_that_singles_out_an_other_agent_is_not_lumpable() -> None:
    mdp = NAgentMDP(cooperative_sis(), 3)
    joint = mdp.joint_space()
    policy = np.zeros((8, 8))
    policy[np.arange(8), np.where(mdp.joint_states()[:, 1] == 1, 7, 0)] = 1.0  # all distance iff agent 1 is infected
    values, _ = evaluate_policy(joint.transition, joint.reward, joint.gamma, policy)
    chain = lump_joint_policy(mdp, policy)
    assert np.abs(chain_values(chain)[chain.classes] - values).max() > 1e-3
    classes = class_index(mdp)
    assert max(np.ptp(values[classes == c]) for c in np.unique(classes)) > 1e-3


def test_lifted_meta_action_policies_are_policies() -> None:
    mdp = NAgentMDP(crowd_ring(), 3)
    policy = np.random.default_rng(1).dirichlet(np.ones(8), size=18)
    lifted = lift_meta_action_policy(mdp, policy)
    assert lifted.shape == (27, 8) and np.allclose(lifted.sum(axis=1), 1.0)
    with pytest.raises(ValueError, match=r"lift_meta_action_policy.policy: shape \(5, 8\) does not match expected \(18, 8\)"):
        lift_meta_action_policy(mdp, np.full((5, 8), 1 / 8))


def test_random_invariant_policy_refuses_large_groups() -> None:
    with pytest.raises(ValueError, match=r"7 free agents: the group is too large to average"):
        random_invariant_policy(NAgentMDP(random_cooperative_model(np.random.default_rng(0), 1, 1), 7),
                                np.random.default_rng(0))


@pytest.mark.parametrize(("model", "n_agents"), [*MODELS, (crowd_ring(), 4)], ids=lambda x: getattr(x, "name", x))
def test_state_action_counts_give_the_joint_space_optimum(model, n_agents: int) -> None:
    mdp = NAgentMDP(model, n_agents)
    joint = mdp.joint_space()
    exact = soft_policy_iteration(joint.transition, joint.reward, joint.gamma).values
    lumped = state_action_optimal_values(build_state_action_count_mdp(model, n_agents))
    assert np.abs(lumped[count_index(mdp)] - exact).max() <= 1e-9
    meta = optimal_solution(build_count_space_mdp(model, n_agents)).values
    assert (lumped - meta).min() >= -1e-9  # meta-actions are a restriction


def test_relaxed_model_contains_the_original_actions() -> None:
    model = crowd_ring()
    relaxed = relaxed_model(model, 2)
    assert relaxed.n_actions == 3
    d = np.array([0.2, 0.3, 0.5])
    assert np.allclose(relaxed.kernel(d)[:, [0, 2]], model.kernel(d)[:, [1, 0]])  # weights (0,1), (1,0)
    assert np.allclose(relaxed.kernel(d)[:, 1], model.kernel(d).mean(axis=1))
    plain, split = solve_limit(MeanFieldLimit(model), 16), solve_limit(MeanFieldLimit(relaxed), 16)
    assert (split.values - plain.values).min() >= -1e-9
    with pytest.raises(ValueError, match=r"relaxed_model.levels: must be an integer >= 1, got 0"):
        relaxed_model(model, 0)
    with pytest.raises(ValueError, match=r"N=30, \|S\|=3, \|A\|=2 give .* > max_entries=1000"):
        build_state_action_count_mdp(model, 30, max_entries=1000)
