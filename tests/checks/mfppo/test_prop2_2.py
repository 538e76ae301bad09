"""mfppo.prop2_2: joint values are invariant under permutations of the others and equal g, the
value of the finite mean-field MDP (or of the lumped chain); wrong statements are refuted with
counterexamples, one outside eq 2.1 is not applicable."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given

from mfcheck.checks.mfppo.prop2_2 import PAPER_STATEMENT, check, check_models
from mfcheck.claims import QUICK, run_claim
from mfcheck.instances.cooperative import cooperative_sis
from mfcheck.judgement import Verdict
from mfcheck.models.n_agent import NAgentMDP
from mfcheck.testing.mutants.mfppo_prop2_2 import (
    KERNEL_DEPENDS_ON_AGENT_ONE,
    LUMPING_EXCLUDES_OWN_AGENT,
    REPRESENTATIVE_PERMUTED,
    kernel_depends_on_agent_one,
)
from mfcheck.testing.strategies_n_agent import n_agent_mdps

CLAIM_ID = "mfppo.prop2_2"
KEYS = ("invariance_meta", "g_meta", "invariance_joint", "g_joint")


@pytest.fixture(scope="module")
def verdict() -> Verdict:
    return run_claim(CLAIM_ID, QUICK)


def test_quick_profile_passes_with_agreement_to_round_off(verdict: Verdict) -> None:
    assert verdict.status == "pass", verdict.reasons
    records = verdict.evidence["instances"]
    assert len(records) == 7
    for record in records:
        assert all(record[key]["residual"] <= 1e-12 for key in KEYS), record
        n, s = record["n_agents"], int(record["label"].split("|S|=")[1].split(",")[0])
        assert record["n_classes"] == s * math.comb(n - 1 + s - 1, s - 1)  # own state x others' counts
    # measured (master seed 20261121): worst relative difference 1.8e-15
    assert max(f.value for f in verdict.measured[:4]) <= 1e-14


def test_check_is_deterministic(verdict: Verdict) -> None:
    assert check(profile=QUICK, statement=PAPER_STATEMENT).evidence == verdict.evidence


@given(n_agent_mdps(min_agents=2, max_agents=4, max_joint_entries=20_000))
def test_generated_models_satisfy_prop2_2(mdp: NAgentMDP) -> None:
    verdict = check_models([mdp], rng=np.random.default_rng(1), n_policies=1)
    assert verdict.status == "pass", verdict.reasons
    assert all(verdict.evidence["instances"][0][key]["residual"] <= 1e-9 for key in KEYS)


def test_rejects_representative_permuted() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, statement=REPRESENTATIVE_PERMUTED)
    assert verdict.status == "fail"
    sis = verdict.evidence["instances"][0]
    # measured: swapping agent 0 with the others moves V by 0.26 on cooperative_sis N=4
    assert sis["invariance_meta"]["residual"] > 0.1 and 0 in sis["invariance_meta"]["permutation"][1:]
    assert all(r["g_meta"]["residual"] <= 1e-12 for r in verdict.evidence["instances"])  # g is still right
    assert any("V of a meta-action policy changes" in r and "κ=(" in r for r in verdict.reasons)


def test_rejects_lumping_excludes_own_agent() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, statement=LUMPING_EXCLUDES_OWN_AGENT)
    assert verdict.status == "fail"
    for record in verdict.evidence["instances"]:
        assert record["invariance_meta"]["residual"] <= 1e-12  # the joint values are a function of the class ...
        assert record["g_meta"]["residual"] > 1e-2  # ... but not this g (0.93 on cooperative_sis N=4)
    assert sum("differ from g" in reason for reason in verdict.reasons) == 7


def test_rejects_kernel_depends_on_agent_one() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, statement=KERNEL_DEPENDS_ON_AGENT_ONE)
    assert verdict.status == "not_applicable"
    assert len(verdict.hypotheses) == 7 and not any(h.holds for h in verdict.hypotheses)
    records = verdict.evidence["instances"]
    assert all(r["eq2_1"]["kernel"] > 0.1 and r["eq2_1"]["reward"] <= 1e-15 for r in records)
    # the conclusions do fail on these models: a hypothesis breaker, not a counterexample
    assert max(r["invariance_meta"]["residual"] for r in records) > 0.1


def test_models_breaking_eq2_1_are_screened_among_valid_ones() -> None:
    mdp = NAgentMDP(cooperative_sis(), 3)
    verdict = check_models([mdp, kernel_depends_on_agent_one(mdp)], rng=np.random.default_rng(2))
    assert verdict.status == "pass"
    assert [h.holds for h in verdict.hypotheses] == [True, False]
