"""Mutants of Algorithm 2 for the rate check of Lemma 4.1 (``run_projected_sgd``'s signature)."""

from __future__ import annotations

from dataclasses import replace

from mfcheck.algorithms.mfppo.projected_sgd import run_projected_sgd


def mutant_step_one_over_t(network, config, **kw):
    """η = 1/T instead of T^-1/2: the iterate moves a total distance O(1) whatever T, so the
    error stops decaying in T (a mis-scheduled step size)."""
    return run_projected_sgd(network, replace(config, step_size=1.0 / config.n_steps), **kw)


def mutant_constant_step_last_iterate(network, config, **kw):
    """η = 0.1 and the last iterate: the brief's suggested mutant; it does NOT violate at these
    sizes (η = 0.1 > T^-1/2 converges faster and the noise floor is not reached by T = 4096)."""
    return run_projected_sgd(network, replace(config, step_size=0.1, averaging="last"), **kw)
