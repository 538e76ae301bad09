"""MFG-NAC Lemma 6: ‖Λ(μ) - Λ(μ')‖_1 <= (d1 d2 + d3)‖μ - μ'‖_1, Λ(μ) = Γ2(Γ1^λ(μ), μ).

For each instance and λ: find the equilibria μ*, set d* = d^{Γ1(μ*)}_{μ*} (the weight of the
metric D), estimate d1, d2, d3 (:mod:`mfcheck.checks.mfgnac._lipschitz`) on one set of points
and check the composite inequality on a *held-out* set of pairs (on the estimation points the
inequality is a triangle inequality and cannot fail). Reports d1 d2 + d3 per λ and whether the
contraction condition d1 d2 + d3 < 1 holds, next to the measured Lipschitz ratio of Λ itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mfcheck.checks.mfgnac._lipschitz import (
    LipschitzEstimate,
    composite_ratio,
    estimate_constants,
    reference_visitation,
)
from mfcheck.instances import contractive_game, linear_quadratic, sis
from mfcheck.judgement import Figure, Profile, Verdict
from mfcheck.models import MeanFieldGame
from mfcheck.solvers.equilibrium_search import equilibrium_mean_fields
from mfcheck.stats import seed_streams

CLAIM_ID = "mfgnac.lemma6"
Array = NDArray[np.float64]
RTOL = 1e-9
#: (game, μ, μ') -> ‖Λ(μ) - Λ(μ')‖_1 / ‖μ - μ'‖_1.
CompositeRatio = Callable[[MeanFieldGame, Array, Array], float]

READING = (
    "D(π, π') = Σ_s d*(s)‖π(·|s) - π'(·|s)‖_1 with d* = d^{π*}_{μ*} = (1-γ)ρᵀ(I - γP_{π*}(μ*))^{-1}, "
    "π* = Γ1^λ(μ*), at each equilibrium μ* found (SIS has two: disease-free and endemic; LQ: the "
    "damped fixed point from ρ). d1, d2, d3 as in Assumption 3 (see _lipschitz.py); each is a "
    "supremum estimated from below (max over random pairs and finite-difference derivatives along "
    "e_i - e_j; d2 exactly per μ), so the composite inequality is checked on held-out pairs. "
    "Γ1^λ is the Boltzmann best response, Γ2(π, μ) = μ P_π(μ). Rewards unscaled (the lemma does not "
    "need r in [0, 1])."
)


@dataclass(frozen=True, kw_only=True)
class Config:
    """Sizes of the quick and full runs."""

    lams: tuple[float, ...]
    """Entropy weights λ."""
    n_pairs: int
    """Random pairs for the estimation of d1, d3 (small instances; LQ uses a third)."""
    n_local: int
    """Points with finite-difference derivatives (besides μ*)."""
    n_check: int
    """Held-out pairs for the composite inequality."""


CONFIGS = {
    "quick": Config(lams=(0.1, 1.0, 10.0), n_pairs=20, n_local=2, n_check=24),
    "full": Config(lams=(0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0), n_pairs=200, n_local=6, n_check=300),
}


def check_lemma6(
    game: MeanFieldGame,
    weights: Array,
    constants: LipschitzEstimate,
    pairs: Sequence[tuple[Array, Array]],
    *,
    composite: CompositeRatio = composite_ratio,
) -> Verdict:
    """Check ‖Λ(μ) - Λ(μ')‖ <= (d1 d2 + d3)‖μ - μ'‖ on ``pairs`` with the given constants."""
    ratios = np.array([composite(game, mu, other) for mu, other in pairs])
    bound = constants.bound
    bad = np.flatnonzero(ratios > bound * (1 + RTOL))
    worst = float(ratios.max())
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if bad.size else "pass",
        summary=(f"{game.name} λ={game.lam}: d1={constants.d1:.4g}, d2={constants.d2:.4g}, "
                 f"d3={constants.d3:.4g}, d1d2+d3={bound:.4g} "
                 f"({'contraction' if bound < 1 else 'no contraction'}); max Λ ratio {worst:.4g}"),
        stated=(Figure(name="d1 d2 + d3", value=bound),),
        measured=(Figure(name="max ‖ΔΛ‖/‖Δμ‖", value=worst),),
        reading=READING,
        reasons=tuple(f"pair #{i}: ratio {ratios[i]:.6g} > d1d2+d3 = {bound:.6g}" for i in bad[:10]),
        evidence={"game": game.name, "lam": game.lam, "d1": constants.d1, "d2": constants.d2,
                  "d3": constants.d3, "bound": bound, "contraction": bool(bound < 1),
                  "max_composite_ratio": worst, "n_pairs": len(pairs)},
    )


def _held_out_pairs(n_states: int, rng: np.random.Generator, n: int) -> list[tuple[Array, Array]]:
    out = []
    for k in range(n):
        mu = rng.dirichlet(np.full(n_states, 0.5))
        other = rng.dirichlet(np.full(n_states, 0.5))
        if k % 2:
            other = 0.99 * mu + 0.01 * other
        out.append((mu, other))
    return out


def run(
    profile: Profile,
    *,
    composite: CompositeRatio = composite_ratio,
    shrink_constants: float = 1.0,
) -> Verdict:
    """Lemma 6 on SIS, LQ and a weakly coupled control game for each λ.

    ``shrink_constants`` multiplies the estimated d1, d2, d3 (1: the estimates; < 1 is the
    underestimated-constants mutant).
    """
    config = CONFIGS[profile.name]
    rng_est, rng_check = seed_streams(profile.master_seed, 2, label=CLAIM_ID)
    verdicts: list[Verdict] = []
    for lam in config.lams:
        for game in (sis(lam=lam), linear_quadratic(lam=lam), contractive_game(lam=lam)):
            small = game.n_states <= 5
            for mu_star in equilibrium_mean_fields(game):
                weights = reference_visitation(game, mu_star)
                est = estimate_constants(
                    game, weights, rng_est, n_pairs=config.n_pairs if small else config.n_pairs // 3,
                    n_local=config.n_local, extra_points=[mu_star],
                )
                if shrink_constants != 1.0:
                    est = LipschitzEstimate(d1=est.d1 * shrink_constants, d2=est.d2 * shrink_constants,
                                            d3=est.d3 * shrink_constants, n_pairs=est.n_pairs,
                                            n_local=est.n_local)
                pairs = _held_out_pairs(game.n_states, rng_check, config.n_check if small else config.n_check // 3)
                verdict = check_lemma6(game, weights, est, pairs, composite=composite)
                verdict.evidence["equilibrium"] = mu_star.tolist() if small else float(
                    np.arange(game.n_states) @ mu_star)
                verdicts.append(verdict)
    failed = [v for v in verdicts if v.status == "fail"]
    rows = [v.evidence for v in verdicts]
    contraction = sorted({(r["game"], r["lam"]) for r in rows if r["contraction"]})
    paper = [r for r in rows if r["game"] in ("sis", "linear_quadratic")]
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if failed else "pass",
        summary=(f"{len(rows)} (instance, λ, μ*) cases, composite inequality on held-out pairs "
                 f"{'holds' if not failed else f'fails in {len(failed)}'}; contraction d1d2+d3 < 1 "
                 f"holds for {contraction or 'none'}; on SIS/LQ min d1d2+d3 = "
                 f"{min(r['bound'] for r in paper):.4g} (d3 alone >= {min(r['d3'] for r in paper):.3g})"),
        stated=(Figure(name="max ratio / (d1d2+d3)", value=1.0, note="<= 1"),),
        measured=(
            Figure(name="max ratio / (d1d2+d3)", value=max(r["max_composite_ratio"] / r["bound"] for r in rows)),
            Figure(name="SIS min d1d2+d3", value=min(r["bound"] for r in rows if r["game"] == "sis")),
            Figure(name="LQ min d1d2+d3", value=min(r["bound"] for r in rows if r["game"] == "linear_quadratic")),
            Figure(name="control game min d1d2+d3", value=min(r["bound"] for r in rows if r["game"] == "random_mfg")),
            Figure(name="SIS max Λ ratio", value=max(r["max_composite_ratio"] for r in rows if r["game"] == "sis")),
        ),
        reading=READING,
        reasons=tuple(r for v in failed for r in v.reasons)[:10],
        evidence={"cases": rows},
    )
