"""Mutants for MFG-NAC Lemma 7 (checker: :mod:`mfcheck.checks.mfgnac.lemma7`): runs with exact
oracles (``mutant_wrong_sign_run``) and with sampled ones (``check_sampled_case``'s signature)."""

from __future__ import annotations

import dataclasses

import numpy as np

from mfcheck.algorithms.nac import Features, NACTrajectory, Oracle
from mfcheck.checks.mfgnac._along_run import SampledRun, run_exact_nac, run_sampled_nac
from mfcheck.models import MeanFieldGame
from mfcheck.solvers import boltzmann_best_response


def mutant_wrong_sign_run(
    game: MeanFieldGame, *, n_iterations: int, policy_step: float, mean_field_step: float
) -> NACTrajectory:
    """A run whose mean-field update has the wrong sign, μ_{t+1} = (1+β)μ_t - βΓ2(π_t, μ_t)
    (clipped to the simplex), while the trajectory still records β: μ moves away from μ*, so
    ‖μ_{t+1} - μ*‖ exceeds (1 - βd̄)‖μ_t - μ*‖ + d2 C2 β sqrt(σ_t) once σ_t is small."""
    trajectory = run_exact_nac(
        game, n_iterations=n_iterations, policy_step=policy_step, mean_field_step=-mean_field_step
    )
    return dataclasses.replace(trajectory, mean_field_steps=-trajectory.mean_field_steps)


def mutant_oracle_noise_unrecorded(
    game: MeanFieldGame, *, features: Features, n_iterations: int, policy_step: float,
    mean_field_step: float, oracle: Oracle, rng: np.random.Generator,
) -> SampledRun:
    """A TD + SGD run that records π*_t = Γ1^λ(μ_t) as its policy, as if its oracles were exact:
    σ^π_t = 0, the only channel through which the oracle error enters Lemma 7, while μ_t was
    driven by the noisy π_t. Near the noise floor (‖μ_t - μ*‖ ≈ 0.01) Γ2(π_t, μ_t) pushes μ away
    from μ* at some steps, beyond (1 - βd̄)‖μ_t - μ*‖."""
    run = run_sampled_nac(game, features=features, n_iterations=n_iterations, policy_step=policy_step,
                          mean_field_step=mean_field_step, oracle=oracle, rng=rng)
    best = np.stack([boltzmann_best_response(game, mu) for mu in run.trajectory.mean_fields])
    return SampledRun(trajectory=dataclasses.replace(run.trajectory, policies=best), errors=run.errors,
                      features=run.features)
