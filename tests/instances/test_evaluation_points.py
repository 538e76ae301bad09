"""Evaluation points of the oracles: θ ~ N(0, s² I), μ ~ Dirichlet(1), validated."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.instances import sis
from mfcheck.instances.evaluation_points import EvaluationPoint, random_evaluation_point


def test_draws_are_reproducible_and_well_formed() -> None:
    game = sis()
    a = random_evaluation_point(np.random.default_rng(3), game, 4, label="sis")
    b = random_evaluation_point(np.random.default_rng(3), game, 4, label="sis")
    np.testing.assert_array_equal(a.theta, b.theta)
    np.testing.assert_array_equal(a.mean_field, b.mean_field)
    assert a.theta.shape == (4,) and np.isclose(a.mean_field.sum(), 1.0) and (a.mean_field >= 0).all()


def test_theta_scale() -> None:
    thetas = np.array([random_evaluation_point(np.random.default_rng(i), sis(), 50, label="x", theta_scale=0.5).theta
                       for i in range(40)])
    assert 0.45 < thetas.std() < 0.55


def test_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="mean field"):
        EvaluationPoint("bad", sis(), np.zeros(4), np.array([0.7, 0.7]))
    with pytest.raises(ValueError, match="dim"):
        random_evaluation_point(np.random.default_rng(0), sis(), 0, label="x")
