"""Mutants of mfppo.alg2_td: MF-PPO whose policy evaluation (Algorithm 2) breaks the pseudo-code.

Each is ``replace(MFPPO_DEFAULT, policy_evaluation=broken)``: the broken part runs projected TD
with one ingredient of Alg 2 wrong.
"""

from __future__ import annotations

import math
from dataclasses import replace

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT, Embedding, td_evaluation
from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet
from mfcheck.algorithms.mfppo.projected_sgd import ProjectedSGDConfig, ProjectedSGDHistory
from mfcheck.algorithms.mfppo.sampling import Batch


def td_without_projection(network: BatchedDeepSet, inner: ProjectedSGDConfig, batch: Batch, gamma: float,
                          embed: Embedding) -> ProjectedSGDHistory:
    """Projected TD without the projection onto B(θ0, R_Q)."""
    return td_evaluation(network, replace(inner, radius=math.inf), batch, gamma, embed)


def td_last_iterate(network: BatchedDeepSet, inner: ProjectedSGDConfig, batch: Batch, gamma: float,
                    embed: Embedding) -> ProjectedSGDHistory:
    """Projected TD that outputs θ(T) instead of the ergodic mean."""
    return td_evaluation(network, replace(inner, averaging="last"), batch, gamma, embed)


def td_constant_step(network: BatchedDeepSet, inner: ProjectedSGDConfig, batch: Batch, gamma: float,
                     embed: Embedding) -> ProjectedSGDHistory:
    """Projected TD with η = 0.1 whatever T."""
    return td_evaluation(network, replace(inner, step_size=0.1), batch, gamma, embed)


NO_PROJECTION = replace(MFPPO_DEFAULT, policy_evaluation=td_without_projection)
LAST_ITERATE = replace(MFPPO_DEFAULT, policy_evaluation=td_last_iterate)
CONSTANT_STEP = replace(MFPPO_DEFAULT, policy_evaluation=td_constant_step)
