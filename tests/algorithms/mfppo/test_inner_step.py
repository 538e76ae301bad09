"""One inner step of the MFPPO on a realisable instance: the measurements of Lemmas 4.1 and 4.2."""

from __future__ import annotations

import dataclasses

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.inner_step import (
    InnerStep,
    agent_sweep,
    fit,
    initialise,
    linearisation_term,
    sample_step_batch,
    step_error,
    with_agents,
)
from mfcheck.algorithms.mfppo.realisable import realisable_instance

INSTANCE = realisable_instance(np.random.default_rng(0))
SMALL = dataclasses.replace(MFPPO_DEFAULT, width=16, n_steps=64, n_agents=None, radius_critic=5.0, radius_actor=5.0)


def test_sampling_laws_are_distributions() -> None:
    for evaluation in (True, False):
        step = InnerStep(instance=INSTANCE, evaluation=evaluation)
        assert np.isclose(step.weights.sum(), 1.0)
        assert np.allclose(step.sample_policy.sum(axis=1), 1.0)
        batch = sample_step_batch(np.random.default_rng(1), step, 3, 10)
        assert batch.weights.shape == (3, 10, INSTANCE.problem.n_local)
        assert (batch.next_state is not None) == evaluation


def test_population_agents_give_no_n_term_and_runs_are_deterministic() -> None:
    step = InnerStep(instance=INSTANCE, evaluation=True)
    sweep = agent_sweep([SMALL, dataclasses.replace(SMALL, n_agents=4)], step, np.random.default_rng(2), 3)
    assert sweep.coupled.shape == (2, 3) and (sweep.coupled[0] == 0).all() and (sweep.coupled[1] > 0).all()
    assert np.array_equal(sweep.raw[0], sweep.population)
    again = agent_sweep([SMALL, dataclasses.replace(SMALL, n_agents=4)], step, np.random.default_rng(2), 3)
    assert np.array_equal(again.coupled, sweep.coupled)


def test_fit_runs_the_algorithms_part_and_reads_the_population() -> None:
    """fit() is the algorithm's own Alg 2 output read at every (x, ā): compare with a direct call."""
    step = InnerStep(instance=INSTANCE, evaluation=True)
    rng = np.random.default_rng(3)
    network = initialise(SMALL, step, rng, 2)
    batch = sample_step_batch(rng, step, 2, SMALL.n_steps)
    values = fit(SMALL, step, network, batch)
    direct = SMALL.policy_evaluation(network, SMALL.inner(5.0), batch, INSTANCE.problem.gamma, SMALL.critic_embedding)
    assert np.allclose(values, network.population(direct.output, INSTANCE.problem))
    agents = with_agents(np.random.default_rng(4), step, batch, 1)
    assert set(np.unique(agents.weights)) <= {0.0, 1.0}


def test_error_m_term_and_assumption1_have_one_value_per_run() -> None:
    for evaluation in (True, False):
        step = InnerStep(instance=INSTANCE, evaluation=evaluation)
        error, ratio = step_error(SMALL, step, np.random.default_rng(5), 4)
        coupled, raw, ratio2 = linearisation_term(SMALL, step, np.random.default_rng(5), 4)
        assert error.shape == ratio.shape == coupled.shape == raw.shape == (4,)
        assert (error > 0).all() and (coupled >= 0).all() and np.allclose(ratio, ratio2)
