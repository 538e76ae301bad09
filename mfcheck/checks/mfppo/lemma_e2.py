"""mfppo.lemma_e2: E_init ‖ḡ_β - ḡ⁰_β‖² = O(R³ m^-1/2) for β in B(β(0), R) (a network claim).

ḡ_β = E_{ρ, P, π}[δ_β ∇_β F_β(s, d_S, a)] is the population semi-gradient of App E (δ_β = F_β(s,
d_S, a) - τ ξ - μ F_β(s', d'_S, a'), policy-evaluation case τ = 1 - γ, μ = γ, ξ = r), ḡ⁰_β the same
with F⁰_β and ∇F⁰ = ∇F_β(0); both exact on a finite problem. β as in Lemma E.1 (whose sweep and
judgement, :func:`mfcheck.checks.mfppo.lemma_e1.judge_gap_sweep`, this check reuses): independent
of β(0), or built from it to flip as many activation patterns as the budget R allows at the input
that weighs most in ḡ (objective "count"). Judges no algorithm: its honest mutant is a wrong order.
Reference: MF-PPO (arXiv 2105.08268) Lemma E.2, App E definitions, eq (E.7).
"""

from __future__ import annotations

from collections.abc import Sequence

from mfcheck.checks.mfppo.lemma_e1 import KINDS, PpoLemmaE1Sizes, judge_gap_sweep, measure_gap
from mfcheck.judgement import QUICK, Cell, Profile, Record, Verdict
from mfcheck.judgement.statement import Statement

CLAIM_ID = "mfppo.lemma_e2"
#: Lemma E.2's order: exponents of m and R in ‖ḡ_β - ḡ⁰_β‖² = O(R³ m^-1/2)
PAPER_STATEMENT = Statement(text="‖ḡ_β - ḡ⁰_β‖² = O(R³ m^-1/2)", value={"m": -0.5, "R": 3.0})

#: γ = 0.5 and r ~ U[2, 4] make δ ≈ -τ r dominate the random F(β(0)) ~ 0.2, so the seed-to-seed
#: spread of ‖ḡ - ḡ⁰‖² reflects the flips, not the sign of δ; R = 1/4 keeps R/sqrt(m) <= 1/64.
SIZES: dict[str, PpoLemmaE1Sizes] = {
    "quick": PpoLemmaE1Sizes(widths=tuple(2**k for k in range(8, 15)), radius=0.25, radii=tuple(2.0**k for k in range(-4, 3)),
                   radius_width=4096, seeds=32, seeds_tight=64, gamma=0.5, reward_range=(2.0, 4.0)),
    "full": PpoLemmaE1Sizes(widths=tuple(2**k for k in range(8, 18)), radius=0.25, radii=tuple(2.0**k for k in range(-5, 3)),
                  radius_width=16384, seeds=64, seeds_tight=128, gamma=0.5, reward_range=(2.0, 4.0)),
}


def measure(cell: Cell, algorithm: None, master_seed: int) -> Record:
    """One cell of Lemma E.2: ‖ḡ_β - ḡ⁰_β‖² at a β built to flip the most activation patterns."""
    from mfcheck.algorithms.mfppo.linearisation_torch import semigradient_gap

    return measure_gap(cell, master_seed, gap=semigradient_gap, objective="count")


def judge(profile: Profile = QUICK, statement: Statement = PAPER_STATEMENT, *,
          kinds: Sequence[str] = KINDS) -> Verdict:
    """The sweeps of ``kinds`` of β (both by default; calibration runs the independent part)."""
    sizes = SIZES[profile.name]
    return judge_gap_sweep(
        CLAIM_ID, profile, statement, sizes, kinds=kinds, tight=("independent", "m"), measure=measure,
        quantity="‖ḡ_β - ḡ⁰_β‖²",
        reading=("App E normalisation (F = E_{x~d} f); ḡ, ḡ⁰ exact over a finite policy-evaluation problem "
                 f"(γ = {sizes.gamma}, r ~ U{list(sizes.reward_range)}); β on the sphere ‖β - β(0)‖ = R, "
                 "independent of β(0) or built from it (worst case)"),
        adversarial_reason=("the adversarial β flips the activation pattern of the units of smallest "
                            "|β_j(0)^T x| at one input; k ~ (R m)^(2/3) units fit in the budget, so "
                            "‖∇F_β - ∇F⁰‖² ~ k/m ~ R^(2/3) m^(-1/3); Assumption 2 cannot hold on a finite input set"),
    )


def check(algorithm: None = None, *, profile: Profile = QUICK, statement: Statement = PAPER_STATEMENT) -> Verdict:
    """Lemma E.2's order (``statement``) on the paper's network, both kinds of β."""
    return judge(profile, statement)
