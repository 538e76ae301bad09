"""mfppo.lemma4_1: the policy-evaluation error ε_k of the given MFPPO's Algorithm 2 decays as stated.

``ε_k = E_{init, σ_k}(F_θ̄(T) - Q^π)² = O(R² T^-1/2 + R^2.5 m^-1/4 + R² N^-1/2 + R³ m^-1/2)``. On an
instance where Assumption 1 holds by construction the MFPPO's ``policy_evaluation`` is run from
the network it builds; the exponents in T (the error at N = ∞), N (the coupled N-term) and m (the
coupled linearisation term) are fitted separately (:mod:`mfcheck.algorithms.mfppo.inner_step`).
Every cell (its sizes in its settings) runs through :func:`mfcheck.judgement.run_cells`; each
builds the claim's realisable instance from the master seed.
Reference: MF-PPO Lemma 4.1, Alg 2, Theorem E.1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO, MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.inner_step import (
    InnerStep,
    agent_sweep,
    linearisation_term,
    step_error,
)
from mfcheck.algorithms.mfppo.realisable import realisable_instance
from mfcheck.algorithms.protocol import configure
from mfcheck.judgement import (
    QUICK,
    Cell,
    Figure,
    Hypothesis,
    Profile,
    Record,
    Verdict,
    grid,
    judge_rate,
    named_rng,
    not_applicable,
    rate_verdict,
    run_cells,
)

CLAIM_ID = "mfppo.lemma4_1"
DEFAULT_ALGORITHM = MFPPO_DEFAULT
EVALUATION = True


@dataclass(frozen=True, kw_only=True)
class PpoLemma41Sizes:
    """Grids of the three sweeps; every cell runs ``runs`` initialisations at once."""

    runs: int
    t_grid: tuple[int, ...]
    #: cells per T (runs · t_seeds initialisations per T: the power design of the toml notes)
    t_seeds: int
    n_grid: tuple[int, ...]
    m_grid: tuple[int, ...]
    #: cells per N sweep and per m
    seeds: int = 1
    #: width of the T and N sweeps; T of the N and m sweeps
    width: int = 128
    n_steps: int = 1024
    #: projection radius R (Assumption 1 checked: ‖Δ*‖ <= R per initialisation)
    radius: float = 5.0
    gamma: float = 0.5


SIZES = {
    "quick": PpoLemma41Sizes(runs=16, t_grid=(64, 256, 1024, 4096), t_seeds=6, n_grid=(1, 4, 16, 64),
                   m_grid=(16, 64, 256, 512)),
    "full": PpoLemma41Sizes(runs=32, t_grid=(64, 256, 1024, 4096, 16384), t_seeds=4, n_grid=(1, 4, 16, 64, 256),
                  m_grid=(16, 64, 256, 1024, 2048), width=256, n_steps=4096),
}


#: the settings that size a cell; its random streams come from the others (what it is)
SIZE_SETTINGS = ("runs", "radius", "gamma", "width", "n_steps", "agents")
Measure = Callable[[Cell, MFPPO, int], Record]


def cells(profile: Profile, claim_id: str = CLAIM_ID) -> list[Cell]:
    """T cells (``t_seeds`` per T), N-sweep cells (the whole N grid, coupled) and m cells, each
    with its sizes (runs, R, γ, the width or T it runs at, the N grid as text)."""
    s = SIZES[profile.name]
    common = {"runs": [s.runs], "radius": [s.radius], "gamma": [s.gamma]}
    return (grid(claim_id, seeds=s.t_seeds, sweep=["T"], T=s.t_grid, width=[s.width], **common)
            + grid(claim_id, seeds=s.seeds, sweep=["N"], agents=[",".join(map(str, s.n_grid))], width=[s.width],
                   n_steps=[s.n_steps], **common)
            + grid(claim_id, seeds=s.seeds, sweep=["m"], m=s.m_grid, n_steps=[s.n_steps], **common))


def identity(cell: Cell) -> Cell:
    """The cell without its sizes: its initialisations and samples depend on the sweep, its grid
    value and the seed only."""
    return Cell.of(cell.claim_id, {k: v for k, v in cell.items if k not in SIZE_SETTINGS}, cell.seed_index)


def agent_grid(cell: Cell) -> tuple[int, ...]:
    """The N grid of an N-sweep cell."""
    return tuple(int(n) for n in str(cell["agents"]).split(","))


def instance_step(master_seed: int, claim_id: str, gamma: float, evaluation: bool) -> InnerStep:
    """The realisable instance of the claim (drawn from the master seed)."""
    instance = realisable_instance(named_rng(master_seed, claim_id, "instance"), gamma=gamma)
    return InnerStep(instance=instance, evaluation=evaluation)


def measure_step(cell: Cell, algorithm: MFPPO, master_seed: int, *, evaluation: bool) -> Record:
    """One cell: ``runs`` inner runs of the algorithm's Alg 2 (``evaluation``) or Alg 3 part."""
    step = instance_step(master_seed, cell.claim_id, float(cell["gamma"]), evaluation)  # type: ignore[arg-type]
    rng = identity(cell).rng(master_seed, "network and samples")
    n_runs, radius_value = int(cell["runs"]), float(cell["radius"])  # type: ignore[arg-type]
    radius = {"radius_critic": radius_value} if evaluation else {"radius_actor": radius_value}
    if cell["sweep"] == "T":
        run = configure(algorithm, n_steps=cell["T"], width=cell["width"], n_agents=None, **radius)
        error, ratio = step_error(run.algorithm, step, rng, n_runs)
        return Record.of(cell, error=error, assumption1=ratio, overridden=list(run.overridden))
    if cell["sweep"] == "N":
        runs = [configure(algorithm, n_steps=cell["n_steps"], width=cell["width"], n_agents=n, **radius)
                for n in agent_grid(cell)]
        sweep = agent_sweep([r.algorithm for r in runs], step, rng, n_runs)
        return Record.of(cell, coupled=sweep.coupled, raw=sweep.raw, assumption1=sweep.assumption1,
                         overridden=list(runs[0].overridden))
    run = configure(algorithm, n_steps=cell["n_steps"], width=cell["m"], n_agents=None, **radius)
    coupled, raw, ratio = linearisation_term(run.algorithm, step, rng, n_runs)
    return Record.of(cell, coupled=coupled, raw=raw, assumption1=ratio, overridden=list(run.overridden))


