"""NAC with the TD + SGD oracle pair (mfcheck.algorithms.nac.sampled_run) and audited runs
(mfcheck.algorithms.nac.audited_run): sampled against exact, and the audit of the iterates."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mfcheck.algorithms.nac.algorithm import NAC_DEFAULT, Constant
from mfcheck.algorithms.nac.audited_run import (
    audited_run,
    case_steps,
    mean_field_step_hypothesis,
    policy_step_hypothesis,
)
from mfcheck.algorithms.nac.sampled_run import soft_q_bound, td_radius, td_sgd_oracle
from mfcheck.instances import contractive_game


def test_td_radius_covers_every_one_hot_critic() -> None:
    game = contractive_game(lam=1.0)
    assert soft_q_bound(game) == pytest.approx((1 + 0.9 * np.log(2)) / 0.1)
    assert td_radius(game) == pytest.approx(2 * np.sqrt(6) * soft_q_bound(game))
    oracle = td_sgd_oracle(game, n_steps=64)
    assert oracle.td.n_steps == oracle.sgd.n_steps == 64 and oracle.radius == 2.0


def test_sampled_run_approaches_the_exact_run() -> None:
    # sampled vs exact: the same NAC with the TD + SGD oracle stays near the exact-oracle run,
    # closer with larger K (mean over seeds of the last policy's distance)
    game = contractive_game(lam=1.0)
    exact = dataclasses.replace(NAC_DEFAULT, n_iterations=30).run(game)
    gaps = []
    for k_steps in (8, 256):
        sampled = dataclasses.replace(NAC_DEFAULT, n_iterations=30, oracle=td_sgd_oracle(game, n_steps=k_steps))
        runs = [sampled.run(game, rng=np.random.default_rng(s)) for s in range(3)]
        gaps.append(np.mean([np.abs(r.policies[-1] - exact.policies[-1]).max() for r in runs]))
        assert all(r.q_hats.shape == (30, 3, 2) for r in runs)
    assert gaps[1] < 0.5 * gaps[0] and gaps[1] < 0.1


def test_audit_of_the_paper_algorithm_and_of_a_broken_update() -> None:
    game = contractive_game(lam=1.0)
    run = audited_run(dataclasses.replace(NAC_DEFAULT, n_iterations=30), game, np.random.default_rng(0))
    assert run.conformance()["theta"] == 0 and run.conformance()["mean_field"] < 1e-14
    assert run.recorded_policy_gap < 1e-14 and (run.policy_steps == 0.1).all() and (run.mean_field_steps == 0.05).all()

    def double_step(theta, w_hat, eta, lam):
        return (1 - eta * lam) * theta + 2 * eta * w_hat

    # a variant's scales are part of its steps: a halved β_t conforms
    halved = audited_run(dataclasses.replace(NAC_DEFAULT, n_iterations=30, mean_field_step_scale=0.5), game,
                         np.random.default_rng(0))
    assert (halved.mean_field_steps == 0.025).all() and halved.conformance()["mean_field"] < 1e-14

    broken = dataclasses.replace(NAC_DEFAULT, n_iterations=30, policy_update=double_step)
    assert audited_run(broken, game, np.random.default_rng(0)).conformance()["theta"] > 1e-3


def test_case_steps_keep_a_variants_schedules() -> None:
    assert case_steps(NAC_DEFAULT, 0.05, 0.01) == {"policy_step": Constant(0.05), "mean_field_step": Constant(0.01)}
    assert case_steps(dataclasses.replace(NAC_DEFAULT, policy_step=Constant(0.2)), 0.05, 0.01) == {}


def test_step_hypotheses() -> None:
    assert policy_step_hypothesis(0.1, np.array([0.5, 5.0])).holds
    assert not policy_step_hypothesis(0.1, np.array([0.5, 15.0])).holds
    assert mean_field_step_hypothesis(np.array([0.0, 1.0])).holds
    assert not mean_field_step_hypothesis(np.array([-0.05])).holds
