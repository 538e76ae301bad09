"""Mutants of mfppo.thm4_1_ideal: ideal MF-PPO updates that break the mirror-descent recursion."""

from __future__ import annotations

#: the update π_{k+1} ∝ π_k exp(-Q/v_k): moves against Q (pass as ``direction``)
AGAINST_Q = -1.0


def mutant_update_against_q() -> float:
    """The ``direction`` of an update that lowers the probability of high-Q meta-actions."""
    return AGAINST_Q
