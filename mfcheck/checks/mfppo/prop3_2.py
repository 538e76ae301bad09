"""mfppo.prop3_2: the given MF-PPO's proximal update is the KL-proximal maximiser (Prop 3.2, App D).

The part checked is the one Algorithm 1 runs: ``algorithm.proximal_target(Q, F_k, τ_k, τ_{k+1}, v_k)``
gives F_{k+1} and π_{k+1} = softmax(F_{k+1}/τ_{k+1}); with π_k = softmax(F_k/τ_k), Prop 3.2 says
π_{k+1} = argmax_{π ∈ Δ} <Q, π> - v_k KL(π ‖ π_k) = π_k exp(Q/v_k)/Z. Checked per random instance
by the KKT conditions (log π - log π_k - Q/v_k constant, π on the simplex), the closed form, no
random feasible point with a higher objective, and, on some instances, an independent cvxpy
solve (:func:`mfcheck.solvers.kl_proximal.kl_proximal_cvxpy`). Tolerances from the toml.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO, MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.ideal import softmax
from mfcheck.algorithms.mfppo.problem import Array
from mfcheck.judgement import (
    QUICK,
    Cell,
    Figure,
    Profile,
    Record,
    Verdict,
    get_claim,
    grid,
    run_cells,
)

CLAIM_ID = "mfppo.prop3_2"
DEFAULT_ALGORITHM = MFPPO_DEFAULT
#: smallest positive normal float: entries below it have lost relative precision
TINY = float(np.finfo(float).tiny)


@dataclass(frozen=True, kw_only=True)
class PpoProp32Sizes:
    """Random (Q, F_k, τ_k, τ_{k+1}, v_k) instances, how many also go to cvxpy, the largest |Ā|."""

    n_instances: int
    n_cvxpy: int
    max_actions: int


SIZES = {"quick": PpoProp32Sizes(n_instances=300, n_cvxpy=10, max_actions=8),
         "full": PpoProp32Sizes(n_instances=5000, n_cvxpy=100, max_actions=20)}

READING = ("per state (the expectation over ν_k separates); Q ∈ [-20, 20]^|Ā|, v_k, τ_k, τ_{k+1} ∈ "
           "[0.05, 10] log-uniform, F_k ∈ [-5, 5]^|Ā|, π_k = softmax(F_k/τ_k)")


def closed_form(q_values: Array, previous: Array, v: float) -> Array:
    """π_k exp(q/v)/Z, computed in log space (Prop 3.2)."""
    logits = np.log(previous) + q_values / v
    weights = np.exp(logits - logits.max())
    return weights / weights.sum()


def objective(pi: Array, q_values: Array, previous: Array, v: float) -> float:
    """<q, π> - v KL(π ‖ π_k)."""
    support = pi > 0
    kl = float(np.sum(pi[support] * (np.log(pi[support]) - np.log(previous[support]))))
    return float(q_values @ pi) - v * kl


def kkt_violation(pi: Array, q_values: Array, previous: Array, v: float) -> float:
    """Largest deviation from the KKT conditions of the (strictly concave) problem.

    Stationarity: log π - log π_k - q/v constant on the support (π_k > 0: full support); primal
    feasibility: π >= 0, Σπ = 1. An exact π(a) below the smallest normal number (e^-708)
    underflows: the constant is measured on the normal entries, and an entry below that range
    passes when stationarity puts its exact value below it too.
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


def cells(profile: Profile, *, cvxpy: bool = True) -> list[Cell]:
    s = SIZES[profile.name]
    n_cvxpy = s.n_cvxpy if cvxpy else 0
    return (grid(CLAIM_ID, seeds=range(n_cvxpy), oracle=["cvxpy"], actions=[s.max_actions])
            + grid(CLAIM_ID, seeds=range(n_cvxpy, s.n_instances), oracle=["kkt"], actions=[s.max_actions]))


def measure(cell: Cell, algorithm: MFPPO, master_seed: int) -> Record:
    """One instance: the algorithm's update, its KKT residual, rivals and (maybe) the cvxpy point."""
    rng = cell.rng(master_seed, "instance")
    n_actions = int(rng.integers(2, int(cell["actions"]) + 1))
    q_values = rng.uniform(-20, 20, n_actions)
    v, tau, tau_next = np.exp(rng.uniform(np.log(0.05), np.log(10), 3))
    energy = rng.uniform(-5, 5, n_actions)
    previous = softmax(energy, tau)
    pi = softmax(np.asarray(algorithm.proximal_target(q_values, energy, tau, tau_next, v), dtype=float), tau_next)
    best = objective(pi, q_values, previous, v)
    rivals = cell.rng(master_seed, "rivals").dirichlet(np.ones(n_actions), size=32)
    values: dict[str, object] = {
        "n_actions": n_actions, "v": float(v),
        "kkt": kkt_violation(pi, q_values, previous, v),
        "closed_form_gap": float(np.abs(pi - closed_form(q_values, previous, v)).max()),
        "rival_gain": max(objective(r, q_values, previous, v) - best for r in rivals),
    }
    if cell["oracle"] == "cvxpy":
        from mfcheck.solvers.kl_proximal import kl_proximal_cvxpy

        point, status = kl_proximal_cvxpy(q_values, previous, float(v))
        if np.isfinite(point).all():
            # v-strongly concave in L1 (Pinsker): a point `gap` below the maximum lies within
            # sqrt(2 gap / v) of the maximiser, so cvxpy's point must lie there too
            gap = best - objective(point, q_values, previous, v)
            distance = float(np.abs(point - pi).sum())
            values |= {"cvxpy_status": status, "cvxpy_gain": -gap, "cvxpy_l1": distance,
                       "cvxpy_excess": distance - float(np.sqrt(2 * max(gap, 0.0) / v))}
        else:
            values |= {"cvxpy_status": status}
    return Record.of(cell, **values)


