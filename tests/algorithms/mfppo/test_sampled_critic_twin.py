"""Algorithm 1 with the MFPPO's own sampled critic and the exact actor update."""

from __future__ import annotations

import dataclasses

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.ideal import run_energy_form
from mfcheck.algorithms.mfppo.problem import random_problem
from mfcheck.algorithms.mfppo.projected_sgd import ProjectedSGDHistory
from mfcheck.algorithms.mfppo.sampled_critic_twin import run_with_exact_actor

PROBLEM = random_problem(np.random.default_rng(0), n_local=2, n_population=2, n_actions=3, gamma=0.5)
SMALL = dataclasses.replace(MFPPO_DEFAULT, n_iterations=3, n_steps=16, width=8, n_agents=4, v=0.1)


def test_policies_are_distributions_and_deterministic() -> None:
    one = run_with_exact_actor(SMALL, PROBLEM, np.random.default_rng(1), n_runs=2)
    two = run_with_exact_actor(SMALL, PROBLEM, np.random.default_rng(1), n_runs=2)
    assert one.shape == (4, 2, PROBLEM.n_joint, PROBLEM.n_actions)
    assert np.allclose(one.sum(axis=-1), 1.0) and np.array_equal(one, two)
    assert np.allclose(one[0], 1 / 3)


def test_a_critic_frozen_at_a_zero_initialisation_equals_the_exact_twin_with_zero_q() -> None:
    """Symmetric initialisation (F_θ0 ≡ 0) and an evaluation that does not move: the critic is 0 and
    the run equals the energy-form loop with a zero critic (π_k uniform)."""
    def frozen(network, inner, batch, gamma, embed):
        return ProjectedSGDHistory(output=network.beta0, last=network.beta0, distances=np.zeros((1, 1)),
                                   step_size=0.0, radius=inner.radius, averaging=inner.averaging)

    algorithm = dataclasses.replace(SMALL, symmetric_init=True, policy_evaluation=frozen)
    policies = run_with_exact_actor(algorithm, PROBLEM, np.random.default_rng(2), n_runs=2)
    exact = run_energy_form(PROBLEM, 3, 0.1, lambda pi: np.zeros_like(pi))[0]
    assert np.allclose(policies, exact[:, None])
