"""Public Hypothesis strategies for mfcheck's models: simplex vectors, kernels, MDPs, policies, MFGs.

Every strategy is keyword-only and composable: a size argument takes an ``int`` or a strategy
of ints, floats are bounded (no NaN, no infinities), and the objects are the validated models
of :mod:`mfcheck.models`. Games are drawn by seeding the generators of
:mod:`mfcheck.instances.random_games` with an integer Hypothesis chooses, so a failing example
shrinks to a seed and replays exactly.

Examples
--------
>>> from hypothesis import given, strategies as st
>>> from mfcheck.testing.strategies import finite_mdps, policies
>>> @given(mdp=finite_mdps(max_states=4), data=st.data())
... def test_something(mdp, data):
...     policy = data.draw(policies(n_states=mdp.n_states, n_actions=mdp.n_actions))
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from numpy.typing import NDArray

from mfcheck.instances import random_finite_horizon_mfg, random_mean_field_game
from mfcheck.models import FiniteHorizonMFG, FiniteMDP, MeanFieldGame

Array = NDArray[np.float64]
IntOrStrategy = int | st.SearchStrategy[int]
FloatOrStrategy = float | st.SearchStrategy[float]

# default strategies (module-level singletons, so argument defaults make no calls)
_SIMPLEX_SIZES = st.integers(2, 5)
_KERNEL_STATES = st.integers(1, 4)
_KERNEL_ACTIONS = st.integers(1, 3)
_MDP_DISCOUNTS = st.floats(0.0, 0.95)
_MFG_DISCOUNTS = st.floats(0.5, 0.95)
_TEMPERATURES = st.floats(0.0, 1.0)
_COUPLINGS = st.floats(0.0, 2.0)
_HORIZONS = st.integers(1, 4)

__all__ = [
    "finite_horizon_mfgs",
    "finite_mdps",
    "mean_field_games",
    "policies",
    "simplex_vectors",
    "stochastic_kernels",
]


def _int(draw: st.DrawFn, value: IntOrStrategy) -> int:
    return int(draw(value)) if isinstance(value, st.SearchStrategy) else int(value)


def _float(draw: st.DrawFn, value: FloatOrStrategy) -> float:
    return float(draw(value)) if isinstance(value, st.SearchStrategy) else float(value)


@st.composite
def simplex_vectors(
    draw: st.DrawFn,
    *,
    size: IntOrStrategy = _SIMPLEX_SIZES,
    min_value: float = 0.0,
    allow_vertices: bool = True,
) -> Array:
    """Points of the probability simplex of dimension ``size`` with every entry >= ``min_value``.

    Drawn as ``min_value + (1 - size·min_value)·w`` with ``w`` normalised weights in [0, 1]; with
    ``allow_vertices`` some draws put all free mass on one coordinate (the vertices and faces
    where Lipschitz and KL bounds are tight), and a draw of all-zero weights becomes a vertex.
    """
    n = _int(draw, size)
    if n < 1:
        raise ValueError(f"simplex_vectors.size: must be >= 1, got {n}")
    if not 0.0 <= min_value <= 1.0 / n:
        raise ValueError(f"simplex_vectors.min_value: must lie in [0, 1/{n}], got {min_value}")
    weights = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n)), dtype=float)
    if (allow_vertices and draw(st.booleans()) and draw(st.booleans())) or weights.sum() <= 1e-12:
        weights = np.zeros(n)
        weights[draw(st.integers(0, n - 1))] = 1.0
    point = min_value + (1.0 - n * min_value) * weights / weights.sum()
    return point / point.sum()


@st.composite
def stochastic_kernels(
    draw: st.DrawFn,
    *,
    n_states: IntOrStrategy = _KERNEL_STATES,
    n_actions: IntOrStrategy = _KERNEL_ACTIONS,
    min_value: float = 0.0,
) -> Array:
    """Kernels P[s, a, s'] whose every row is a :func:`simplex_vectors` draw."""
    s, a = _int(draw, n_states), _int(draw, n_actions)
    rows = [draw(simplex_vectors(size=s, min_value=min_value)) for _ in range(s * a)]
    return np.stack(rows).reshape(s, a, s)


@st.composite
def policies(
    draw: st.DrawFn,
    *,
    n_states: int,
    n_actions: int,
    horizon: int | None = None,
    min_prob: float = 0.0,
) -> Array:
    """Policies π[S, A] (``horizon=None``) or time-indexed π[T+1, S, A], rows on the simplex."""
    n_rows = n_states * (1 if horizon is None else horizon + 1)
    rows = [draw(simplex_vectors(size=n_actions, min_value=min_prob)) for _ in range(n_rows)]
    shape = (n_states, n_actions) if horizon is None else (horizon + 1, n_states, n_actions)
    return np.stack(rows).reshape(shape)


@st.composite
def finite_mdps(
    draw: st.DrawFn,
    *,
    min_states: int = 1,
    max_states: int = 4,
    min_actions: int = 1,
    max_actions: int = 3,
    gamma: FloatOrStrategy = _MDP_DISCOUNTS,
    reward_bound: float = 1.0,
) -> FiniteMDP:
    """Finite discounted MDPs: kernels from :func:`stochastic_kernels`, rewards in ±``reward_bound``."""
    s = draw(st.integers(min_states, max_states))
    a = draw(st.integers(min_actions, max_actions))
    transition = draw(stochastic_kernels(n_states=s, n_actions=a))
    reward = np.array(
        draw(st.lists(st.floats(-reward_bound, reward_bound), min_size=s * a, max_size=s * a))
    ).reshape(s, a)
    return FiniteMDP(
        transition=transition,
        reward=reward,
        gamma=_float(draw, gamma),
        initial=draw(simplex_vectors(size=s)),
    )


@st.composite
def mean_field_games(
    draw: st.DrawFn,
    *,
    min_states: int = 2,
    max_states: int = 4,
    min_actions: int = 2,
    max_actions: int = 3,
    gamma: FloatOrStrategy = _MFG_DISCOUNTS,
    lam: FloatOrStrategy = _TEMPERATURES,
    coupling: FloatOrStrategy = _COUPLINGS,
) -> MeanFieldGame:
    """Random discounted MFGs with rewards in (0, 1) (:func:`mfcheck.instances.random_mean_field_game`)."""
    s = draw(st.integers(min_states, max_states))
    a = draw(st.integers(min_actions, max_actions))
    seed = draw(st.integers(0, 2**32 - 1))
    return random_mean_field_game(
        np.random.default_rng(seed),
        s,
        a,
        gamma=_float(draw, gamma),
        lam=_float(draw, lam),
        coupling=_float(draw, coupling),
    )


@st.composite
def finite_horizon_mfgs(
    draw: st.DrawFn,
    *,
    min_states: int = 2,
    max_states: int = 4,
    min_actions: int = 2,
    max_actions: int = 3,
    horizon: IntOrStrategy = _HORIZONS,
    lam: FloatOrStrategy = 0.0,
    coupling: FloatOrStrategy = _COUPLINGS,
) -> FiniteHorizonMFG:
    """Random finite-horizon MFGs (epochs 0..T) from :func:`mfcheck.instances.random_finite_horizon_mfg`."""
    s = draw(st.integers(min_states, max_states))
    a = draw(st.integers(min_actions, max_actions))
    seed = draw(st.integers(0, 2**32 - 1))
    return random_finite_horizon_mfg(
        np.random.default_rng(seed),
        s,
        a,
        _int(draw, horizon),
        lam=_float(draw, lam),
        coupling=_float(draw, coupling),
    )
