"""mfppo.deepset_invariance: permutation invariance at every N, on the paper's architectures."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given

from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
from mfcheck.algorithms.mfppo.networks_torch import DeepSet, TwoLayerDeepSet
from mfcheck.checks.mfppo import deepset_invariance as check
from mfcheck.claims import QUICK
from mfcheck.testing.mutants.mfppo_deepset_invariance import mutant_concat_deepset
from mfcheck.testing.strategies_deepset import AgentBatch, agent_batches

ENCODER = OneHotEncoder(5, 3)
NETWORKS = {
    "mean": TwoLayerDeepSet(ENCODER, 48, generator=torch.Generator().manual_seed(0), pooling="mean"),
    "sqrt_sum": TwoLayerDeepSet(ENCODER, 48, generator=torch.Generator().manual_seed(1), pooling="sqrt_sum"),
    "deepset": DeepSet(ENCODER, generator=torch.Generator().manual_seed(2), phi_sizes=(32, 8)),
}
SMALL = check.Config(agent_counts=(1, 2, 5, 40), batch=8, n_permutations=3, width=16)


def test_run_passes_with_numbers() -> None:
    verdict = check.run(QUICK)
    assert verdict.status == "pass", verdict.reasons
    deviations = [f.value for f in verdict.measured if f.name.startswith("max |F(κ(s))")]
    assert len(deviations) == 4 and max(deviations) < 1e-12
    evaluated = [f.value for f in verdict.measured if f.name.startswith("N evaluated")]
    assert evaluated == ["9/9"] * 4
    gaps = [f.value for f in verdict.measured if f.name.startswith("max |F(s, s) - F(s, d̂_s)|")]
    assert len(gaps) == 2 and max(gaps) < 1e-12


@pytest.mark.parametrize("name", sorted(NETWORKS))
@given(batch=agent_batches(n_states=5, n_actions=3, max_agents=40))
def test_invariant_under_hypothesis_permutations(name: str, batch: AgentBatch) -> None:
    net = NETWORKS[name]
    with torch.no_grad():
        base = net(torch.as_tensor(batch.own), torch.as_tensor(batch.others), torch.as_tensor(batch.action))
        moved = net(torch.as_tensor(batch.own), torch.as_tensor(batch.permuted_others()),
                    torch.as_tensor(batch.action))
    np.testing.assert_allclose(moved.numpy(), base.numpy(), rtol=1e-12, atol=1e-12)


def test_rejects_concat_deepset() -> None:
    mutant = mutant_concat_deepset(ENCODER, 5, torch.Generator().manual_seed(3))
    verdict = check.check_deepset_invariance({"concat": mutant}, config=SMALL,
                                             rng=np.random.default_rng(0))
    assert verdict.status == "fail"
    assert any("a permutation of the N = 5 agents changes the output" in r for r in verdict.reasons)
    assert any("not defined for N = 40" in r for r in verdict.reasons)


def test_same_seed_same_verdict() -> None:
    networks = {"mean": NETWORKS["mean"]}
    one = check.check_deepset_invariance(networks, config=SMALL, rng=np.random.default_rng(9))
    two = check.check_deepset_invariance(networks, config=SMALL, rng=np.random.default_rng(9))
    assert one.to_dict() == two.to_dict()
