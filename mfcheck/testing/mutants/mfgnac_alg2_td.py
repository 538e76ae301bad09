"""Mutants for mfgnac.alg2_td: mis-scheduled TD step sizes."""

from __future__ import annotations

from mfcheck.algorithms.nac import TDConfig


def mutant_constant_step_last_iterate(step: float = 0.5):
    """TD with a constant step (no 1/(k+1) decay) returning the last iterate.

    The iterate keeps fluctuating at a level O(step): the error plateaus (exponent ~ 0).
    """

    def make(n_steps: int, radius: float) -> TDConfig:
        return TDConfig(n_steps=n_steps, radius=radius, constant_step=step, average=False)

    return make


def mutant_constant_step_averaged(step: float = 0.5):
    """Constant step but averaged iterate: NOT a violation (averaged linear stochastic
    approximation with i.i.d. samples still converges at about 1/K); kept to document it."""

    def make(n_steps: int, radius: float) -> TDConfig:
        return TDConfig(n_steps=n_steps, radius=radius, constant_step=step, average=True)

    return make
