"""Mutants of mfppo.alg3_sgd: MF-PPO whose policy improvement (Algorithm 3) breaks the pseudo-code.

Each is ``replace(MFPPO_DEFAULT, policy_improvement=broken)``: the broken part runs projected SGD
on the actor regression with one ingredient of Alg 3 wrong.
"""

from __future__ import annotations

import math
from dataclasses import replace

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT, sgd_improvement
from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet
from mfcheck.algorithms.mfppo.problem import Array
from mfcheck.algorithms.mfppo.projected_sgd import ProjectedSGDConfig, ProjectedSGDHistory
from mfcheck.algorithms.mfppo.sampling import Batch


def sgd_without_projection(network: BatchedDeepSet, inner: ProjectedSGDConfig, batch: Batch,
                           target: Array) -> ProjectedSGDHistory:
    """Projected SGD without the projection onto B(α0, R_A)."""
    return sgd_improvement(network, replace(inner, radius=math.inf), batch, target)


def sgd_last_iterate(network: BatchedDeepSet, inner: ProjectedSGDConfig, batch: Batch,
                     target: Array) -> ProjectedSGDHistory:
    """Projected SGD that outputs α(T) instead of the ergodic mean."""
    return sgd_improvement(network, replace(inner, averaging="last"), batch, target)


def sgd_constant_step(network: BatchedDeepSet, inner: ProjectedSGDConfig, batch: Batch,
                      target: Array) -> ProjectedSGDHistory:
    """Projected SGD with η = 0.1 whatever T."""
    return sgd_improvement(network, replace(inner, step_size=0.1), batch, target)


NO_PROJECTION = replace(MFPPO_DEFAULT, policy_improvement=sgd_without_projection)
LAST_ITERATE = replace(MFPPO_DEFAULT, policy_improvement=sgd_last_iterate)
CONSTANT_STEP = replace(MFPPO_DEFAULT, policy_improvement=sgd_constant_step)
