"""SIS epidemic mean-field game (MFG-NAC App D; Cui & Koeppl 2021; mfglib's ``susceptible_infected``).

States ('S', 'I') and actions ('U', 'D') in that order (U = go out, D = social distancing),
as mfglib orders them::

    P(I | S, U, μ) = infection · μ(I)   (infection = 0.9² = 0.81)
    P(I | S, D, μ) = 0
    P(S | I, ·, μ) = recovery            (recovery = 0.3)
    r(s, a, μ)     = -infected_cost·1{s = I} - distancing_cost·1{a = D}
"""

from __future__ import annotations

import numpy as np

from mfcheck.models import FiniteHorizonMFG, MeanFieldGame

STATES = ("S", "I")
ACTIONS = ("U", "D")


def _kernel(mu: np.ndarray, infection: float, recovery: float) -> np.ndarray:
    p_infect = infection * mu[1]
    kernel = np.empty((2, 2, 2))
    kernel[0, 0] = (1.0 - p_infect, p_infect)
    kernel[0, 1] = (1.0, 0.0)
    kernel[1, :] = (recovery, 1.0 - recovery)
    return kernel


def _reward(infected_cost: float, distancing_cost: float) -> np.ndarray:
    return -infected_cost * np.array([[0.0, 0.0], [1.0, 1.0]]) - distancing_cost * np.array(
        [[0.0, 1.0], [0.0, 1.0]]
    )


def sis(
    *,
    horizon: int | None = None,
    gamma: float = 0.9,
    lam: float = 0.1,
    initial: tuple[float, float] = (0.4, 0.6),
    infection: float = 0.81,
    recovery: float = 0.3,
    infected_cost: float = 1.0,
    distancing_cost: float = 0.5,
) -> MeanFieldGame | FiniteHorizonMFG:
    """Build the SIS game.

    Parameters
    ----------
    horizon : int, optional
        ``None`` (default) gives the discounted, entropy-regularised game of MFG-NAC with
        ``gamma`` and ``lam``; an integer T gives the finite-horizon undiscounted game with
        epochs 0..T (mfglib's ``susceptible_infected(T=50)`` is ``sis(horizon=50, lam=0)``).
    gamma, lam : float
        Discount and entropy weight (discounted game only; the appendix leaves both unstated:
        the defaults 0.9 and 0.1 are mfcheck's choice, see ``theory/README.md``).
    initial : (float, float)
        Initial distribution over (S, I); mfglib's default (0.4, 0.6).
    infection, recovery, infected_cost, distancing_cost : float
        Model constants (App D).
    """
    if not 0.0 <= infection <= 1.0:
        raise ValueError(f"sis.infection: must lie in [0, 1], got {infection!r}")
    if not 0.0 <= recovery <= 1.0:
        raise ValueError(f"sis.recovery: must lie in [0, 1], got {recovery!r}")
    reward = _reward(infected_cost, distancing_cost)
    low = float(min(0.0, reward.min()))
    bounds = (low, float(max(0.0, reward.max())))
    if horizon is None:
        return MeanFieldGame(
            n_states=2,
            n_actions=2,
            transition_fn=lambda mu: _kernel(mu, infection, recovery),
            reward_fn=lambda mu: reward,
            gamma=gamma,
            lam=lam,
            initial=np.asarray(initial, dtype=float),
            name="sis",
            state_labels=STATES,
            action_labels=ACTIONS,
            reward_bounds=(float(reward.min()), float(reward.max())),
        )
    return FiniteHorizonMFG(
        n_states=2,
        n_actions=2,
        horizon=horizon,
        transition_fn=lambda t, mu: _kernel(mu, infection, recovery),
        reward_fn=lambda t, mu: reward,
        initial=np.asarray(initial, dtype=float),
        lam=0.0 if lam is None else lam,
        name="sis",
        state_labels=STATES,
        action_labels=ACTIONS,
        reward_bounds=bounds,
    )