def judge(records: list[Record]) -> Verdict:
    claim = get_claim(CLAIM_ID)
    tol = {name: claim.threshold(name) for name in
           ("kkt_atol", "closed_form_atol", "rival_gain_atol", "cvxpy_value_tol", "cvxpy_l1_tol")}
    bad = [
        f"instance {r.cell.seed_index}: KKT violation {float(r['kkt']):.3g}, closed-form gap "  # type: ignore[arg-type]
        f"{float(r['closed_form_gap']):.3g}, random point better by {float(r['rival_gain']):.3g} "  # type: ignore[arg-type]
        f"(|Ā|={r['n_actions']}, v={float(r['v']):.3g})"  # type: ignore[arg-type]
        for r in records if float(r["kkt"]) > tol["kkt_atol"]  # type: ignore[arg-type]
        or float(r["closed_form_gap"]) > tol["closed_form_atol"]  # type: ignore[arg-type]
        or float(r["rival_gain"]) > tol["rival_gain_atol"]]  # type: ignore[arg-type]
    failures = list(bad)
    solved = [r for r in records if "cvxpy_gain" in r.values]
    unsolved = [r.cell.seed_index for r in records if "cvxpy_status" in r.values and "cvxpy_gain" not in r.values]
    not_optimal = [r.cell.seed_index for r in solved if r["cvxpy_status"] != "optimal"]
    cvx = {name: max((float(r[name]) for r in solved), default=None)  # type: ignore[arg-type]
           for name in ("cvxpy_gain", "cvxpy_l1", "cvxpy_excess")}
    if cvx["cvxpy_gain"] is not None and cvx["cvxpy_gain"] > tol["cvxpy_value_tol"]:
        failures.append(f"cvxpy's point beats the update by {cvx['cvxpy_gain']:.3g}")
    if cvx["cvxpy_excess"] is not None and cvx["cvxpy_excess"] > tol["cvxpy_l1_tol"]:
        failures.append(f"cvxpy's point lies {cvx['cvxpy_excess']:.3g} (L1) beyond the strong-concavity radius")
    worst = {name: max(float(r[name]) for r in records)  # type: ignore[arg-type]
             for name in ("kkt", "closed_form_gap", "rival_gain")}
    n = len(records)
    status = "fail" if failures else "pass"
    summary = (f"the update satisfies the KKT conditions to {worst['kkt']:.2g} on {n} instances"
               + (f"; {len(solved)} cvxpy solves never beat it and lie within the strong-concavity radius "
                  "of their objective gap" if solved else "")
               if not failures else f"{len(bad)} of {n} instances where the update is not the KL-proximal maximiser"
               + ("; cvxpy's points beat it" if len(failures) > len(bad) else ""))
    return Verdict(
        claim_id=CLAIM_ID, status=status, summary=summary,
        stated=(Figure(name="maximiser", value="π_k exp(Q/v_k) / Z = softmax(F_{k+1}/τ_{k+1})"),
                Figure(name="KKT tolerance", value=tol["kkt_atol"])),
        measured=(Figure(name="max KKT violation", value=worst["kkt"]),
                  Figure(name="max gap to the closed form π_k exp(Q/v_k)/Z", value=worst["closed_form_gap"]),
                  Figure(name="best random-point gain", value=worst["rival_gain"]),
                  Figure(name="max ‖π - π_cvxpy‖₁", value=cvx["cvxpy_l1"],
                         note=f"{len(solved)} cvxpy solves (CLARABEL), {len(not_optimal)} not reported optimal"),
                  Figure(name="max excess of ‖π - π_cvxpy‖₁ over sqrt(2 gap / v)", value=cvx["cvxpy_excess"],
                         note=f"must be <= {tol['cvxpy_l1_tol']:g}; gap = objective(π) - objective(π_cvxpy)"),
                  Figure(name="cvxpy objective gain over the update", value=cvx["cvxpy_gain"],
                         note=f"must be <= {tol['cvxpy_value_tol']:g}")),
        reading=READING, reasons=tuple(failures[:5]),
        evidence={"n_instances": n, "n_cvxpy": len(solved), "cvxpy_not_optimal": not_optimal,
                  "cvxpy_unsolved": unsolved, "worst": worst},
    )


def check(algorithm: MFPPO = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Judge ``algorithm.proximal_target`` on the profile's random instances (cvxpy when installed)."""
    try:
        import cvxpy  # noqa: F401

        available = True
    except ImportError:
        available = False
    return judge(run_cells(cells(profile, cvxpy=available), measure, algorithm, profile.master_seed))
