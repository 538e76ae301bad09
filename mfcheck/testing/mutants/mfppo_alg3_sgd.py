"""Mutants of Algorithm 3 (the same broken implementations as Algorithm 2's)."""

from __future__ import annotations

from mfcheck.testing.mutants.mfppo_alg2_td import (
    mutant_constant_step,
    mutant_last_iterate,
    mutant_no_projection,
)

__all__ = ["mutant_constant_step", "mutant_last_iterate", "mutant_no_projection"]
