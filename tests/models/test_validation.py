"""Every malformed input raises a ValueError whose message names what is wrong."""

from __future__ import annotations

import re

import numpy as np
import pytest

from mfcheck.instances import sis
from mfcheck.models import FiniteHorizonMFG, FiniteMDP, MeanFieldGame
from mfcheck.solvers import exploitability


def _num(value: float) -> str:
    """Regex for a number as the messages print it: ``0.97`` (or ``np.float64(0.97)``, the numpy-2
    repr validation.py currently leaks; reported upstream, accepted here until it is fixed)."""
    return rf"(?:np\.float64\()?{re.escape(repr(float(value)))}\)?"


def _mdp_arrays(n_states: int = 2, n_actions: int = 2) -> tuple[np.ndarray, np.ndarray]:
    transition = np.full((n_states, n_actions, n_states), 1.0 / n_states)
    reward = np.zeros((n_states, n_actions))
    return transition, reward


def _mfg(**changes: object) -> MeanFieldGame:
    kwargs: dict[str, object] = {
        "n_states": 2,
        "n_actions": 2,
        "transition_fn": lambda mu: np.full((2, 2, 2), 0.5),
        "reward_fn": lambda mu: np.zeros((2, 2)),
        "gamma": 0.9,
        "lam": 0.1,
        "name": "toy",
    }
    kwargs.update(changes)
    return MeanFieldGame(**kwargs)  # type: ignore[arg-type]


def _fh_mfg(**changes: object) -> FiniteHorizonMFG:
    kwargs: dict[str, object] = {
        "n_states": 2,
        "n_actions": 2,
        "horizon": 2,
        "transition_fn": lambda t, mu: np.full((2, 2, 2), 0.5),
        "reward_fn": lambda t, mu: np.zeros((2, 2)),
        "name": "fh",
    }
    kwargs.update(changes)
    return FiniteHorizonMFG(**kwargs)  # type: ignore[arg-type]


def test_kernel_row_not_summing_to_one_names_row_and_sum() -> None:
    transition, reward = _mdp_arrays()
    transition[1, 0] = (0.5, 0.47)
    with pytest.raises(ValueError, match=re.escape("FiniteMDP.transition: row (1, 0) sums to ") + _num(0.97) + ", not 1"):
        FiniteMDP(transition=transition, reward=reward, gamma=0.9)


def test_negative_probability_names_index_and_value() -> None:
    transition, reward = _mdp_arrays()
    transition[0, 1] = (1.25, -0.25)
    with pytest.raises(
        ValueError, match=re.escape("FiniteMDP.transition: negative probability ")
        + _num(-0.25)
        + re.escape(" at index (0, 1, 1)")
    ):
        FiniteMDP(transition=transition, reward=reward, gamma=0.9)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_reward_names_index(bad: float) -> None:
    transition, reward = _mdp_arrays()
    reward[1, 0] = bad
    with pytest.raises(
        ValueError, match=re.escape("FiniteMDP.reward: non-finite value ")
        + _num(bad)
        + re.escape(" at index (1, 0)")
    ):
        FiniteMDP(transition=transition, reward=reward, gamma=0.9)


def test_non_finite_reward_of_a_game_at_a_mean_field() -> None:
    with pytest.raises(ValueError, match=re.escape("toy.reward(μ): non-finite value ") + _num(np.nan) + re.escape(" at index (0, 1)")):
        _mfg(reward_fn=lambda mu: np.array([[0.0, np.nan], [0.0, 0.0]]))


@pytest.mark.parametrize("gamma", [1.0, -0.1, 1.5, np.nan])
def test_discount_outside_unit_interval(gamma: float) -> None:
    transition, reward = _mdp_arrays()
    with pytest.raises(
        ValueError, match=re.escape(f"FiniteMDP.gamma: discount factor must lie in [0, 1), got {gamma!r}")
    ):
        FiniteMDP(transition=transition, reward=reward, gamma=gamma)
    with pytest.raises(ValueError, match=re.escape("toy.gamma: discount factor must lie in [0, 1)")):
        _mfg(gamma=gamma)


@pytest.mark.parametrize("lam", [-0.1, -1e-12, np.inf])
def test_negative_entropy_weight(lam: float) -> None:
    with pytest.raises(
        ValueError,
        match=re.escape(f"toy.lam: entropy regularisation must be finite and >= 0, got {lam!r}"),
    ):
        _mfg(lam=lam)
    with pytest.raises(ValueError, match=re.escape("fh.lam: entropy regularisation")):
        _fh_mfg(lam=lam)


@pytest.mark.parametrize("horizon", [0, -3, 1.5, True])
def test_horizon_below_one(horizon: object) -> None:
    with pytest.raises(
        ValueError, match=re.escape(f"fh.horizon: horizon must be an integer >= 1, got {horizon!r}")
    ):
        _fh_mfg(horizon=horizon)


