"""Mutants for mfgnac.alg3_sgd: step sizes that do not scale as 1/√K, or no averaging."""

from __future__ import annotations

from mfcheck.algorithms.nac import SGDConfig


def mutant_step_one_over_k():
    """Step R/(ρK) instead of R/(ρ√K): the iterates travel a total distance R/ρ whatever K is,
    so the bias never vanishes and the excess loss plateaus (exponent about 0)."""

    def make(n_steps: int, radius: float, rho: float) -> SGDConfig:
        return SGDConfig(n_steps=n_steps, radius=radius, step=radius / (rho * n_steps))

    return make


def mutant_last_iterate():
    """Step R/(ρ√K) but the last iterate returned. On non-realizable instances (gradient noise
    at the optimum) the last iterate stalls near the α σ² noise level (measured exponent about
    -0.16 on K = 2^8..2^13); on realizable ones it still decays (about 1/K), so it is a
    violating mutant only where ε_approx > 0."""

    def make(n_steps: int, radius: float, rho: float) -> SGDConfig:
        return SGDConfig(n_steps=n_steps, radius=radius, average=False)

    return make
