"""Mutants for mfgnac.thm1: a mean field that never moves."""

from __future__ import annotations

from mfcheck.algorithms.nac import NACConfig


def mutant_frozen_mean_field(lam: float):
    """Theorem 1's η = T^{-2/5}/λ but β = 0: μ_t = μ_0 for ever, so ‖μ* - avg μ_t‖₁ = ‖μ* - μ_0‖₁
    and the policy converges to Γ1^λ(μ_0) ≠ π*: the error does not decay in T."""

    def make(n_iterations: int) -> NACConfig:
        return NACConfig(n_iterations=n_iterations, policy_step=n_iterations**-0.4 / lam, mean_field_step=0.0)

    return make
