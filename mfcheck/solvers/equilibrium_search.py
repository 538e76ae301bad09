"""The equilibria a check compares against: every one for small games, else the damped fixed point."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from mfcheck.models import MeanFieldGame
from mfcheck.solvers.equilibria import ConvergenceError, damped_fixed_point, find_equilibria


def equilibrium_mean_fields(game: MeanFieldGame) -> list[NDArray[np.float64]]:
    """Mean fields of the equilibria: all found from many starts (small S), else the damped
    fixed point from ρ (LQ: many starts are too slow; translation invariance makes it non-unique)."""
    if game.n_states <= 5:
        return [e.mean_field for e in find_equilibria(game)]
    try:
        return [damped_fixed_point(game, damping=0.5, max_iter=2000).mean_field]
    except ConvergenceError:
        return [game.initial]
