"""N-agent cooperative MDPs: joint space, eq 2.1 by construction, validation messages."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

from mfcheck.instances.cooperative import cooperative_sis, crowd_ring, random_cooperative_model
from mfcheck.models.cooperative import (
    CooperativeModel,
    all_meta_actions,
    check_integer_counts,
    check_meta_actions,
)
from mfcheck.models.joint_policies import invariance_residual, permutation_maps
from mfcheck.models.n_agent import NAgentMDP, permutation_index
from mfcheck.testing.strategies_n_agent import n_agent_mdps


def _uniform_kernel(d: np.ndarray) -> np.ndarray:
    return np.full((*d.shape[:-1], 2, 2, 2), 0.5)


def _half_reward(d: np.ndarray) -> np.ndarray:
    return np.full((*d.shape[:-1], 2, 2), 0.5)


def test_joint_space_is_the_product_of_agents_and_the_average_reward() -> None:
    model = crowd_ring()
    joint = NAgentMDP(model, 3).joint_space()
    assert joint.transition.shape == (27, 8, 27)
    # joint state (0, 1, 2), joint action (1, 0, 1): agents draw independently at d = (1/3,)*3
    d = np.full(3, 1 / 3)
    p, r = model.kernel(d), model.reward(d)
    s, a, s_next = (0, 1, 2), (1, 0, 1), (1, 1, 0)
    j, b, k = (np.ravel_multi_index(x, (3,) * 3) if i != 1 else np.ravel_multi_index(x, (2,) * 3)
               for i, x in enumerate((s, a, s_next)))
    expected = np.prod([p[s[i], a[i], s_next[i]] for i in range(3)])
    assert joint.transition[j, b, k] == pytest.approx(expected, abs=1e-15)
    assert joint.reward[j, b] == pytest.approx(np.mean([r[s[i], a[i]] for i in range(3)]), abs=1e-15)
    assert joint.initial.sum() == pytest.approx(1.0)


@given(n_agent_mdps(max_agents=4))
def test_eq_2_1_holds_by_construction(mdp: NAgentMDP) -> None:
    joint = mdp.joint_space()
    maps = permutation_maps(mdp)
    assert invariance_residual(joint.reward, maps) <= 1e-14
    for state_map, action_map in maps:
        moved = joint.transition[state_map][:, action_map][:, :, state_map]
        assert np.abs(moved - joint.transition).max() <= 1e-15


def test_meta_action_joint_space_selects_the_joint_actions() -> None:
    mdp = NAgentMDP(cooperative_sis(), 3)
    joint, meta_space = mdp.joint_space(), mdp.joint_meta_action_space()
    chosen = mdp.meta_action_joint_policy()  # [M, J]
    for m in range(chosen.shape[0]):
        rows = np.arange(chosen.shape[1])
        assert np.abs(meta_space.transition[:, m] - joint.transition[rows, chosen[m]]).max() <= 1e-15
        assert np.abs(meta_space.reward[:, m] - joint.reward[rows, chosen[m]]).max() <= 1e-15


def test_meta_actions_enumerate_every_map() -> None:
    meta = all_meta_actions(3, 2)
    assert meta.shape == (8, 3)
    assert len({tuple(row) for row in meta}) == 8
    assert meta[5].tolist() == [1, 0, 1]  # ā(0) is the most significant digit


def test_random_model_is_deterministic_given_the_seed() -> None:
    d = np.array([[0.2, 0.3, 0.5]])
    first = random_cooperative_model(np.random.default_rng(7), 3, 2)
    second = random_cooperative_model(np.random.default_rng(7), 3, 2)
    assert np.array_equal(first.kernel(d), second.kernel(d))
    assert np.array_equal(first.reward(d), second.reward(d))


def test_n_equals_one_is_a_single_agent_mdp() -> None:
    model = cooperative_sis()
    joint = NAgentMDP(model, 1).joint_space()
    assert joint.transition.shape == (2, 2, 2)
    assert np.allclose(joint.transition[1], model.kernel(np.array([0.0, 1.0]))[1])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_states": 0}, r"m.n_states: must be an integer >= 1, got 0"),
        ({"gamma": 1.0}, r"m.gamma: discount factor must lie in \[0, 1\), got 1.0"),
        ({"reward_bound": 0.0}, r"m.reward_bound: must be finite and > 0, got 0.0"),
        ({"initial": np.array([0.5, 0.6])}, r"m.initial: row \(\) sums to (np.float64\()?1.1"),
        ({"kernel_fn": lambda d: np.full((*d.shape[:-1], 2, 2, 2), 0.6)},
         r"m.kernel_fn\(d\): row \(0, 0, 0\) sums to (np.float64\()?1.2"),
        ({"kernel_fn": lambda d: np.full((*d.shape[:-1], 2, 2, 3), 1 / 3)},
         r"m.kernel_fn\(d\): shape \(4, 2, 2, 3\) does not match expected \(4, 2, 2, 2\)"),
        ({"reward_fn": lambda d: np.full((*d.shape[:-1], 2, 2), 1.5)},
         r"m.reward_fn\(d\): reward 1.5 at index \(0, 0, 0\) lies outside \[0, reward_bound=1.0\]"),
        ({"reward_fn": lambda d: np.full((*d.shape[:-1], 2, 2), np.nan)},
         r"m.reward_fn\(d\): non-finite value (np.float64\()?nan\)? at index \(0, 0, 0\)"),
    ],
)
def test_malformed_cooperative_models_are_refused(kwargs: dict, message: str) -> None:
    base = {"n_states": 2, "n_actions": 2, "kernel_fn": _uniform_kernel, "reward_fn": _half_reward,
            "gamma": 0.9, "name": "m"}
    with pytest.raises(ValueError, match=message):
        CooperativeModel(**{**base, **kwargs})


def test_distribution_arguments_are_validated() -> None:
    model = cooperative_sis()
    with pytest.raises(ValueError, match=r"cooperative_sis: distribution d: row \(\) sums to (np.float64\()?0.5"):
        model.kernel(np.array([0.25, 0.25]))
    with pytest.raises(ValueError, match=r"distribution d must have last axis 2, got shape \(3,\)"):
        model.reward(np.full(3, 1 / 3))


def test_n_agent_mdp_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match=r"NAgentMDP.n_agents: must be an integer >= 1, got 0"):
        NAgentMDP(cooperative_sis(), 0)
    with pytest.raises(ValueError, match=r"NAgentMDP.model: expected a CooperativeModel, got str"):
        NAgentMDP("sis", 2)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"N=9, \|S\|=3, 512 joint actions .* use the count space"):
        NAgentMDP(crowd_ring(), 9).joint_space()


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        (np.zeros((2, 3), dtype=int), r"meta: expected shape \[M >= 1, 2\], got \(2, 3\)"),
        (np.array([[0, 2]]), r"meta: action 2 at index \(0, 1\) is not in \[0, 2\)"),
        (np.array([[0, 1], [1, 1], [0, 1]]), r"meta: meta-action row 2 repeats an earlier row"),
        (np.array([[0.0, 1.0]]), r"meta: meta-actions must be integers, got dtype float64"),
    ],
)
def test_malformed_meta_actions_are_refused(meta: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_meta_actions(meta, 2, 2, "meta")


def test_malformed_counts_and_permutations_are_refused() -> None:
    with pytest.raises(ValueError, match=r"c: counts at \(1,\) sum to 4, not 3"):
        check_integer_counts(np.array([[1, 2], [2, 2]]), 2, 3, "c")
    with pytest.raises(ValueError, match=r"c: negative count -1 at index \(0, 0\)"):
        check_integer_counts(np.array([[-1, 4]]), 2, 3, "c")
    with pytest.raises(ValueError, match=r"c: non-integer count 1.5 at index \(0, 0\)"):
        check_integer_counts(np.array([[1.5, 1.5]]), 2, 3, "c")
    with pytest.raises(ValueError, match=r"permutation: \[0, 0, 1\] is not a permutation of range\(3\)"):
        permutation_index([0, 0, 1], 3, 2)


def test_n_agent_mdp_gives_its_lumped_models() -> None:
    mdp = NAgentMDP(crowd_ring(), 3)
    assert mdp.count_space().mdp.n_states == 10
    finite_mf = mdp.finite_mean_field_mdp()
    assert (finite_mf.n_states, finite_mf.n_meta_actions) == (18, 8)
