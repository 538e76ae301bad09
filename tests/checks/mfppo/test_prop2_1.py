"""mfppo.prop2_1: Q*, an optimal policy, V^ν and Q^ν are permutation invariant on joint-space models."""

from __future__ import annotations

import numpy as np
from hypothesis import given

from mfcheck.checks.mfppo.prop2_1 import CONFIGS, check_prop2_1, instances, run
from mfcheck.claims import QUICK
from mfcheck.models.n_agent import NAgentMDP
from mfcheck.testing.mutants.mfppo_prop2_1 import mutant_identity_reward
from mfcheck.testing.strategies_n_agent import n_agent_mdps


def test_quick_profile_passes_with_round_off_residuals() -> None:
    verdict = run(QUICK)
    assert verdict.status == "pass", verdict.reasons
    records = verdict.evidence["instances"]
    assert len(records) == 8 and max(r["n_agents"] for r in records) == 5
    for record in records:
        for key in ("q_star_residual", "greedy_residual", "greedy_optimality_gap",
                    "policy_value_residual", "policy_q_residual", "eq2_1_reward_residual"):
            assert record[key] <= 1e-12, (record["name"], key, record[key])
        assert record["bellman_residual"] <= 1e-10
        assert record["n_permutations"] == np.prod(np.arange(1, record["n_agents"] + 1))


def test_run_is_deterministic() -> None:
    assert run(QUICK).evidence == run(QUICK).evidence


@given(n_agent_mdps(max_agents=4))
def test_generated_models_satisfy_prop2_1(mdp: NAgentMDP) -> None:
    verdict = check_prop2_1(mdp, rng=np.random.default_rng(0), n_policies=2)
    assert verdict.status == "pass", verdict.reasons
    assert verdict.measured[0].value <= 1e-12


def test_rejects_identity_reward() -> None:
    models = instances(CONFIGS["quick"], 0)
    verdict = check_prop2_1([mutant_identity_reward(m) for m in models[:3]], rng=np.random.default_rng(0))
    assert verdict.status == "fail"
    assert any("Q* is not permutation invariant" in reason for reason in verdict.reasons)
    records = verdict.evidence["instances"]
    assert all(r["q_star_residual"] > 1e-3 and r["eq2_1_reward_residual"] > 1e-3 for r in records)
    assert all(r["eq2_1_kernel_residual"] <= 1e-15 for r in records)  # only the reward is broken
