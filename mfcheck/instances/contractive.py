"""The weakly coupled control game of the MFG-NAC checks: a random 3x2 game (coupling 0.3)
where Lemma 6's contraction condition d1 d2 + d3 < 1 holds for large λ (SIS and LQ violate it),
so Lemma 7 and Theorem 1 have an instance on which their hypotheses can hold."""

from __future__ import annotations

import numpy as np

from mfcheck.instances.random_games import random_mean_field_game
from mfcheck.models import MeanFieldGame


def contractive_game(*, lam: float = 1.0) -> MeanFieldGame:
    """A random 3x2 game (seed 7) with weak mean-field coupling 0.3, γ = 0.9, regularisation λ."""
    return random_mean_field_game(np.random.default_rng(7), 3, 2, gamma=0.9, lam=lam, coupling=0.3)
