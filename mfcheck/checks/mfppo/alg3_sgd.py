"""mfppo.alg3_sgd: the given MF-PPO's policy improvement follows Algorithm 3 (projected SGD on the
actor regression, η = T^-1/2, projection onto B(α0, R), ergodic average), judged from its iterates.

Reference: MF-PPO Alg 3, eq (3.2), App E (E.5)-(E.6).
"""

from __future__ import annotations

from mfcheck.algorithms.mfppo.algorithm import MFPPO, MFPPO_DEFAULT
from mfcheck.checks.mfppo.alg2_td import audit, check_part
from mfcheck.judgement import QUICK, Cell, Profile, Record, Verdict

CLAIM_ID = "mfppo.alg3_sgd"
DEFAULT_ALGORITHM = MFPPO_DEFAULT


def measure(cell: Cell, algorithm: MFPPO, master_seed: int) -> Record:
    """One cell of Alg 3: :func:`~mfcheck.checks.mfppo.alg2_td.audit` of ``algorithm.policy_improvement``."""
    return audit(cell, algorithm, master_seed, evaluation=False)


def check(algorithm: MFPPO = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Run ``algorithm.policy_improvement`` with its iterates kept and judge them against Alg 3."""
    return check_part(CLAIM_ID, algorithm, profile, evaluation=False, measure=measure)
