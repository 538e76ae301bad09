"""Mutant of MF-PPO whose critic ignores the mean field (mfppo.n_free_sample_complexity).

``MEAN_FIELD_BLIND_CRITIC`` is ``dataclasses.replace(MFPPO_DEFAULT, critic_embedding=...)``.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.problem import Array


def uniform_embedding(weights: Array) -> Array:
    """The critic sees the uniform distribution over states whatever the agents are: it ignores
    the mean field (N and d never reach Alg 2)."""
    return np.full_like(weights, 1.0 / weights.shape[-1])


MEAN_FIELD_BLIND_CRITIC = dataclasses.replace(MFPPO_DEFAULT, critic_embedding=uniform_embedding)