def test_reward_shape_disagrees_with_kernel() -> None:
    transition, _ = _mdp_arrays(n_states=2, n_actions=2)
    with pytest.raises(
        ValueError, match=re.escape("FiniteMDP.reward: shape (2, 3) does not match expected (2, 2)")
    ):
        FiniteMDP(transition=transition, reward=np.zeros((2, 3)), gamma=0.5)


def test_kernel_not_square_in_states() -> None:
    with pytest.raises(ValueError, match=re.escape("shape (2, 2, 3) must be [S, A, S] with S' == S")):
        FiniteMDP(transition=np.full((2, 2, 3), 1 / 3), reward=np.zeros((2, 2)), gamma=0.5)


def test_game_kernel_shape_disagrees_with_sizes() -> None:
    with pytest.raises(
        ValueError, match=re.escape("toy.transition(μ): shape (2, 3, 2) does not match expected (2, 2, 2)")
    ):
        _mfg(transition_fn=lambda mu: np.full((2, 3, 2), 0.5))
    with pytest.raises(ValueError, match=re.escape("toy.transition(μ): expected 3 dimensions, got shape (2, 2)")):
        _mfg(transition_fn=lambda mu: np.full((2, 2), 0.5))


def test_initial_distribution_off_the_simplex() -> None:
    transition, reward = _mdp_arrays()
    with pytest.raises(ValueError, match=re.escape("FiniteMDP.initial: row () sums to ") + _num(0.9) + ", not 1"):
        FiniteMDP(transition=transition, reward=reward, gamma=0.5, initial=np.array([0.5, 0.4]))
    with pytest.raises(ValueError, match=re.escape("toy.initial: negative probability ") + _num(-0.5) + re.escape(" at index (1,)")):
        _mfg(initial=np.array([1.5, -0.5]))
    with pytest.raises(ValueError, match=re.escape("fh.initial: shape (3,) does not match expected (2,)")):
        _fh_mfg(initial=np.full(3, 1 / 3))


def test_mean_field_callable_breaking_only_at_a_vertex() -> None:
    """The kernel is fine at ρ and at the uniform μ but not at the vertex μ = e_1."""

    def kernel(mu: np.ndarray) -> np.ndarray:
        out = np.full((2, 2, 2), 0.5)
        if mu[1] == 1.0:
            out[0, 0] = (0.5, 0.6)
        return out

    with pytest.raises(ValueError, match=re.escape("toy.transition(μ): row (0, 0) sums to ") + _num(1.1)):
        _mfg(transition_fn=kernel, initial=np.array([0.3, 0.7]))


def test_finite_horizon_callable_breaking_at_a_vertex_and_last_epoch() -> None:
    def reward(t: int, mu: np.ndarray) -> np.ndarray:
        return np.full((2, 2), np.inf if (t == 2 and mu[0] == 1.0) else 0.0)

    with pytest.raises(ValueError, match=re.escape("fh.reward(t=2, μ): non-finite value ") + _num(np.inf) + re.escape(" at index (0, 0)")):
        _fh_mfg(reward_fn=reward)


def test_game_rejects_mean_field_off_simplex_and_epoch_out_of_range() -> None:
    game = _fh_mfg()
    with pytest.raises(ValueError, match=re.escape("fh: mean field μ_0: row () sums to ") + _num(2.0)):
        game.transition(0, np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match=re.escape("fh.transition: epoch t=2 outside 0..1")):
        game.transition(2, np.array([0.5, 0.5]))


def test_labels_must_match_sizes() -> None:
    with pytest.raises(ValueError, match=re.escape("toy.action_labels: 3 labels for 2 entries")):
        _mfg(action_labels=("a", "b", "c"))


def test_exploitability_rejects_policy_of_wrong_shape() -> None:
    game = sis()
    with pytest.raises(ValueError, match=re.escape("policy: shape (3, 2) does not match expected (2, 2)")):
        exploitability(game, np.full((3, 2), 0.5))
    finite = sis(horizon=3, lam=0.0)
    with pytest.raises(ValueError, match=re.escape("policy: shape (3, 2, 2) does not match expected (4, 2, 2)")):
        exploitability(finite, np.full((3, 2, 2), 0.5))
    with pytest.raises(ValueError, match=re.escape("policy: expected 3 dimensions, got shape (2, 2)")):
        exploitability(finite, np.full((2, 2), 0.5))


def test_exploitability_rejects_policy_rows_not_summing_to_one() -> None:
    game = sis()
    policy = np.array([[0.5, 0.5], [0.7, 0.2]])
    with pytest.raises(ValueError, match=re.escape("policy: row (1,) sums to ") + _num(0.7 + 0.2) + ", not 1"):
        exploitability(game, policy)
    finite = sis(horizon=2, lam=0.0)
    policy = np.full((3, 2, 2), 0.5)
    policy[2, 0] = (0.4, 0.4)
    with pytest.raises(ValueError, match=re.escape("policy: row (2, 0) sums to ") + _num(0.8)):
        exploitability(finite, policy)
