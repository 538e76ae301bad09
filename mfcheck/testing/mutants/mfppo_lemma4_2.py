"""Mutants of Algorithm 3 for the rate check of Lemma 4.2 (the same as Lemma 4.1's)."""

from __future__ import annotations

from mfcheck.testing.mutants.mfppo_lemma4_1 import (
    mutant_constant_step_last_iterate,
    mutant_step_one_over_t,
)

__all__ = ["mutant_constant_step_last_iterate", "mutant_step_one_over_t"]
