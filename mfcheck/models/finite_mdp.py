"""Finite discounted MDP: transition P[s, a, s'], reward r[s, a], discount γ."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from mfcheck.models.validation import (
    as_float_array,
    check_discount,
    check_distribution,
    check_shape,
    check_stochastic,
)


@dataclass(frozen=True, eq=False)
class FiniteMDP:
    """A finite MDP, validated at construction.

    Parameters
    ----------
    transition : array [S, A, S']
        ``transition[s, a, s']`` = P(s' | s, a); every row must be a distribution.
    reward : array [S, A]
        Finite rewards.
    gamma : float
        Discount factor in [0, 1).
    initial : array [S], optional
        Initial distribution ρ (uniform if omitted).
    """

    transition: NDArray[np.float64]
    reward: NDArray[np.float64]
    gamma: float
    initial: NDArray[np.float64] = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        transition = as_float_array(self.transition, "FiniteMDP.transition", ndim=3)
        n_states, n_actions, n_next = transition.shape
        if n_next != n_states:
            raise ValueError(
                f"FiniteMDP.transition: shape {transition.shape} must be [S, A, S] with S' == S"
            )
        check_stochastic(transition, "FiniteMDP.transition")
        reward = as_float_array(self.reward, "FiniteMDP.reward", ndim=2)
        check_shape(reward, (n_states, n_actions), "FiniteMDP.reward")
        gamma = check_discount(self.gamma, "FiniteMDP.gamma")
        if self.initial is None:
            initial = np.full(n_states, 1.0 / n_states)
        else:
            initial = check_distribution(self.initial, n_states, "FiniteMDP.initial")
        object.__setattr__(self, "transition", transition)
        object.__setattr__(self, "reward", reward)
        object.__setattr__(self, "gamma", gamma)
        object.__setattr__(self, "initial", initial)

    @property
    def n_states(self) -> int:
        return int(self.transition.shape[0])

    @property
    def n_actions(self) -> int:
        return int(self.transition.shape[1])
