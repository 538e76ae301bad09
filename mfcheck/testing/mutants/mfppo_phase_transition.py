"""Mutant of MF-PPO for mfppo.phase_transition: the critic ignores the agents (no statistical error).

The same value as :data:`mfcheck.testing.mutants.mfppo_n_free_sample_complexity.MEAN_FIELD_BLIND_CRITIC`.
"""

from __future__ import annotations

from mfcheck.testing.mutants.mfppo_n_free_sample_complexity import MEAN_FIELD_BLIND_CRITIC

__all__ = ["MEAN_FIELD_BLIND_CRITIC"]
