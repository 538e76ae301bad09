"""Hypothesis strategies for mean-field games: simplex vectors, policies, games, step sizes.

Public and composable (like ``xarray.testing.strategies``): every strategy is keyword-only,
bounded (no NaN, no infinities) and builds validated objects from :mod:`mfcheck.models`.
:func:`simplex_vectors` and :func:`policies` are those of :mod:`mfcheck.testing.strategies`;
:func:`mean_field_games` is that module's with the entropy weight λ drawn from
:func:`temperatures` (MFG-NAC's regularised setting needs λ > 0).

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

from mfcheck.models import MeanFieldGame
from mfcheck.testing import strategies as _base
from mfcheck.testing.strategies import policies, simplex_vectors

__all__ = [
    "floors",
    "mean_field_games",
    "policies",
    "simplex_vectors",
    "temperatures",
]


def temperatures(*, low: float = 0.05, high: float = 5.0) -> st.SearchStrategy[float]:
    """Entropy weights λ in [low, high], drawn log-uniformly (λ spans decades in the papers)."""
    if not 0 < low <= high:
        raise ValueError(f"temperatures: need 0 < low <= high, got low={low}, high={high}")
    return st.floats(np.log(low), np.log(high)).map(lambda x: float(np.exp(x)))


def floors(*, low: float = 1e-6, high: float = 0.5) -> st.SearchStrategy[float]:
    """Lower bounds α in [low, high] on simplex entries, drawn log-uniformly (Lemma 4's α1, α2)."""
    return st.floats(np.log(low), np.log(high)).map(lambda x: float(np.exp(x)))


def mean_field_games(
    *,
    lam: float | st.SearchStrategy[float] | None = None,
    **kwargs: int | float | st.SearchStrategy[float],
) -> st.SearchStrategy[MeanFieldGame]:
    """Random discounted MFGs with rewards in [0, 1] (MFG-NAC's standing assumption).

    :func:`mfcheck.testing.strategies.mean_field_games` (same keywords: ``min_states``,
    ``max_states``, ``min_actions``, ``max_actions``, ``gamma``, ``coupling``) with ``lam``
    defaulting to :func:`temperatures`.
    """
    return _base.mean_field_games(lam=temperatures() if lam is None else lam, **kwargs)
