"""mfgnac.alg3_sgd: projected SGD (Algorithm 3) with step R/(ρ√K): excess loss O(K^{-1/2}).

For a fixed policy and mean field, L(w) = E_{d^π_μ×π}[(wᵀ∇log π - A)²] (App B.2, exact
advantage, i.e. the critic is exact). Features are random projections (not realizable, so the
stochastic gradient stays noisy at the optimum, ε_approx > 0). The excess loss
L(ŵ_K) - min_{‖w‖<=R} L(w) of the averaged iterate is fitted against K (stated exponent -1/2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.nac import (
    Features,
    PolicyContext,
    SGDConfig,
    actor_loss,
    approximation_error,
    exact_actor,
    gradient_bound,
    policy_context,
    projected_sgd,
    random_features,
)
from mfcheck.claims import Figure, Profile, Verdict, get_claim
from mfcheck.instances import random_mean_field_game, sis
from mfcheck.stats import fit_rate, seed_streams

CLAIM_ID = "mfgnac.alg3_sgd"


@dataclass(frozen=True, kw_only=True)
class Config:
    """Per-profile sizes."""

    grid: tuple[int, ...]
    """Values of K."""
    n_replicates: int
    """Independent SGD runs per K (vectorised)."""
    asymptotic_from: int
    """First grid index used in the fit."""


CONFIGS = {
    "quick": Config(grid=tuple(2**k for k in range(8, 14)), n_replicates=16, asymptotic_from=1),
    "full": Config(grid=tuple(2**k for k in range(8, 17)), n_replicates=32, asymptotic_from=2),
}


def instances(
    rng: np.random.Generator, *, realizable: bool = False
) -> list[tuple[str, PolicyContext, Features]]:
    """(label, context, features) with random features.

    Default (non-realizable, ε_approx > 0): SIS with d = 1 and a random 4x3 MFG with d = 5.
    ``realizable=True``: SIS with d = 3 (the compatible space of SIS has dimension
    |S|(|A|-1) = 2 <= 3, so ε_approx = 0 and the Fisher matrix is singular).
    """
    out = []
    cases = (
        (("sis(d=3, realizable)", sis(lam=0.1), 3),)
        if realizable
        else (
            ("sis(d=1)", sis(lam=0.1), 1),
            ("random_mfg(4x3, d=5)", random_mean_field_game(rng, 4, 3, lam=0.1), 5),
        )
    )
    for label, game, dim in cases:
        feats = random_features(rng, game.n_states, game.n_actions, dim)
        theta = 0.5 * rng.standard_normal(dim)
        mu = rng.dirichlet(np.ones(game.n_states))
        out.append((label, policy_context(game, feats, theta, mu), feats))
    return out


def check_alg3_sgd(
    context: PolicyContext,
    features: Features,
    *,
    grid: tuple[int, ...],
    n_replicates: int,
    rngs: list[np.random.Generator],
    fit_rng: np.random.Generator,
    asymptotic_from: int = 0,
    make_config=None,
    label: str = "instance",
    rate_decides: bool = True,
) -> Verdict:
    """Fit the exponent of the excess loss in K; pass when the CI's upper end <= -1/2 + margin
    and the mean excess loss is below Proposition 2's Rρ/√K at every K.

    ``make_config(K, R, ρ) -> SGDConfig`` replaces Algorithm 3's settings (mutants).
    ``rate_decides=False`` (realizable instances, see the toml) reports the slope but lets
    only the explicit bound Rρ/√K decide.
    """
    spec = get_claim(CLAIM_ID).rates[0]
    advantage = context.advantage
    radius = 2.0 * float(np.linalg.norm(exact_actor(context, features, advantage))) + 1e-3
    rho = gradient_bound(context, advantage, radius)
    best = float(actor_loss(context, advantage, exact_actor(context, features, advantage, radius=radius)))
    errors = np.empty((len(grid), n_replicates))
    for g, k in enumerate(grid):
        config = SGDConfig(n_steps=k, radius=radius) if make_config is None else make_config(k, radius, rho)
        w = projected_sgd(context, advantage, config, rngs[g], n_replicates=n_replicates)
        errors[g] = np.maximum(actor_loss(context, advantage, w) - best, 0.0)
    fit = fit_rate(grid, errors, rng=fit_rng, asymptotic_from=asymptotic_from)
    # Proposition 2's constant: excess <= R ρ / sqrt(K)
    bound = radius * rho / np.sqrt(np.asarray(grid, dtype=float))
    within = bool((errors.mean(axis=1) <= bound).all())
    slope_ok = fit.passes(spec.stated_exponent, spec.margin)
    ok = within and (slope_ok or not rate_decides)
    return Verdict(
        claim_id=CLAIM_ID,
        status="pass" if ok else "fail",
        summary=(
            f"{label}: exponent {fit.exponent:.3f} [{fit.low:.3f}, {fit.high:.3f}] vs stated "
            f"{spec.stated_exponent} (margin {spec.margin}); below Rρ/√K: {within}"
        ),
        stated=(Figure(name="exponent in K", value=spec.stated_exponent),),
        measured=(
            Figure(name=f"{label}: exponent in K", value=fit.exponent, low=fit.low, high=fit.high),
            Figure(name=f"{label}: ε_approx", value=approximation_error(context, features)),
        ),
        reasons=(
            ()
            if slope_ok and within
            else (
                f"{label}: CI upper end {fit.high:.3f} vs {spec.stated_exponent + spec.margin:.3f}"
                f" (decides: {rate_decides}); mean excess below Rρ/√K: {within}",
            )
        ),
        evidence={
            "slope_ok": slope_ok,
            "rate_decides": rate_decides,
            "fit": fit.to_dict(),
            "errors": errors.mean(axis=1).tolist(),
            "bound_R_rho_over_sqrtK": bound.tolist(),
            "within_bound": within,
            "radius": radius,
            "rho": rho,
        },
    )


def run(profile: Profile) -> Verdict:
    """Algorithm 3 on SIS and a random MFG with random (non-realizable) features."""
    config = CONFIGS[profile.name]
    streams = seed_streams(profile.master_seed, 2 + 3 * len(config.grid), label=CLAIM_ID)
    cases = [(c, True) for c in instances(streams[0])]
    realizable_rng = seed_streams(profile.master_seed, 1, label=CLAIM_ID + ".realizable")[0]
    cases += [(c, False) for c in instances(realizable_rng, realizable=True)]
    verdicts = []
    for i, ((label, context, feats), decides) in enumerate(cases):
        rngs = streams[2 + i * len(config.grid) : 2 + (i + 1) * len(config.grid)]
        verdicts.append(
            check_alg3_sgd(
                context, feats, grid=config.grid, n_replicates=config.n_replicates, rngs=rngs,
                fit_rng=streams[1], asymptotic_from=config.asymptotic_from, label=label,
                rate_decides=decides,
            )
        )
    status = "fail" if any(v.status == "fail" for v in verdicts) else "pass"
    return Verdict(
        claim_id=CLAIM_ID,
        status=status,
        summary="; ".join(v.summary for v in verdicts),
        stated=verdicts[0].stated,
        measured=tuple(f for v in verdicts for f in v.measured),
        reading=(
            "exact advantage as target (exact critic), s ~ d^π_μ (discounted visitation from ρ), "
            "a ~ π, R = 2‖w*‖, ρ = a.s. gradient bound, step R/(ρ√K), averaged iterate; "
            "excess loss over min_{‖w‖<=R} L; K = " + ", ".join(map(str, config.grid))
        ),
        reasons=tuple(r for v in verdicts for r in v.reasons),
        evidence={v.summary.split(":")[0]: v.evidence for v in verdicts},
    )
