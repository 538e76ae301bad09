"""mfgnac.alg2_td: projected TD(0) (Algorithm 2) reaches squared error O(1/K) (Proposition 1).

Realizable case: one-hot features, so q^{π,λ}_μ = ψ*ᵀφ is representable. For a fixed policy
and mean field, E‖q̂_K - q^{π,λ}_μ‖²_{ν×π} (ν the stationary distribution of P_π(μ), the
steady state Proposition 1 refers to) is measured over a grid of K and independent replicates,
and its log-log slope is fitted (stated exponent -1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.nac import (
    Features,
    PolicyContext,
    TDConfig,
    critic_error,
    critic_values,
    one_hot_features,
    policy_context,
    projected_td,
)
from mfcheck.claims import Figure, Profile, Verdict, get_claim
from mfcheck.instances import random_mean_field_game, sis
from mfcheck.stats import fit_rate, seed_streams

CLAIM_ID = "mfgnac.alg2_td"


@dataclass(frozen=True, kw_only=True)
class Config:
    """Per-profile sizes."""

    grid: tuple[int, ...]
    """Values of K."""
    n_replicates: int
    """Independent TD runs per K (vectorised)."""
    asymptotic_from: int
    """First grid index used in the fit."""


CONFIGS = {
    "quick": Config(grid=tuple(2**k for k in range(8, 14)), n_replicates=16, asymptotic_from=2),
    "full": Config(grid=tuple(2**k for k in range(8, 17)), n_replicates=32, asymptotic_from=3),
}


def instances(rng: np.random.Generator) -> list[tuple[str, PolicyContext, Features]]:
    """(label, exact context, one-hot features): SIS and a random 4x3 MFG, random θ and μ."""
    out = []
    for label, game in (
        ("sis", sis(lam=0.1)),
        ("random_mfg(4x3)", random_mean_field_game(rng, 4, 3, lam=0.1)),
    ):
        feats = one_hot_features(game.n_states, game.n_actions)
        theta = 0.5 * rng.standard_normal(feats.dim)
        mu = rng.dirichlet(np.ones(game.n_states))
        out.append((label, policy_context(game, feats, theta, mu), feats))
    return out


def td_errors(
    context: PolicyContext,
    features: Features,
    grid: tuple[int, ...],
    n_replicates: int,
    rngs: list[np.random.Generator],
    *,
    make_config=None,
) -> np.ndarray:
    """errors[g, r] = ‖q̂ - q‖²_{ν×π} of Algorithm 2 with K = grid[g] (replicate r)."""
    radius = 2.0 * float(np.linalg.norm(context.shifted_q)) + 1.0
    errors = np.empty((len(grid), n_replicates))
    for g, k in enumerate(grid):
        config = (
            TDConfig(n_steps=k, radius=radius) if make_config is None else make_config(k, radius)
        )
        psi = projected_td(context, features, config, rngs[g], n_replicates=n_replicates)
        errors[g] = critic_error(context, critic_values(features, psi))
    return errors


def check_alg2_td(
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
) -> Verdict:
    """Fit the exponent of E‖q̂_K - q‖² in K; pass when the CI's upper end <= -1 + margin.

    ``make_config(K, B) -> TDConfig`` replaces Algorithm 2's settings (mutants).
    """
    spec = get_claim(CLAIM_ID).rates[0]
    errors = td_errors(context, features, grid, n_replicates, rngs, make_config=make_config)
    fit = fit_rate(grid, errors, rng=fit_rng, asymptotic_from=asymptotic_from)
    ok = fit.passes(spec.stated_exponent, spec.margin)
    return Verdict(
        claim_id=CLAIM_ID,
        status="pass" if ok else "fail",
        summary=(
            f"{label}: exponent {fit.exponent:.3f} [{fit.low:.3f}, {fit.high:.3f}] vs stated "
            f"{spec.stated_exponent} (margin {spec.margin})"
        ),
        stated=(Figure(name="exponent in K", value=spec.stated_exponent),),
        measured=(
            Figure(name=f"{label}: exponent in K", value=fit.exponent, low=fit.low, high=fit.high),
        ),
        reasons=() if ok else (
            f"{label}: CI upper end {fit.high:.3f} > {spec.stated_exponent + spec.margin:.3f}",
        ),
        evidence={"fit": fit.to_dict(), "errors": errors.mean(axis=1).tolist()},
    )


def run(profile: Profile) -> Verdict:
    """Algorithm 2 on SIS and a random MFG (one-hot, realizable), i.i.d. steady-state samples."""
    config = CONFIGS[profile.name]
    streams = seed_streams(profile.master_seed, 2 + 2 * len(config.grid), label=CLAIM_ID)
    verdicts = []
    for i, (label, context, feats) in enumerate(instances(streams[0])):
        rngs = streams[2 + i * len(config.grid) : 2 + (i + 1) * len(config.grid)]
        verdicts.append(
            check_alg2_td(
                context,
                feats,
                grid=config.grid,
                n_replicates=config.n_replicates,
                rngs=rngs,
                fit_rng=streams[1],
                asymptotic_from=config.asymptotic_from,
                label=label,
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
            "one-hot features (realizable), α_k = 1/(ω(k+1)(1-γ)), ω = λ_min of the steady-state "
            "feature covariance, B = 2‖q‖ + 1, averaged iterate; samples i.i.d. from ν×π×P×π "
            "(ν stationary for P_π(μ)); error in L²(ν×π); K = " + ", ".join(map(str, config.grid))
        ),
        reasons=tuple(r for v in verdicts for r in v.reasons),
        evidence={v.summary.split(":")[0]: v.evidence for v in verdicts},
    )
