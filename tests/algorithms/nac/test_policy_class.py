"""Policy classes: the log-linear class equals the package's formulas; tempered classes scale them."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.algorithms.nac.log_linear import (
    Features,
    log_policy,
    log_policy_hessian,
    score_function,
)
from mfcheck.algorithms.nac.policy_class import LOG_LINEAR, tempered
from mfcheck.testing.strategies_nac import log_linear_features, parameters


@given(data=st.data())
def test_log_linear_class_is_the_package_formulas(data) -> None:
    features = data.draw(log_linear_features())
    theta = data.draw(parameters(dim=features.dim))
    policy = np.exp(log_policy(features, theta))
    np.testing.assert_array_equal(LOG_LINEAR.log_policy(features, theta), log_policy(features, theta))
    np.testing.assert_array_equal(LOG_LINEAR.score(features, theta), score_function(features, policy))
    np.testing.assert_array_equal(LOG_LINEAR.hessian(features, theta), log_policy_hessian(features, policy))


@given(data=st.data(), temperature=st.floats(0.2, 5.0))
def test_tempered_class_is_log_linear_on_scaled_features(data, temperature) -> None:
    features = data.draw(log_linear_features())
    theta = data.draw(parameters(dim=features.dim, max_abs=3.0))
    scaled = Features(features.phi / temperature)
    cls = tempered(temperature)
    np.testing.assert_allclose(cls.log_policy(features, theta), log_policy(scaled, theta), atol=1e-12)
    # score = central difference of log π (first order in θ)
    h = 1e-6
    numeric = np.stack([(cls.log_policy(features, theta + h * e) - cls.log_policy(features, theta - h * e)) / (2 * h)
                        for e in np.eye(features.dim)], axis=-1)
    np.testing.assert_allclose(cls.score(features, theta), numeric, atol=1e-5)
    np.testing.assert_allclose(cls.hessian(features, theta),
                               log_policy_hessian(scaled, np.exp(log_policy(scaled, theta))), atol=1e-12)


def test_tempered_hessian_norm_is_one_over_tau_squared_at_the_extremal_features() -> None:
    """Two actions with φ = ±e (norm 1), θ = 0: ∇² log π = -Cov[φ]/τ² has norm 1/τ²."""
    phi = np.zeros((1, 2, 2))
    phi[0, 0, 0], phi[0, 1, 0] = 1.0, -1.0
    for temperature in (1.0, 1 / 3):
        hessian = tempered(temperature).hessian(Features(phi), np.zeros(2))
        assert np.isclose(np.linalg.norm(hessian[0], ord=2), 1 / temperature**2)