def measure(cell: Cell, algorithm: MFPPO, master_seed: int) -> Record:
    """One cell of Lemma 4.1: :func:`measure_step` of the MFPPO's ``policy_evaluation``."""
    return measure_step(cell, algorithm, master_seed, evaluation=EVALUATION)


def judge_inner_step(claim_id: str, algorithm: MFPPO, profile: Profile, *, evaluation: bool,
                     measure: Measure) -> Verdict:
    """Run every cell through ``measure`` (the claim's cell function), screen Assumption 1, fit
    the T, N and m exponents and judge them."""
    sizes = SIZES[profile.name]
    records = run_cells(cells(profile, claim_id), measure, algorithm, profile.master_seed)

    def runs(sweep: str, key: str, axis: str | None = None) -> np.ndarray:
        chosen = [r for r in records if r.cell["sweep"] == sweep]
        if axis is None:
            return np.concatenate([np.asarray(r[key], dtype=float) for r in chosen], axis=-1)
        values = sorted({r.cell[axis] for r in chosen})
        return np.array([np.concatenate([np.asarray(r[key], dtype=float) for r in chosen if r.cell[axis] == v])
                         for v in values])

    def axis_grid(sweep: str, axis: str) -> list[int]:
        return sorted({int(r.cell[axis]) for r in records if r.cell["sweep"] == sweep})  # type: ignore[arg-type]

    n_grid = agent_grid(next(r.cell for r in records if r.cell["sweep"] == "N"))
    ratio = float(max(np.max(np.asarray(r["assumption1"], dtype=float)) for r in records))
    hypothesis = Hypothesis(name="Assumption 1 (max ‖Δ*‖/R <= 1 over initialisations)", holds=ratio <= 1.0,
                            measured=ratio)
    if not hypothesis.holds:
        return not_applicable(claim_id, hypothesis, reading=READING, evidence={"assumption1_max_ratio": ratio})
    seed = profile.master_seed
    judgements = [
        judge_rate(claim_id, "T", label="error ε at N = ∞", grid=axis_grid("T", "T"),
                   errors=runs("T", "error", "T"), master_seed=seed),
        judge_rate(claim_id, "N", label="‖F^(N) - F^(∞)‖² coupled", grid=n_grid,
                   errors=runs("N", "coupled"), master_seed=seed),
        judge_rate(claim_id, "m", label="‖F - F⁰‖² coupled (ReLU vs linearised)", grid=axis_grid("m", "m"),
                   errors=runs("m", "coupled", "m"), master_seed=seed),
    ]
    raw = {"N": runs("N", "raw").mean(axis=1).tolist(), "m": runs("m", "raw", "m").mean(axis=1).tolist()}
    what = "evaluation error ε_k (Alg 2)" if evaluation else "improvement error ε'_{k+1} (Alg 3)"
    verdict = rate_verdict(claim_id, judgements, quantity=what, reading=READING,
                           evidence={"raw_mean": raw, "assumption1_max_ratio": ratio,
                                     "sizes": dict(vars(sizes))})
    overridden = tuple(dict.fromkeys(k for r in records for k in r["overridden"]))  # type: ignore[union-attr]
    extra = (Figure(name="raw error over the N grid", value=" ".join(f"{x:.4g}" for x in raw["N"])),
             Figure(name="raw error over the m grid", value=" ".join(f"{x:.4g}" for x in raw["m"])),
             Figure(name="max ‖Δ*‖/R (Assumption 1)", value=ratio))
    return replace(verdict, measured=verdict.measured + extra, hypotheses=(hypothesis,), overridden=overridden)


def check(algorithm: MFPPO = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Lemma 4.1 on the given MFPPO's ``policy_evaluation`` (Alg 2)."""
    return judge_inner_step(CLAIM_ID, algorithm, profile, evaluation=EVALUATION, measure=measure)


READING = (
    "Assumption 1 by construction (Q^π, resp. the improvement target, linear in d through a triple "
    "function g realised by the linearised network of every initialisation within R); the given "
    "MFPPO's own Alg 2 (resp. Alg 3) part run from the network it builds; T-exponent of the error "
    "itself (N = ∞, width 128 quick, fit from the second T grid point); N- and m-exponents of coupled "
    "differences (same initialisation and samples; N agents vs the population; ReLU vs linearised "
    "network) that the N- and m-terms bound; App E's mean pooling; one sample per step."
)
