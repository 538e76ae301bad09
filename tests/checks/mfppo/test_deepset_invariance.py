"""mfppo.deepset_invariance: the MFPPO's actor and critic are permutation invariant at every N."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from hypothesis import given

from mfcheck.algorithms.mfppo.agent_networks import actor_and_critic
from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
from mfcheck.algorithms.mfppo.networks_torch import DeepSet, TwoLayerDeepSet
from mfcheck.checks.mfppo import deepset_invariance
from mfcheck.claims import QUICK, run_claim
from mfcheck.testing.mutants.mfppo_deepset_invariance import LOG_FREQUENCY_EMBEDDING
from mfcheck.testing.strategies_deepset import AgentBatch, agent_batches

CLAIM_ID = deepset_invariance.CLAIM_ID
MFPPO_NETWORKS = actor_and_critic(dataclasses.replace(MFPPO_DEFAULT, width=16), np.random.default_rng(0),
                                  n_states=5, n_actions=3)
ENCODER = OneHotEncoder(5, 3)
#: the paper's torch architectures (Sec 3, Sec 4 in both normalisations)
PAPER_NETWORKS = {
    "mean": TwoLayerDeepSet(ENCODER, 48, generator=torch.Generator().manual_seed(0), pooling="mean"),
    "sqrt_sum": TwoLayerDeepSet(ENCODER, 48, generator=torch.Generator().manual_seed(1), pooling="sqrt_sum"),
    "deepset": DeepSet(ENCODER, generator=torch.Generator().manual_seed(2), phi_sizes=(32, 8)),
}


def test_quick_passes_with_numbers() -> None:
    verdict = run_claim(CLAIM_ID, QUICK)
    assert verdict.status == "pass", verdict.reasons
    deviations = [f.value for f in verdict.measured if f.name.startswith("max |F(κ(s))")]
    assert len(deviations) == 4 and max(deviations) < 1e-12
    assert [f.value for f in verdict.measured if f.name.startswith("N evaluated")] == ["9/9"] * 4


def test_rejects_log_frequency_embedding() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, algorithm=LOG_FREQUENCY_EMBEDDING)
    assert verdict.status == "fail"
    assert "critic at initialisation: not defined for N = 1 (output of shape (32,), finite: False)" in verdict.reasons
    evaluated = {f.name: f.value for f in verdict.measured if f.name.startswith("N evaluated")}
    assert evaluated["N evaluated (actor at initialisation)"] == "9/9"
    assert evaluated["N evaluated (critic at initialisation)"] == "3/9"  # N = 64, 257, 1000 occupy every state


@pytest.mark.parametrize("name", sorted(MFPPO_NETWORKS))
@given(batch=agent_batches(n_states=5, n_actions=3, max_agents=40))
def test_mfppo_networks_invariant_under_hypothesis_permutations(name: str, batch: AgentBatch) -> None:
    net = MFPPO_NETWORKS[name]
    base = net(batch.own, batch.others, batch.action)
    np.testing.assert_allclose(net(batch.own, batch.permuted_others(), batch.action), base, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", sorted(PAPER_NETWORKS))
@given(batch=agent_batches(n_states=5, n_actions=3, max_agents=40))
def test_paper_architectures_invariant_under_hypothesis_permutations(name: str, batch: AgentBatch) -> None:
    net = PAPER_NETWORKS[name]
    with torch.no_grad():
        base = net(torch.as_tensor(batch.own), torch.as_tensor(batch.others), torch.as_tensor(batch.action))
        moved = net(torch.as_tensor(batch.own), torch.as_tensor(batch.permuted_others()), torch.as_tensor(batch.action))
    np.testing.assert_allclose(moved.numpy(), base.numpy(), rtol=1e-12, atol=1e-12)
