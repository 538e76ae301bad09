"""MFG-NAC Lemma 7: ‖μ_{t+1} - μ*‖_1 <= (1 - β_t d̄)‖μ_t - μ*‖_1 + d2 C2 β_t sqrt(σ^π_t), along runs.

Runs Algorithm 1 (nac-core's single loop, exact oracles, one-hot features), finds the
equilibrium μ* the run approaches, estimates d1, d2, d3 (Lemma 6's estimator, metric weighted
by d* = d^{π*}_{μ*}) and the constants along the run (:mod:`._along_run`), and checks the
inequality at every t. Where d̄ = 1 - d1 d2 - d3 <= 0 the lemma says nothing: not_applicable.

Lemma 7 has no oracle-error term: ε_total reaches it only through σ^π_t (Thm 1 then bounds the
average σ^π_t by Lemma 8). It is also checked along a run with TD + SGD oracles (Algorithms 2-3)
on the control game, where the oracle noise keeps σ^π_t at a floor; the oracle's errors at every
iterate (computed exactly, :class:`OracleErrors`) are reported with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac import NACTrajectory, one_hot_features
from mfcheck.checks.mfgnac._along_run import (
    OracleSettings,
    SampledRunner,
    approached_equilibrium,
    run_exact_nac,
    run_quantities,
    run_sampled_nac,
    sampled_oracle,
)
from mfcheck.checks.mfgnac._lipschitz import (
    LipschitzEstimate,
    estimate_constants,
    reference_visitation,
)
from mfcheck.instances import contractive_game, sis
from mfcheck.judgement import Figure, Profile, Verdict
from mfcheck.models import MeanFieldGame
from mfcheck.stats import seed_streams

CLAIM_ID = "mfgnac.lemma7"
Array = NDArray[np.float64]
RTOL = 1e-9
#: (game, n_iterations, η, β) -> trajectory.
Runner = Callable[..., NACTrajectory]

READING = (
    "Algorithm 1 with exact oracles (ε_total = 0), one-hot features, constant η and β, θ_0 = 0, "
    "μ_0 = ρ. μ* = the equilibrium closest to μ_T; σ^π_t = E_{d*_t}[KL(π*_t‖π_t)] with "
    "π*_t = Γ1^λ(μ_t), d*_t = d^{π*_t}_{μ_t}; d1, d2, d3 estimated as in mfgnac.lemma6 with D weighted "
    "by d* = d^{π*}_{μ*}; C2 = sup_t (E_{d*_t}[(d*/d*_t)²])^{1/2} along the run (Assumption 2 as used "
    "in eq (8) and Thm 1). Lemma 7 needs d̄ = 1 - d1 d2 - d3 > 0: otherwise not_applicable. The "
    "intermediate step (7), with β d2 D(π*_t, π_t) in place of d2 C2 β sqrt(σ_t), is reported too."
)
SAMPLED_READING = (
    "Sampled run: the control game's case with Algorithm 2 (TD(0), Proposition 1's α_k, ball "
    "B = 2 sqrt(|S||A|) Q_max) + Algorithm 3 (SGD, step R/(ρ√K), ball R = 2), K steps each, batch 16; "
    "Lemma 7 is checked with the run's own σ^π_t and C2 (no ε term: the lemma holds for any policy "
    "sequence); d1, d2, d3 are the exact run's estimates when both runs approach the same μ*. The "
    "oracle's realised errors against the exact q, A, L_t at every t (ε_critic = max_{s,a}(q̂ - q)², "
    "ε_actor = L̂_t(ŵ_t) - min L̂_t, ε_approx = min L_t, weights d^{π_t}_{μ_t} × π_t) are reported."
)


@dataclass(frozen=True, kw_only=True)
class Config:
    """Sizes of the quick and full runs."""

    n_iterations: int
    """T of each run."""
    n_pairs: int
    """Random pairs for the d1, d3 estimates."""
    sampled_iterations: int
    """T of the run with TD + SGD oracles."""
    oracle_steps: int
    """K of the TD and SGD oracles."""


CONFIGS = {
    "quick": Config(n_iterations=300, n_pairs=30, sampled_iterations=300, oracle_steps=128),
    "full": Config(n_iterations=3000, n_pairs=200, sampled_iterations=1000, oracle_steps=256),
}

#: (instance builder, η, β): the weakly coupled control game (d̄ > 0) and SIS (d̄ < 0).
CASES: tuple[tuple[str, Callable[[], MeanFieldGame], float, float], ...] = (
    ("control", lambda: contractive_game(lam=1.0), 0.1, 0.05),
    ("sis", lambda: sis(lam=1.0), 0.05, 0.01),
)


def check_lemma7(
    game: MeanFieldGame, trajectory: NACTrajectory, mu_star: Array, constants: LipschitzEstimate
) -> Verdict:
    """Check Lemma 7 at every t of ``trajectory`` (not_applicable when d̄ <= 0)."""
    d_bar = constants.d_bar
    base = {"game": game.name, "lam": game.lam, "d1": constants.d1, "d2": constants.d2,
            "d3": constants.d3, "d_bar": d_bar, "mu_star": mu_star.tolist()}
    if d_bar <= 0:
        return Verdict(
            claim_id=CLAIM_ID, status="not_applicable",
            summary=f"{game.name}: d̄ = 1 - d1 d2 - d3 = {d_bar:.4g} <= 0, Lemma 7 does not apply",
            reasons=(f"{game.name}: d1={constants.d1:.4g}, d2={constants.d2:.4g}, d3={constants.d3:.4g}",),
            reading=READING, evidence=base,
        )
    q = run_quantities(game, trajectory, mu_star)
    beta = trajectory.mean_field_steps
    c2 = q.constants["C2"]
    lhs = q.mu_error[1:]
    rhs = (1 - beta * d_bar) * q.mu_error[:-1] + constants.d2 * c2 * beta * np.sqrt(q.sigma[:-1])
    rhs_step7 = (1 - beta * d_bar) * q.mu_error[:-1] + beta * constants.d2 * q.distance_star[:-1]
    bad = np.flatnonzero(lhs > rhs + RTOL * np.maximum(1.0, rhs))
    bad7 = np.flatnonzero(lhs > rhs_step7 + RTOL * np.maximum(1.0, rhs_step7))
    slack = rhs - lhs
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if bad.size else "pass",
        summary=(f"{game.name}: T={lhs.size}, d̄={d_bar:.4g}, C2={c2:.4g}: "
                 f"{bad.size} violations of Lemma 7 ({bad7.size} of step (7)); min slack {slack.min():.3g}, "
                 f"‖μ_T - μ*‖ = {q.mu_error[-1]:.3g}"),
        stated=(Figure(name="d̄", value=d_bar), Figure(name="C2", value=c2), Figure(name="d2", value=constants.d2)),
        measured=(Figure(name="violations", value=int(bad.size)),
                  Figure(name="min slack", value=float(slack.min())),
                  Figure(name="‖μ_T - μ*‖_1", value=float(q.mu_error[-1]))),
        reading=READING,
        reasons=tuple(f"t={t}: ‖μ_t+1 - μ*‖ = {lhs[t]:.6g} > {rhs[t]:.6g}" for t in bad[:10]),
        evidence={**base, **q.constants, "n_violations": int(bad.size), "n_violations_step7": int(bad7.size),
                  "min_slack": float(slack.min()), "final_mu_error": float(q.mu_error[-1]),
                  "ratio_median": float(np.median(lhs / rhs)),
                  "sigma_term_share_median": float(np.median(constants.d2 * c2 * beta * np.sqrt(q.sigma[:-1]) / rhs)),
                  "sigma_median": float(np.median(q.sigma)),
                  "mu_error": q.mu_error[:: max(1, lhs.size // 50)].tolist()},
    )


def _estimate(game: MeanFieldGame, mu_star: Array, rng: np.random.Generator, n_pairs: int) -> LipschitzEstimate:
    weights = reference_visitation(game, mu_star)
    return estimate_constants(game, weights, rng, n_pairs=n_pairs, n_local=2, extra_points=[mu_star])


def check_sampled_case(profile: Profile, *, runner: SampledRunner = run_sampled_nac) -> Verdict:
    """Lemma 7 along a TD + SGD run on the control game (η = 0.1, β = 0.05), with the oracle's
    errors reported; d1, d2, d3 from the exact case's stream (the same estimate for the same μ*)."""
    config = CONFIGS[profile.name]
    est_rng, oracle_rng = seed_streams(profile.master_seed, 2, label=CLAIM_ID)
    label, build, eta, beta = CASES[0]
    game = build()
    oracle = sampled_oracle(game, OracleSettings(n_steps=config.oracle_steps))
    run_ = runner(game, features=one_hot_features(game.n_states, game.n_actions),
                  n_iterations=config.sampled_iterations, policy_step=eta, mean_field_step=beta,
                  oracle=oracle, rng=oracle_rng)
    mu_star = approached_equilibrium(game, run_.trajectory.mean_fields[-1])
    verdict = check_lemma7(game, run_.trajectory, mu_star, _estimate(game, mu_star, est_rng, config.n_pairs))
    eps = run_.errors.by_name()
    name = f"sampled {label}"
    return Verdict(
        claim_id=CLAIM_ID, status=verdict.status, summary=f"{name} (TD + SGD, K={config.oracle_steps}): {verdict.summary}",
        stated=tuple(Figure(name=f"{name}: {f.name}", value=f.value) for f in verdict.stated),
        measured=(*(Figure(name=f"{name}: {f.name}", value=f.value) for f in verdict.measured),
                  *(Figure(name=f"{name}: median {k}", value=verdict.evidence.get(key))
                    for k, key in (("LHS/RHS", "ratio_median"), ("share of d2 C2 β sqrt(σ_t) in the RHS",
                                                                   "sigma_term_share_median"))),
                  *(Figure(name=f"{name}: ε_{k}", value=float(np.median(eps[k])), low=float(eps[k].min()),
                           high=float(eps[k].max()), note="median [min, max] over t")
                    for k in ("critic", "actor", "approx", "total"))),
        reading=READING + " " + SAMPLED_READING,
        reasons=tuple(f"{name}: {r}" for r in verdict.reasons),
        evidence={**verdict.evidence, "case": name, "eta": eta, "beta": beta, "oracle": repr(oracle),
                  "epsilon": run_.errors.stats()},
    )


