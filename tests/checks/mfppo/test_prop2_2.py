"""mfppo.prop2_2: joint values are functions of (own state, counts of the others) and equal the lumped values."""

from __future__ import annotations

import numpy as np
from hypothesis import given

from mfcheck.checks.mfppo.prop2_2 import CONFIGS, check_prop2_2, instances, run
from mfcheck.claims import QUICK
from mfcheck.models.n_agent import NAgentMDP
from mfcheck.testing.mutants.mfppo_prop2_2 import (
    mutant_kernel_depends_on_agent_one,
    mutant_lumping_excludes_own_agent,
)
from mfcheck.testing.strategies_n_agent import n_agent_mdps

KEYS = ("class_spread_meta", "lumped_difference_meta", "class_spread_invariant", "lumped_difference_invariant")


def test_quick_profile_passes_with_agreement_to_1e_9() -> None:
    verdict = run(QUICK)
    assert verdict.status == "pass", verdict.reasons
    records = verdict.evidence["instances"]
    assert len(records) == 7
    for record in records:
        assert all(record[key] <= 1e-9 for key in KEYS), record
        assert record["n_classes"] == record["n_states"] * np.prod(
            [record["n_agents"] - 1 + k for k in range(1, record["n_states"])]
        ) // np.prod(np.arange(1, record["n_states"]))


def test_run_is_deterministic() -> None:
    assert run(QUICK).evidence == run(QUICK).evidence


@given(n_agent_mdps(min_agents=2, max_agents=4, max_joint_entries=20_000))
def test_generated_models_satisfy_prop2_2(mdp: NAgentMDP) -> None:
    verdict = check_prop2_2(mdp, rng=np.random.default_rng(1), n_policies=1)
    assert verdict.status == "pass", verdict.reasons
    assert all(verdict.evidence["instances"][0][key] <= 1e-9 for key in KEYS)


def test_rejects_kernel_depends_on_agent_one() -> None:
    models = [m for m in instances(CONFIGS["quick"], 0) if m.n_agents >= 3][:3]
    verdict = check_prop2_2([mutant_kernel_depends_on_agent_one(m) for m in models], rng=np.random.default_rng(0))
    assert verdict.status == "fail"
    for record in verdict.evidence["instances"]:
        assert record["class_spread_meta"] > 1e-3 and record["lumped_difference_meta"] > 1e-3


def test_rejects_lumping_excludes_own_agent() -> None:
    models = instances(CONFIGS["quick"], 0)[:3]
    verdict = check_prop2_2(models, rng=np.random.default_rng(0), lumped_builder=mutant_lumping_excludes_own_agent)
    assert verdict.status == "fail"
    for record in verdict.evidence["instances"]:
        assert record["class_spread_meta"] <= 1e-12  # the joint model is honest ...
        assert record["lumped_difference_meta"] > 1e-2  # ... the lumping is not
    assert any("differ from the finite mean-field MDP" in reason for reason in verdict.reasons)
