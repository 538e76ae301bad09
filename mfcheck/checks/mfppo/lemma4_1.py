"""mfppo.lemma4_1: the policy-evaluation error ε_k of Algorithm 2 decays as Lemma 4.1 states.

``ε_k = E_{init, σ_k}(F_θ̄(T) - Q^{π_k})² = O(R² T^-1/2 + R^2.5 m^-1/4 + R² N^-1/2 + R³ m^-1/2)``:
the exponents in T, N and m are fitted separately (see ``_policy_step_rates``) on an instance
where Assumption 1 holds by construction.
Reference: MF-PPO Lemma 4.1, Alg 2, Theorem E.1.
"""

from __future__ import annotations

from mfcheck.algorithms.mfppo.projected_sgd import run_projected_sgd
from mfcheck.checks.mfppo._policy_step_rates import (
    CONFIGS,
    Config,
    Implementation,
    check_policy_step,
)
from mfcheck.judgement import Profile, Verdict

CLAIM_ID = "mfppo.lemma4_1"
__all__ = ["CONFIGS", "check_lemma4_1", "run"]


def check_lemma4_1(implementation: Implementation = run_projected_sgd, *,
                   config: Config = CONFIGS["quick"], master_seed: int = 0) -> Verdict:
    """Rate check of an Alg 2 implementation (``run_projected_sgd``'s signature)."""
    return check_policy_step(CLAIM_ID, evaluation=True, config=config, master_seed=master_seed,
                             implementation=implementation)


def run(profile: Profile) -> Verdict:
    return check_lemma4_1(config=CONFIGS[profile.name], master_seed=profile.master_seed)
