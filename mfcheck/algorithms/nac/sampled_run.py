"""The TD + SGD oracle pair of MFG-NAC's sampled runs (Algorithms 2 and 3 inside Algorithm 1).

A run of Algorithm 1 with sampled oracles is the NAC value with this oracle part::

    dataclasses.replace(NAC_DEFAULT, oracle=td_sgd_oracle(game, n_steps=128))

Algorithm 2 (projected TD(0)) runs with Proposition 1's α_k = 1/(ω(k+1)(1-γ)) in the ball
B = :func:`td_radius` (twice the largest ‖q‖ a one-hot critic can need); Algorithm 3 (projected
SGD) with Proposition 2's step R/(ρ√K) in the ball of radius ``actor_radius``. Both average their
iterates and draw ``batch_size`` i.i.d. samples per step.
"""

from __future__ import annotations

import numpy as np

from mfcheck.algorithms.nac.oracles import SampledOracle, SGDConfig, TDConfig
from mfcheck.models import MeanFieldGame

#: K of both oracles, samples per step and Algorithm 3's radius R in the checks' sampled runs
DEFAULT_BATCH = 16
DEFAULT_ACTOR_RADIUS = 2.0


def soft_q_bound(game: MeanFieldGame) -> float:
    """Lemma 3's Q_max = (1 + γλ log|A|)/(1-γ) for rewards in [0, 1]."""
    return float((1 + game.gamma * game.lam * np.log(game.n_actions)) / (1 - game.gamma))


def td_radius(game: MeanFieldGame) -> float:
    """B = 2 sqrt(|S||A|) Q_max: the ball of Algorithm 2 holds every one-hot critic ‖q‖ <= Q_max
    entrywise, with a factor 2 to spare."""
    return float(2 * np.sqrt(game.n_states * game.n_actions) * soft_q_bound(game))


def td_sgd_oracle(game: MeanFieldGame, *, n_steps: int, batch_size: int = DEFAULT_BATCH,
                  actor_radius: float = DEFAULT_ACTOR_RADIUS) -> SampledOracle:
    """Algorithm 2 (K = ``n_steps``, ball :func:`td_radius`) then Algorithm 3 (K = ``n_steps``,
    ball ``actor_radius``), ``batch_size`` samples per step."""
    return SampledOracle(
        td=TDConfig(n_steps=n_steps, radius=td_radius(game), batch_size=batch_size),
        sgd=SGDConfig(n_steps=n_steps, radius=actor_radius, batch_size=batch_size),
    )
