"""Games with rewards in [0, 1] that probe the bounds of MFG-NAC Lemma 3.

* :func:`trap_game`: a 'good' state (r = 1) and an absorbing 'trap' (r = 0); action 1 in 'good'
  falls in. The action gap at 'good' is about 1/(1-γ), the largest a reward in [0, 1] allows, so
  the soft-optimal policy's smallest probability is as small as Lemma 3's floor lets it be.
* :func:`unit_reward_game`: r ≡ 1 on a uniform kernel, where Q*_μ = Q_max = (1 + γλ log|A|)/(1-γ)
  exactly (Lemma 3's bound on Q* is tight).

Neither reward depends on μ.
"""

from __future__ import annotations

import numpy as np

from mfcheck.models import MeanFieldGame


def trap_game(*, gamma: float = 0.9, lam: float = 1.0) -> MeanFieldGame:
    """Two states, two actions: 'good' (r = 1; action 0 stays, action 1 falls) and 'trap' (r = 0, absorbing)."""
    kernel = np.zeros((2, 2, 2))
    kernel[0, 0, 0] = 1.0
    kernel[0, 1, 1] = 1.0
    kernel[1, :, 1] = 1.0
    reward = np.array([[1.0, 1.0], [0.0, 0.0]])
    return MeanFieldGame(n_states=2, n_actions=2, transition_fn=lambda mu: kernel, reward_fn=lambda mu: reward,
                         gamma=gamma, lam=lam, name="trap", reward_bounds=(0.0, 1.0))


def unit_reward_game(*, gamma: float = 0.9, lam: float = 1.0, n_states: int = 2, n_actions: int = 3) -> MeanFieldGame:
    """r ≡ 1 and a uniform kernel: V* = (1 + λ log|A|)/(1-γ) and Q* = (1 + γλ log|A|)/(1-γ)."""
    kernel = np.full((n_states, n_actions, n_states), 1.0 / n_states)
    reward = np.ones((n_states, n_actions))
    return MeanFieldGame(n_states=n_states, n_actions=n_actions, transition_fn=lambda mu: kernel,
                         reward_fn=lambda mu: reward, gamma=gamma, lam=lam, name="unit_reward",
                         reward_bounds=(0.0, 1.0))
