"""Mutants for MFG-NAC Lemma 4 (checker: :mod:`mfcheck.checks.mfgnac.lemma4`): wrong constants."""

from __future__ import annotations

import numpy as np


def mutant_constant_one(alpha1: float, alpha2: float) -> float:
    """The constant 1 in place of 1 + log(1/min(α1, α2)): too small as soon as min α < ~0.27
    (the sharp constant ½log((1-(n-1)α1)(1-(n-1)α2)/(α1α2)) exceeds 1)."""
    return 1.0


def mutant_log_only(alpha1: float, alpha2: float) -> float:
    """log(1/min(α1, α2)) without the "+1": NOT a violating mutant (the sharp constant is
    below it), kept to document that the +1 is slack."""
    return float(np.log(1.0 / min(alpha1, alpha2)))


def mutant_half_log(alpha1: float, alpha2: float) -> float:
    """½ log(1/min(α1, α2)): half the logarithm; violated when both floors are small
    (the sharp constant is about ½(log 1/α1 + log 1/α2))."""
    return 0.5 * float(np.log(1.0 / min(alpha1, alpha2)))
