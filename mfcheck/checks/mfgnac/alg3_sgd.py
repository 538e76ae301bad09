"""mfgnac.alg3_sgd: projected SGD (Algorithm 3) with step R/(ρ√K): excess loss O(K^{-1/2}).

For a fixed policy and mean field, L(w) = E_{d^π_μ×π}[(wᵀ∇log π - A)²] (App B.2, exact
advantage, i.e. the critic is exact). Features are random projections (not realizable, so the
stochastic gradient stays noisy at the optimum, ε_approx > 0). The excess loss
L(ŵ_K) - min_{‖w‖<=R} L(w) of the averaged iterate is fitted against K (stated exponent -1/2).
"""

from __future__ import annotations

from functools import partial

import numpy as np

from mfcheck.algorithms.nac import (
    Features,
    PolicyContext,
    SGDConfig,
    actor_loss,
    approximation_error,
    exact_actor,
    gradient_bound,
    projected_sgd,
    random_features,
)
from mfcheck.checks.mfgnac._k_sweeps import (
    Config,
    Instance,
    combined_verdict,
    fit_exponent_in_k,
    random_instances,
    run_instances,
)
from mfcheck.instances import random_mean_field_game, sis
from mfcheck.judgement import Figure, Profile, Verdict
from mfcheck.models import MeanFieldGame
from mfcheck.stats import seed_streams

CLAIM_ID = "mfgnac.alg3_sgd"

CONFIGS = {
    "quick": Config(grid=tuple(2**k for k in range(8, 14)), n_replicates=16, asymptotic_from=1),
    "full": Config(grid=tuple(2**k for k in range(8, 17)), n_replicates=32, asymptotic_from=2),
}


def _random_features(dim: int, rng: np.random.Generator, game: MeanFieldGame) -> Features:
    return random_features(rng, game.n_states, game.n_actions, dim)


def instances(rng: np.random.Generator, *, realizable: bool = False) -> list[Instance]:
    """(label, context, features) with random features.

    Default (non-realizable, ε_approx > 0): SIS with d = 1 and a random 4x3 MFG with d = 5.
    ``realizable=True``: SIS with d = 3 (the compatible space of SIS has dimension
    |S|(|A|-1) = 2 <= 3, so ε_approx = 0 and the Fisher matrix is singular).
    """
    if realizable:
        return random_instances(rng, (("sis(d=3, realizable)", sis(lam=0.1), partial(_random_features, 3)),))
    return random_instances(rng, (
        ("sis(d=1)", sis(lam=0.1), partial(_random_features, 1)),
        ("random_mfg(4x3, d=5)", random_mean_field_game(rng, 4, 3, lam=0.1), partial(_random_features, 5)),
    ))


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
    advantage = context.advantage
    radius = 2.0 * float(np.linalg.norm(exact_actor(context, features, advantage))) + 1e-3
    rho = gradient_bound(context, advantage, radius)
    best = float(actor_loss(context, advantage, exact_actor(context, features, advantage, radius=radius)))
    errors = np.empty((len(grid), n_replicates))
    for g, k in enumerate(grid):
        config = SGDConfig(n_steps=k, radius=radius) if make_config is None else make_config(k, radius, rho)
        w = projected_sgd(context, advantage, config, rngs[g], n_replicates=n_replicates)
        errors[g] = np.maximum(actor_loss(context, advantage, w) - best, 0.0)
    exponent = fit_exponent_in_k(
        CLAIM_ID, grid, errors, fit_rng=fit_rng, asymptotic_from=asymptotic_from, label=label
    )
    # Proposition 2's constant: excess <= R ρ / sqrt(K)
    bound = radius * rho / np.sqrt(np.asarray(grid, dtype=float))
    within = bool((errors.mean(axis=1) <= bound).all())
    ok = within and (exponent.passed or not rate_decides)
    return Verdict(
        claim_id=CLAIM_ID,
        status="pass" if ok else "fail",
        summary=f"{exponent.summary()}; below Rρ/√K: {within}",
        stated=exponent.stated(),
        measured=(
            exponent.measured(),
            Figure(name=f"{label}: ε_approx", value=approximation_error(context, features)),
        ),
        reasons=(
            ()
            if exponent.passed and within
            else (
                f"{label}: CI upper end {exponent.fit.high:.3f} vs {exponent.bound:.3f}"
                f" (decides: {rate_decides}); mean excess below Rρ/√K: {within}",
            )
        ),
        evidence={
            "slope_ok": exponent.passed,
            "rate_decides": rate_decides,
            **exponent.evidence(),
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
    cases = [(c, {"rate_decides": True}) for c in instances(streams[0])]
    realizable_rng = seed_streams(profile.master_seed, 1, label=CLAIM_ID + ".realizable")[0]
    cases += [(c, {"rate_decides": False}) for c in instances(realizable_rng, realizable=True)]
    return combined_verdict(
        CLAIM_ID,
        run_instances(check_alg3_sgd, cases, config, streams),
        reading=(
            "exact advantage as target (exact critic), s ~ d^π_μ (discounted visitation from ρ), "
            "a ~ π, R = 2‖w*‖, ρ = a.s. gradient bound, step R/(ρ√K), averaged iterate; "
            "excess loss over min_{‖w‖<=R} L; K = " + ", ".join(map(str, config.grid))
        ),
    )
