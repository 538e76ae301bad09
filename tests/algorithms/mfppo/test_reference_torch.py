"""The torch reference step (networks_torch) equals one step of the batched numpy Alg 2/3."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet
from mfcheck.algorithms.mfppo.problem import random_problem, stationary_distribution
from mfcheck.algorithms.mfppo.projected_sgd import ProjectedSGDConfig, run_projected_sgd
from mfcheck.algorithms.mfppo.reference_torch import ReferenceNetwork, Sample
from mfcheck.algorithms.mfppo.sampling import sample_batch


@pytest.mark.parametrize(("evaluation", "radius"), [(True, 0.1), (False, 0.1), (True, 10.0)])
def test_reference_steps_equal_the_numpy_run(evaluation: bool, radius: float) -> None:
    rng = np.random.default_rng(4)
    problem = random_problem(rng, gamma=0.7)
    net = BatchedDeepSet.initialise(rng, n_runs=1, width=8, n_local=problem.n_local, n_actions=problem.n_actions)
    policy = np.full((1, problem.n_joint, problem.n_actions), 1 / problem.n_actions)
    batch = sample_batch(rng, problem, stationary_distribution(problem, policy), policy, 12, 5, with_next=evaluation)
    target = (1 - problem.gamma) * batch.reward if evaluation else rng.standard_normal(batch.reward.shape)
    discount = problem.gamma if evaluation else 0.0
    history = run_projected_sgd(net, ProjectedSGDConfig(n_steps=12, radius=radius, record_iterates=True),
                                own=batch.own, weights=batch.weights, action=batch.action, target=target,
                                discount=discount, next_own=batch.next_own, next_weights=batch.next_weights,
                                next_action=batch.next_action)
    reference = ReferenceNetwork(net.u[0], net.beta0[0], n_local=problem.n_local, n_actions=problem.n_actions,
                                 n_agents=5)
    for t in range(12):
        sample = Sample(own=int(batch.own[0, t]), weights=batch.weights[0, t], action=int(batch.action[0, t]),
                        target=float(target[0, t]), discount=discount,
                        next_own=int(batch.next_own[0, t]) if evaluation else 0,
                        next_weights=batch.next_weights[0, t] if evaluation else None,
                        next_action=int(batch.next_action[0, t]) if evaluation else 0)
        step = reference.step(history.iterates[0, t], sample, eta=12 ** -0.5, radius=radius)
        np.testing.assert_allclose(step, history.iterates[0, t + 1], atol=1e-12)


def test_agents_and_population_pooling_agree() -> None:
    """Counts of N agents expand to agents; other weights pool as Σ_x w_x f(s, x, ā): same value."""
    rng = np.random.default_rng(0)
    net = BatchedDeepSet.initialise(rng, n_runs=1, width=6, n_local=3, n_actions=2)
    beta = net.beta0[0] + 0.1 * rng.standard_normal(net.beta0[0].shape)
    weights = np.array([0.25, 0.5, 0.25])
    sample = Sample(own=1, weights=weights, action=0, target=0.3)
    by_agents = ReferenceNetwork(net.u[0], net.beta0[0], n_local=3, n_actions=2, n_agents=4).direction(beta, sample)
    pooled = ReferenceNetwork(net.u[0], net.beta0[0], n_local=3, n_actions=2, n_agents=None).direction(beta, sample)
    np.testing.assert_allclose(by_agents, pooled, atol=1e-12)
    value = net.forward(beta[None], np.array([1]), weights[None], np.array([0]))[0, 0]
    residual = pooled.ravel() @ pooled.ravel()
    assert residual > 0 and np.isfinite(value)


def test_td_step_without_next_weights_is_refused() -> None:
    net = BatchedDeepSet.initialise(np.random.default_rng(1), n_runs=1, width=4, n_local=2, n_actions=2)
    reference = ReferenceNetwork(net.u[0], net.beta0[0], n_local=2, n_actions=2, n_agents=2)
    with pytest.raises(ValueError, match="next_weights"):
        reference.direction(net.beta0[0], Sample(own=0, weights=np.array([0.5, 0.5]), action=1, target=0.0,
                                                 discount=0.5))
