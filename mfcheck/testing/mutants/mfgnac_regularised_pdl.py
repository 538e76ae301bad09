"""Mutants for the regularised performance-difference lemma (:mod:`mfcheck.checks.mfgnac.regularised_pdl`)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from mfcheck.checks.mfgnac.regularised_pdl import pdl_rhs
from mfcheck.models import MeanFieldGame

Array = NDArray[np.float64]


def mutant_missing_kl(game: MeanFieldGame, pi: Array, pi_prime: Array, mu: Array) -> float:
    """The unregularised PDL applied to regularised values: the -λ/(1-γ) E[KL(π‖π')] term dropped."""
    return pdl_rhs(game, pi, pi_prime, mu, with_kl=False)


def mutant_unshifted_q(game: MeanFieldGame, pi: Array, pi_prime: Array, mu: Array) -> float:
    """q^{π'} read as Q^{π'} (no -λ log π' shift)."""
    return pdl_rhs(game, pi, pi_prime, mu, shifted=False)
