"""Mutant of MF-PPO for mfppo.deepset_invariance: a critic embedding undefined for small N.

``LOG_FREQUENCY_EMBEDDING`` is ``dataclasses.replace(MFPPO_DEFAULT, critic_embedding=...)``.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.problem import Array


def log_frequency_embedding(weights: Array) -> Array:
    """The critic sees the log-frequencies of the agents' states (a log-linear mean-field model):
    -inf wherever a state has no agent, so the critic is undefined for every N < |S| and, by
    chance, beyond."""
    return np.log(weights)


LOG_FREQUENCY_EMBEDDING = dataclasses.replace(MFPPO_DEFAULT, critic_embedding=log_frequency_embedding)
