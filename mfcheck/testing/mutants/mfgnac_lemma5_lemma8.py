"""Mutants for MFG-NAC Lemmas 5 and 8 (checker: :mod:`mfcheck.checks.mfgnac.lemma5_lemma8`)."""

from __future__ import annotations


def mutant_drift_ignored(constants: dict[str, float]) -> dict[str, float]:
    """d0 = 0 (Assumption 1's constant underestimated: as if d*_t and π*_t ignored μ): the
    mean-field drift term (1 + C1) κ d0 ‖μ_{t+1} - μ_t‖ vanishes, and σ_{t+1} exceeds
    E_{d*_t} KL(π*_t‖π_{t+1}) on SIS and the control game (Lemma 5 fails)."""
    return {**constants, "d0": 0.0}
