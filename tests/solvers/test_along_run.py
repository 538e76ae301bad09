"""Quantities along a run of Algorithm 1 from its iterates (mfcheck.solvers.along_run)."""

from __future__ import annotations

import dataclasses

import numpy as np

from mfcheck.algorithms.nac.algorithm import NAC_DEFAULT
from mfcheck.instances import contractive_game
from mfcheck.solvers import boltzmann_best_response
from mfcheck.solvers.along_run import (
    conformance_reasons,
    kl_rows,
    log_linear_policies,
    run_quantities,
    update_deviations,
)
from mfcheck.solvers.equilibrium_search import equilibrium_mean_fields


def _run(**changes):
    game = contractive_game(lam=1.0)
    algorithm = dataclasses.replace(NAC_DEFAULT, n_iterations=40, **changes)
    return game, algorithm, algorithm.run(game)


def test_a_run_of_the_paper_algorithm_follows_its_update() -> None:
    game, algorithm, traj = _run()
    phi = algorithm.features(game).phi
    policies = log_linear_policies(phi, traj.thetas)
    np.testing.assert_allclose(policies, traj.policies, atol=1e-14)
    dev = update_deviations(game, policies, traj.thetas, traj.mean_fields, traj.w_hats, [0.1] * 40, [0.05] * 40)
    summary = dev.summary()
    assert summary["theta"] < 1e-14 and summary["mean_field"] < 1e-14 and summary["initial"] == 0
    assert conformance_reasons(summary, 1e-9) == []


def test_deviations_show_a_step_other_than_the_schedules() -> None:
    game, algorithm, traj = _run()
    policies = log_linear_policies(algorithm.features(game).phi, traj.thetas)
    dev = update_deviations(game, policies, traj.thetas, traj.mean_fields, traj.w_hats, [0.1] * 40, [0.025] * 40)
    # μ moved with β = 0.05 while the schedule says 0.025: deviation 0.025 ‖Γ2(π_t, μ_t) - μ_t‖_1
    assert dev.summary()["mean_field"] > 1e-4 and dev.summary()["theta"] < 1e-14
    assert "mean-field update" in conformance_reasons(dev.summary(), 1e-9)[0]


def test_sigma_is_zero_at_the_best_response_and_constants_are_sups() -> None:
    game, _, traj = _run()
    mu_star = equilibrium_mean_fields(game)[0]
    best = np.stack([boltzmann_best_response(game, mu) for mu in traj.mean_fields])
    q = run_quantities(game, best, traj.mean_fields, traj.w_hats, mu_star)
    assert q.sigma.max() < 1e-12 and q.distance_star.max() < 1e-12
    own = run_quantities(game, traj.policies, traj.mean_fields, traj.w_hats, mu_star)
    assert own.sigma[0] > 0 and own.constants["C1"] >= 1 - 1e-9 and own.constants["C3"] >= 1 - 1e-9
    assert own.constants["R"] == np.linalg.norm(traj.w_hats, axis=1).max()
    assert own.constants["p_min"] == traj.policies.min()


def test_kl_rows() -> None:
    p, q = np.array([[0.5, 0.5], [1.0, 0.0]]), np.array([[0.25, 0.75], [0.5, 0.5]])
    expected = [0.5 * np.log(2) + 0.5 * np.log(2 / 3), np.log(2)]
    np.testing.assert_allclose(kl_rows(p, q), expected)
