"""Validation of problem data: every malformed input raises ``ValueError`` naming what is wrong.

The messages name the object (``what``), the offending index and value, so that a user
who passes a kernel row summing to 0.97 reads *which* row and *what* sum.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Absolute tolerance used for "sums to one" checks.
SIMPLEX_ATOL = 1e-8


def as_float_array(value: ArrayLike, what: str, ndim: int | None = None) -> NDArray[np.float64]:
    """Convert to a float64 array, checking dimensionality and finiteness."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{what}: cannot be converted to a float array ({error})") from error
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{what}: expected {ndim} dimensions, got shape {array.shape}")
    check_finite(array, what)
    return array


def check_finite(array: NDArray[np.float64], what: str) -> None:
    """Raise if ``array`` holds NaN or inf, naming the first bad index."""
    bad = ~np.isfinite(array)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{what}: non-finite value {float(array[index])!r} at index {index}")


def check_shape(array: NDArray[np.float64], expected: tuple[int, ...], what: str) -> None:
    """Raise if ``array.shape`` differs from ``expected``."""
    if array.shape != tuple(expected):
        raise ValueError(f"{what}: shape {array.shape} does not match expected {tuple(expected)}")


def check_stochastic(array: NDArray[np.float64], what: str, axis: int = -1) -> None:
    """Raise unless every slice along ``axis`` is a probability vector.

    Checks finiteness, non-negativity and that each row sums to 1 within
    :data:`SIMPLEX_ATOL`; the message names the first offending row.
    """
    check_finite(array, what)
    negative = array < 0
    if negative.any():
        index = tuple(int(i) for i in np.argwhere(negative)[0])
        raise ValueError(f"{what}: negative probability {float(array[index])!r} at index {index}")
    sums = np.moveaxis(array, axis, -1).sum(axis=-1)
    off = np.abs(sums - 1.0) > SIMPLEX_ATOL
    if off.any():
        index = tuple(int(i) for i in np.argwhere(off)[0])
        raise ValueError(
            f"{what}: row {index} sums to {float(sums[index])!r}, not 1 (probabilities along axis {axis})"
        )


def check_distribution(value: ArrayLike, size: int, what: str) -> NDArray[np.float64]:
    """Return ``value`` as a probability vector of length ``size`` or raise."""
    array = as_float_array(value, what, ndim=1)
    check_shape(array, (size,), what)
    check_stochastic(array, what)
    return array


def check_discount(gamma: float, what: str = "gamma") -> float:
    """Raise unless ``gamma`` is a finite float in [0, 1)."""
    gamma = float(gamma)
    if not np.isfinite(gamma) or not 0.0 <= gamma < 1.0:
        raise ValueError(f"{what}: discount factor must lie in [0, 1), got {gamma!r}")
    return gamma


def check_temperature(lam: float, what: str = "lam") -> float:
    """Raise unless the entropy weight ``lam`` is finite and >= 0."""
    lam = float(lam)
    if not np.isfinite(lam) or lam < 0:
        raise ValueError(f"{what}: entropy regularisation must be finite and >= 0, got {lam!r}")
    return lam


def check_horizon(horizon: int, what: str = "horizon") -> int:
    """Raise unless ``horizon`` is an integer >= 1."""
    if isinstance(horizon, bool) or int(horizon) != horizon or horizon < 1:
        raise ValueError(f"{what}: horizon must be an integer >= 1, got {horizon!r}")
    return int(horizon)


def check_positive_int(value: int, what: str) -> int:
    """Raise unless ``value`` is an integer >= 1."""
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f"{what}: must be an integer >= 1, got {value!r}")
    return int(value)


def check_policy(
    policy: ArrayLike, n_states: int, n_actions: int, what: str = "policy", horizon: int | None = None
) -> NDArray[np.float64]:
    """Return a validated policy array: [S, A] (stationary) or [T+1, S, A] (finite horizon)."""
    expected: tuple[int, ...] = (
        (n_states, n_actions) if horizon is None else (horizon + 1, n_states, n_actions)
    )
    array = as_float_array(policy, what, ndim=len(expected))
    check_shape(array, expected, what)
    check_stochastic(array, what)
    return array