def check_exact_cases(profile: Profile, *, runner: Runner = run_exact_nac) -> list[Verdict]:
    """Lemma 7 along the exact-oracle runs of :data:`CASES` (``runner`` builds each trajectory)."""
    config = CONFIGS[profile.name]
    (rng,) = seed_streams(profile.master_seed, 1, label=CLAIM_ID)
    verdicts = []
    for label, build, eta, beta in CASES:
        game = build()
        trajectory = runner(game, n_iterations=config.n_iterations, policy_step=eta, mean_field_step=beta)
        mu_star = approached_equilibrium(game, trajectory.mean_fields[-1])
        est = _estimate(game, mu_star, rng, config.n_pairs)
        verdict = check_lemma7(game, trajectory, mu_star, est)
        verdict.evidence.update({"case": label, "eta": eta, "beta": beta})
        verdicts.append(verdict)
    return verdicts


def run(
    profile: Profile, *, runner: Runner = run_exact_nac, sampled_runner: SampledRunner = run_sampled_nac
) -> Verdict:
    """Lemma 7 along exact-oracle NAC runs on the control game (d̄ > 0) and on SIS (d̄ <= 0),
    and along a TD + SGD run on the control game."""
    verdicts = check_exact_cases(profile, runner=runner)
    sampled = check_sampled_case(profile, runner=sampled_runner)
    failed = [v for v in [*verdicts, sampled] if v.status == "fail"]
    checked = [v for v in [*verdicts, sampled] if v.status != "not_applicable"]
    skipped = [v for v in verdicts if v.status == "not_applicable"]
    status = "fail" if failed else ("pass" if checked else "not_applicable")
    return Verdict(
        claim_id=CLAIM_ID,
        status=status,
        summary="; ".join(v.summary for v in [*verdicts, sampled]),
        stated=tuple(f for v in checked for f in v.stated),
        measured=tuple(f for v in checked for f in v.measured),
        reading=READING + " " + SAMPLED_READING,
        reasons=tuple(r for v in failed + skipped for r in (v.summary, *v.reasons))[:10],
        evidence={"cases": [v.evidence for v in verdicts], "sampled_cases": [sampled.evidence]},
    )
