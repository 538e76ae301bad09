"""Mutants of mfppo.thm4_1_rate: MF-PPO whose proximal update forgets the previous policy."""

from __future__ import annotations

from dataclasses import replace

from mfcheck.algorithms.mfppo.algorithm import MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.problem import Array


def target_without_memory(critic: Array, actor: Array, tau: float, tau_next: float, proximity: float) -> Array:
    """F_{k+1} = τ_{k+1} Q/v_k: π_{k+1} ∝ exp(Q^{π_k}/v_k), the KL anchor π_k is dropped."""
    return tau_next * critic / proximity


FORGETS_PREVIOUS_POLICY = replace(MFPPO_DEFAULT, proximal_target=target_without_memory)
