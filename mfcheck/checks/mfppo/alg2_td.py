"""mfppo.alg2_td: Algorithm 2 (projected TD, η = T^-1/2, ergodic average) follows the pseudo-code.

Reference: MF-PPO Alg 2, eq (3.1), App E (E.5)-(E.6).
"""

from __future__ import annotations

from mfcheck.algorithms.mfppo.projected_sgd import run_projected_sgd
from mfcheck.checks.mfppo._conformance import CONFIGS, Implementation, check_projected_sgd
from mfcheck.judgement import Profile, Verdict

CLAIM_ID = "mfppo.alg2_td"
__all__ = ["CONFIGS", "check_alg2_td", "run"]


def check_alg2_td(implementation: Implementation = run_projected_sgd, *, profile_name: str = "quick",
                  seed: int = 0) -> Verdict:
    """Conformance of a TD implementation with Algorithm 2."""
    return check_projected_sgd(CLAIM_ID, implementation, evaluation=True,
                               config=CONFIGS[profile_name], seed=seed)


def run(profile: Profile) -> Verdict:
    return check_alg2_td(profile_name=profile.name, seed=profile.master_seed)
