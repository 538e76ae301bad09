"""Random instances of each model family, seeded by an explicit ``numpy.random.Generator``."""

from __future__ import annotations

import numpy as np

from mfcheck.models import FiniteHorizonMFG, FiniteMDP, MeanFieldGame


def random_distribution(rng: np.random.Generator, size: int, concentration: float = 1.0) -> np.ndarray:
    """A Dirichlet(concentration) probability vector of length ``size``."""
    return rng.dirichlet(np.full(size, concentration))


def random_finite_mdp(
    rng: np.random.Generator, n_states: int, n_actions: int, gamma: float = 0.9
) -> FiniteMDP:
    """A finite MDP with Dirichlet(1) kernel rows and rewards uniform in [0, 1]."""
    transition = rng.dirichlet(np.ones(n_states), size=(n_states, n_actions))
    reward = rng.uniform(0.0, 1.0, size=(n_states, n_actions))
    return FiniteMDP(
        transition=transition,
        reward=reward,
        gamma=gamma,
        initial=random_distribution(rng, n_states),
    )


def _coupled_arrays(rng: np.random.Generator, n_states: int, n_actions: int, coupling: float):
    base_logits = rng.normal(size=(n_states, n_actions, n_states))
    kernel_coupling = coupling * rng.normal(size=(n_states, n_actions, n_states, n_states))
    base_reward = rng.uniform(0.05, 0.95, size=(n_states, n_actions))
    reward_coupling = coupling * rng.normal(size=(n_states, n_actions, n_states))

    def kernel(mu: np.ndarray) -> np.ndarray:
        logits = base_logits + kernel_coupling @ mu
        logits -= logits.max(axis=-1, keepdims=True)
        weights = np.exp(logits)
        return weights / weights.sum(axis=-1, keepdims=True)

    def reward(mu: np.ndarray) -> np.ndarray:
        # squashed into [0, 1] so that the MFG-NAC lemmas (r in [0, 1]) apply as stated
        logit = np.log(base_reward) - np.log1p(-base_reward) + reward_coupling @ mu
        return 1.0 / (1.0 + np.exp(-logit))

    return kernel, reward


def random_mean_field_game(
    rng: np.random.Generator,
    n_states: int,
    n_actions: int,
    *,
    gamma: float = 0.9,
    lam: float = 0.1,
    coupling: float = 1.0,
) -> MeanFieldGame:
    """A random discounted MFG with smooth μ-dependence.

    P(·|s, a, μ) = softmax(B[s, a, :] + C[s, a, :, :] μ) and
    r(s, a, μ) = sigmoid(logit(r₀[s, a]) + D[s, a, :] μ) ∈ (0, 1); ``coupling`` scales C and D
    (0 gives a game whose kernel and reward ignore μ).
    """
    kernel, reward = _coupled_arrays(rng, n_states, n_actions, coupling)
    return MeanFieldGame(
        n_states=n_states,
        n_actions=n_actions,
        transition_fn=kernel,
        reward_fn=reward,
        gamma=gamma,
        lam=lam,
        initial=random_distribution(rng, n_states),
        name="random_mfg",
        reward_bounds=(0.0, 1.0),
    )


def random_finite_horizon_mfg(
    rng: np.random.Generator,
    n_states: int,
    n_actions: int,
    horizon: int,
    *,
    lam: float = 0.0,
    coupling: float = 1.0,
) -> FiniteHorizonMFG:
    """A random finite-horizon MFG built like :func:`random_mean_field_game` (time-homogeneous)."""
    kernel, reward = _coupled_arrays(rng, n_states, n_actions, coupling)
    return FiniteHorizonMFG(
        n_states=n_states,
        n_actions=n_actions,
        horizon=horizon,
        transition_fn=lambda t, mu: kernel(mu),
        reward_fn=lambda t, mu: reward(mu),
        initial=random_distribution(rng, n_states),
        lam=lam,
        name="random_finite_horizon_mfg",
        reward_bounds=(0.0, 1.0),
    )
