"""mfppo.alg3_sgd: Algorithm 3 (projected SGD on the actor regression) follows the pseudo-code.

Reference: MF-PPO Alg 3, eq (3.2), App E (E.5)-(E.6).
"""

from __future__ import annotations

from mfcheck.algorithms.mfppo.projected_sgd import run_projected_sgd
from mfcheck.checks.mfppo._conformance import CONFIGS, Implementation, check_projected_sgd
from mfcheck.judgement import Profile, Verdict

CLAIM_ID = "mfppo.alg3_sgd"
__all__ = ["CONFIGS", "check_alg3_sgd", "run"]


def check_alg3_sgd(implementation: Implementation = run_projected_sgd, *, profile_name: str = "quick",
                  seed: int = 0) -> Verdict:
    """Conformance of an SGD implementation with Algorithm 3."""
    return check_projected_sgd(CLAIM_ID, implementation, evaluation=False,
                               config=CONFIGS[profile_name], seed=seed)


def run(profile: Profile) -> Verdict:
    return check_alg3_sgd(profile_name=profile.name, seed=profile.master_seed)
