"""Mutants of MF-PPO's Algorithm 3 (``policy_improvement``) for mfppo.lemma4_2 (as Lemma 4.1's).

Each is ``dataclasses.replace(MFPPO_DEFAULT, policy_improvement=<broken part>)``: one part broken.
"""

from __future__ import annotations

import dataclasses

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT, sgd_improvement
from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet
from mfcheck.algorithms.mfppo.problem import Array
from mfcheck.algorithms.mfppo.projected_sgd import ProjectedSGDConfig, ProjectedSGDHistory
from mfcheck.algorithms.mfppo.sampling import Batch
from mfcheck.testing.mutants.mfppo_lemma4_1 import resample_agents


def improvement_on_fixed_agents(network: BatchedDeepSet, inner: ProjectedSGDConfig, batch: Batch,
                                target: Array) -> ProjectedSGDHistory:
    """Alg 3 fitted on one agent drawn from the N it is given: its N-dependence is broken."""
    return sgd_improvement(network, inner, resample_agents(batch), target)


def improvement_step_one_over_t(network: BatchedDeepSet, inner: ProjectedSGDConfig, batch: Batch,
                                target: Array) -> ProjectedSGDHistory:
    """Alg 3 with η = 1/T instead of T^-1/2: the iterate moves O(1) in total whatever T."""
    return sgd_improvement(network, dataclasses.replace(inner, step_size=1.0 / inner.n_steps), batch, target)


FIXED_AGENT_SUBSAMPLE = dataclasses.replace(MFPPO_DEFAULT, policy_improvement=improvement_on_fixed_agents)
STEP_ONE_OVER_T = dataclasses.replace(MFPPO_DEFAULT, policy_improvement=improvement_step_one_over_t)
