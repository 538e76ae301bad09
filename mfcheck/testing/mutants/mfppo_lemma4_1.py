"""Mutants of MF-PPO's Algorithm 2 (``policy_evaluation``) for mfppo.lemma4_1.

Each is ``dataclasses.replace(MFPPO_DEFAULT, policy_evaluation=<broken part>)``: one part broken.
"""

from __future__ import annotations

import dataclasses
import zlib

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT, Embedding, td_evaluation
from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet
from mfcheck.algorithms.mfppo.projected_sgd import ProjectedSGDConfig, ProjectedSGDHistory
from mfcheck.algorithms.mfppo.sampling import Batch

#: the number of agents the broken parts keep, whatever N they are given
KEPT_AGENTS = 1


def resample_agents(batch: Batch, n_agents: int = KEPT_AGENTS) -> Batch:
    """``batch`` with each sample's agents replaced by ``n_agents`` drawn from their empirical
    distribution (a generator keyed by the samples and their agents, so the part stays a pure
    function and its draws are its own)."""
    key = b"".join(np.ascontiguousarray(a).tobytes() for a in (batch.state, batch.weights))
    rng = np.random.default_rng(zlib.crc32(key))

    def draw(weights: np.ndarray) -> np.ndarray:
        probs = weights / weights.sum(axis=-1, keepdims=True)
        return rng.multinomial(n_agents, probs) / n_agents

    if batch.next_weights is None:
        return dataclasses.replace(batch, weights=draw(batch.weights))
    return dataclasses.replace(batch, weights=draw(batch.weights), next_weights=draw(batch.next_weights))


def evaluation_on_fixed_agents(network: BatchedDeepSet, inner: ProjectedSGDConfig, batch: Batch, gamma: float,
                               embed: Embedding) -> ProjectedSGDHistory:
    """Alg 2 trained on one agent drawn from the N it is given (a critic that looks at one
    neighbour): its N-dependence is broken, the statistical error stays that of one agent."""
    return td_evaluation(network, inner, resample_agents(batch), gamma, embed)


def evaluation_step_one_over_t(network: BatchedDeepSet, inner: ProjectedSGDConfig, batch: Batch, gamma: float,
                               embed: Embedding) -> ProjectedSGDHistory:
    """Alg 2 with η = 1/T instead of T^-1/2: the iterate moves O(1) in total whatever T."""
    return td_evaluation(network, dataclasses.replace(inner, step_size=1.0 / inner.n_steps), batch, gamma, embed)


FIXED_AGENT_SUBSAMPLE = dataclasses.replace(MFPPO_DEFAULT, policy_evaluation=evaluation_on_fixed_agents)
STEP_ONE_OVER_T = dataclasses.replace(MFPPO_DEFAULT, policy_evaluation=evaluation_step_one_over_t)
