"""The class twin (T, m, N -> ∞ limit of neural MF-PPO) against the exact twin and LSTD's equations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.algorithms.mfppo.algorithm import MFPPO, softmax
from mfcheck.algorithms.mfppo.class_twin import pooled_features, run_class_twin, td_fixed_point
from mfcheck.algorithms.mfppo.problem import (
    q_function,
    random_problem,
    stationary_distribution,
)

problems = st.builds(
    lambda seed, n_local, n_population, n_actions, gamma: random_problem(
        np.random.default_rng(seed), n_local=n_local, n_population=n_population,
        n_actions=n_actions, gamma=gamma),
    st.integers(0, 2**32 - 1), st.integers(2, 3), st.integers(1, 3), st.integers(2, 4),
    st.floats(0.1, 0.9),
)


@given(problems, st.integers(0, 2**32 - 1))
def test_td_fixed_point_solves_the_projected_bellman_equation(problem, seed) -> None:
    rng = np.random.default_rng(seed)
    policy = softmax(rng.standard_normal((problem.n_joint, problem.n_actions)), 1.0)
    q_class = td_fixed_point(problem, policy)
    value = (policy * q_class).sum(-1)
    bellman = (1 - problem.gamma) * problem.reward + problem.gamma * problem.transition @ value
    sigma = (stationary_distribution(problem, policy)[:, None] * policy).reshape(-1)
    phi = pooled_features(problem)
    residual = phi.T @ (sigma * (bellman - q_class).reshape(-1))
    assert np.abs(residual).max() < 1e-10


@given(problems.filter(lambda p: len(np.unique(p.dist, axis=0)) == p.n_local))
def test_equals_exact_twin_when_the_mean_field_takes_vertex_values(problem) -> None:
    # n_population = 1: d is a vertex, F(s, e_x, ā) = f(s, x, ā) is any function (realisable).
    exact = MFPPO(n_iterations=4, v=0.3).exact_twin(problem)[0]
    assert np.abs(run_class_twin(problem, 4, 0.3) - exact).max() < 1e-9


def test_differs_from_exact_twin_on_a_generic_instance() -> None:
    # Assumption 1 fails: Q^π is not linear in d, the class limit keeps an approximation error.
    problem = random_problem(np.random.default_rng(3), n_local=3, n_population=3, n_actions=3,
                             gamma=0.7)
    uniform = np.full((problem.n_joint, problem.n_actions), 1 / 3)
    gap = np.abs(td_fixed_point(problem, uniform) - q_function(problem, uniform)).max()
    assert gap > 0.05
    assert np.abs(run_class_twin(problem, 4, 0.3) - MFPPO(n_iterations=4, v=0.3).exact_twin(problem)[0]).max() > 0.1


def test_rejects_a_policy_of_the_wrong_shape() -> None:
    problem = random_problem(np.random.default_rng(0))
    with pytest.raises(ValueError, match="policy shape"):
        td_fixed_point(problem, np.full((problem.n_joint, problem.n_actions + 1), 0.2))
