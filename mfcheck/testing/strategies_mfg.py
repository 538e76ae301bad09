"""Hypothesis strategies for mean-field games: simplex vectors, policies, games, step sizes.

Public and composable (like ``xarray.testing.strategies``): every strategy is keyword-only,
bounded (no NaN, no infinities) and builds validated objects from :mod:`mfcheck.models`.
Random games are drawn by seeding :func:`mfcheck.instances.random_mean_field_game` with an
integer Hypothesis chooses, so a failing example shrinks to a seed and replays exactly.

Examples
--------
>>> from hypothesis import given
>>> from mfcheck.testing.strategies_mfg import mean_field_games, simplex_vectors
>>> @given(game=mean_field_games(max_states=3), mu=simplex_vectors(size=3))
... def test_something(game, mu): ...
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from numpy.typing import NDArray

from mfcheck.instances import random_mean_field_game
from mfcheck.models import MeanFieldGame

Array = NDArray[np.float64]

_SIZES = st.integers(2, 5)
_GAMMAS = st.floats(0.5, 0.95)
_COUPLINGS = st.floats(0.0, 2.0)

__all__ = [
    "floors",
    "mean_field_games",
    "policies",
    "simplex_vectors",
    "temperatures",
]


@st.composite
def simplex_vectors(
    draw: st.DrawFn,
    *,
    size: int | st.SearchStrategy[int] = _SIZES,
    min_value: float = 0.0,
    allow_vertices: bool = True,
) -> Array:
    """Points of the probability simplex of dimension ``size`` with every entry >= ``min_value``.

    Drawn as ``min_value + (1 - size·min_value)·w`` with ``w`` normalised non-negative weights;
    with ``allow_vertices`` some draws put all free mass on one coordinate (the vertices and
    faces where Lipschitz and KL bounds are tight).
    """
    n = draw(size) if isinstance(size, st.SearchStrategy) else int(size)
    if n < 1:
        raise ValueError(f"simplex_vectors.size: must be >= 1, got {n}")
    if not 0.0 <= min_value <= 1.0 / n:
        raise ValueError(f"simplex_vectors.min_value: must lie in [0, 1/{n}], got {min_value}")
    weights = np.array(
        draw(st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n)), dtype=float
    )
    if allow_vertices and draw(st.booleans()) and draw(st.booleans()):
        weights = np.zeros(n)
        weights[draw(st.integers(0, n - 1))] = 1.0
    if weights.sum() <= 1e-12:
        weights = np.ones(n)
    weights = weights / weights.sum()
    point = min_value + (1.0 - n * min_value) * weights
    return point / point.sum()


@st.composite
def policies(
    draw: st.DrawFn, *, n_states: int, n_actions: int, min_prob: float = 0.0
) -> Array:
    """Stationary policies π[S, A]: one :func:`simplex_vectors` row per state."""
    rows = [
        draw(simplex_vectors(size=n_actions, min_value=min_prob)) for _ in range(n_states)
    ]
    return np.stack(rows)


def temperatures(*, low: float = 0.05, high: float = 5.0) -> st.SearchStrategy[float]:
    """Entropy weights λ in [low, high], drawn log-uniformly (λ spans decades in the papers)."""
    if not 0 < low <= high:
        raise ValueError(f"temperatures: need 0 < low <= high, got low={low}, high={high}")
    return st.floats(np.log(low), np.log(high)).map(lambda x: float(np.exp(x)))


def floors(*, low: float = 1e-6, high: float = 0.5) -> st.SearchStrategy[float]:
    """Lower bounds α in [low, high] on simplex entries, drawn log-uniformly (Lemma 4's α1, α2)."""
    return st.floats(np.log(low), np.log(high)).map(lambda x: float(np.exp(x)))


@st.composite
def mean_field_games(
    draw: st.DrawFn,
    *,
    min_states: int = 2,
    max_states: int = 4,
    min_actions: int = 2,
    max_actions: int = 3,
    gamma: float | st.SearchStrategy[float] = _GAMMAS,
    lam: float | st.SearchStrategy[float] | None = None,
    coupling: float | st.SearchStrategy[float] = _COUPLINGS,
) -> MeanFieldGame:
    """Random discounted MFGs with rewards in [0, 1] (MFG-NAC's standing assumption).

    The kernel and reward depend smoothly on μ (see
    :func:`mfcheck.instances.random_mean_field_game`); ``coupling`` scales that dependence.
    ``lam`` defaults to :func:`temperatures`.
    """
    n_states = draw(st.integers(min_states, max_states))
    n_actions = draw(st.integers(min_actions, max_actions))
    seed = draw(st.integers(0, 2**32 - 1))
    g = draw(gamma) if isinstance(gamma, st.SearchStrategy) else float(gamma)
    lam_strategy = temperatures() if lam is None else lam
    lam_value = draw(lam_strategy) if isinstance(lam_strategy, st.SearchStrategy) else float(lam_strategy)
    c = draw(coupling) if isinstance(coupling, st.SearchStrategy) else float(coupling)
    return random_mean_field_game(
        np.random.default_rng(seed), n_states, n_actions, gamma=g, lam=lam_value, coupling=c
    )
