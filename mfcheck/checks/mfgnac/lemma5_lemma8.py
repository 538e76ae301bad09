"""MFG-NAC Lemmas 5 and 8: the σ^π recursions along runs of Algorithm 1.

Lemma 5: σ_{t+1} <= E_{d*_t}[KL(π*_t‖π_{t+1})] + (1 + C1) κ d0 ‖μ_{t+1} - μ_t‖_1.
Lemma 8: σ_{t+1} <= (1 - η_t λ) σ_t + 3 C3 η_t (1 + 1/p_min) sqrt(ε_total) + 2 η_t² R²
                    + (1 + C1) κ d0 ‖μ_{t+1} - μ_t‖_1,
with σ_t = E_{d*_t}[KL(π*_t‖π_t)] and the constants reconstructed in :mod:`._along_run`. Two
kinds of runs:

* exact oracles and one-hot features, so ε_total = ε_approx + ε_actor + ε_critic = 0 (ε_approx is
  measured at the first iterate to confirm);
* TD (Algorithm 2) + SGD (Algorithm 3) oracles, with ε_critic, ε_actor, ε_approx computed exactly
  at every iterate against the exact q, A and L_t (realised errors, :class:`OracleErrors`), and
  the recursions checked at every t with that step's ε_total,t.

The policy-improvement step behind both (Lemma 1 with (12)-(13): E_{d*_t}KL(π*_t‖π_{t+1}) <=
(1 - ηλ)σ_t + 3C3η(1 + 1/p_min)sqrt(ε_total) + 2η²R²) is reported as well.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac import (
    Features,
    Oracle,
    approximation_error,
    one_hot_features,
    policy_context,
    random_features,
    theorem_schedule,
)
from mfcheck.checks.mfgnac._along_run import (
    OracleSettings,
    RunQuantities,
    SampledRunner,
    approached_equilibrium,
    run_exact_nac,
    run_quantities,
    run_sampled_nac,
    sampled_oracle,
)
from mfcheck.instances import contractive_game, linear_quadratic, sis
from mfcheck.instances.rescaling import rescale_rewards, reward_range
from mfcheck.judgement import Figure, Profile, Verdict
from mfcheck.models import MeanFieldGame
from mfcheck.solvers.equilibrium_search import equilibrium_mean_fields
from mfcheck.stats import seed_streams

CLAIM_ID = "mfgnac.lemma5_lemma8"
Array = NDArray[np.float64]
RTOL = 1e-9
#: Transforms the run's constants before the check (identity; mutants underestimate them).
ConstantsMap = Callable[[dict[str, float]], dict[str, float]]

READING = (
    "Algorithm 1 with exact oracles and one-hot features (ε_total = 0, ε_approx measured), "
    "constant η, β, θ_0 = 0, μ_0 = ρ. σ_t = E_{d*_t}KL(π*_t‖π_t), π*_t = Γ1^λ(μ_t), "
    "d*_t = d^{π*_t}_{μ_t} (normalised discounted visitation from ρ). Constants (Assumptions 1-2 "
    "reconstructed, sup along the run): C1 = max d*_{t+1}/d*, C2 = sup (E_{d*_t}(d*/d*_t)²)^{1/2}, "
    "C3 = max d*_t/d^{π_t}_{μ_t}, d0 = sup max(‖d*_{t+1} - d*_t‖_1, D(π*_t, π*_{t+1}))/‖μ_{t+1} - μ_t‖_1, "
    "d* = d^{π*}_{μ*} at the equilibrium the run approaches, R = max_t ‖ŵ_t‖, p_min = min_t π_t, "
    "κ = 2 log|A|/(1-γ) + (1 + 2R(1-γ))/(λ(1-γ)). SIS and LQ rewards rescaled to [0, 1] (Lemma 3 is "
    "used in Lemma 5's proof): SIS by its reward_bounds, LQ by its range over the vertices."
)
SAMPLED_READING = (
    "Sampled runs: Algorithm 1 with Algorithm 2 (TD(0), α_k = 1/(ω(k+1)(1-γ)), ball B = "
    "2 sqrt(|S||A|) Q_max, averaged) + Algorithm 3 (SGD, step R/(ρ√K), ball R = 2, averaged), K steps "
    "each, batch 16, i.i.d. samples. At every t, exactly against (π_t, μ_t) and realised (the draw "
    "the run used; the proof's steps hold pathwise for it): ε_critic,t = max_{s,a}(q̂_t - q_t)² "
    "(App B.2: ∀(s,a), no weighting), ε_actor,t = L̂_t(ŵ_t) - min_{w∈R^d} L̂_t(w) and "
    "ε_approx,t = min_w L_t(w), L̂_t and L_t weighted by d^{π_t}_{μ_t} × π_t; Lemma 8 at step t uses "
    "ε_total,t. Constants as for exact runs, sup along the sampled run (R = max‖ŵ_t‖ <= 2)."
)


def identity_constants(constants: dict[str, float]) -> dict[str, float]:
    """The run's constants unchanged."""
    return constants


