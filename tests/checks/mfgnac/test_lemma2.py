"""mfgnac.lemma2: ‖θ_t‖ <= R/λ and p_min >= exp(-2R/λ)/|A| along runs and generated ŵ sequences."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.algorithms.nac import one_hot_features
from mfcheck.checks.mfgnac.lemma2 import check_lemma2, replay_parameters, run
from mfcheck.claims import QUICK
from mfcheck.testing.mutants.mfgnac_lemma2 import mutant_unprojected_w
from mfcheck.testing.strategies_nac import log_linear_features, w_sequences


def test_quick_profile_passes_with_numbers() -> None:
    verdict = run(QUICK)
    assert verdict.status == "pass", verdict.reasons
    for ev in verdict.evidence["runs"]:
        assert ev["theta_norms_max"] <= ev["bound"]
        assert ev["p_min"] >= ev["p_floor"]
        assert ev["w_norm_max"] <= 2.0 + 1e-12


def test_replay_matches_closed_form_for_constant_w() -> None:
    # θ_t = (1 - (1-ηλ)^t) w/λ for a constant ŵ = w
    w = np.array([[1.0, 0.0]] * 10)
    eta, lam = 0.5, 1.0
    thetas = replay_parameters(w, np.full(10, eta), lam)
    expected = (1 - (1 - eta * lam) ** np.arange(11))[:, None] * np.array([1.0, 0.0]) / lam
    np.testing.assert_allclose(thetas, expected, atol=1e-14)


@given(data=st.data(), radius=st.floats(0.1, 5.0))
def test_generated_sequences_satisfy_lemma2(data, radius) -> None:
    features = data.draw(log_linear_features())
    w_hats, etas, lam = data.draw(w_sequences(dim=features.dim, radius=radius))
    verdict = check_lemma2(w_hats, etas, lam, radius, features)
    assert verdict.status == "pass", verdict.reasons
    assert verdict.evidence["theta_norms_max"] <= radius / lam * (1 + 1e-10)


def test_rejects_unprojected_w() -> None:
    features = one_hot_features(2, 3)
    radius, lam = 1.0, 0.5
    w_hats = mutant_unprojected_w(features.dim, radius, 200)
    verdict = check_lemma2(w_hats, np.full(200, 1.0), lam, radius, features)
    assert verdict.status == "fail"
    assert verdict.evidence["theta_norms_max"] > radius / lam
    assert any("R/λ" in r for r in verdict.reasons)


def test_step_outside_hypothesis_is_not_applicable() -> None:
    features = one_hot_features(2, 2)
    verdict = check_lemma2(np.zeros((3, 4)), np.full(3, 3.0), 0.5, 1.0, features)
    assert verdict.status == "not_applicable"
