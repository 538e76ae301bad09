"""Hypothesis strategies for the MFG-NAC algorithm: log-linear policies and ŵ sequences.

Public and keyword-only, like ``xarray.testing.strategies``. Floats are bounded (no NaN, no
subnormals). Each strategy documents what it guarantees.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mfcheck.algorithms.nac.log_linear import Features


def _unit_rows(raw: np.ndarray, norms: np.ndarray) -> np.ndarray:
    lengths = np.linalg.norm(raw, axis=-1, keepdims=True)
    return raw / np.where(lengths > 0, lengths, 1.0) * norms[..., None]


@st.composite
def log_linear_features(
    draw: st.DrawFn,
    *,
    max_states: int = 4,
    max_actions: int = 4,
    max_dim: int = 6,
    max_norm: float = 1.0,
) -> Features:
    """Features φ[S, A, d] with ‖φ_{s,a}‖ <= ``max_norm`` (row norms drawn in [0, max_norm])."""
    n_states = draw(st.integers(1, max_states))
    n_actions = draw(st.integers(2, max_actions))
    dim = draw(st.integers(1, max_dim))
    elements = st.floats(-1.0, 1.0, allow_nan=False, allow_subnormal=False)
    raw = draw(hnp.arrays(np.float64, (n_states, n_actions, dim), elements=elements))
    norms = draw(
        hnp.arrays(
            np.float64,
            (n_states, n_actions),
            elements=st.floats(0.0, max_norm, allow_nan=False, allow_subnormal=False),
        )
    )
    return Features(_unit_rows(raw, norms))


@st.composite
def parameters(draw: st.DrawFn, *, dim: int, max_abs: float = 10.0) -> np.ndarray:
    """A parameter vector θ ∈ [-max_abs, max_abs]^dim."""
    elements = st.floats(-max_abs, max_abs, allow_nan=False, allow_subnormal=False)
    return draw(hnp.arrays(np.float64, (dim,), elements=elements))


@st.composite
def w_sequences(
    draw: st.DrawFn,
    *,
    dim: int,
    radius: float,
    max_length: int = 60,
) -> tuple[np.ndarray, np.ndarray, float]:
    """(ŵ [T, dim] with ‖ŵ_t‖ <= radius, η [T] with 0 < η_t λ < 1, λ > 0).

    Norms are drawn in [0, radius] (half the sequences at the boundary, the worst case of
    Lemma 2's induction), directions freely, step sizes η_t λ in [0.01, 0.99].
    """
    length = draw(st.integers(1, max_length))
    lam = draw(st.floats(0.05, 5.0, allow_nan=False, allow_subnormal=False))
    elements = st.floats(-1.0, 1.0, allow_nan=False, allow_subnormal=False)
    raw = draw(hnp.arrays(np.float64, (length, dim), elements=elements))
    at_boundary = draw(st.booleans())
    if at_boundary:
        norms = np.full(length, radius)
    else:
        norms = draw(
            hnp.arrays(
                np.float64,
                (length,),
                elements=st.floats(0.0, radius, allow_nan=False, allow_subnormal=False),
            )
        )
    rates = draw(
        hnp.arrays(
            np.float64, (length,), elements=st.floats(0.01, 0.99, allow_nan=False, allow_subnormal=False)
        )
    )
    return _unit_rows(raw, norms), rates / lam, lam