def oracle_error_term(*, eta: float, epsilon_total: float | Array, constants: dict[str, float]) -> float | Array:
    """Lemma 8's 3 C3 η (1 + 1/p_min) sqrt(ε_total): a scalar, or per t for ε_total [T]."""
    eps = np.asarray(epsilon_total, dtype=float)
    if not np.any(eps > 0):
        return 0.0
    return 3 * constants["C3"] * eta * (1 + 1 / constants["p_min"]) * np.sqrt(eps)


def recursion_slacks(
    q: RunQuantities, *, eta: float, lam: float, epsilon_total: float | Array, constants: dict[str, float]
) -> dict[str, Array]:
    """RHS - LHS of Lemma 5, Lemma 8 and the policy-improvement step, per t (negative: violated).

    ``epsilon_total``: a scalar, or ε_total,t per step [T] (sampled runs).
    """
    c = constants
    drift = (1 + c["C1"]) * c["kappa"] * c["d0"] * q.mu_step
    oracle_term = oracle_error_term(eta=eta, epsilon_total=epsilon_total, constants=constants)
    quadratic = 2 * eta**2 * c["R"] ** 2
    nxt, cur = q.sigma[1:], q.sigma[:-1]
    return {
        "lemma5": q.kl_next + drift - nxt,
        "lemma8": (1 - eta * lam) * cur + oracle_term + quadratic + drift - nxt,
        "improvement": (1 - eta * lam) * cur + oracle_term + quadratic - q.kl_next,
    }


def check_run(
    game: MeanFieldGame, *, eta: float, beta: float, n_iterations: int,
    constants_map: ConstantsMap = identity_constants,
) -> Verdict:
    """Run exact-oracle NAC on ``game`` and check Lemmas 5 and 8 at every t."""
    trajectory = run_exact_nac(game, n_iterations=n_iterations, policy_step=eta, mean_field_step=beta)
    mu_star = approached_equilibrium(game, trajectory.mean_fields[-1], equilibrium_mean_fields(game))
    q = run_quantities(game, trajectory, mu_star)
    features = one_hot_features(game.n_states, game.n_actions)
    eps_approx = approximation_error(policy_context(game, features, trajectory.thetas[0], game.initial), features)
    constants = constants_map(dict(q.constants))
    slacks = recursion_slacks(q, eta=eta, lam=game.lam, epsilon_total=0.0, constants=constants)
    scale = np.maximum(1.0, q.sigma[1:])
    bad = {k: np.flatnonzero(v < -RTOL * scale) for k, v in slacks.items()}
    failed = bad["lemma5"].size + bad["lemma8"].size
    mins = {k: float(v.min()) for k, v in slacks.items()}
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if failed else "pass",
        summary=(f"{game.name} (λ={game.lam}, η={eta}, β={beta}, T={n_iterations}): violations L5 "
                 f"{bad['lemma5'].size}, L8 {bad['lemma8'].size}; min slack L5 {mins['lemma5']:.3g}, "
                 f"L8 {mins['lemma8']:.3g}; σ_0 = {q.sigma[0]:.3g} -> σ_T = {q.sigma[-1]:.3g}"),
        stated=tuple(Figure(name=k, value=float(v)) for k, v in constants.items()),
        measured=(Figure(name="min slack Lemma 5", value=mins["lemma5"]),
                  Figure(name="min slack Lemma 8", value=mins["lemma8"]),
                  Figure(name="ε_approx", value=eps_approx)),
        reading=READING,
        reasons=tuple(f"{k} t={t}: slack {slacks[k][t]:.3g}" for k in ("lemma5", "lemma8") for t in bad[k][:5]),
        evidence={"game": game.name, "lam": game.lam, "eta": eta, "beta": beta, "constants": constants,
                  "epsilon_approx": eps_approx, "min_slack": mins,
                  "violations": {k: int(v.size) for k, v in bad.items()},
                  "sigma_ratio_median": float(np.median(q.sigma[1:51] / np.maximum(q.sigma[:50], 1e-300))),
                  "mu_star": mu_star.tolist() if game.n_states <= 5 else float(np.arange(game.n_states) @ mu_star)},
    )


