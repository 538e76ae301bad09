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

from mfcheck.claims import Figure, Profile, Verdict
from mfcheck.stats import stream

CLAIM_ID = "mfppo.prop3_2"
KKT_TOL = 1e-9

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
    i.e. log π - log π_k - q/v constant; primal feasibility: π >= 0, Σπ = 1.
    """
    if (pi <= 0).any():
        return float("inf")
    residual = np.log(pi) - np.log(previous) - q_values / v
    return float(max(np.ptp(residual), abs(pi.sum() - 1.0)))


def cvxpy_solution(q_values: Array, previous: Array, v: float) -> Array:
    """Independent oracle: solve the problem with cvxpy (CLARABEL, exponential cone)."""
    import cvxpy as cp

    pi = cp.Variable(q_values.size, nonneg=True)
    problem = cp.Problem(
        cp.Maximize(q_values @ pi - v * cp.sum(cp.rel_entr(pi, previous))), [cp.sum(pi) == 1]
    )
    problem.solve(solver=cp.CLARABEL)
    return np.clip(np.asarray(pi.value, dtype=float), 0.0, None)


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
            oracle = cvxpy_solution(q_values, previous, v)
            worst_cvxpy = max(worst_cvxpy, float(np.abs(oracle - pi).max()))
    cvxpy_ok = worst_cvxpy <= 1e-4
    if not cvxpy_ok:
        failures.append(f"cvxpy oracle differs by {worst_cvxpy:.3g} > 1e-4")
    status = "fail" if failures else "pass"
    return Verdict(
        claim_id=CLAIM_ID,
        status=status,
        summary=(
            f"closed form satisfies the KKT conditions to {worst_kkt:.2g} on {n_instances} instances"
            + (f" and matches cvxpy to {worst_cvxpy:.2g} on {n_cvxpy}" if n_cvxpy else "")
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
            Figure(name="max |π - π_cvxpy|", value=worst_cvxpy if n_cvxpy else None,
                   note=f"{n_cvxpy} cvxpy solves (CLARABEL, tolerance 1e-4)"),
        ),
        reading="q ∈ [-20, 20]^|A|, v, τ ∈ [0.05, 10] log-uniform, π_k ∝ exp(F_A/τ) with F_A ∈ [-5, 5].",
        reasons=tuple(failures[:5]),
        evidence={"n_instances": n_instances, "n_cvxpy": n_cvxpy},
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
