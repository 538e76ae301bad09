"""mfppo.n_free_sample_complexity: the iterations MF-PPO needs to reach a fixed gap do not grow with N.

Algorithm 1 with the given MFPPO's own sampled critic (its ``policy_evaluation`` on T samples per
iteration, each with N agents drawn i.i.d. from d, read through its ``critic_embedding``) and the
exact actor update of Prop 3.2 (:mod:`mfcheck.algorithms.mfppo.sampled_critic_twin`): the samples
per iteration do not depend on N. For each N of a grid and each run, the first k with
``L(π*) - L(π_k) <= target`` (eq 4.1) is the sample complexity (in iterations). A run that does not
reach the target within K is not given a count: the sample complexity there is unknown (> K), and
any such run fails the verdict (no censoring hides growth). Otherwise the verdict passes when the
bootstrap interval of the N-exponent of the mean count has its upper end <= 0 + margin. One cell
per (N, seed), the run's sizes in its settings, through :func:`mfcheck.judgement.run_cells`.
Reference: MF-PPO abstract ("sample complexity independent of the number of agents"), Thm 4.1,
Alg 1, Alg 2, Prop 3.2, eq (4.1).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO, MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.problem import (
    MeanFieldProblem,
    expected_total_reward,
    optimal_policy,
    random_problem,
    stationary_distribution,
)
from mfcheck.algorithms.mfppo.sampled_critic_twin import run_with_exact_actor
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
    judge_rate,
    named_rng,
    rate_verdict,
    run_cells,
)
from mfcheck.stats import fit_rate

CLAIM_ID = "mfppo.n_free_sample_complexity"
DEFAULT_ALGORITHM = MFPPO_DEFAULT


@dataclass(frozen=True, kw_only=True)
class PpoNFreeSampleComplexitySizes:
    """The N grid and the run of Alg 1 (set on the MFPPO through ``configure``)."""

    n_grid: tuple[int, ...]
    #: runs per cell and cells per N
    runs: int = 16
    seeds: int = 1
    #: outer iterations K, policy parameter v, inner steps T (samples per iteration), width m
    n_iterations: int = 32
    v: float = 0.05
    n_steps: int = 256
    width: int = 64


SIZES = {
    "quick": PpoNFreeSampleComplexitySizes(n_grid=(4, 32, 256, 2048)),
    "full": PpoNFreeSampleComplexitySizes(n_grid=(4, 16, 64, 256, 1024, 4096), seeds=2, n_iterations=64, n_steps=1024, width=128),
}


def instance(master_seed: int) -> MeanFieldProblem:
    """The instance of thm4_1_rate: S = 2, 3 others, |Ā| = 3, γ = 0.5, optimal policy depending on d."""
    return random_problem(named_rng(master_seed, CLAIM_ID, "instance"), n_local=2, n_population=3, n_actions=3,
                          gamma=0.5, mean_field_weight=2.0)


#: the settings that size a cell; its networks and samples come from the others (what it is)
SIZE_SETTINGS = ("runs", "n_iterations", "v", "n_steps", "width")


def cells(profile: Profile) -> list[Cell]:
    """One cell per (N, seed), with the run's sizes (runs, K, v, T, m)."""
    s = SIZES[profile.name]
    return grid(CLAIM_ID, seeds=s.seeds, N=s.n_grid, runs=[s.runs], n_iterations=[s.n_iterations], v=[s.v],
                n_steps=[s.n_steps], width=[s.width])


def identity(cell: Cell) -> Cell:
    """The cell without its sizes: (N, seed)."""
    return Cell.of(cell.claim_id, {k: v for k, v in cell.items if k not in SIZE_SETTINGS}, cell.seed_index)


def measure(cell: Cell, algorithm: MFPPO, master_seed: int) -> Record:
    """Gaps L(π*) - L(π_k) [K+1, runs] of ``runs`` runs at the cell's N on the claim's instance."""
    problem = instance(master_seed)
    run = configure(algorithm, n_agents=cell["N"], n_iterations=cell["n_iterations"], v=cell["v"],
                    n_steps=cell["n_steps"], width=cell["width"])
    policies = run_with_exact_actor(run.algorithm, problem, identity(cell).rng(master_seed, "network and samples"),
                                    n_runs=int(cell["runs"]))  # type: ignore[arg-type]
    star = optimal_policy(problem)
    nu_star = stationary_distribution(problem, star)
    best = float(expected_total_reward(problem, star, nu_star))
    gaps = np.array([best - expected_total_reward(problem, pi, nu_star) for pi in policies])
    return Record.of(cell, gaps=gaps, overridden=list(run.overridden))


