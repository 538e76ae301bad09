"""mfppo.lemma4_2: the policy-improvement error ε'_{k+1} of the given MFPPO's Algorithm 3 decays as stated.

``ε'_{k+1} = E_{init, σ̃_k}(F_ᾱ(T) - τ_{k+1}(F_θ/v_k + F_α/τ_k))² = O(R² T^-1/2 + R^2.5 m^-1/4
+ R² N^-1/2 + R³ m^-1/2)``; the target is a pooled function ξ realisable by the network. The check
is Lemma 4.1's (grid, cells and judgement in :mod:`mfcheck.checks.mfppo.lemma4_1`) run on the
MFPPO's ``policy_improvement`` instead of its ``policy_evaluation``.
Reference: MF-PPO Lemma 4.2, Alg 3, Theorem E.1.
"""

from __future__ import annotations

from mfcheck.algorithms.mfppo.algorithm import MFPPO, MFPPO_DEFAULT
from mfcheck.checks.mfppo.lemma4_1 import SIZES, cells, judge_inner_step, measure_step
from mfcheck.judgement import QUICK, Cell, Profile, Record, Verdict

CLAIM_ID = "mfppo.lemma4_2"
DEFAULT_ALGORITHM = MFPPO_DEFAULT
__all__ = ["CLAIM_ID", "DEFAULT_ALGORITHM", "SIZES", "cells", "check", "measure"]


def measure(cell: Cell, algorithm: MFPPO, master_seed: int) -> Record:
    """One cell of Lemma 4.2: :func:`~mfcheck.checks.mfppo.lemma4_1.measure_step` of the MFPPO's
    ``policy_improvement``."""
    return measure_step(cell, algorithm, master_seed, evaluation=False)


def check(algorithm: MFPPO = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Lemma 4.2 on the given MFPPO's ``policy_improvement`` (Alg 3)."""
    return judge_inner_step(CLAIM_ID, algorithm, profile, evaluation=False, measure=measure)
