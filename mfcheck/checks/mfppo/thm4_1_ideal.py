"""mfppo.thm4_1_ideal: the ideal MF-PPO recursion of the proof sketch of Thm 4.1, on exact models.

With exact Q^{π_k} and the exact KL-proximal update (Prop 3.2), at every k
``(1-γ)(L(π*) - L(π_k)) <= v_k E_{ν*}[KL(π*‖π_k) - KL(π*‖π_{k+1})] + r̄²/(2 v_k (1-γ)²)``
and, telescoped with v_k = v√K and π_0 uniform,
``min_{k<K} L(π*) - L(π_k) <= (v log|A| + r̄²/(2 v (1-γ)²)) / ((1-γ) √K)``.
Three readings of the (1-γ) normalisation are evaluated (see ``READINGS``); the verdict is on
the two self-consistent ones, the mixed one is reported beside them.
Reference: MF-PPO Sec 4, proof sketch of Thm 4.1, eq (4.1)-(4.2), Prop 3.2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.mfppo.ideal import IdealConfig, kl_to, run_ideal
from mfcheck.algorithms.mfppo.problem import (
    MeanFieldProblem,
    expected_total_reward,
    optimal_policy,
    random_problem,
    stationary_distribution,
)
from mfcheck.judgement import Figure, Profile, Verdict
from mfcheck.stats import seed_streams

CLAIM_ID = "mfppo.thm4_1_ideal"
#: reading -> (Q normalised in the update, L normalised in the inequality)
READINGS: dict[str, tuple[bool, bool]] = {
    "unnormalised": (False, False),
    "normalised": (True, True),
    "mixed": (True, False),
}
CHECKED: tuple[str, ...] = ("unnormalised", "normalised")
RTOL = 1e-9


@dataclass(frozen=True, kw_only=True)
class Config:
    """Sizes of the run."""

    #: instances per profile
    n_instances: int
    #: outer iterations K
    n_iterations: tuple[int, ...]
    #: policy update parameters v
    vs: tuple[float, ...] = (0.05, 0.5, 5.0)


CONFIGS = {
    "quick": Config(n_instances=4, n_iterations=(4, 16, 64)),
    "full": Config(n_instances=24, n_iterations=(4, 16, 64, 256)),
}


def evaluate_reading(problem: MeanFieldProblem, *, n_iterations: int, v: float, reading: str,
                     direction: float = 1.0) -> dict[str, float]:
    """Worst slack of the per-step and telescoped inequalities under one reading (>= 0: holds)."""
    q_norm, l_norm = READINGS[reading]
    gamma, r_bar = problem.gamma, problem.r_max
    history = run_ideal(problem, IdealConfig(n_iterations=n_iterations, v=v, normalised_q=q_norm,
                                             direction=direction))
    pi_star = optimal_policy(problem)
    nu_star = stationary_distribution(problem, pi_star)
    gaps = (expected_total_reward(problem, pi_star, nu_star, normalised=l_norm)
            - expected_total_reward(problem, history.policies, nu_star, normalised=l_norm))
    kl = kl_to(pi_star, history.policies, nu_star)
    v_k = history.proximities
    rhs = v_k * (kl[:-1] - kl[1:]) + r_bar**2 / (2 * v_k * (1 - gamma) ** 2)
    lhs = (1 - gamma) * gaps[:-1]
    step_slack = rhs - lhs
    tol = RTOL * (1 + np.abs(rhs) + np.abs(lhs))
    bound = (v * np.log(problem.n_actions) + r_bar**2 / (2 * v * (1 - gamma) ** 2)) / (
        (1 - gamma) * np.sqrt(n_iterations))
    min_gap = float(gaps[:-1].min())
    return {
        "worst_step_slack": float((step_slack + tol).min()),
        "worst_step": int(np.argmin(step_slack + tol)),
        "min_gap": min_gap,
        "bound": float(bound),
        "bound_slack": float(bound - min_gap),
    }


def check_thm4_1_ideal(problems: list[MeanFieldProblem], *, n_iterations: tuple[int, ...],
                       vs: tuple[float, ...], direction: float = 1.0) -> Verdict:
    """Check the per-step and telescoped inequalities on every problem, K and v."""
    rows = []
    for index, problem in enumerate(problems):
        for k in n_iterations:
            for v in vs:
                for reading in READINGS:
                    out = evaluate_reading(problem, n_iterations=k, v=v, reading=reading,
                                           direction=direction)
                    rows.append({"instance": index, "K": k, "v": v, "reading": reading, **out})
    summary_by = {}
    for reading in READINGS:
        sel = [r for r in rows if r["reading"] == reading]
        summary_by[reading] = {
            "worst_step_slack": min(r["worst_step_slack"] for r in sel),
            "worst_bound_slack": min(r["bound_slack"] for r in sel),
            "violations": sum(r["worst_step_slack"] < 0 or r["bound_slack"] < 0 for r in sel),
            "cases": len(sel),
        }
    failed = [r for r in CHECKED if summary_by[r]["violations"]]
    reasons = tuple(
        f"reading {r}: {summary_by[r]['violations']}/{summary_by[r]['cases']} (instance, K, v) cases "
        f"violate; worst per-step slack {summary_by[r]['worst_step_slack']:.3g}, worst telescoped "
        f"slack {summary_by[r]['worst_bound_slack']:.3g}" for r in READINGS)
    measured = tuple(
        Figure(name=f"worst per-step slack ({r})", value=summary_by[r]["worst_step_slack"],
               note="RHS - LHS, >= 0 holds") for r in READINGS
    ) + tuple(
        Figure(name=f"worst telescoped slack ({r})", value=summary_by[r]["worst_bound_slack"])
        for r in READINGS)
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if failed else "pass",
        summary=(f"ideal recursion violated under {failed}" if failed else
                 f"per-step and telescoped bounds hold on {len(problems)} instances x K {list(n_iterations)}"
                 f" x v {list(vs)} (unnormalised and normalised readings)"),
        stated=(Figure(name="per-step slack", value=0.0, note="must be >= 0"),
                Figure(name="min_k gap bound", value="(v log|A| + r̄²/(2v(1-γ)²))/((1-γ)√K)")),
        measured=measured,
        reading=("unnormalised: Q = E Σγ^t r in the update and L = E_ν*[V] unnormalised, "
                 "‖Q‖ <= r̄/(1-γ) (consistent with the proof sketch); normalised: the paper's Sec 2 "
                 "(1-γ)-normalised Q, V and L throughout; mixed: normalised Q in the update "
                 "(Alg 2's (1-γ) r target) with unnormalised L. Verdict on the first two."),
        reasons=reasons,
        evidence={"by_reading": summary_by, "rows": rows},
    )


def instances(profile: Profile) -> list[MeanFieldProblem]:
    """Random mean-field MDPs of several sizes and discounts from the profile's seed."""
    config = CONFIGS[profile.name]
    rngs = seed_streams(profile.master_seed, config.n_instances, label=CLAIM_ID)
    shapes = [(2, 3, 4, 0.5), (2, 4, 4, 0.9), (3, 2, 3, 0.8), (2, 2, 2, 0.95)]
    return [random_problem(rng, n_local=s, n_population=n, n_actions=a, gamma=g)
            for rng, (s, n, a, g) in zip(rngs, shapes * (config.n_instances // len(shapes) + 1))]


def run(profile: Profile) -> Verdict:
    """CLI entry: the ideal recursion on the profile's instances."""
    config = CONFIGS[profile.name]
    return check_thm4_1_ideal(instances(profile), n_iterations=config.n_iterations, vs=config.vs)
