"""Exact quantities of a log-linear policy against a fixed mean field (the oracles' ground truth).

For (θ, μ) the context holds P(μ), r(μ), π_θ, log π_θ, the soft values V^{π,λ}_μ and
Q^{π,λ}_μ (Q = r + γ P V, the convention of :mod:`mfcheck.solvers`), the shifted
q^{π,λ}_μ = Q - λ log π that Algorithm 2 estimates, the advantage A = Q - Σ_a π Q, the
discounted state visitation d^π_μ from ρ (the weighting of L_t in App B.2) and the
stationary distribution ν^π_μ of the state chain P_π(μ) (the steady state under which
Algorithm 2 samples and Proposition 1's feature covariance is taken).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.log_linear import Features, log_policy, score_function
from mfcheck.models import MeanFieldGame
from mfcheck.solvers.dynamic_programming import evaluate_policy, policy_kernel

Array = NDArray[np.float64]


def discounted_visitation(kernel: Array, initial: Array, gamma: float) -> Array:
    """d^π_ρ(s) = (1-γ) Σ_t γ^t P(s_t = s), from the state kernel P_π[S, S]: one solve."""
    n = kernel.shape[0]
    d = (1.0 - gamma) * np.linalg.solve((np.eye(n) - gamma * kernel).T, initial)
    d = np.clip(d, 0.0, None)
    return d / d.sum()


def stationary_distribution(kernel: Array) -> Array:
    """A stationary distribution ν = ν P_π of the state kernel P_π[S, S] (least squares)."""
    n = kernel.shape[0]
    system = np.vstack([kernel.T - np.eye(n), np.ones((1, n))])
    rhs = np.zeros(n + 1)
    rhs[-1] = 1.0
    nu, *_ = np.linalg.lstsq(system, rhs, rcond=None)
    nu = np.clip(nu, 0.0, None)
    return nu / nu.sum()


@dataclass(frozen=True, eq=False)
class PolicyContext:
    """Exact data of π_θ against μ (see module docstring); shapes [S, A] unless noted."""

    transition: Array  # [S, A, S']
    reward: Array
    gamma: float
    lam: float
    initial: Array  # ρ [S]
    mean_field: Array  # μ [S]
    policy: Array
    log_policy: Array
    values: Array  # V [S]
    q_values: Array  # soft Q = r + γ P V
    kernel: Array  # P_π [S, S]
    features: Features

    @cached_property
    def visitation(self) -> Array:
        """d^π_μ [S], the discounted state visitation from ρ."""
        return discounted_visitation(self.kernel, self.initial, self.gamma)

    @cached_property
    def score(self) -> Array:
        """∇_θ log π_θ(a|s) [S, A, d]."""
        return score_function(self.features, self.policy)

    @property
    def shifted_q(self) -> Array:
        """q^{π,λ}_μ = Q - λ log π (what Algorithm 2 estimates)."""
        return self.q_values - self.lam * self.log_policy

    @property
    def advantage(self) -> Array:
        """A^{π,λ}_μ(s, a) = Q(s, a) - Σ_a' π(a'|s) Q(s, a')."""
        return self.q_values - (self.policy * self.q_values).sum(axis=1, keepdims=True)

    @cached_property
    def stationary(self) -> Array:
        """ν^π_μ, a stationary distribution of P_π(μ) [S]."""
        return stationary_distribution(self.kernel)

    def population_update(self) -> Array:
        """Γ2(π, μ) = μ P_π(μ) (App A)."""
        return self.mean_field @ self.kernel


def policy_context(
    game: MeanFieldGame,
    features: Features,
    theta: Array,
    mean_field: Array,
    *,
    validate: bool = True,
) -> PolicyContext:
    """Build the exact context of π_θ against ``mean_field`` (one linear solve; more lazily).

    ``validate=False`` calls the game's raw kernel and reward callables (skipping the
    stochasticity checks of :meth:`MeanFieldGame.transition`); the drivers use it between
    periodic validated calls, to keep long runs fast.
    """
    if features.n_states != game.n_states or features.n_actions != game.n_actions:
        raise ValueError(
            f"policy_context: features are [{features.n_states}, {features.n_actions}, d], "
            f"game {game.name} has |S|={game.n_states}, |A|={game.n_actions}"
        )
    if validate:
        transition = game.transition(mean_field)
        reward = game.reward(mean_field)
    else:
        transition = np.asarray(game.transition_fn(mean_field), dtype=float)
        reward = np.asarray(game.reward_fn(mean_field), dtype=float)
    logp = log_policy(features, theta)
    policy = np.exp(logp)
    values, q_values = evaluate_policy(transition, reward, game.gamma, policy, game.lam)
    kernel = policy_kernel(transition, policy)
    return PolicyContext(
        transition=transition,
        reward=reward,
        gamma=game.gamma,
        lam=game.lam,
        initial=game.initial,
        mean_field=np.asarray(mean_field, dtype=float),
        policy=policy,
        log_policy=logp,
        values=values,
        q_values=q_values,
        kernel=kernel,
        features=features,
    )
