"""mfppo.thm4_1_ideal: the ideal recursion of Thm 4.1's proof sketch, on the given MF-PPO's exact twin.

The exact twin (:meth:`MFPPO.exact_twin`: the algorithm's schedule and proximal update with the
exact Q^{π_k}) is run on exact models; at every k, with the paper's v_k = v√K,
``(1-γ)(L(π*) - L(π_k)) <= v_k E_{ν*}[KL(π*‖π_k) - KL(π*‖π_{k+1})] + r̄²/(2 v_k (1-γ)²)``
and, telescoped with π_0 uniform,
``min_{k<K} L(π*) - L(π_k) <= (v log|A| + r̄²/(2 v (1-γ)²)) / ((1-γ) √K)``.
Three readings of the (1-γ) normalisation are evaluated (``READINGS``); the verdict is on the
two self-consistent ones, the mixed one is reported beside them. One cell per (instance shape,
seed), the K and v grids in its settings (as text), through :func:`mfcheck.judgement.run_cells`.
Reference: MF-PPO Sec 4, proof sketch of Thm 4.1, eq (4.1)-(4.2), Prop 3.2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO, MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.ideal import kl_to
from mfcheck.algorithms.mfppo.problem import (
    MeanFieldProblem,
    expected_total_reward,
    optimal_policy,
    random_problem,
    stationary_distribution,
)
from mfcheck.algorithms.protocol import configure
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

CLAIM_ID = "mfppo.thm4_1_ideal"
DEFAULT_ALGORITHM = MFPPO_DEFAULT
#: reading -> (Q normalised in the update, L normalised in the inequality)
READINGS: dict[str, tuple[bool, bool]] = {
    "unnormalised": (False, False),
    "normalised": (True, True),
    "mixed": (True, False),
}
CHECKED: tuple[str, ...] = ("unnormalised", "normalised")
#: instance shapes (S, others, |Ā|, γ), indexed by the cell setting ``shape``
SHAPES: tuple[tuple[int, int, int, float], ...] = ((2, 3, 4, 0.5), (2, 4, 4, 0.9), (3, 2, 3, 0.8), (2, 2, 2, 0.95))


@dataclass(frozen=True, kw_only=True)
class PpoThm41IdealSizes:
    """Instances per shape, K grid and v grid."""

    seeds: int
    n_iterations: tuple[int, ...]
    vs: tuple[float, ...] = (0.05, 0.5, 5.0)


SIZES = {"quick": PpoThm41IdealSizes(seeds=1, n_iterations=(4, 16, 64)),
         "full": PpoThm41IdealSizes(seeds=6, n_iterations=(4, 16, 64, 256))}

READING = ("unnormalised: Q = E Σγ^t r in the update and L = E_ν*[V] unnormalised, ‖Q‖ <= r̄/(1-γ) "
           "(consistent with the proof sketch); normalised: the paper's Sec 2 (1-γ)-normalised Q, V and L "
           "throughout; mixed: normalised Q in the update (Alg 2's (1-γ) r target) with unnormalised L. "
           "Verdict on the first two. v_k = v√K as stated, whatever schedule the algorithm runs.")


def slacks(problem: MeanFieldProblem, algorithm: MFPPO, *, reading: str, rtol: float) -> dict[str, float]:
    """Worst slack of the per-step and telescoped inequalities under one reading (>= 0: holds) for
    the exact twin of ``algorithm`` (its K = n_iterations and v)."""
    q_norm, l_norm = READINGS[reading]
    gamma, r_bar = problem.gamma, problem.r_max
    big_k, v = algorithm.n_iterations, algorithm.v
    policies = algorithm.exact_twin(problem, normalised_q=q_norm)[0]
    pi_star = optimal_policy(problem)
    nu_star = stationary_distribution(problem, pi_star)
    gaps = (expected_total_reward(problem, pi_star, nu_star, normalised=l_norm)
            - expected_total_reward(problem, policies, nu_star, normalised=l_norm))
    kl = kl_to(pi_star, policies, nu_star)
    v_k = v * np.sqrt(big_k)
    rhs = v_k * (kl[:-1] - kl[1:]) + r_bar**2 / (2 * v_k * (1 - gamma) ** 2)
    lhs = (1 - gamma) * gaps[:-1]
    step_slack = rhs - lhs + rtol * (1 + np.abs(rhs) + np.abs(lhs))
    bound = (v * np.log(problem.n_actions) + r_bar**2 / (2 * v * (1 - gamma) ** 2)) / ((1 - gamma) * np.sqrt(big_k))
    min_gap = float(gaps[:-1].min())
    return {"worst_step_slack": float(step_slack.min()), "worst_step": int(np.argmin(step_slack)),
            "min_gap": min_gap, "bound": float(bound), "bound_slack": float(bound - min_gap)}


#: the settings that size a cell; its instance comes from the others (what it is)
SIZE_SETTINGS = ("K", "v")


def cells(profile: Profile) -> list[Cell]:
    """One cell per (shape, seed), with the K and v grids (as text)."""
    s = SIZES[profile.name]
    return grid(CLAIM_ID, seeds=s.seeds, shape=range(len(SHAPES)), K=[",".join(map(str, s.n_iterations))],
                v=[",".join(map(repr, s.vs))])


def identity(cell: Cell) -> Cell:
    """The cell without its sizes: (shape, seed)."""
    return Cell.of(cell.claim_id, {k: v for k, v in cell.items if k not in SIZE_SETTINGS}, cell.seed_index)


def instance(cell: Cell, master_seed: int) -> MeanFieldProblem:
    n_local, n_population, n_actions, gamma = SHAPES[int(cell["shape"])]  # type: ignore[arg-type]
    return random_problem(identity(cell).rng(master_seed, "instance"), n_local=n_local, n_population=n_population,
                          n_actions=n_actions, gamma=gamma)


def measure(cell: Cell, algorithm: MFPPO, master_seed: int) -> Record:
    """Slacks of every (K, v, reading) on the cell's instance."""
    problem = instance(cell, master_seed)
    rtol = get_claim(CLAIM_ID).threshold("rtol")
    rows = []
    for big_k in (int(k) for k in str(cell["K"]).split(",")):
        for v in (float(x) for x in str(cell["v"]).split(",")):
            configured = configure(algorithm, n_iterations=big_k, v=v).algorithm
            rows += [{"K": big_k, "v": v, "reading": reading, **slacks(problem, configured, reading=reading, rtol=rtol)}
                     for reading in READINGS]
    return Record.of(cell, rows=rows)


