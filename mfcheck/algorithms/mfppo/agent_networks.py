"""The actor and critic a given MFPPO builds, as functions of the agents' states (s, s_1..s_N, ā).

The MFPPO's networks (:class:`BatchedDeepSet` at its width and initialisation) read the other
agents through their empirical distribution ŵ = (1/N) Σ_i e_{s_i} (mean pooling of one-hot
features, Sec 3); the actor is F_α(s, ŵ, ā), the critic F_θ(s, embed(ŵ), ā) with the MFPPO's
``critic_embedding``. Both are returned as callables ``(own [B], others [B, N], action [B]) ->
values [B]`` at a point of the ball of radius R_A (actor) or R_Q (critic) around the shared
initialisation, so that permutation invariance and definition at every N can be tested on them.
Reference: MF-PPO Sec 3 (Deep Sets, average pooling), Sec 4 (two-layer form), App E.1.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO
from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet
from mfcheck.algorithms.mfppo.problem import Array

#: (own [B], others [B, N], action [B]) -> values [B]
AgentNetwork = Callable[[np.ndarray, np.ndarray, np.ndarray], Array]

__all__ = ["AgentNetwork", "actor_and_critic", "empirical_distribution"]


def empirical_distribution(others: np.ndarray, n_states: int) -> Array:
    """ŵ [B, S]: the mean of the one-hot states of the N agents in each row of ``others`` [B, N]."""
    others = np.asarray(others)
    if others.ndim != 2 or others.shape[1] < 1:
        raise ValueError(f"others: expected shape [B, N >= 1], got {others.shape}")
    return np.eye(n_states)[others].mean(axis=1)


def _point_in_ball(rng: np.random.Generator, network: BatchedDeepSet, radius: float) -> Array:
    direction = rng.standard_normal(network.beta0.shape)
    return network.beta0 + radius * direction / np.sqrt((direction**2).sum())


def actor_and_critic(algorithm: MFPPO, rng: np.random.Generator, *, n_states: int,
                     n_actions: int) -> dict[str, AgentNetwork]:
    """The MFPPO's actor and critic at initialisation and at a point of the ball (four networks)."""
    network = BatchedDeepSet.initialise(rng, n_runs=1, width=algorithm.width, n_local=n_states,
                                        n_actions=n_actions, symmetric=algorithm.symmetric_init)
    embed = algorithm.critic_embedding

    def actor(beta: Array) -> AgentNetwork:
        def evaluate(own: np.ndarray, others: np.ndarray, action: np.ndarray) -> Array:
            return network.forward(beta, own, empirical_distribution(others, n_states), action)[0]
        return evaluate

    def critic(beta: Array) -> AgentNetwork:
        def evaluate(own: np.ndarray, others: np.ndarray, action: np.ndarray) -> Array:
            return network.forward(beta, own, embed(empirical_distribution(others, n_states)), action)[0]
        return evaluate

    return {
        "actor at initialisation": actor(network.beta0),
        "critic at initialisation": critic(network.beta0),
        "actor in the ball (R_A)": actor(_point_in_ball(rng, network, algorithm.radius_actor)),
        "critic in the ball (R_Q)": critic(_point_in_ball(rng, network, algorithm.radius_critic)),
    }
