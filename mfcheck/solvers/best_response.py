"""Best responses to a fixed mean field: Γ1^λ (Boltzmann / soft-optimal) and policy values.

MFG-NAC: Γ1^λ(μ) = π*_μ, the optimal policy of the λ-regularised MDP induced by μ, which is
the Boltzmann policy softmax(Q*_μ/λ) (Lemma 3; [46] in the appendix). For λ = 0 the greedy
policy with exact ties split uniformly.

Finite horizon: the kernels and rewards along a flow are gathered by one loop calling the game's
callables directly and validated afterwards as whole stacks (the same checks as the model's
fast path, :func:`mfcheck.models.mean_field_game._validated_output`, as two reductions over
[T, S, A, S'] instead of two per epoch); when a stack fails, or a callable raises, the
per-epoch validated path (:mod:`mfcheck.solvers.kernels`) is re-run so the error is the usual
one naming the epoch, row and value. The backward passes run on the stacks with no validation
or dispatch inside the loop. The stacks are those of the per-epoch path bit for bit, and so
are the values (up to the order a BLAS may give the flattened matrix-vector product; the tests
ask 1e-12: ``tests/solvers/test_exploitability.py``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from mfcheck.models import FiniteHorizonMFG, MeanFieldGame
from mfcheck.models.validation import (
    SIMPLEX_ATOL,
    check_distribution,
    check_policy,
    check_temperature,
)
from mfcheck.solvers.dynamic_programming import (
    OptimalSolution,
    boltzmann_policy,
    evaluate_policy,
    evaluate_policy_finite_horizon,
    soft_max_value,
    soft_policy_iteration,
)
from mfcheck.solvers.kernels import check_flow, flow_and_kernels, kernel_stack, reward_stack

Array = NDArray[np.float64]


def _lam(game: MeanFieldGame | FiniteHorizonMFG, lam: float | None) -> float:
    return game.lam if lam is None else check_temperature(lam)


def soft_best_response(
    game: MeanFieldGame, mu: Array, *, lam: float | None = None
) -> OptimalSolution:
    """Soft-optimal Q*, V* and the Boltzmann policy Γ1^λ(μ) of the MDP induced by ``mu``.

    ``lam`` overrides the game's λ (``lam=0`` gives the unregularised best response).
    """
    mu = check_distribution(mu, game.n_states, f"{game.name}: mean field μ")
    return soft_policy_iteration(game.transition(mu), game.reward(mu), game.gamma, _lam(game, lam))


def boltzmann_best_response(game: MeanFieldGame, mu: Array, *, lam: float | None = None) -> Array:
    """Γ1^λ(μ): the Boltzmann (soft-optimal) policy [S, A] against the mean field ``mu``."""
    return soft_best_response(game, mu, lam=lam).policy


def policy_values(
    game: MeanFieldGame, policy: Array, mu: Array, *, lam: float | None = None
) -> tuple[Array, Array]:
    """(V^{π,λ}_μ [S], Q^{π,λ}_μ [S, A]) of a stationary policy against a fixed mean field."""
    policy = check_policy(policy, game.n_states, game.n_actions)
    mu = check_distribution(mu, game.n_states, f"{game.name}: mean field μ")
    return evaluate_policy(game.transition(mu), game.reward(mu), game.gamma, policy, _lam(game, lam))


class _Unchecked(Exception):
    """A callable's output failed the batch check: re-run the per-epoch validated path."""


def _stacks_ok(kernels: Array, rewards: Array | None) -> bool:
    """The model's fast-path checks on whole stacks: P >= 0, rows sum to 1, r finite."""
    if not (kernels.min() >= 0 and np.abs(kernels.sum(axis=-1) - 1.0).max() <= SIMPLEX_ATOL):
        return False
    return rewards is None or bool(np.isfinite(rewards).all())


def _reward_loop(game: FiniteHorizonMFG, flow: Array) -> Array:
    shape = (game.n_states, game.n_actions)
    reward_fn = game.reward_fn
    rewards = np.empty((game.horizon + 1, *shape))
    for t in range(game.horizon + 1):
        reward = np.asarray(reward_fn(t, flow[t]), dtype=np.float64)
        if reward.shape != shape:
            raise _Unchecked
        rewards[t] = reward
    return rewards


def stacks_along_flow(game: FiniteHorizonMFG, flow: Array) -> tuple[Array, Array]:
    """(P[T, S, A, S'], r[T+1, S, A]) along a flow μ[T+1, S] that is already validated.

    Same arrays as :func:`~mfcheck.solvers.kernels.kernel_stack` and
    :func:`~mfcheck.solvers.kernels.reward_stack`, and the same ``ValueError`` for a kernel or
    reward that is not valid (see the module docstring).
    """
    n_states, n_actions = game.n_states, game.n_actions
    shape = (n_states, n_actions, n_states)
    transition_fn = game.transition_fn
    try:
        kernels = np.empty((game.horizon, *shape))
        for t in range(game.horizon):
            kernel = np.asarray(transition_fn(t, flow[t]), dtype=np.float64)
            if kernel.shape != shape:
                raise _Unchecked
            kernels[t] = kernel
        rewards = _reward_loop(game, flow)
        if _stacks_ok(kernels, rewards):
            return kernels, rewards
    except Exception:  # the validated path below raises the precise error
        pass
    return kernel_stack(game, flow), reward_stack(game, flow)


