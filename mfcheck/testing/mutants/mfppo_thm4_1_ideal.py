"""Mutants of mfppo.thm4_1_ideal: MF-PPO whose proximal update breaks the mirror-descent recursion."""

from __future__ import annotations

from dataclasses import replace

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.problem import Array


def target_against_q(critic: Array, actor: Array, tau: float, tau_next: float, proximity: float) -> Array:
    """F_{k+1} = τ_{k+1}(-Q/v_k + F_k/τ_k): π_{k+1} ∝ π_k exp(-Q/v_k) moves away from high Q."""
    return tau_next * (-critic / proximity + actor / tau)


UPDATE_AGAINST_Q = replace(MFPPO_DEFAULT, proximal_target=target_against_q)
