"""Dynamic programming on arrays: (soft) policy evaluation, value/policy iteration, backward induction.

Conventions (entropy weight λ >= 0; λ = 0 is the unregularised problem):

* discounted: ``V^π(s) = Σ_a π(a|s) (Q^π(s, a) - λ log π(a|s))`` and
  ``Q^π(s, a) = r(s, a) + γ Σ_s' P(s'|s, a) V^π(s')``; the soft-optimal values satisfy
  ``V*(s) = λ log Σ_a exp(Q*(s, a)/λ)`` (``max_a Q*`` when λ = 0) and the optimal policy is the
  Boltzmann policy ``softmax(Q*/λ)`` (MFG-NAC Lemma 3; greedy with exact ties split uniformly
  when λ = 0);
* finite horizon (epochs t = 0..T, no discount): ``Q_T = r_T``, ``Q_t = r_t + P_t V_{t+1}``.

Shapes: P[S, A, S'], r[S, A], π[S, A]; finite horizon P[T, S, A, S'], r[T+1, S, A], π[T+1, S, A].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import logsumexp

Array = NDArray[np.float64]

#: Relative tolerance under which two Q-values count as tied for the greedy policy.
TIE_RTOL = 1e-10


class ConvergenceError(RuntimeError):
    """An iterative solver did not reach its tolerance within its iteration budget."""


def entropy_term(policy: Array) -> Array:
    """Σ_a π(a|s) log π(a|s) per state (0 log 0 = 0); shape [..., S]."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(policy > 0, policy * np.log(np.where(policy > 0, policy, 1.0)), 0.0)
    return terms.sum(axis=-1)


def policy_kernel(transition: Array, policy: Array) -> Array:
    """P_π[s, s'] = Σ_a π(a|s) P(s'|s, a) (works with leading time axes)."""
    return np.einsum("...sa,...sat->...st", policy, transition)


def regularised_reward(reward: Array, policy: Array, lam: float) -> Array:
    """r_π(s) = Σ_a π(a|s) r(s, a) - λ Σ_a π log π."""
    out = np.einsum("...sa,...sa->...s", policy, reward)
    if lam > 0:
        out = out - lam * entropy_term(policy)
    return out


def greedy_policy(q_values: Array) -> Array:
    """Greedy policy with exact ties split uniformly (a symmetric tie rule), shape like Q."""
    best = q_values.max(axis=-1, keepdims=True)
    scale = np.maximum(1.0, np.abs(best))
    ties = q_values >= best - TIE_RTOL * scale
    return ties / ties.sum(axis=-1, keepdims=True)


def boltzmann_policy(q_values: Array, lam: float) -> Array:
    """softmax(Q/λ) over actions (greedy with uniform ties when λ = 0)."""
    if lam == 0:
        return greedy_policy(q_values)
    # shift before dividing: Q/λ itself overflows for tiny λ (λ = 5e-324 gave NaN policies)
    with np.errstate(over="ignore"):
        z = (q_values - q_values.max(axis=-1, keepdims=True)) / lam
    weights = np.exp(z)
    return weights / weights.sum(axis=-1, keepdims=True)


def soft_max_value(q_values: Array, lam: float) -> Array:
    """λ log Σ_a exp(Q/λ) (max_a Q when λ = 0)."""
    if lam == 0:
        return q_values.max(axis=-1)
    best = q_values.max(axis=-1)
    with np.errstate(over="ignore"):
        z = (q_values - best[..., None]) / lam
    return best + lam * logsumexp(z, axis=-1)


def evaluate_policy(
    transition: Array, reward: Array, gamma: float, policy: Array, lam: float = 0.0
) -> tuple[Array, Array]:
    """Exact (soft) value of a stationary policy by one linear solve.

    Returns
    -------
    V : array [S]
    Q : array [S, A]
    """
    n_states = transition.shape[0]
    kernel = policy_kernel(transition, policy)
    values = np.linalg.solve(
        np.eye(n_states) - gamma * kernel, regularised_reward(reward, policy, lam)
    )
    q_values = reward + gamma * transition @ values
    return values, q_values


@dataclass(frozen=True)
class OptimalSolution:
    """Soft-optimal values and policy of a discounted MDP."""

    values: Array
    q_values: Array
    policy: Array
    iterations: int
    residual: float


def bellman_residual(transition: Array, reward: Array, gamma: float, q_values: Array, lam: float) -> float:
    """sup-norm of T*Q - Q for the (soft) optimality operator."""
    backup = reward + gamma * transition @ soft_max_value(q_values, lam)
    return float(np.abs(backup - q_values).max())