def flow_and_stacks(
    game: FiniteHorizonMFG, policy: Array, *, rewards: bool = True
) -> tuple[Array, Array, Array | None]:
    """(μ[T+1, S], P[T, S, A, S'], r[T+1, S, A] or None) of a policy that is already validated.

    The flow μ_{t+1} = Σ_{s,a} μ_t(s) π_t(a|s) P_t(·|s, a, μ_t) from μ_0, the kernels along it
    and (``rewards=True``) the rewards along it; the same arrays as
    :func:`~mfcheck.solvers.kernels.flow_and_kernels` and
    :func:`~mfcheck.solvers.kernels.reward_stack`, the same errors (module docstring).
    """
    n_states, n_actions = game.n_states, game.n_actions
    shape = (n_states, n_actions, n_states)
    transition_fn = game.transition_fn
    try:
        flow = np.empty((game.horizon + 1, n_states))
        kernels = np.empty((game.horizon, *shape))
        flow[0] = game.initial
        for t, (mu, policy_t) in enumerate(zip(flow[:-1], policy)):
            kernel = np.asarray(transition_fn(t, mu), dtype=np.float64)
            if kernel.shape != shape:
                raise _Unchecked
            kernels[t] = kernel
            # μ_{t+1}(s') = Σ_{s,a} μ_t(s) π_t(a|s) P_t(s'|s, a): as kernels.flow_and_kernels
            flow[t + 1] = (mu[:, None] * policy_t).ravel() @ kernel.reshape(-1, n_states)
        stack = _reward_loop(game, flow) if rewards else None
        if _stacks_ok(kernels, stack):
            return flow, kernels, stack
    except Exception:  # the validated path below raises the precise error
        pass
    flow, kernels = flow_and_kernels(game, policy)
    return flow, kernels, reward_stack(game, flow) if rewards else None


def optimal_backward(transitions: Array, rewards: Array, lam: float = 0.0) -> tuple[Array, Array]:
    """(V* [T+1, S], Q* [T+1, S, A]) by backward induction; the values of
    :func:`~mfcheck.solvers.dynamic_programming.backward_induction` without the policy.

    Q_T = r_T, Q_t = r_t + P_t V*_{t+1}, V*_t = max_a Q_t (λ = 0) or λ log Σ_a exp(Q_t/λ).
    For λ = 0 each epoch is one matrix-vector product and one max: Q_t (flattened to [S·A]) is
    [P_t | r_t] @ [V*_{t+1}; 1], with the augmented kernels [T, S·A, S'+1] built at once, and
    V* = max_a Q* is recomputed for all epochs at the end.
    """
    horizon, n_states, n_actions, _ = transitions.shape
    q_values = np.empty((horizon + 1, n_states, n_actions))
    q_values[horizon] = rewards[horizon]
    if lam == 0:
        pairs = n_states * n_actions
        augmented = np.concatenate(
            (
                transitions.reshape(horizon, pairs, n_states),
                rewards[:horizon].reshape(horizon, pairs, 1),
            ),
            axis=2,
        )
        extended = np.ones(n_states + 1)  # [V*_{t+1}; 1]
        value = extended[:n_states]
        q_values[horizon].max(axis=-1, out=value)
        flat_q = q_values.reshape(horizon + 1, pairs)
        for kernel, q_flat, q_t in zip(augmented[::-1], flat_q[-2::-1], q_values[-2::-1]):
            np.matmul(kernel, extended, out=q_flat)
            q_t.max(axis=-1, out=value)
        return q_values.max(axis=-1), q_values
    values = np.empty((horizon + 1, n_states))
    values[horizon] = soft_max_value(q_values[horizon], lam)
    for t in range(horizon - 1, -1, -1):
        q_values[t] = rewards[t] + transitions[t] @ values[t + 1]
        values[t] = soft_max_value(q_values[t], lam)
    return values, q_values


def best_response_finite_horizon(
    game: FiniteHorizonMFG, flow: Array, *, lam: float | None = None
) -> tuple[Array, Array, Array]:
    """(V* [T+1, S], Q* [T+1, S, A], best-response policy [T+1, S, A]) against a flow μ[t, s]."""
    flow = check_flow(game, flow, f"{game.name}: mean-field flow")
    lam_used = _lam(game, lam)
    values, q_values = optimal_backward(*stacks_along_flow(game, flow), lam_used)
    return values, q_values, boltzmann_policy(q_values, lam_used)


def policy_values_finite_horizon(
    game: FiniteHorizonMFG, policy: Array, flow: Array, *, lam: float | None = None
) -> tuple[Array, Array]:
    """(V^π [T+1, S], Q^π [T+1, S, A]) of a time-indexed policy against a flow μ[t, s]."""
    policy = check_policy(policy, game.n_states, game.n_actions, horizon=game.horizon)
    flow = check_flow(game, flow, f"{game.name}: mean-field flow")
    transitions, rewards = stacks_along_flow(game, flow)
    return evaluate_policy_finite_horizon(transitions, rewards, policy, _lam(game, lam))
