"""Agent samplers for the phase-transition check (``agent_weights``' signature).

``mutant_population_sampler`` removes the statistical error (N = ∞ whatever N);
``persistent_bias_sampler`` is a positive control, not a mutant: an observation of the agents
inflated by a factor 1 + O(N^-1/2) that does not average out over the T steps, the error model the paper's
phase-transition remark describes, under which the checker must find a crossover.
"""

from __future__ import annotations

import numpy as np

from mfcheck.algorithms.mfppo.problem import Array


def mutant_population_sampler(rng: np.random.Generator, dist: Array, n_agents: int) -> Array:
    """The population d itself for every N: no statistical error, so no first phase."""
    del rng, n_agents
    return dist.copy()


def persistent_bias_sampler(rng: np.random.Generator, dist: Array, n_agents: int,
                            *, scale: float = 1.0) -> Array:
    """Empirical weights of N draws inflated by the factor 1 + scale N^-1/2 (agents over-counted):
    a bias of order N^-1/2 that does not average out over the T steps (a positive control)."""
    draws = rng.multinomial(int(n_agents), dist) / n_agents
    return (1.0 + scale / np.sqrt(n_agents)) * draws
