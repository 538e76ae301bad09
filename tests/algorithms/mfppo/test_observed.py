"""Observing an MF-PPO run changes nothing and records what the loop handed to its parts."""

from __future__ import annotations

import dataclasses

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.ideal import temperature_schedule
from mfcheck.algorithms.mfppo.observed import observe
from mfcheck.algorithms.mfppo.problem import random_problem


def test_observed_run_is_the_run_and_records_every_call() -> None:
    algorithm = dataclasses.replace(MFPPO_DEFAULT, n_iterations=3, v=0.3, n_steps=8, width=4, n_agents=3)
    problem = random_problem(np.random.default_rng(0))
    plain = algorithm.run(problem, np.random.default_rng(1), n_runs=2)
    observed, calls = observe(algorithm)
    seen = observed.run(problem, np.random.default_rng(1), n_runs=2)
    np.testing.assert_array_equal(plain.policies, seen.policies)
    assert len(calls.evaluations) == len(calls.targets) == len(calls.improvements) == 3
    taus, proximities = temperature_schedule(0.3, 3)
    for k, call in enumerate(calls.targets):
        assert (call["tau"], call["tau_next"], call["proximity"]) == (taus[k], taus[k + 1], proximities[k])
    assert calls.improvements[0]["target"].shape == (2, 8)
    observed.validate()
