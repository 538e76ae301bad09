"""Mutants for mfppo.prop3_2: proximal updates with a wrong temperature."""

from __future__ import annotations

import numpy as np


def _normalise(logits: np.ndarray) -> np.ndarray:
    weights = np.exp(logits - logits.max())
    return weights / weights.sum()


def mutant_temperature_times_v(q_values: np.ndarray, previous: np.ndarray, v: float) -> np.ndarray:
    """π ∝ π_k exp(q·v): the proximity weight multiplies instead of divides."""
    return _normalise(np.log(previous) + q_values * v)


def mutant_half_temperature(q_values: np.ndarray, previous: np.ndarray, v: float) -> np.ndarray:
    """π ∝ π_k exp(q/(2v))."""
    return _normalise(np.log(previous) + q_values / (2 * v))
