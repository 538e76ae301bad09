"""Mutants for MFG-NAC Lemma 6 (checker: :mod:`mfcheck.checks.mfgnac.lemma6`)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from mfcheck.checks.mfgnac._lipschitz import LipschitzEstimate
from mfcheck.models import MeanFieldGame
from mfcheck.solvers import composite_map

Array = NDArray[np.float64]


def mutant_amplified_composite(factor: float = 3.0):
    """A composite map with an amplified μ-dependence, Λ'(μ) = ρ + factor·(Λ(μ) - ρ): it is no
    longer Γ2(Γ1(μ), μ), so its Lipschitz ratio (factor x that of Λ) exceeds d1 d2 + d3 where Λ's
    ratio is above (d1 d2 + d3)/factor (SIS: Λ's ratio reaches 1.5, the bound 1.9)."""

    def ratio(game: MeanFieldGame, mu: Array, other: Array) -> float:
        image = game.initial + factor * (composite_map(game, mu) - game.initial)
        image_other = game.initial + factor * (composite_map(game, other) - game.initial)
        return float(np.abs(image - image_other).sum() / np.abs(mu - other).sum())

    return ratio


def mutant_underestimated_constants(estimate: LipschitzEstimate, factor: float = 0.5) -> LipschitzEstimate:
    """d1, d2, d3 each multiplied by ``factor`` < 1 (estimated from too few points, or a wrong
    metric): on SIS d1d2+d3 drops below Λ's measured Lipschitz ratio."""
    return LipschitzEstimate(
        d1=estimate.d1 * factor, d2=estimate.d2 * factor, d3=estimate.d3 * factor,
        n_pairs=estimate.n_pairs, n_local=estimate.n_local,
    )
