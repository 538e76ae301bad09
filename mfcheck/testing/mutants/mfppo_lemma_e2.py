"""Mutants for mfppo.lemma_e2: the same broken linearisations as Lemma E.1's."""

from __future__ import annotations

from mfcheck.testing.mutants.mfppo_lemma_e1 import mutant_linearised_at_other_init

__all__ = ["mutant_linearised_at_other_init"]