def soft_value_iteration(
    transition: Array,
    reward: Array,
    gamma: float,
    lam: float = 0.0,
    *,
    tol: float = 1e-12,
    max_iter: int = 100_000,
) -> OptimalSolution:
    """Reference solver: iterate Q <- r + γ P softmax_λ(Q) to a sup-norm change below ``tol``."""
    q_values = np.zeros_like(reward)
    for iteration in range(1, max_iter + 1):
        new = reward + gamma * transition @ soft_max_value(q_values, lam)
        change = float(np.abs(new - q_values).max())
        q_values = new
        if change <= tol * max(1.0, float(np.abs(q_values).max())):
            policy = boltzmann_policy(q_values, lam)
            return OptimalSolution(
                soft_max_value(q_values, lam),
                q_values,
                policy,
                iteration,
                bellman_residual(transition, reward, gamma, q_values, lam),
            )
    raise ConvergenceError(f"soft_value_iteration: no convergence in {max_iter} iterations")


def soft_policy_iteration(
    transition: Array,
    reward: Array,
    gamma: float,
    lam: float = 0.0,
    *,
    tol: float = 1e-12,
    max_iter: int = 1_000,
) -> OptimalSolution:
    """Fast solver: (soft) policy iteration, polished with value-iteration steps.

    Alternates exact evaluation (one linear solve) and the Boltzmann/greedy improvement; stops
    when the values change by less than ``tol`` (relative), then applies Bellman backups until
    the optimality residual is below ``tol`` (relative) so the answer is certified.
    """
    policy = np.full_like(reward, 1.0 / reward.shape[1])
    values, q_values = evaluate_policy(transition, reward, gamma, policy, lam)
    iterations = 0
    while iterations < max_iter:
        iterations += 1
        policy = boltzmann_policy(q_values, lam)
        new_values, q_values = evaluate_policy(transition, reward, gamma, policy, lam)
        change = float(np.abs(new_values - values).max())
        values = new_values
        if change <= tol * max(1.0, float(np.abs(values).max())):
            break
    scale = max(1.0, float(np.abs(q_values).max()))
    residual = bellman_residual(transition, reward, gamma, q_values, lam)
    for _ in range(10_000):
        if residual <= 10 * tol * scale:
            break
        q_values = reward + gamma * transition @ soft_max_value(q_values, lam)
        residual = bellman_residual(transition, reward, gamma, q_values, lam)
    policy = boltzmann_policy(q_values, lam)
    return OptimalSolution(soft_max_value(q_values, lam), q_values, policy, iterations, residual)


def evaluate_policy_finite_horizon(
    transitions: Array, rewards: Array, policy: Array, lam: float = 0.0
) -> tuple[Array, Array]:
    """Backward induction for a time-indexed policy.

    Parameters
    ----------
    transitions : [T, S, A, S']
    rewards : [T+1, S, A]
    policy : [T+1, S, A]

    Returns
    -------
    V : [T+1, S], Q : [T+1, S, A]
    """
    horizon = transitions.shape[0]
    # V_t = r_π,t + P_π,t V_{t+1}: policy-averaged rewards and kernels for all t at once
    reward_pi = regularised_reward(rewards, policy, lam)  # [T+1, S]
    kernel_pi = policy_kernel(transitions, policy[:horizon])  # [T, S, S']
    values = np.empty(rewards.shape[:2])
    values[horizon] = reward_pi[horizon]
    for t in range(horizon - 1, -1, -1):
        values[t] = reward_pi[t] + kernel_pi[t] @ values[t + 1]
    q_values = rewards.copy()
    q_values[:horizon] += np.einsum("tsaz,tz->tsa", transitions, values[1:])
    return values, q_values


def backward_induction(
    transitions: Array, rewards: Array, lam: float = 0.0
) -> tuple[Array, Array, Array]:
    """Optimal (soft) values and policy of a finite-horizon problem.

    Returns
    -------
    V : [T+1, S], Q : [T+1, S, A], policy : [T+1, S, A]
    """
    horizon = transitions.shape[0]
    q_values = np.empty_like(rewards)
    values = np.empty(rewards.shape[:2])
    q_values[horizon] = rewards[horizon]
    values[horizon] = soft_max_value(q_values[horizon], lam)
    for t in range(horizon - 1, -1, -1):
        q_values[t] = rewards[t] + transitions[t] @ values[t + 1]
        values[t] = soft_max_value(q_values[t], lam)
    return values, q_values, boltzmann_policy(q_values, lam)
