"""Kernels and rewards of a game along a mean-field flow, validated with a cheap fast path.

``game.transition(t, μ)`` re-validates μ and the kernel with messages naming the bad entry; in
hot loops (a flow over T epochs, a stationary-flow iteration) that costs ~100x the kernel
itself. Here the solvers call the user's callable directly, check the output with two array
reductions (shape, non-negativity, rows summing to 1 within ``SIMPLEX_ATOL``; finiteness for
rewards), and only when that check fails fall back to the validated method, which raises the
usual ``ValueError`` naming the index and value. The mean fields passed in are produced by the
solvers from validated policies and kernels, so they are not re-checked.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mfcheck.models import FiniteHorizonMFG, MeanFieldGame
from mfcheck.models.validation import SIMPLEX_ATOL, check_shape, check_stochastic

Array = NDArray[np.float64]


def _fast_kernel(raw: object, shape: tuple[int, ...]) -> Array | None:
    try:
        kernel = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if kernel.shape != shape:
        return None
    if not kernel.min() >= 0 or not np.abs(kernel.sum(axis=-1) - 1.0).max() <= SIMPLEX_ATOL:
        return None  # NaN fails both comparisons too
    return kernel


def _fast_reward(raw: object, shape: tuple[int, ...]) -> Array | None:
    try:
        reward = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if reward.shape != shape or not np.isfinite(reward).all():
        return None
    return reward


def stationary_kernel(game: MeanFieldGame, mu: Array) -> Array:
    """P(·|·, ·, μ) of a discounted game, validated (fast path)."""
    shape = (game.n_states, game.n_actions, game.n_states)
    kernel = _fast_kernel(game.transition_fn(mu), shape)
    return game.transition(mu) if kernel is None else kernel


def timed_kernel(game: FiniteHorizonMFG, t: int, mu: Array) -> Array:
    """P_t(·|·, ·, μ_t) of a finite-horizon game, validated (fast path)."""
    shape = (game.n_states, game.n_actions, game.n_states)
    kernel = _fast_kernel(game.transition_fn(t, mu), shape)
    return game.transition(t, mu) if kernel is None else kernel


def timed_reward(game: FiniteHorizonMFG, t: int, mu: Array) -> Array:
    """r_t(·, ·, μ_t) of a finite-horizon game, validated (fast path)."""
    reward = _fast_reward(game.reward_fn(t, mu), (game.n_states, game.n_actions))
    return game.reward(t, mu) if reward is None else reward


def flow_and_kernels(game: FiniteHorizonMFG, policy: Array) -> tuple[Array, Array]:
    """(μ[T+1, S], P[T, S, A, S']): the flow of a *validated* time-indexed policy and its kernels."""
    flow = np.empty((game.horizon + 1, game.n_states))
    kernels = np.empty((game.horizon, game.n_states, game.n_actions, game.n_states))
    flow[0] = game.initial
    for t in range(game.horizon):
        kernels[t] = timed_kernel(game, t, flow[t])
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
    return np.stack([timed_kernel(game, t, flow[t]) for t in range(game.horizon)])


def reward_stack(game: FiniteHorizonMFG, flow: Array) -> Array:
    """r[T+1, S, A] along a flow."""
    return np.stack([timed_reward(game, t, flow[t]) for t in range(game.horizon + 1)])
