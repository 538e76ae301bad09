"""MFG-NAC Lemmas 5 and 8: σ^π recursions along exact-oracle and TD + SGD NAC runs."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.algorithms.nac import ExactOracle, one_hot_features
from mfcheck.checks.mfgnac import lemma5_lemma8
from mfcheck.checks.mfgnac._along_run import run_exact_nac, run_sampled_nac
from mfcheck.checks.mfgnac.lemma6 import contractive_game
from mfcheck.claims import QUICK, Verdict
from mfcheck.testing.mutants.mfgnac_lemma5_lemma8 import (
    mutant_critic_error_unrecorded,
    mutant_drift_ignored,
    mutant_oracle_errors_unrecorded,
)

CONTROL_SMALL_STEPS = "control (Thm 1 steps, T=1e6)"


@pytest.fixture(scope="module")
def quick() -> Verdict:
    return lemma5_lemma8.run(QUICK)


def test_quick_run_passes_with_constants(quick: Verdict) -> None:
    assert quick.status == "pass"
    runs = {r["game"]: r for r in quick.evidence["runs"]}
    for row in runs.values():
        assert row["epsilon_approx"] < 1e-20  # one-hot features: compatible approximation is exact
        assert row["violations"] == {"lemma5": 0, "lemma8": 0, "improvement": 0}
        assert row["constants"]["C1"] >= 1.0 and row["constants"]["kappa"] > 0
    # σ contracts faster than the stated (1 - ηλ) (about (1 - ηλ)²) on the control game
    assert runs["random_mfg"]["sigma_ratio_median"] < 0.9 - 0.05


def test_sampled_runs_hold_with_realised_oracle_errors(quick: Verdict) -> None:
    rows = {r["case"]: r for r in quick.evidence["sampled_runs"]}
    assert len(rows) == 3
    for row in rows.values():
        assert row["violations"] == {"lemma5": 0, "lemma8": 0, "improvement": 0}
        assert row["min_slack"]["lemma5"] >= 0 and row["min_slack"]["lemma8"] >= 0
        # the proof's chain L_t(ŵ_t) <= 4ε_approx + 2ε_actor + 6ε_critic (ε_critic as the
        # d^π×π advantage error) holds at every t, and Lemma 8 with that smaller ε too
        assert row["min_slack"]["chain"] >= 0 and row["min_slack"]["lemma8_advantage_eps"] >= 0
        assert row["epsilon"]["total"]["min"] > 0
        # the oracle term is most of Lemma 8's RHS, which is ~15-30x σ_{t+1} (median)
        assert row["oracle_share_median"] > 0.5 and row["lemma8_ratio_median"] < 0.1
    sis_row, control, features = (rows[k] for k in (
        "sis (App D steps)", CONTROL_SMALL_STEPS, "control, 2 random features (Thm 1 steps, T=1e6)"))
    # realised errors (QUICK seeds): medians over the 200 iterates, measured 1.63 / 0.0041 (SIS),
    # 10.2 / 0.0122 (control), 262 / 0.39 / 0.0145 (2 random features)
    assert 0.5 < sis_row["epsilon"]["critic"]["median"] < 5 and 1e-3 < sis_row["epsilon"]["actor"]["median"] < 2e-2
    assert 3 < control["epsilon"]["critic"]["median"] < 30 and 3e-3 < control["epsilon"]["actor"]["median"] < 5e-2
    assert sis_row["epsilon"]["approx"]["max"] < 1e-20 and control["epsilon"]["approx"]["max"] < 1e-20
    assert 0.01 < features["epsilon"]["approx"]["median"] < 0.02  # 2 < S(|A|-1) = 3 features
    assert 100 < features["epsilon"]["critic"]["median"] < 500  # TD cannot represent q
    # SIS: the drift term (κ ≈ 130, d0 ≈ 0.8) alone covers the noise; with Theorem 1's small
    # steps the oracle term is needed: without it Lemma 8 fails at 43 and 199 of 200 steps
    assert sis_row["violations_without_oracle_term"] == 0
    assert control["violations_without_oracle_term"] > 20
    assert features["violations_without_oracle_term"] > 150


def test_recording_oracle_has_an_exact_twin() -> None:
    game = contractive_game(lam=1.0)
    exact = run_exact_nac(game, n_iterations=20, policy_step=0.1, mean_field_step=0.05)
    recorded = run_sampled_nac(game, features=one_hot_features(3, 2), n_iterations=20, policy_step=0.1,
                               mean_field_step=0.05, oracle=ExactOracle(), rng=np.random.default_rng(0))
    np.testing.assert_allclose(recorded.trajectory.policies, exact.policies, rtol=0, atol=1e-14)
    errors = recorded.errors
    for values in (errors.critic, errors.actor, errors.approx, errors.advantage, errors.loss):
        assert values.shape == (20,) and values.max() < 1e-20


def test_rejects_drift_ignored() -> None:
    verdicts = [lemma5_lemma8.check_run(g, eta=eta, beta=beta, n_iterations=200, constants_map=mutant_drift_ignored)
                for g, eta, beta in lemma5_lemma8.cases()]
    assert any(v.status == "fail" for v in verdicts)
    assert any(r.startswith("lemma5") for v in verdicts for r in v.reasons)


def test_rejects_oracle_errors_unrecorded() -> None:
    (verdict,) = lemma5_lemma8.check_sampled_cases(
        QUICK, runner=mutant_oracle_errors_unrecorded, labels=[CONTROL_SMALL_STEPS])
    assert verdict.status == "fail"
    assert verdict.evidence["epsilon"]["total"]["max"] == 0
    assert verdict.evidence["violations"]["lemma8"] > 20  # 43 of 200
    assert any(r.startswith("lemma8") for r in verdict.reasons)


def test_rejects_critic_error_unrecorded() -> None:
    (verdict,) = lemma5_lemma8.check_sampled_cases(
        QUICK, runner=mutant_critic_error_unrecorded, labels=[CONTROL_SMALL_STEPS])
    assert verdict.status == "fail"
    eps = verdict.evidence["epsilon"]
    assert eps["critic"]["max"] == 0 and eps["actor"]["max"] < 1e-20  # exact actor given q̂
    assert eps["critic_stationary"]["median"] > 1  # while q̂ is noisy
    assert verdict.evidence["violations"]["lemma8"] >= 1  # 2 of 200 (QUICK seed)
