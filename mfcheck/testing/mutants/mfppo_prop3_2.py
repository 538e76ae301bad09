"""Mutants of mfppo.prop3_2: MF-PPO whose proximal update (Prop 3.2's energy form) is wrong."""

from __future__ import annotations

from dataclasses import replace

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.problem import Array


def target_times_v(critic: Array, actor: Array, tau: float, tau_next: float, proximity: float) -> Array:
    """F_{k+1} = τ_{k+1}(Q·v_k + F_k/τ_k): the proximity weight multiplies Q instead of dividing it."""
    return tau_next * (critic * proximity + actor / tau)


def target_half_temperature(critic: Array, actor: Array, tau: float, tau_next: float,
                            proximity: float) -> Array:
    """F_{k+1} = τ_{k+1}(Q/(2v_k) + F_k/τ_k): π_{k+1} ∝ π_k exp(Q/(2v_k))."""
    return tau_next * (critic / (2 * proximity) + actor / tau)


TEMPERATURE_TIMES_V = replace(MFPPO_DEFAULT, proximal_target=target_times_v)
HALF_TEMPERATURE = replace(MFPPO_DEFAULT, proximal_target=target_half_temperature)
