"""mfppo.alg2_td: the given MF-PPO's policy evaluation follows Algorithm 2 (projected TD, η = T^-1/2,
projection onto B(θ0, R), ergodic average), judged from its iterates.

Reference: MF-PPO Alg 2, eq (3.1), App E (E.5)-(E.6).
"""

from __future__ import annotations

from mfcheck.algorithms.mfppo.algorithm import MFPPO, MFPPO_DEFAULT
from mfcheck.checks.mfppo._conformance import check_part
from mfcheck.judgement import QUICK, Profile, Verdict

CLAIM_ID = "mfppo.alg2_td"
DEFAULT_ALGORITHM = MFPPO_DEFAULT


def check(algorithm: MFPPO = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Run ``algorithm.policy_evaluation`` with its iterates kept and judge them against Alg 2."""
    return check_part(CLAIM_ID, algorithm, profile, evaluation=True)
