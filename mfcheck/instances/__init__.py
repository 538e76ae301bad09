"""Named presets for the papers' instances and random generators for each model family."""

from __future__ import annotations

from mfcheck.instances.contractive import contractive_game
from mfcheck.instances.linear_quadratic import linear_quadratic, noise_weights
from mfcheck.instances.random_games import (
    random_distribution,
    random_finite_horizon_mfg,
    random_finite_mdp,
    random_mean_field_game,
)
from mfcheck.instances.sis import sis

__all__ = [
    "contractive_game",
    "linear_quadratic",
    "noise_weights",
    "random_distribution",
    "random_finite_horizon_mfg",
    "random_finite_mdp",
    "random_mean_field_game",
    "sis",
]
