"""Mutants of Algorithms 2-3: implementations that break the pseudo-code (reused by alg3_sgd)."""

from __future__ import annotations

import math
from dataclasses import replace

from mfcheck.algorithms.mfppo.projected_sgd import run_projected_sgd


def mutant_no_projection(network, config, **kw):
    """Skips the projection onto B(β0, R)."""
    return run_projected_sgd(network, replace(config, radius=math.inf), **kw)


def mutant_last_iterate(network, config, **kw):
    """Outputs β(T) instead of the ergodic average."""
    return run_projected_sgd(network, replace(config, averaging="last"), **kw)


def mutant_constant_step(network, config, **kw):
    """Uses η = 0.1 whatever T."""
    return run_projected_sgd(network, replace(config, step_size=0.1), **kw)
