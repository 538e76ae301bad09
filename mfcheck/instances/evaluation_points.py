"""Evaluation points of an oracle: a game with a fixed policy parameter θ and mean field μ.

MFG-NAC App C (Propositions 1-2) bound the error of Algorithms 2 and 3 at one iterate (π_θ, μ)
of Algorithm 1. The sub-solver checks evaluate the oracles at random such points:
θ ~ N(0, s² I_d) (s = 0.5 by default) and μ ~ Dirichlet(1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mfcheck.models import MeanFieldGame

Array = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class EvaluationPoint:
    """A game and a point (θ [d], μ [S]) at which an oracle of Algorithm 1 is evaluated."""

    label: str
    game: MeanFieldGame
    theta: Array
    mean_field: Array

    def __post_init__(self) -> None:
        mu = np.asarray(self.mean_field, dtype=float)
        if mu.shape != (self.game.n_states,) or (mu < 0).any() or not np.isclose(mu.sum(), 1.0):
            raise ValueError(f"EvaluationPoint {self.label}: mean field must be a distribution over "
                             f"{self.game.n_states} states, got {mu!r}")


def random_evaluation_point(rng: np.random.Generator, game: MeanFieldGame, dim: int, *, label: str,
                            theta_scale: float = 0.5) -> EvaluationPoint:
    """θ ~ N(0, theta_scale² I_dim), then μ ~ Dirichlet(1) over the game's states."""
    if dim < 1 or not theta_scale >= 0:
        raise ValueError(f"random_evaluation_point: need dim >= 1 and theta_scale >= 0, got {dim}, {theta_scale}")
    theta = theta_scale * rng.standard_normal(dim)
    return EvaluationPoint(label, game, theta, rng.dirichlet(np.ones(game.n_states)))
