"""Mutant of MF-PPO's Algorithm 2 for mfppo.lemma_e4: the step sees a fixed number of agents.

``FIXED_AGENT_SUBSAMPLE`` is ``dataclasses.replace(MFPPO_DEFAULT, policy_evaluation=...)`` with the
evaluation of :mod:`mfcheck.testing.mutants.mfppo_lemma4_1` that keeps one agent whatever N.
"""

from __future__ import annotations

from mfcheck.testing.mutants.mfppo_lemma4_1 import FIXED_AGENT_SUBSAMPLE

__all__ = ["FIXED_AGENT_SUBSAMPLE"]
