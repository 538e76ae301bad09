"""The public Hypothesis strategies produce what they promise (the test machinery, tested)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.models import FiniteHorizonMFG, FiniteMDP, MeanFieldGame
from mfcheck.testing.strategies import (
    finite_horizon_mfgs,
    finite_mdps,
    mean_field_games,
    policies,
    simplex_vectors,
    stochastic_kernels,
)


@given(size=st.integers(1, 6), min_value=st.floats(0.0, 1.0), data=st.data())
def test_simplex_vectors_respect_size_and_floor(size: int, min_value: float, data: st.DataObject) -> None:
    floor = min_value / size
    point = data.draw(simplex_vectors(size=size, min_value=floor))
    assert point.shape == (size,)
    assert abs(point.sum() - 1.0) <= 1e-12
    assert np.all(point >= floor - 1e-12)


@given(kernel=stochastic_kernels(n_states=3, n_actions=st.integers(1, 2)))
def test_stochastic_kernels_are_row_stochastic(kernel: np.ndarray) -> None:
    assert kernel.shape[0] == kernel.shape[2] == 3
    np.testing.assert_allclose(kernel.sum(axis=-1), 1.0, atol=1e-12)


@given(data=st.data(), horizon=st.one_of(st.none(), st.integers(0, 3)))
def test_policies_have_the_requested_shape(data: st.DataObject, horizon: int | None) -> None:
    policy = data.draw(policies(n_states=2, n_actions=3, horizon=horizon))
    assert policy.shape == ((2, 3) if horizon is None else (horizon + 1, 2, 3))
    np.testing.assert_allclose(policy.sum(axis=-1), 1.0, atol=1e-12)


@given(mdp=finite_mdps(max_states=3), game=mean_field_games(gamma=0.9, lam=0.0),
       fh=finite_horizon_mfgs(horizon=2))
def test_model_strategies_build_validated_models(
    mdp: FiniteMDP, game: MeanFieldGame, fh: FiniteHorizonMFG
) -> None:
    assert isinstance(mdp, FiniteMDP) and 1 <= mdp.n_states <= 3
    assert game.gamma == 0.9 and game.lam == 0.0
    assert fh.horizon == 2
