"""mfgnac.compatible_fa: score formula and 1-smoothness of log π_θ on the algorithm's features."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.algorithms.nac.algorithm import DLNAC_DEFAULT, NAC_DEFAULT
from mfcheck.algorithms.nac.log_linear import Features, random_features
from mfcheck.algorithms.nac.policy_class import LOG_LINEAR
from mfcheck.checks.mfgnac import compatible_fa
from mfcheck.claims import run_claim
from mfcheck.judgement import QUICK
from mfcheck.models import MeanFieldGame
from mfcheck.testing.mutants.mfgnac_compatible_fa import (
    SCORE_WITHOUT_BASELINE,
    TEMPERATURE_ONE_THIRD,
    UNNORMALISED_FEATURES,
)
from mfcheck.testing.strategies_nac import log_linear_features, parameters

CLAIM_ID = compatible_fa.CLAIM_ID


def random_unit_features(game: MeanFieldGame) -> Features:
    """A valid variant's features: d = 3 Gaussian projections of norm 1 (seeded by the game's size)."""
    return random_features(np.random.default_rng(game.n_states * 10 + game.n_actions), game.n_states,
                           game.n_actions, 3)


@pytest.fixture(scope="module")
def verdict():
    return run_claim(CLAIM_ID, QUICK)


def test_quick_profile_passes_with_numbers(verdict) -> None:
    assert verdict.status == "pass", verdict.reasons
    measured = {f.name: f.value for f in verdict.measured}
    assert measured["max |score - finite differences|"] < 1e-8
    assert measured["max |Hessian - finite differences|"] < 1e-5
    # one-hot features with two actions at θ = 0: Cov[φ] has eigenvalue 1/2, the largest one-hot can reach
    assert measured["max ‖∇²_θ log π_θ‖_2"] == pytest.approx(0.5, abs=1e-6)
    assert [h.measured for h in verdict.hypotheses] == [1.0, 1.0, 1.0]


def test_judges_dl_nac_and_a_variant_with_random_features() -> None:
    assert run_claim(CLAIM_ID, QUICK, algorithm=DLNAC_DEFAULT).status == "pass"
    variant = dataclasses.replace(NAC_DEFAULT, features=random_unit_features)
    verdict = run_claim(CLAIM_ID, QUICK, algorithm=variant)
    assert verdict.status == "pass", verdict.reasons
    assert 0.1 < verdict.measured[1].value <= 1.0


@given(data=st.data())
def test_generated_features_and_parameters(data) -> None:
    features = data.draw(log_linear_features())
    theta = data.draw(parameters(dim=features.dim))
    result = compatible_fa.judge_features(features, theta[None, :], LOG_LINEAR)
    assert result["score_error"] < 1e-6
    assert result["hessian_norm"] <= features.max_norm**2 + 1e-6


def test_rejects_score_without_baseline() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, statement=SCORE_WITHOUT_BASELINE)
    assert verdict.status == "fail"
    assert verdict.measured[0].value > 0.1
    assert any("stated score" in r for r in verdict.reasons)


def test_rejects_unnormalised_features() -> None:
    """‖φ‖ = 3 breaks the hypothesis, not the conclusion: not applicable, named and measured."""
    verdict = run_claim(CLAIM_ID, QUICK, algorithm=UNNORMALISED_FEATURES)
    assert verdict.status == "not_applicable"
    violated = [h for h in verdict.hypotheses if not h.holds]
    assert violated and violated[0].name == "‖φ(s,a)‖ <= 1"
    assert violated[0].measured == pytest.approx(3.0)


def test_rejects_temperature_one_third() -> None:
    """The replacement that keeps ‖φ‖ <= 1: π ∝ exp(3θᵀφ) has Hessian -9 Cov[φ], norm 4.5 here."""
    verdict = run_claim(CLAIM_ID, QUICK, statement=TEMPERATURE_ONE_THIRD)
    assert verdict.status == "fail"
    assert all(h.holds for h in verdict.hypotheses)
    assert verdict.measured[1].value == pytest.approx(4.5, abs=1e-5)
    assert any("not 1-smooth" in r for r in verdict.reasons)
