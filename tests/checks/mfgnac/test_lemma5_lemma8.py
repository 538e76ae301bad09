"""MFG-NAC Lemmas 5 and 8: σ^π recursions along runs of the given NAC (own oracle and TD + SGD),
judged from the iterates, with conformance to Algorithm 1's update."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pytest

from mfcheck.algorithms.nac import OracleOutput, advantage_from_critic, exact_actor
from mfcheck.algorithms.nac.algorithm import NAC_DEFAULT
from mfcheck.checks.mfgnac import lemma5_lemma8
from mfcheck.claims import QUICK, Verdict, run_claim
from mfcheck.testing.mutants.mfgnac_lemma5_lemma8 import (
    FROZEN_MEAN_FIELD,
    OVERSIZED_POLICY_STEP,
    UNDECAYED_POLICY_UPDATE,
)

CLAIM_ID = lemma5_lemma8.CLAIM_ID
OWN = ("sis (own oracle)", "lq (own oracle)", "control (own oracle)")
SAMPLED = ("sis (td_sgd oracle)", "control_small_steps (td_sgd oracle)", "control_2_features (td_sgd oracle)")


@pytest.fixture(scope="module")
def quick() -> Verdict:
    return run_claim(CLAIM_ID, QUICK)


def _cell(case: str, oracle: str):
    return next(c for c in lemma5_lemma8.cells(QUICK) if c["case"] == case and c["oracle"] == oracle)


def test_paper_nac_follows_algorithm_1_and_meets_both_recursions(quick: Verdict) -> None:
    assert quick.status == "pass" and quick.overridden == ()
    assert set(quick.evidence) == set(OWN + SAMPLED)
    for row in quick.evidence.values():
        assert row["conformance"]["theta"] < 1e-12 and row["conformance"]["mean_field"] < 1e-12
        assert row["conformance"]["recorded_policy"] < 1e-12
        assert row["violations"] == {"lemma5": [], "lemma8": [], "improvement": []}
        assert all(h["holds"] for h in row["hypotheses"])
        assert row["constants"]["C1"] >= 1.0 and row["constants"]["kappa"] > 0
    for label in OWN:  # exact oracle, one-hot features: every ε computed from q̂_t, ŵ_t is ~0
        eps = quick.evidence[label]["epsilon"]
        assert eps["critic"]["max"] < 1e-20 and eps["actor"]["max"] < 1e-20 and eps["approx"]["max"] < 1e-20
    # Lemma 5 is nearly tight on LQ (d0 = 0 along its symmetric run), loose on SIS
    assert quick.evidence["lq (own oracle)"]["min_slack"]["lemma5"] < 1e-9
    assert quick.evidence["sis (own oracle)"]["min_slack"]["lemma5"] > 0.1
    # σ contracts faster than the stated (1 - ηλ) (about (1 - ηλ)²) on the control game
    assert quick.evidence["control (own oracle)"]["sigma"]["ratio_median"] < 0.9 - 0.05


def test_sampled_runs_hold_with_realised_oracle_errors(quick: Verdict) -> None:
    rows = {label: quick.evidence[label] for label in SAMPLED}
    for row in rows.values():
        assert row["min_slack"]["lemma5"] >= 0 and row["min_slack"]["lemma8"] >= 0
        # the proof's chain L_t(ŵ_t) <= 4ε_approx + 2ε_actor + 6E(Â - A)² holds at every t, and
        # Lemma 8 with that smaller ε too
        assert row["min_slack"]["chain"] >= 0 and row["min_slack"]["lemma8_advantage_eps"] >= 0
        assert row["epsilon"]["total"]["min"] > 0 and row["lemma8_ratio_median"] < 0.1
    sis_row, control, features = rows.values()
    # realised errors, medians over the 200 iterates (QUICK seeds): 1.61 / 0.0037 (SIS),
    # 7.2 / 0.0099 (control), 264 / 0.41 / 0.0145 (2 random features)
    assert 0.5 < sis_row["epsilon"]["critic"]["median"] < 5 and 1e-3 < sis_row["epsilon"]["actor"]["median"] < 2e-2
    assert 3 < control["epsilon"]["critic"]["median"] < 30 and 3e-3 < control["epsilon"]["actor"]["median"] < 5e-2
    assert sis_row["epsilon"]["approx"]["max"] < 1e-20 and control["epsilon"]["approx"]["max"] < 1e-20
    assert 0.01 < features["epsilon"]["approx"]["median"] < 0.02  # 2 < S(|A|-1) = 3 features
    assert 100 < features["epsilon"]["critic"]["median"] < 500  # TD cannot represent q
    # SIS: the drift term alone covers the noise; with Theorem 1's small steps the oracle term is
    # needed: without it Lemma 8 fails at 36 and 200 of 200 steps
    assert sis_row["violations_without_oracle_term"] == 0
    assert control["violations_without_oracle_term"] > 20
    assert features["violations_without_oracle_term"] > 150


def test_rejects_oversized_policy_step() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, algorithm=OVERSIZED_POLICY_STEP)
    assert verdict.status == "not_applicable"
    assert {h.name for h in verdict.hypotheses if not h.holds} == {"0 < η_t λ < 1"}
    assert any("η_t λ in [15, 15]" in r for r in verdict.reasons)  # the variant's own η kept


@pytest.mark.slow
def test_rejects_undecayed_policy_update() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, algorithm=UNDECAYED_POLICY_UPDATE)
    assert verdict.status == "fail"
    assert sum("policy update" in r for r in verdict.reasons) == 6
    for row in verdict.evidence.values():
        assert row["conformance"]["theta"] > 1e-4  # ηλ‖θ_t‖ at the last step, 5e-4 to 0.1
    assert len(verdict.evidence["control (own oracle)"]["violations"]["lemma8"]) > 100  # 162 of 200


@pytest.mark.slow
def test_rejects_frozen_mean_field() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, algorithm=FROZEN_MEAN_FIELD)
    assert verdict.status == "fail"
    assert all(row["conformance"]["mean_field"] > 1e-6 for row in verdict.evidence.values())
    assert sum("mean-field update" in r for r in verdict.reasons) == 6


def test_undecayed_policy_update_breaks_lemma8_itself() -> None:
    # one cell of test_rejects_undecayed_policy_update: beyond conformance, σ_{t+1} exceeds
    # Lemma 8's bound at 162 of 200 steps of the control game (min slack -0.18)
    verdict = lemma5_lemma8.judge(lemma5_lemma8.measure(_cell("control", "own"), UNDECAYED_POLICY_UPDATE,
                                                        QUICK.master_seed))
    assert verdict.status == "fail"
    assert verdict.evidence["conformance"]["theta"] == pytest.approx(0.0995, abs=1e-3)
    assert len(verdict.evidence["violations"]["lemma8"]) > 100 and verdict.evidence["min_slack"]["lemma8"] < -0.1
    assert verdict.evidence["violations"]["lemma5"] == []  # Lemma 5 holds for any policy sequence


def test_frozen_mean_field_is_caught_by_conformance_only() -> None:
    # Lemma 5 and 8 hold for any μ sequence (d0, C1 are sups along the run): only the update's
    # conformance shows that μ never moved
    verdict = lemma5_lemma8.judge(lemma5_lemma8.measure(_cell("sis", "own"), FROZEN_MEAN_FIELD, QUICK.master_seed))
    assert verdict.status == "fail" and len(verdict.reasons) == 1
    assert verdict.evidence["conformance"]["mean_field"] > 1e-3
    assert verdict.evidence["violations"] == {"lemma5": [], "lemma8": [], "improvement": []}


@dataclass(frozen=True)
class BiasedCritic:
    """q̂ = q + 0.3 on action 0, then the exact actor given q̂: an oracle with ε_critic = 0.09."""

    radius: float = np.inf

    def __call__(self, context, features, rng) -> OracleOutput:
        q_hat = context.shifted_q.copy()
        q_hat[:, 0] += 0.3
        return OracleOutput(exact_actor(context, features, advantage_from_critic(context, q_hat)), q_hat)


def test_a_biased_critic_is_measured_not_trusted() -> None:
    # no oracle can break Lemma 8 when ε is computed from q̂_t and ŵ_t: the bias enters ε_critic
    # (0.3² = 0.09) and the oracle term covers its effect; without that term SIS fails at 6 steps
    variant = dataclasses.replace(NAC_DEFAULT, oracle=BiasedCritic())
    record = lemma5_lemma8.measure(_cell("sis", "own"), variant, QUICK.master_seed)
    assert lemma5_lemma8.judge(record).status == "pass"
    assert record["epsilon"]["critic"]["median"] == pytest.approx(0.09)
    assert record["violations_without_oracle_term"] > 0
