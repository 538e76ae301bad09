"""Best responses to a fixed mean field: Γ1^λ (Boltzmann / soft-optimal) and policy values.

MFG-NAC: Γ1^λ(μ) = π*_μ, the optimal policy of the λ-regularised MDP induced by μ, which is
the Boltzmann policy softmax(Q*_μ/λ) (Lemma 3; [46] in the appendix). For λ = 0 the greedy
policy with exact ties split uniformly.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from mfcheck.models import FiniteHorizonMFG, MeanFieldGame
from mfcheck.models.validation import check_distribution, check_policy, check_temperature
from mfcheck.solvers.dynamic_programming import (
    OptimalSolution,
    backward_induction,
    evaluate_policy,
    evaluate_policy_finite_horizon,
    soft_policy_iteration,
)
from mfcheck.solvers.kernels import check_flow, kernel_stack, reward_stack

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


def _stack(game: FiniteHorizonMFG, flow: Array) -> tuple[Array, Array]:
    flow = check_flow(game, flow, f"{game.name}: mean-field flow")
    return kernel_stack(game, flow), reward_stack(game, flow)


def best_response_finite_horizon(
    game: FiniteHorizonMFG, flow: Array, *, lam: float | None = None
) -> tuple[Array, Array, Array]:
    """(V* [T+1, S], Q* [T+1, S, A], best-response policy [T+1, S, A]) against a flow μ[t, s]."""
    transitions, rewards = _stack(game, flow)
    return backward_induction(transitions, rewards, _lam(game, lam))


def policy_values_finite_horizon(
    game: FiniteHorizonMFG, policy: Array, flow: Array, *, lam: float | None = None
) -> tuple[Array, Array]:
    """(V^π [T+1, S], Q^π [T+1, S, A]) of a time-indexed policy against a flow μ[t, s]."""
    policy = check_policy(policy, game.n_states, game.n_actions, horizon=game.horizon)
    transitions, rewards = _stack(game, flow)
    return evaluate_policy_finite_horizon(transitions, rewards, policy, _lam(game, lam))
