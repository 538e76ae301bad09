"""mfgnac.lemma2: ‖θ_t‖ <= R/λ and p_min >= exp(-2R/λ)/|A| along runs of the given NAC."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.algorithms.nac.actor_critic import ActorCriticOracle, ExactCritic, SGDActor
from mfcheck.algorithms.nac.algorithm import NAC_DEFAULT, regularised_policy_update
from mfcheck.algorithms.nac.log_linear import log_linear_policy
from mfcheck.checks.mfgnac import lemma2
from mfcheck.claims import run_claim
from mfcheck.judgement import QUICK
from mfcheck.testing.mutants.mfgnac_lemma2 import DOUBLED_STEP, UNPROJECTED_W
from mfcheck.testing.strategies_nac import log_linear_features, w_sequences

CLAIM_ID = lemma2.CLAIM_ID


@pytest.fixture(scope="module")
def verdict():
    return run_claim(CLAIM_ID, QUICK)


def test_quick_profile_passes_with_numbers(verdict) -> None:
    assert verdict.status == "pass", verdict.reasons
    for label in lemma2.INSTANCES:
        ev = verdict.evidence[label]
        assert ev["theta_norm_max"] <= ev["bound"]
        # with the tightest admissible R = max ‖ŵ_t‖ the θ bound is nearly attained along the run
        assert 0.9 < ev["theta_norm_max"] / ev["bound"] < 1.0
        assert ev["p_min"] >= ev["p_floor"]
    assert verdict.overridden == ()


def test_a_sampled_actor_with_its_ball_passes() -> None:
    """A variant with Algorithm 3 (R = 2) as the actor: R is the declared ball, screened on the iterates."""
    variant = dataclasses.replace(NAC_DEFAULT, oracle=ActorCriticOracle(ExactCritic(), SGDActor(n_steps=64, radius=2.0,
                                                                                               batch_size=4)))
    result = run_claim(CLAIM_ID, QUICK, algorithm=variant)
    assert result.status == "pass", result.reasons
    assert {result.evidence[label]["radius"] for label in lemma2.INSTANCES} == {2.0}
    assert all(result.evidence[label]["w_norm_max"] <= 2.0 + 1e-12 for label in lemma2.INSTANCES)


def test_replay_matches_closed_form_for_constant_w() -> None:
    # the policy update part: θ_t = (1 - (1-ηλ)^t) w/λ for a constant ŵ = w
    eta, lam, w = 0.5, 1.0, np.array([1.0, 0.0])
    theta = np.zeros(2)
    for t in range(1, 11):
        theta = regularised_policy_update(theta, w, eta, lam)
        np.testing.assert_allclose(theta, (1 - (1 - eta * lam) ** t) * w / lam, atol=1e-14)


@given(data=st.data(), radius=st.floats(0.1, 5.0))
def test_generated_sequences_satisfy_lemma2(data, radius) -> None:
    """Lemma 2 for the paper's update on any ŵ sequence in the ball and any features of norm <= 1."""
    features = data.draw(log_linear_features())
    w_hats, etas, lam = data.draw(w_sequences(dim=features.dim, radius=radius))
    theta = np.zeros(features.dim)
    floor = np.exp(-2 * radius / lam) / features.n_actions
    for w, eta in zip(w_hats, etas):
        theta = regularised_policy_update(theta, w, eta, lam)
        assert np.linalg.norm(theta) <= radius / lam * (1 + 1e-10)
        assert log_linear_policy(features, theta).min() >= floor * (1 - 1e-10)


def test_rejects_unprojected_w() -> None:
    """ŵ outside the declared ball breaks the hypothesis, not the conclusion: not applicable."""
    result = run_claim(CLAIM_ID, QUICK, algorithm=UNPROJECTED_W)
    assert result.status == "not_applicable"
    violated = [h for h in result.hypotheses if not h.holds]
    assert len(violated) == 2 and all("‖ŵ_t‖ <= R" in h.name for h in violated)
    assert all(h.measured > 0.2 for h in violated)


def test_rejects_doubled_step() -> None:
    """θ <- (1-ηλ)θ + 2ηŵ keeps every hypothesis and drives ‖θ_t‖ to about 2R/λ."""
    result = run_claim(CLAIM_ID, QUICK, algorithm=DOUBLED_STEP)
    assert result.status == "fail"
    assert all(h.holds for h in result.hypotheses)
    for label in lemma2.INSTANCES:
        ev = result.evidence[label]
        assert ev["theta_norm_max"] / ev["bound"] > 1.5
    assert any("R/λ" in r for r in result.reasons)