def check_sampled_run(
    game: MeanFieldGame, *, features: Features, eta: float, beta: float, n_iterations: int, oracle: Oracle,
    rng: np.random.Generator, label: str = "", constants_map: ConstantsMap = identity_constants,
    runner: SampledRunner = run_sampled_nac,
) -> Verdict:
    """Run NAC with ``oracle`` on ``game`` and check Lemmas 5 and 8 at every t with ε_total,t."""
    label = label or game.name
    run_ = runner(game, features=features, n_iterations=n_iterations, policy_step=eta,
                  mean_field_step=beta, oracle=oracle, rng=rng)
    errors = run_.errors
    mu_star = approached_equilibrium(game, run_.trajectory.mean_fields[-1], equilibrium_mean_fields(game))
    q = run_quantities(game, run_.trajectory, mu_star)
    constants = constants_map(dict(q.constants))
    slacks = recursion_slacks(q, eta=eta, lam=game.lam, epsilon_total=errors.total, constants=constants)
    scale = np.maximum(1.0, q.sigma[1:])
    bad = {k: np.flatnonzero(v < -RTOL * scale) for k, v in slacks.items()}
    failed = bad["lemma5"].size + bad["lemma8"].size
    mins = {k: float(v.min()) for k, v in slacks.items()}
    # diagnostics: Lemma 8 without its oracle term, and with the advantage error the proof's
    # steps L̂ <-> L use in place of the sup-norm ε_critic; the chain L_t(ŵ_t) <= 4ε_approx
    # + 2ε_actor + 6ε_critic with that error (it must hold at every t: a check of the ε's)
    bare = recursion_slacks(q, eta=eta, lam=game.lam, epsilon_total=0.0, constants=constants)["lemma8"]
    tight = recursion_slacks(q, eta=eta, lam=game.lam, constants=constants,
                             epsilon_total=errors.approx + errors.actor + errors.advantage)["lemma8"]
    chain = 4 * errors.approx + 2 * errors.actor + 6 * errors.advantage - errors.loss
    rhs = slacks["lemma8"] + q.sigma[1:]
    term = oracle_error_term(eta=eta, epsilon_total=errors.total, constants=constants)
    eps = errors.by_name()
    n_bare = int(np.sum(bare < -RTOL * scale))
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if failed else "pass",
        summary=(f"sampled {label} (λ={game.lam}, η={eta:.3g}, β={beta:.3g}, T={n_iterations}): violations "
                 f"L5 {bad['lemma5'].size}, L8 {bad['lemma8'].size}; min slack L5 {mins['lemma5']:.3g}, "
                 f"L8 {mins['lemma8']:.3g}; median ε_critic {np.median(errors.critic):.3g}, ε_actor "
                 f"{np.median(errors.actor):.3g}, ε_approx {np.median(errors.approx):.3g}; without the "
                 f"oracle term L8 fails at {n_bare} steps"),
        stated=tuple(Figure(name=k, value=float(v)) for k, v in constants.items()),
        measured=(Figure(name=f"sampled {label}: min slack Lemma 5", value=mins["lemma5"]),
                  Figure(name=f"sampled {label}: min slack Lemma 8", value=mins["lemma8"]),
                  Figure(name=f"sampled {label}: median σ_t+1 / RHS of Lemma 8", value=float(np.median(q.sigma[1:] / rhs))),
                  *(Figure(name=f"sampled {label}: ε_{k}", value=float(np.median(eps[k])), low=float(eps[k].min()),
                           high=float(eps[k].max()), note="median [min, max] over t")
                    for k in ("critic", "actor", "approx", "total"))),
        reading=READING + " " + SAMPLED_READING,
        reasons=tuple(f"{k} t={t} (sampled {label}): slack {slacks[k][t]:.3g}"
                      for k in ("lemma5", "lemma8") for t in bad[k][:5]),
        evidence={"case": label, "game": game.name, "lam": game.lam, "eta": eta, "beta": beta,
                  "features": features.kind, "dim": features.dim, "n_iterations": n_iterations,
                  "oracle": repr(oracle), "constants": constants,
                  "epsilon": errors.stats(),
                  "min_slack": {**mins, "lemma8_advantage_eps": float(tight.min()), "chain": float(chain.min())},
                  "violations": {k: int(v.size) for k, v in bad.items()},
                  "violations_without_oracle_term": n_bare,
                  "lemma8_ratio_median": float(np.median(q.sigma[1:] / rhs)),
                  "oracle_share_median": float(np.median(term / rhs)),
                  "sigma": {"first": float(q.sigma[0]), "last": float(q.sigma[-1]), "median": float(np.median(q.sigma))},
                  "max_target_norm": float(errors.target_norm.max())},
    )


