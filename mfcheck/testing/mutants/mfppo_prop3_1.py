"""Mutants for mfppo.prop3_1: wrong counting formulas."""

from __future__ import annotations

import math


def mutant_ordered_over_factorial(n_states: int, n_agents: int) -> int:
    """S^N / N! (rounded): divides ordered tuples by N!, wrong whenever states repeat."""
    return round(n_states**n_agents / math.factorial(n_agents))


def mutant_power_as_tight(n_states: int, n_agents: int) -> int:
    """N^S: the paper's order taken as the count itself."""
    return n_agents**n_states
