"""mfppo.thm4_1_rate: min_k L(π*) - L(π_k) of MF-PPO (Alg 1-3) against K, with L(π*) exact.

For each K of a grid, Algorithm 1 runs K outer iterations (T, N growing with K as far as the
profile affords; the theorem's N, T = Ω(K³), m = Ω(K⁶) are out of reach) and the gap
``min_{0<=k<=K} L(π*) - L(π_k)`` (eq 4.1, ν* of the optimal policy, exact) is recorded per
seed. Checked: (a) the gap is below the theorem's first bound (E.24) at every K, with its
constants computed on the instance (measured ε_k, ε'_{k+1}, φ*_k, ψ*_k of Lemma 4.3, M);
(b) the fitted K-exponent's interval upper end <= -1/2 + margin. Local slopes and r² say
whether the decay is a power law at all. The same checker runs the exact twin (ε = ε' = 0),
which shows it can pass.
Reference: MF-PPO Theorem 4.1, Lemma 4.3, eq (E.24), Algorithm 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPOConfig, WeightsView, run_mfppo
from mfcheck.algorithms.mfppo.ideal import run_energy_form
from mfcheck.algorithms.mfppo.problem import (
    Array,
    MeanFieldProblem,
    expected_total_reward,
    optimal_policy,
    q_function,
    random_problem,
    stationary_distribution,
)
from mfcheck.checks.mfppo._rate_judgement import judge_rate, rate_spec
from mfcheck.judgement import Figure, Profile, Verdict
from mfcheck.stats import seed_streams

CLAIM_ID = "mfppo.thm4_1_rate"
#: maps the exact Q [X, M] and ν_k [X] to what an exact critic reports (mutants: drop d)
ExactCritic = Callable[[MeanFieldProblem, Array, Array], Array]


@dataclass(frozen=True, kw_only=True)
class Config:
    """Sizes of the K sweep."""

    #: K grid
    k_grid: tuple[int, ...]
    #: seeds (initialisations) per K
    n_seeds: int
    #: v of Algorithm 1
    v: float = 0.05
    #: inner steps T = t_per_k * K
    t_per_k: int = 128
    #: agents N = n_per_k * K
    n_per_k: int = 16
    #: width m = m_A = m_Q
    width: int = 64
    #: radii R_Q = R_A
    radius: float = 4.0
    #: symmetric initialisation (the checked reading); the plain Sec 4 one is also reported
    symmetric_init: bool = True
    #: also run the plain initialisation and report it
    report_plain: bool = True


CONFIGS = {
    "quick": Config(k_grid=(1, 2, 4, 8), n_seeds=6, t_per_k=128, width=64),
    "full": Config(k_grid=(1, 2, 4, 8, 16), n_seeds=12, t_per_k=256, width=128),
}


def instance(rng: np.random.Generator) -> MeanFieldProblem:
    """A random mean-field MDP whose optimal policy depends on d (mean-field weight 2)."""
    return random_problem(rng, n_local=2, n_population=3, n_actions=3, gamma=0.5,
                          mean_field_weight=2.0)


def mean_field_blind(problem: MeanFieldProblem, q: Array, nu: Array) -> Array:
    """Q averaged over d under ν within each own state: a critic that ignores the mean field."""
    out = np.empty_like(q)
    for s in range(problem.n_local):
        rows = problem.own == s
        w = nu[rows] / max(nu[rows].sum(), 1e-300)
        out[rows] = w @ q[rows]
    return out


def run_twin(problem: MeanFieldProblem, n_iterations: int, v: float,
             critic: ExactCritic | None = None) -> Array:
    """Policies π_0..π_K [K+1, 1, X, M] of exact MF-PPO (Prop 3.2 energy form, ε = ε' = 0)."""

    def exact(policy: Array) -> Array:
        q = q_function(problem, policy)
        return q if critic is None else critic(problem, q, stationary_distribution(problem, policy))

    return run_energy_form(problem, n_iterations, v, exact)[0][:, None]


def theorem_bound(problem: MeanFieldProblem, history, v: float, radius: float,
                  pi_star: Array, nu_star: Array) -> Array:
    """The first bound of Thm 4.1 (E.24) per seed, with Lemma 4.3's compound errors.

    ``[v²(log|A| + Σ_{k=1}^{K-1}(ε̃_k + ε̃'_k)) + M] / ((1-γ) v √K)`` with
    ``ε̃_k = ε'_{k+1} φ*_{k+1}/τ_{k+1} + ε_k ψ*_k / v_k``, ``ε̃'_k = |A| (ε'_{k+1})² / τ_{k+1}²``,
    ``M = E_ν*[max_ā F_θ0²] + 2 R_A²``; φ*_K (beyond the run) is taken as 0 (a looser twin
    would only raise the bound).
    """
    policies = history.policies
    n_k = policies.shape[0] - 1
    n_m = problem.n_actions
    taus, prox = history.temperatures, history.proximities
    nus = stationary_distribution(problem, policies)
    phi = np.sqrt((nus[..., None] / n_m * (n_m * (pi_star - policies)) ** 2).sum(axis=(-2, -1)))
    sigma = nus[..., None] * policies
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(sigma > 0, nu_star[:, None] * (pi_star - policies) / sigma, 0.0)
    psi = np.sqrt((sigma * ratio**2).sum(axis=(-2, -1)))
    total = np.zeros(policies.shape[1])
    for k in range(1, n_k):
        eps_k, eps_next = history.eval_errors[k], history.improve_errors[k]
        total = total + eps_next * phi[k + 1] / taus[k + 1] + eps_k * psi[k] / prox[k]
        total = total + n_m * eps_next**2 / taus[k + 1] ** 2
    m_const = (nu_star @ (history.critic_init_values**2).max(axis=-1).T) + 2 * radius**2
    return (v**2 * (np.log(n_m) + total) + m_const) / ((1 - problem.gamma) * v * np.sqrt(n_k))


def min_gaps(problem: MeanFieldProblem, policies: Array, pi_star: Array, nu_star: Array) -> Array:
    """min_{0<=k<=K} L(π*) - L(π_k) per seed (normalised L, eq 4.1)."""
    star = expected_total_reward(problem, pi_star, nu_star)
    return (star - expected_total_reward(problem, policies, nu_star)).min(axis=0)


def sweep(problem: MeanFieldProblem, config: Config, rngs: list[np.random.Generator], *,
          symmetric: bool, critic_view: WeightsView | None = None) -> dict[str, Array]:
    """Neural gaps [G, R], bounds [G, R], mean ε, ε' per K."""
    pi_star = optimal_policy(problem)
    nu_star = stationary_distribution(problem, pi_star)
    gaps, bounds, eps, eps_prime = [], [], [], []
    for rng, k in zip(rngs, config.k_grid):
        mf = MFPPOConfig(n_iterations=k, v=config.v, n_steps=config.t_per_k * k,
                         width=config.width, n_agents=config.n_per_k * k,
                         radius_critic=config.radius, radius_actor=config.radius,
                         symmetric_init=symmetric)
        history = run_mfppo(problem, mf, rng, n_runs=config.n_seeds, critic_view=critic_view)
        gaps.append(min_gaps(problem, history.policies, pi_star, nu_star))
        bounds.append(theorem_bound(problem, history, config.v, config.radius, pi_star, nu_star))
        eps.append(float(history.eval_errors.mean()))
        eps_prime.append(float(history.improve_errors.mean()))
    return {"gaps": np.array(gaps), "bounds": np.array(bounds), "eps": np.array(eps),
            "eps_prime": np.array(eps_prime)}


def judge(label: str, grid: tuple[int, ...], gaps: Array, bounds: Array | None,
          rng: np.random.Generator) -> dict[str, object]:
    """Exponent fit of the gaps and the bound check, as a JSON-able record."""
    judgement = judge_rate(label=label, spec=rate_spec(CLAIM_ID, "K"), grid=grid,
                           errors=np.maximum(gaps, 1e-15), rng=rng)
    below = True if bounds is None else bool((gaps <= bounds).all())
    return {"judgement": judgement, "below_bound": below,
            "bound_min": None if bounds is None else float(bounds.min())}


def check_thm4_1_rate(problem: MeanFieldProblem, config: Config, *, master_seed: int,
                      critic_view: WeightsView | None = None) -> Verdict:
    """Neural MF-PPO's K-rate on ``problem`` (``critic_view`` lets a mutant blind the critic)."""
    streams = seed_streams(master_seed, 2 * len(config.k_grid) + 1, label=CLAIM_ID)
    n_g = len(config.k_grid)
    main = sweep(problem, config, streams[:n_g], symmetric=config.symmetric_init,
                 critic_view=critic_view)
    result = judge("neural MF-PPO", config.k_grid, main["gaps"], main["bounds"], streams[-1])
    plain = None
    if config.report_plain and config.symmetric_init:
        plain = sweep(problem, config, streams[n_g:2 * n_g], symmetric=False,
                      critic_view=critic_view)
        plain_result = judge("plain init (reported)", config.k_grid, plain["gaps"],
                             plain["bounds"], streams[-1])
    twin = np.array([min_gaps(problem, run_twin(problem, k, config.v), optimal_policy(problem),
                              stationary_distribution(problem, optimal_policy(problem)))
                     for k in config.k_grid])
    return _verdict(config, main, result, plain and {"data": plain, "result": plain_result}, twin)


def check_exact_twin(problem: MeanFieldProblem, config: Config, *, master_seed: int,
                     critic: ExactCritic | None = None) -> Verdict:
    """The same judgement on the exact twin (ε = ε' = 0; one deterministic run per K)."""
    pi_star = optimal_policy(problem)
    nu_star = stationary_distribution(problem, pi_star)
    gaps = np.array([min_gaps(problem, run_twin(problem, k, config.v, critic), pi_star, nu_star)
                     for k in config.k_grid])
    rng = seed_streams(master_seed, 1, label=CLAIM_ID + ".twin")[0]
    result = judge("exact twin", config.k_grid, gaps, None, rng)
    j = result["judgement"]
    return Verdict(
        claim_id=CLAIM_ID, status="pass" if j.passed else "fail",
        summary=f"exact twin: K-exponent {j.fit.exponent:.2f} (r² {j.fit.r_squared:.3f})",
        stated=(j.stated_figure(),), measured=j.figures(), reasons=(j.reason(),) if j.reason() else (),
        evidence={"twin": j.evidence(), "gaps": gaps[:, 0].tolist()})


def _verdict(config: Config, main, result, plain, twin: Array) -> Verdict:
    j = result["judgement"]
    failed = []
    if not result["below_bound"]:
        failed.append("the gap exceeds the theorem's bound (E.24) at some K")
    if not j.passed:
        failed.append(j.reason())
    measured = (*j.figures(), Figure(name="mean min_k gap per K", value=" ".join(f"{x:.4g}" for x in main["gaps"].mean(1))), Figure(name="exact twin min_k gap per K", value=" ".join(f"{x:.4g}" for x in twin[:, 0])), Figure(name="smallest theorem bound (E.24)", value=result["bound_min"], note="M >= 2 R_A² makes it exceed the largest possible gap (1)"), Figure(name="mean ε_k per K", value=" ".join(f"{x:.3g}" for x in main["eps"])), Figure(name="mean ε'_{k+1} per K", value=" ".join(f"{x:.3g}" for x in main["eps_prime"])))
    evidence = {"neural": j.evidence(), "gaps": main["gaps"].tolist(),
                "bounds": main["bounds"].tolist(), "below_bound": result["below_bound"],
                "eps": main["eps"].tolist(), "eps_prime": main["eps_prime"].tolist(),
                "twin_gaps": twin[:, 0].tolist(), "k_grid": list(config.k_grid)}
    if plain is not None:
        pj = plain["result"]["judgement"]
        measured += (*pj.figures(), Figure(name="plain init: mean min_k gap per K", value=" ".join(f"{x:.4g}" for x in plain["data"]["gaps"].mean(1))))
        evidence["plain"] = {**pj.evidence(), "gaps": plain["data"]["gaps"].tolist(),
                             "below_bound": plain["result"]["below_bound"]}
    return Verdict(
        claim_id=CLAIM_ID, status="fail" if failed else "pass",
        summary=(f"neural MF-PPO: K-exponent {j.fit.exponent:.2f} [{j.fit.low:.2f}, {j.fit.high:.2f}]"
                 f" (exact twin {np.polyfit(np.log(config.k_grid), np.log(twin[:, 0]), 1)[0]:.2f});"
                 f" below the bound at every K: {result['below_bound']}"),
        stated=(j.stated_figure(), Figure(name="bound (E.24)", value="gap <= bound at every K")),
        measured=measured, reading=READING, reasons=tuple(failed), evidence=evidence)


READING = (
    "Symmetric initialisation (paired units, F_{θ0} ≡ 0, Cai et al. 2019 / Liu et al. 2019) is "
    "the checked reading; the paper's plain init is run and reported beside it. T = t_per_k·K, "
    "N = n_per_k·K, m fixed (the theorem's T, N = Ω(K³), m = Ω(K⁶) are unaffordable). "
    "L normalised (Sec 2), min over 0 <= k <= K. Bound (E.24) with Lemma 4.3's compound errors "
    "computed from the measured ε_k, ε'_{k+1} and exact φ*, ψ*."
)


def run(profile: Profile) -> Verdict:
    config = CONFIGS[profile.name]
    problem = instance(seed_streams(profile.master_seed, 1, label=CLAIM_ID + ".instance")[0])
    return check_thm4_1_rate(problem, config, master_seed=profile.master_seed)
