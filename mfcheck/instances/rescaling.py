"""Affine reward rescaling onto [0, 1] (the MFG-NAC lemmas assume r(s, a, μ) ∈ [0, 1]).

``r' = (r - lo) / (hi - lo)``. Rescaling the reward is *not* a symmetry of the regularised game
(it acts like dividing λ by hi - lo), so a checker using it says so in its reading.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike

from mfcheck.models import MeanFieldGame


def reward_range(game: MeanFieldGame, mean_fields: Iterable[ArrayLike] = ()) -> tuple[float, float]:
    """(lo, hi) of r(s, a, μ): the declared ``reward_bounds`` when present, otherwise the range
    over ρ, the uniform μ, the vertices of the simplex and the given ``mean_fields``."""
    if game.reward_bounds is not None:
        lo, hi = game.reward_bounds
        return float(lo), float(hi)
    probes = [game.initial, np.full(game.n_states, 1.0 / game.n_states), *np.eye(game.n_states)]
    probes.extend(np.asarray(m, dtype=float) for m in mean_fields)
    values = np.stack([game.reward(m) for m in probes])
    return float(values.min()), float(values.max())


def rescale_rewards(
    game: MeanFieldGame, bounds: tuple[float, float] | None = None, *, mean_fields: Iterable[ArrayLike] = ()
) -> MeanFieldGame:
    """The game with reward (r - lo)/(hi - lo) ∈ [0, 1] and ``reward_bounds = (0, 1)``.

    ``bounds`` default to :func:`reward_range` (over ``mean_fields`` when the game declares none).
    A game whose rewards already lie in [0, 1] is returned unchanged.
    """
    lo, hi = reward_range(game, mean_fields) if bounds is None else bounds
    if lo >= 0.0 and hi <= 1.0:
        return game
    if not hi > lo:
        raise ValueError(f"rescale_rewards: {game.name} reward range ({lo}, {hi}) is degenerate")
    width = hi - lo
    base = game.reward_fn

    def reward(mu: np.ndarray) -> np.ndarray:
        return (np.asarray(base(mu), dtype=float) - lo) / width

    return game.with_parameters(
        reward_fn=reward, reward_bounds=(0.0, 1.0), name=f"{game.name}[rescaled]"
    )
