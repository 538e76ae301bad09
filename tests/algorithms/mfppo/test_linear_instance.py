"""The linear instance satisfies Assumption 1 for every policy; the generic one does not."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.algorithms.mfppo.class_twin import run_class_twin
from mfcheck.algorithms.mfppo.ideal import run_energy_form
from mfcheck.algorithms.mfppo.linear_instance import (
    empirical_distributions,
    linear_problem,
    linearity_residual,
    mean_field_dependent_problem,
)
from mfcheck.algorithms.mfppo.problem import optimal_policy, q_function


@given(st.integers(0, 2**32 - 1), st.integers(2, 3), st.integers(1, 3), st.integers(2, 3))
def test_q_is_linear_in_d_for_random_policies(seed: int, n_local: int, n_population: int, n_actions: int) -> None:
    rng = np.random.default_rng(seed)
    problem = linear_problem(rng, n_local=n_local, n_population=n_population, n_actions=n_actions)
    policy = rng.dirichlet(np.ones(n_actions), size=problem.n_joint)
    assert linearity_residual(problem, q_function(problem, policy)) < 1e-10
    assert linearity_residual(problem, problem.reward) < 1e-10


def test_class_twin_equals_exact_twin_on_the_linear_instance() -> None:
    problem = linear_problem(np.random.default_rng(3))
    exact = run_energy_form(problem, 6, 0.1, lambda pi: q_function(problem, pi))[0]
    np.testing.assert_allclose(run_class_twin(problem, 6, 0.1), exact, atol=1e-9)


def test_generic_instance_is_far_from_the_class() -> None:
    problem = mean_field_dependent_problem(np.random.default_rng(0))
    uniform = np.full((problem.n_joint, problem.n_actions), 1 / problem.n_actions)
    assert linearity_residual(problem, q_function(problem, uniform)) > 0.05
    assert linearity_residual(problem, q_function(problem, optimal_policy(problem))) > 0.05


def test_optimal_policy_depends_on_the_mean_field() -> None:
    problem = linear_problem(np.random.default_rng(1))
    best = optimal_policy(problem).argmax(1)
    assert any(len(set(best[problem.own == s])) > 1 for s in range(problem.n_local))


def test_empirical_distributions_and_bad_input() -> None:
    dists = empirical_distributions(2, 3)
    np.testing.assert_allclose(dists.sum(1), 1.0)
    assert dists.shape == (4, 2)
    with pytest.raises(ValueError, match="sizes"):
        linear_problem(np.random.default_rng(0), n_local=0)
    with pytest.raises(ValueError, match="entries"):
        linearity_residual(linear_problem(np.random.default_rng(0)), np.zeros(3))