def check(algorithm: MFPPO = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Iterations (at a fixed number of samples per iteration) to reach the gap, over the N grid."""
    records = run_cells(cells(profile), measure, algorithm, profile.master_seed)
    n_grid = tuple(dict.fromkeys(int(r.cell["N"]) for r in records))  # type: ignore[arg-type]
    first = records[0].cell
    sizes = replace(SIZES[profile.name], n_grid=n_grid, n_iterations=int(first["n_iterations"]),  # type: ignore[arg-type]
                    n_steps=int(first["n_steps"]))  # type: ignore[arg-type]
    gaps = np.array([np.concatenate([np.asarray(r["gaps"], dtype=float) for r in records if r.cell["N"] == n],
                                    axis=1) for n in n_grid])  # [N, K+1, runs]
    overridden = tuple(dict.fromkeys(k for r in records for k in r["overridden"]))  # type: ignore[union-attr]
    return replace(sample_complexity_verdict(sizes, gaps, profile.master_seed), overridden=overridden)


def sample_complexity_verdict(sizes: PpoNFreeSampleComplexitySizes, gaps: np.ndarray, master_seed: int) -> Verdict:
    """The verdict from the gaps L(π*) - L(π_k) [N, K+1, runs] (π_0 uniform at k = 0)."""
    claim = get_claim(CLAIM_ID)
    relative = claim.threshold("relative_gap")
    target = relative * float(gaps[0, 0, 0])
    hit = gaps <= target
    reached = hit.any(axis=1)  # [N, runs]
    first = np.where(reached, hit.argmax(axis=1), -1)
    final = gaps[:, -1].mean(axis=1)
    fit_rng = named_rng(master_seed, CLAIM_ID, "final-gap fit")
    final_fit = fit_rate(sizes.n_grid, gaps[:, -1], rng=fit_rng, confidence=claim.threshold("report_confidence"),
                         n_resamples=int(claim.threshold("report_resamples")))
    figures = (
        Figure(name="runs that reached the target", value=" ".join(f"{int(r.sum())}/{r.size}" for r in reached),
               note=f"per N in {list(sizes.n_grid)}; target {relative:g} × the uniform policy's gap = {target:.4g}"),
        Figure(name="mean gap after K iterations", value=" ".join(f"{g:.4g}" for g in final),
               note=f"K = {sizes.n_iterations}, per N"),
        Figure(name="N-exponent of the gap after K (reported)", value=final_fit.exponent, low=final_fit.low,
               high=final_fit.high, note=f"{final_fit.confidence:.0%} stratified bootstrap; reported, not judged"),
        Figure(name="samples per iteration", value=sizes.n_steps, note="T, the same for every N"),
    )
    evidence = {"n_grid": list(sizes.n_grid), "target": target, "reached": reached.sum(axis=1).tolist(),
                "first_hit": first.tolist(), "mean_gap_curve": gaps.mean(axis=2).tolist(),
                "final_gap_fit": final_fit.to_dict()}
    if not reached.all():
        missing = ", ".join(f"N = {n}: {int((~r).sum())} of {r.size}" for n, r in zip(sizes.n_grid, reached) if not r.all())
        reason = (f"the target gap {target:.4g} ({relative:g} × the uniform policy's) is not reached within "
                  f"K = {sizes.n_iterations} iterations by {missing} runs: the sample complexity there exceeds "
                  "K and is not measured (censored runs are not counted as K)")
        return Verdict(claim_id=CLAIM_ID, status="fail",
                       summary=f"sample complexity not measurable within K: {reason}",
                       stated=(Figure(name="N-exponent of the iterations to a fixed gap", value=0.0),),
                       measured=figures, reading=READING, reasons=(reason,), evidence=evidence)
    judgement = judge_rate(CLAIM_ID, "N", label="iterations to the gap", grid=sizes.n_grid,
                           errors=first.astype(float) + 1.0, master_seed=master_seed)
    verdict = rate_verdict(CLAIM_ID, [judgement], quantity="iterations to reach the gap (+1)", reading=READING,
                           evidence=evidence)
    return replace(verdict, measured=verdict.measured + figures)


READING = (
    "Alg 1 with the given MFPPO's own sampled critic (Alg 2 on T = 256 samples per iteration, N agents each, "
    "quick) and Prop 3.2's exact actor update (Alg 3 at ε' = 0), v = 0.05, K = 32, width 64 (quick); the "
    "instance of thm4_1_rate; sample complexity = the first k with L(π*) - L(π_k) <= 0.1 × the uniform policy's "
    "gap; a run that never reaches it fails the verdict (no censoring); else the N-exponent of the mean "
    "iteration count (+1) must have its upper end <= margin."
)
