"""Kernels and rewards of a game along a mean-field flow.

The solvers call the game's ``transition``/``reward`` with ``validate_mean_field=False``: the
mean fields they pass are produced from validated policies and kernels, so they are not
re-checked, while every kernel and reward is still validated by the model's fast path
(:func:`mfcheck.models.mean_field_game._validated_output`: two array reductions, and the usual
``ValueError`` naming the index and value when they fail).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mfcheck.models import FiniteHorizonMFG, MeanFieldGame
from mfcheck.models.validation import check_shape, check_stochastic

Array = NDArray[np.float64]


def stationary_kernel(game: MeanFieldGame, mu: Array) -> Array:
    """P(·|·, ·, μ) of a discounted game at a mean field the solvers computed, validated."""
    return game.transition(mu, validate_mean_field=False)


def flow_and_kernels(game: FiniteHorizonMFG, policy: Array) -> tuple[Array, Array]:
    """(μ[T+1, S], P[T, S, A, S']): the flow of a *validated* time-indexed policy and its kernels."""
    flow = np.empty((game.horizon + 1, game.n_states))
    kernels = np.empty((game.horizon, game.n_states, game.n_actions, game.n_states))
    flow[0] = game.initial
    for t in range(game.horizon):
        kernels[t] = game.transition(t, flow[t], validate_mean_field=False)
        # μ_{t+1}(s') = Σ_{s,a} μ_t(s) π_t(a|s) P_t(s'|s, a), as one matrix-vector product
        flow[t + 1] = (flow[t][:, None] * policy[t]).ravel() @ kernels[t].reshape(-1, game.n_states)
    return flow, kernels


def check_flow(game: FiniteHorizonMFG, flow: ArrayLike, what: str = "mean_field") -> Array:
    """Validate a user-given flow μ[T+1, S] (every row a distribution)."""
    array = np.asarray(flow, dtype=np.float64)
    check_shape(array, (game.horizon + 1, game.n_states), what)
    check_stochastic(array, what)
    return array


def kernel_stack(game: FiniteHorizonMFG, flow: Array) -> Array:
    """P[T, S, A, S'] along a flow."""
    return np.stack([game.transition(t, flow[t], validate_mean_field=False) for t in range(game.horizon)])


def reward_stack(game: FiniteHorizonMFG, flow: Array) -> Array:
    """r[T+1, S, A] along a flow."""
    return np.stack([game.reward(t, flow[t], validate_mean_field=False) for t in range(game.horizon + 1)])
