"""mfppo.prop3_2: closed form of the KL-proximal policy update (MF-PPO Prop 3.2, App D).

argmax_{π ∈ Δ(A)} <q, π> - v KL(π ‖ π_k) = π_k exp(q/v) / Z, and with π_k ∝ exp(F_A/τ) this is
∝ exp(q/v + F_A/τ). Checked by the KKT conditions in numpy (log π - log π_k - q/v constant on
the support, π on the simplex, and the objective at the closed form not beaten by random
feasible points) and, independently, against a cvxpy solve (exponential cone, CLARABEL).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mfcheck.judgement import Figure, Profile, Verdict
from mfcheck.stats import stream

CLAIM_ID = "mfppo.prop3_2"
KKT_TOL = 1e-9
#: smallest positive normal float: entries below it have lost relative precision
TINY = float(np.finfo(float).tiny)
#: cvxpy's point may beat the closed form's objective by at most this (roundoff; |objective| <= ~60)
CVXPY_VALUE_TOL = 1e-8
#: slack (L1) on the strong-concavity radius sqrt(2 gap / v) around the maximiser
CVXPY_L1_TOL = 1e-6

Array = NDArray[np.float64]
ProximalUpdate = Callable[[Array, Array, float], Array]


@dataclass(frozen=True, kw_only=True)
class Config:
    """Per-profile sizes."""

    n_instances: int
    """Random (q, v, π_k) triples checked by KKT."""
    n_cvxpy: int
    """Of these, how many are also solved with cvxpy (0 when cvxpy is absent)."""
    max_actions: int


CONFIGS = {
    "quick": Config(n_instances=300, n_cvxpy=10, max_actions=8),
    "full": Config(n_instances=5000, n_cvxpy=100, max_actions=20),
}


def proximal_update(q_values: Array, previous: Array, v: float) -> Array:
    """π ∝ π_k exp(q/v), computed in log space (Prop 3.2)."""
    logits = np.log(previous) + q_values / v
    logits -= logits.max()
    weights = np.exp(logits)
    return weights / weights.sum()


def energy_update(q_values: Array, energy: Array, tau: float, v: float) -> Array:
    """π ∝ exp(q/v + F_A/τ) for π_k ∝ exp(F_A/τ) (the energy form of Prop 3.2)."""
    logits = q_values / v + energy / tau
    logits -= logits.max()
    weights = np.exp(logits)
    return weights / weights.sum()


def objective(pi: Array, q_values: Array, previous: Array, v: float) -> float:
    """<q, π> - v KL(π ‖ π_k)."""
    support = pi > 0
    kl = float(np.sum(pi[support] * (np.log(pi[support]) - np.log(previous[support]))))
    return float(q_values @ pi) - v * kl


def kkt_violation(pi: Array, q_values: Array, previous: Array, v: float) -> float:
    """Largest deviation from the KKT conditions of the (strictly concave) problem.

    Stationarity: q - v(log π - log π_k + 1) + ν = 0 on the support (π_k > 0 gives full support),
    i.e. log π - log π_k - q/v constant; primal feasibility: π >= 0, Σπ = 1. In floating point an
    exact π(a) below the smallest normal number (e^-708) underflows: the constant is measured on
    the normal entries, and an entry below that range passes when stationarity puts its exact
    value below it too (so small v with large q can be checked without log 0).
    """
    if (pi < 0).any() or not np.isfinite(pi).all():
        return float("inf")
    normal = pi >= TINY
    if not normal.any():
        return float("inf")
    predicted = np.log(previous) + q_values / v
    residual = np.log(pi[normal]) - predicted[normal]
    constant = float(residual.mean())
    below = predicted[~normal] + constant - np.log(TINY)
    underflow = float(max(below.max(initial=0.0), 0.0))
    return float(max(np.ptp(residual), abs(pi.sum() - 1.0), underflow))


def cvxpy_solution(q_values: Array, previous: Array, v: float) -> tuple[Array, str]:
    """Independent oracle: solve the problem with cvxpy (CLARABEL, exponential cone).

    Returns the solution (clipped to π >= 0 and renormalised; NaN if the solver returned none)
    and the solver's status. On badly scaled instances (π_k down to 1e-69) CLARABEL stops short
    of the optimum value, sometimes with status "optimal": the checker therefore compares its
    point through the objective gap and the strong-concavity radius, not with a fixed tolerance.
    """
    import warnings

    import cvxpy as cp

    pi = cp.Variable(q_values.size, nonneg=True)
    problem = cp.Problem(
        cp.Maximize(q_values @ pi - v * cp.sum(cp.rel_entr(pi, previous))), [cp.sum(pi) == 1]
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Solution may be inaccurate")
        problem.solve(solver=cp.CLARABEL)
    if pi.value is None:
        return np.full(q_values.size, np.nan), str(problem.status)
    point = np.clip(np.asarray(pi.value, dtype=float), 0.0, None)
    return point / point.sum(), str(problem.status)


def _instance(rng: np.random.Generator, max_actions: int) -> tuple[Array, Array, float, Array, float]:
    n_actions = int(rng.integers(2, max_actions + 1))
    q_values = rng.uniform(-20, 20, n_actions)
    v = float(np.exp(rng.uniform(np.log(0.05), np.log(10))))
    tau = float(np.exp(rng.uniform(np.log(0.05), np.log(10))))
    energy = rng.uniform(-5, 5, n_actions)
    return q_values, energy, tau, energy_update(np.zeros(n_actions), energy, tau, 1.0), v


def check_prop3_2(
    *,
    update: ProximalUpdate = proximal_update,
    rng: np.random.Generator,
    n_instances: int = 300,
    n_cvxpy: int = 0,
    max_actions: int = 8,
) -> Verdict:
    """Check that ``update(q, π_k, v)`` maximises <q, π> - v KL(π‖π_k) on random instances."""
    worst_kkt = 0.0
    worst_energy = 0.0
    worst_gain = -np.inf
    worst_cvxpy = 0.0
    worst_cvxpy_gain = -np.inf
    worst_excess = -np.inf
    inaccurate: list[int] = []
    unsolved: list[int] = []
    failures: list[str] = []
    for index in range(n_instances):
        q_values, energy, tau, previous, v = _instance(rng, max_actions)
        pi = update(q_values, previous, v)
        violation = kkt_violation(pi, q_values, previous, v)
        worst_kkt = max(worst_kkt, violation)
        energy_gap = float(np.abs(pi - energy_update(q_values, energy, tau, v)).max())
        worst_energy = max(worst_energy, energy_gap)
        # no random feasible point beats the candidate
        rivals = rng.dirichlet(np.ones(q_values.size), size=32)
        best = objective(pi, q_values, previous, v)
        gain = max(objective(r, q_values, previous, v) - best for r in rivals)
        worst_gain = max(worst_gain, gain)
        if violation > KKT_TOL or energy_gap > 1e-9 or gain > 1e-9:
            failures.append(
                f"instance {index}: KKT violation {violation:.3g}, energy-form gap {energy_gap:.3g}, "
                f"random point better by {gain:.3g} (|A|={q_values.size}, v={v:.3g})"
            )
        if index < n_cvxpy:
            oracle, solver_status = cvxpy_solution(q_values, previous, v)
            if not np.isfinite(oracle).all():
                unsolved.append(index)
                continue
            # the objective is v-strongly concave in L1 (Pinsker), so a point whose value is `gap`
            # below the maximum lies within sqrt(2 gap / v) of it: cvxpy's point must too
            gap = best - objective(oracle, q_values, previous, v)
            distance = float(np.abs(oracle - pi).sum())
            worst_cvxpy_gain = max(worst_cvxpy_gain, -gap)
            worst_cvxpy = max(worst_cvxpy, distance)
            worst_excess = max(worst_excess, distance - np.sqrt(2 * max(gap, 0.0) / v))
            if solver_status != "optimal":
                inaccurate.append(index)
    if worst_cvxpy_gain > CVXPY_VALUE_TOL:
        failures.append(f"cvxpy's point beats the closed form by {worst_cvxpy_gain:.3g}")
    if worst_excess > CVXPY_L1_TOL:
        failures.append(f"cvxpy's point lies {worst_excess:.3g} (L1) beyond the strong-concavity radius")
    status = "fail" if failures else "pass"
    return Verdict(
        claim_id=CLAIM_ID,
        status=status,
        summary=(
            f"closed form satisfies the KKT conditions to {worst_kkt:.2g} on {n_instances} instances"
            + (f"; {n_cvxpy} cvxpy solves never beat it and lie within the strong-concavity "
               "radius of their objective gap" if n_cvxpy else "")
            if status == "pass"
            else f"{len(failures)} instances where the update is not the KL-proximal maximiser"
        ),
        stated=(
            Figure(name="maximiser", value="π_k exp(q/v) / Z = exp(q/v + F_A/τ) / Z"),
            Figure(name="KKT tolerance", value=KKT_TOL),
        ),
        measured=(
            Figure(name="max KKT violation", value=worst_kkt),
            Figure(name="max gap to energy form", value=worst_energy),
            Figure(name="best random-point gain", value=float(worst_gain)),
            Figure(name="max ‖π - π_cvxpy‖₁", value=worst_cvxpy if n_cvxpy else None,
                   note=f"{n_cvxpy - len(unsolved)} cvxpy solves (CLARABEL), "
                        f"{len(inaccurate)} not reported optimal"),
            Figure(name="max excess of ‖π - π_cvxpy‖₁ over sqrt(2 gap / v)",
                   value=float(worst_excess) if n_cvxpy else None,
                   note=f"must be <= {CVXPY_L1_TOL:g}; gap = objective(π) - objective(π_cvxpy)"),
            Figure(name="cvxpy objective gain over the closed form",
                   value=float(worst_cvxpy_gain) if n_cvxpy else None,
                   note=f"must be <= {CVXPY_VALUE_TOL:g}"),
        ),
        reading="q ∈ [-20, 20]^|A|, v, τ ∈ [0.05, 10] log-uniform, π_k ∝ exp(F_A/τ) with F_A ∈ [-5, 5].",
        reasons=tuple(failures[:5]),
        evidence={"n_instances": n_instances, "n_cvxpy": n_cvxpy,
                  "cvxpy_not_optimal": inaccurate,
                  "cvxpy_unsolved": unsolved},
    )


def run(profile: Profile) -> Verdict:
    """Check Prop 3.2 on the profile's random instances (cvxpy oracle when installed)."""
    config = CONFIGS[profile.name]
    try:
        import cvxpy  # noqa: F401

        n_cvxpy = config.n_cvxpy
    except ImportError:
        n_cvxpy = 0
    return check_prop3_2(
        rng=stream(profile.master_seed, label=CLAIM_ID),
        n_instances=config.n_instances,
        n_cvxpy=n_cvxpy,
        max_actions=config.max_actions,
    )
