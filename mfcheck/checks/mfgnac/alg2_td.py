"""mfgnac.alg2_td: projected TD(0) (Algorithm 2) reaches squared error O(1/K) (Proposition 1).

Realizable case: one-hot features, so q^{π,λ}_μ = ψ*ᵀφ is representable. For a fixed policy
and mean field, E‖q̂_K - q^{π,λ}_μ‖²_{ν×π} (ν the stationary distribution of P_π(μ), the
steady state Proposition 1 refers to) is measured over a grid of K and independent replicates,
and its log-log slope is fitted (stated exponent -1).
"""

from __future__ import annotations

import numpy as np

from mfcheck.algorithms.nac import (
    Features,
    PolicyContext,
    TDConfig,
    critic_error,
    critic_values,
    one_hot_features,
    projected_td,
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
from mfcheck.judgement import Profile, Verdict
from mfcheck.models import MeanFieldGame
from mfcheck.stats import seed_streams

CLAIM_ID = "mfgnac.alg2_td"

CONFIGS = {
    "quick": Config(grid=tuple(2**k for k in range(8, 14)), n_replicates=16, asymptotic_from=2),
    "full": Config(grid=tuple(2**k for k in range(8, 17)), n_replicates=32, asymptotic_from=3),
}


def _one_hot(_: np.random.Generator, game: MeanFieldGame) -> Features:
    return one_hot_features(game.n_states, game.n_actions)


def instances(rng: np.random.Generator) -> list[Instance]:
    """(label, exact context, one-hot features): SIS and a random 4x3 MFG, random θ and μ."""
    return random_instances(rng, (
        ("sis", sis(lam=0.1), _one_hot),
        ("random_mfg(4x3)", random_mean_field_game(rng, 4, 3, lam=0.1), _one_hot),
    ))


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
    errors = td_errors(context, features, grid, n_replicates, rngs, make_config=make_config)
    exponent = fit_exponent_in_k(
        CLAIM_ID, grid, errors, fit_rng=fit_rng, asymptotic_from=asymptotic_from, label=label
    )
    return Verdict(
        claim_id=CLAIM_ID,
        status="pass" if exponent.passed else "fail",
        summary=exponent.summary(),
        stated=exponent.stated(),
        measured=(exponent.measured(),),
        reasons=() if exponent.passed else (f"{label}: CI upper end {exponent.fit.high:.3f} > {exponent.bound:.3f}",),
        evidence=exponent.evidence(),
    )


def run(profile: Profile) -> Verdict:
    """Algorithm 2 on SIS and a random MFG (one-hot, realizable), i.i.d. steady-state samples."""
    config = CONFIGS[profile.name]
    streams = seed_streams(profile.master_seed, 2 + 2 * len(config.grid), label=CLAIM_ID)
    cases = [(instance, {}) for instance in instances(streams[0])]
    return combined_verdict(
        CLAIM_ID,
        run_instances(check_alg2_td, cases, config, streams),
        reading=(
            "one-hot features (realizable), α_k = 1/(ω(k+1)(1-γ)), ω = λ_min of the steady-state "
            "feature covariance, B = 2‖q‖ + 1, averaged iterate; samples i.i.d. from ν×π×P×π "
            "(ν stationary for P_π(μ)); error in L²(ν×π); K = " + ", ".join(map(str, config.grid))
        ),
    )
