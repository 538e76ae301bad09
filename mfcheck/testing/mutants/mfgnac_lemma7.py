"""Mutants for MFG-NAC Lemma 7 (checker: :mod:`mfcheck.checks.mfgnac.lemma7`)."""

from __future__ import annotations

import dataclasses

from mfcheck.algorithms.nac import NACTrajectory
from mfcheck.checks.mfgnac._along_run import run_exact_nac
from mfcheck.models import MeanFieldGame


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
