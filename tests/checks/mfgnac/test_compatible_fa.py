"""mfgnac.compatible_fa: score formula and 1-smoothness of log π_θ for ‖φ‖ <= 1."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.checks.mfgnac.compatible_fa import check_compatible_fa, run
from mfcheck.claims import QUICK
from mfcheck.testing.mutants.mfgnac_compatible_fa import (
    mutant_score_without_baseline,
    mutant_unnormalised_features,
)
from mfcheck.testing.strategies_nac import log_linear_features, parameters


def test_quick_profile_passes_with_numbers() -> None:
    verdict = run(QUICK)
    assert verdict.status == "pass", verdict.reasons
    for ev in verdict.evidence.values():
        assert ev["score_error"] < 1e-6
        assert ev["hessian_norm"] <= 1.0
    # one-hot at θ = 0 with 3 actions: Cov has eigenvalue 1/3
    assert verdict.evidence["one_hot(3x3)"]["hessian_norm"] >= 1 / 3 - 1e-12


@given(data=st.data())
def test_generated_features_and_parameters(data) -> None:
    features = data.draw(log_linear_features())
    theta = data.draw(parameters(dim=features.dim))
    verdict = check_compatible_fa(features, theta[None, :])
    assert verdict.status == "pass", verdict.reasons
    assert verdict.evidence["hessian_norm"] <= features.max_norm**2 + 1e-12


def test_rejects_score_without_baseline() -> None:
    features = mutant_unnormalised_features(1.0)  # valid features, mean feature non-zero at θ ≠ 0
    theta = np.array([0.7, -0.2])
    verdict = check_compatible_fa(features, theta[None, :], score_fn=mutant_score_without_baseline)
    assert verdict.status == "fail"
    assert verdict.evidence["score_error"] > 0.1


def test_rejects_unnormalised_features() -> None:
    verdict = check_compatible_fa(mutant_unnormalised_features(3.0), np.zeros((1, 2)))
    assert verdict.status == "fail"
    assert verdict.evidence["hessian_norm"] == __import__("pytest").approx(9.0)
    assert any("not 1-smooth" in r for r in verdict.reasons)
