"""mfppo.lemma4_2: the policy-improvement error ε'_{k+1} of Algorithm 3 decays as Lemma 4.2 states.

``ε'_{k+1} = E_{init, σ̃_k}(F_ᾱ(T) - τ_{k+1}(F_θ/v_k + F_α/τ_k))² = O(R² T^-1/2 + R^2.5 m^-1/4
+ R² N^-1/2 + R³ m^-1/2)``; the target is a pooled function ξ realisable by the network:
the exponents in T, N and m are fitted separately (see ``_policy_step_rates``) on an instance
where Assumption 1 holds by construction.
Reference: MF-PPO Lemma 4.2, Alg 3, Theorem E.1.
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

CLAIM_ID = "mfppo.lemma4_2"
__all__ = ["CONFIGS", "check_lemma4_2", "run"]


def check_lemma4_2(implementation: Implementation = run_projected_sgd, *,
                   config: Config = CONFIGS["quick"], master_seed: int = 0) -> Verdict:
    """Rate check of an Alg 3 implementation (``run_projected_sgd``'s signature)."""
    return check_policy_step(CLAIM_ID, evaluation=False, config=config, master_seed=master_seed,
                             implementation=implementation)


def run(profile: Profile) -> Verdict:
    return check_lemma4_2(config=CONFIGS[profile.name], master_seed=profile.master_seed)