def judge(records: list[Record], *, overridden: tuple[str, ...]) -> Verdict:
    rows = [{"instance": identity(r.cell).key, **row} for r in records for row in r["rows"]]  # type: ignore[union-attr]
    by_reading = {}
    for reading in READINGS:
        sel = [row for row in rows if row["reading"] == reading]
        by_reading[reading] = {
            "worst_step_slack": min(row["worst_step_slack"] for row in sel),
            "worst_bound_slack": min(row["bound_slack"] for row in sel),
            "violations": sum(row["worst_step_slack"] < 0 or row["bound_slack"] < 0 for row in sel),
            "cases": len(sel),
        }
    failed = [r for r in CHECKED if by_reading[r]["violations"]]
    reasons = tuple(
        f"reading {r}: {by_reading[r]['violations']}/{by_reading[r]['cases']} (instance, K, v) cases violate; "
        f"worst per-step slack {by_reading[r]['worst_step_slack']:.3g}, worst telescoped slack "
        f"{by_reading[r]['worst_bound_slack']:.3g}" for r in READINGS)
    measured = tuple(Figure(name=f"worst per-step slack ({r})", value=by_reading[r]["worst_step_slack"],
                            note="RHS - LHS, >= 0 holds") for r in READINGS) + tuple(
        Figure(name=f"worst telescoped slack ({r})", value=by_reading[r]["worst_bound_slack"]) for r in READINGS)
    return Verdict(
        claim_id=CLAIM_ID, status="fail" if failed else "pass",
        summary=(f"ideal recursion violated under {failed}" if failed else
                 f"per-step and telescoped bounds hold on {len(records)} instances x K "
                 f"{sorted({row['K'] for row in rows})} x v {sorted({row['v'] for row in rows})} "
                 "(unnormalised and normalised readings)"),
        stated=(Figure(name="per-step slack", value=0.0, note="must be >= 0"),
                Figure(name="min_k gap bound", value="(v log|A| + r̄²/(2v(1-γ)²))/((1-γ)√K)")),
        measured=measured, reading=READING, reasons=reasons,
        evidence={"by_reading": by_reading, "rows": rows}, overridden=overridden,
    )


def check(algorithm: MFPPO = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """The ideal recursion on the exact twin of ``algorithm`` over the profile's instances, K and v."""
    sizes = SIZES[profile.name]
    overridden = tuple(sorted({name for big_k in sizes.n_iterations for v in sizes.vs
                               for name in configure(algorithm, n_iterations=big_k, v=v).overridden}))
    records = run_cells(cells(profile), measure, algorithm, profile.master_seed)
    return judge(records, overridden=overridden)