@dataclass(frozen=True, kw_only=True)
class Config:
    """Sizes of the quick and full runs."""

    n_iterations: int
    """T of each exact-oracle run."""
    sampled_iterations: int
    """T of each sampled-oracle run."""
    oracle_steps: int
    """K of the TD and SGD oracles."""


CONFIGS = {
    "quick": Config(n_iterations=200, sampled_iterations=200, oracle_steps=128),
    "full": Config(n_iterations=2000, sampled_iterations=1000, oracle_steps=256),
}


def cases() -> list[tuple[MeanFieldGame, float, float]]:
    """(game, η, β): rescaled SIS (App D steps), rescaled LQ (App D steps), the control game."""
    lq = linear_quadratic(lam=0.1)
    return [
        (rescale_rewards(sis(lam=0.1)), 0.05, 0.01),
        (rescale_rewards(lq, reward_range(lq)), 0.1, 0.05),
        (contractive_game(lam=1.0), 0.1, 0.05),
    ]


def sampled_cases() -> list[tuple[str, MeanFieldGame, Features, float, float]]:
    """(label, game, features, η, β) of the TD + SGD runs: rescaled SIS with App D steps, and the
    control game with Theorem 1's steps for T = 10^6 (η = 10^-2.4/λ, β = 10^-4.8: the drift and
    2η²R² terms are small, so the oracle term carries the bound), with one-hot features and with
    2 random features (ε_approx > 0). LQ is left out: its d = 75 makes each TD call slow."""
    sis_game = rescale_rewards(sis(lam=0.1))
    control = contractive_game(lam=1.0)
    eta, beta = theorem_schedule(10**6, control.lam)
    return [
        ("sis (App D steps)", sis_game, one_hot_features(2, 2), 0.05, 0.01),
        ("control (Thm 1 steps, T=1e6)", control, one_hot_features(3, 2), eta, beta),
        ("control, 2 random features (Thm 1 steps, T=1e6)", control,
         random_features(np.random.default_rng(3), 3, 2, 2), eta, beta),
    ]


def check_sampled_cases(
    profile: Profile, *, constants_map: ConstantsMap = identity_constants,
    runner: SampledRunner = run_sampled_nac, labels: Sequence[str] | None = None,
) -> list[Verdict]:
    """:func:`check_sampled_run` on the :func:`sampled_cases` (those in ``labels``, default all),
    each with its own seed stream (the same whichever are selected)."""
    config = CONFIGS[profile.name]
    settings = OracleSettings(n_steps=config.oracle_steps)
    all_cases = sampled_cases()
    streams = seed_streams(profile.master_seed, len(all_cases), label=CLAIM_ID)
    return [check_sampled_run(g, features=f, eta=eta, beta=beta, n_iterations=config.sampled_iterations,
                              oracle=sampled_oracle(g, settings), rng=rng, label=label,
                              constants_map=constants_map, runner=runner)
            for (label, g, f, eta, beta), rng in zip(all_cases, streams) if labels is None or label in labels]


def run(
    profile: Profile, *, constants_map: ConstantsMap = identity_constants,
    sampled_runner: SampledRunner = run_sampled_nac,
) -> Verdict:
    """Lemmas 5 and 8 along exact-oracle runs (rescaled SIS, rescaled LQ, the control game) and
    along TD + SGD runs (rescaled SIS, the control game with one-hot and with random features)."""
    config = CONFIGS[profile.name]
    verdicts = [check_run(g, eta=eta, beta=beta, n_iterations=config.n_iterations, constants_map=constants_map)
                for g, eta, beta in cases()]
    sampled = check_sampled_cases(profile, constants_map=constants_map, runner=sampled_runner)
    failed = [v for v in verdicts + sampled if v.status == "fail"]
    rows = [v.evidence for v in verdicts]
    sampled_rows = [v.evidence for v in sampled]
    kept = ("C1", "C3", "d0", "kappa", "p_min", "R")
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if failed else "pass",
        summary="; ".join(v.summary for v in verdicts + sampled),
        stated=tuple(Figure(name=f"{r['game']} {k}", value=float(x)) for r in rows
                     for k, x in r["constants"].items() if k in kept)
        + tuple(Figure(name=f"sampled {r['case']} {k}", value=float(x)) for r in sampled_rows
                for k, x in r["constants"].items() if k in kept),
        measured=tuple(Figure(name=f"{r['game']} min slack {k}", value=x) for r in rows
                       for k, x in r["min_slack"].items())
        + tuple(f for v in sampled for f in v.measured),
        reading=READING + " " + SAMPLED_READING,
        reasons=tuple(r for v in failed for r in v.reasons)[:10],
        evidence={"runs": rows, "sampled_runs": sampled_rows},
    )
