"""mfppo.phase_transition: where the N-term and where the T-term dominates the MFPPO's Alg 2 error.

The paper (text after Thm 4.1 and after Lemma 4.2) reads ``ε ≈ a T^-1/2 + b N^-1/2``: a phase where
the statistical N^-1/2 error dominates (small N, or large T) and one where the optimisation T^-1/2
error dominates (large N, or small T), with the crossover at ``N*(T) = (b/a)² T``. Measured with the
given MFPPO's ``policy_evaluation`` on the realisable instance of Lemma 4.1 over a (T, N) grid, per
initialisation (:func:`mfcheck.algorithms.mfppo.inner_step.agent_sweep`):

* optimisation part ``O(T) = E_σ(F^{(∞)}(T) - Q^π)²``: Alg 2 trained on the population d (N = ∞);
* statistical part ``D(T, N) = E_σ(F^{(N)}(T) - F^{(∞)}(T))²``: the coupled difference of runs with the
  same initialisation and (x, ā, x', ā') samples that differ only in the N sampled agents.

A cell is statistical-dominated when the bootstrap interval of mean D / mean O lies above 1,
optimisation-dominated when below 1; ``N*(T)`` is the log-interpolated N where the ratio crosses 1.
The claim passes when both phases occur on the grid and N*(T) does not decrease with T. One cell
per (T, seed), its sizes in its settings, through :func:`mfcheck.judgement.run_cells`;
``evidence["curves"]`` holds the phase-transition curves (O and ε against T, D against N per T,
and mean D / mean O against N with the crossover level 1).
Reference: MF-PPO Thm 4.1 (remark), Lemma 4.1, Lemma 4.2 (remark), Alg 2.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO, MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.inner_step import InnerStep, agent_sweep
from mfcheck.algorithms.mfppo.problem import Array
from mfcheck.algorithms.mfppo.realisable import realisable_instance
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
    named_rng,
    run_cells,
)
from mfcheck.stats import fit_rate

CLAIM_ID = "mfppo.phase_transition"
DEFAULT_ALGORITHM = MFPPO_DEFAULT


@dataclass(frozen=True, kw_only=True)
class PpoPhaseTransitionSizes:
    """The (T, N) grid; every cell runs ``runs`` initialisations at once."""

    t_grid: tuple[int, ...]
    n_grid: tuple[int, ...]
    runs: int
    #: cells per T
    seeds: int = 1
    width: int = 128
    radius: float = 5.0
    gamma: float = 0.5


SIZES = {
    "quick": PpoPhaseTransitionSizes(t_grid=(64, 256, 1024, 4096), n_grid=(1, 2, 4, 16, 64), runs=16),
    "full": PpoPhaseTransitionSizes(t_grid=(64, 256, 1024, 4096, 16384), n_grid=(1, 2, 4, 16, 64, 256), runs=32, width=256),
}


#: the settings that size a cell; its initialisations and samples come from the others (what it is)
SIZE_SETTINGS = ("agents", "runs", "width", "radius", "gamma")


def cells(profile: Profile) -> list[Cell]:
    """One cell per (T, seed): an initialisation batch, the population run and every N (coupled);
    the N grid (as text), runs, width, R and γ in its settings."""
    s = SIZES[profile.name]
    return grid(CLAIM_ID, seeds=s.seeds, T=s.t_grid, agents=[",".join(map(str, s.n_grid))], runs=[s.runs],
                width=[s.width], radius=[s.radius], gamma=[s.gamma])


def identity(cell: Cell) -> Cell:
    """The cell without its sizes: (T, seed)."""
    return Cell.of(cell.claim_id, {k: v for k, v in cell.items if k not in SIZE_SETTINGS}, cell.seed_index)


def agent_grid(cell: Cell) -> tuple[int, ...]:
    return tuple(int(n) for n in str(cell["agents"]).split(","))


def measure(cell: Cell, algorithm: MFPPO, master_seed: int) -> Record:
    """O(T), D(T, N) and ε(T, N) of ``runs`` initialisations on the claim's realisable instance
    (drawn from the master seed: the same in every cell)."""
    instance = realisable_instance(named_rng(master_seed, CLAIM_ID, "instance"), gamma=float(cell["gamma"]))  # type: ignore[arg-type]
    step = InnerStep(instance=instance, evaluation=True)
    runs = [configure(algorithm, n_steps=cell["T"], width=cell["width"], radius_critic=cell["radius"], n_agents=n)
            for n in agent_grid(cell)]
    sweep = agent_sweep([r.algorithm for r in runs], step, identity(cell).rng(master_seed, "network and samples"),
                        int(cell["runs"]))  # type: ignore[arg-type]
    return Record.of(cell, optimisation=sweep.population, statistical=sweep.coupled, raw=sweep.raw,
                     overridden=list(runs[0].overridden))


def ratio_interval(stat: Array, opt: Array, rng: np.random.Generator, *, n_resamples: int,
                   confidence: float) -> tuple[float, float, float]:
    """mean D / mean O with a percentile bootstrap interval (initialisations resampled in pairs)."""
    point = float(stat.mean() / opt.mean())
    idx = rng.integers(0, stat.size, size=(n_resamples, stat.size))
    boot = stat[idx].mean(axis=1) / opt[idx].mean(axis=1)
    low, high = np.quantile(boot, [(1 - confidence) / 2, (1 + confidence) / 2])
    return point, float(low), float(high)


def crossover(n_grid: tuple[int, ...], ratios: list[float]) -> float | None:
    """Log-interpolated N where mean D / mean O falls through 1 (None when it never does)."""
    for i in range(len(n_grid) - 1):
        a, b = ratios[i], ratios[i + 1]
        if a >= 1 > b and a > 0 and b > 0:
            x0, x1 = np.log(n_grid[i]), np.log(n_grid[i + 1])
            return float(np.exp(x0 + np.log(a) / (np.log(a) - np.log(b)) * (x1 - x0)))
    return None


def check(algorithm: MFPPO = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Phase map of the given MFPPO's Alg 2 error on the (T, N) grid."""
    records = run_cells(cells(profile), measure, algorithm, profile.master_seed)
    t_grid = tuple(sorted({int(r.cell["T"]) for r in records}))  # type: ignore[arg-type]
    n_grid = agent_grid(records[0].cell)

    def stack(key: str) -> Array:  # [T, ..., runs]
        return np.array([np.concatenate([np.asarray(r[key], dtype=float) for r in records if r.cell["T"] == t],
                                        axis=-1) for t in t_grid])

    sizes = replace(SIZES[profile.name], t_grid=t_grid, n_grid=n_grid)
    overridden = tuple(dict.fromkeys(k for r in records for k in r["overridden"]))  # type: ignore[union-attr]
    return replace(phase_verdict(sizes, stack("optimisation"), stack("statistical"), stack("raw"), profile.master_seed),
                   overridden=overridden)


def phase_verdict(sizes: PpoPhaseTransitionSizes, opt: Array, stat: Array, raw: Array, master_seed: int) -> Verdict:
    """The verdict from O [T, runs], D [T, N, runs] and the raw errors ε [T, N, runs]."""
    claim = get_claim(CLAIM_ID)
    rng = named_rng(master_seed, CLAIM_ID, "ratio bootstrap")
    options = {"n_resamples": int(claim.threshold("n_resamples")), "confidence": claim.threshold("confidence")}
    ratio_rows = [[ratio_interval(stat[i, j], opt[i], rng, **options) for j in range(len(sizes.n_grid))]
                  for i in range(len(sizes.t_grid))]
    phase = [["statistical" if low > 1 else "optimisation" if high < 1 else "mixed" for _, low, high in row]
             for row in ratio_rows]
    crossings = [crossover(sizes.n_grid, [r[0] for r in row]) for row in ratio_rows]
    both = any("statistical" in r for r in phase) and any("optimisation" in r for r in phase)
    found = [c for c in crossings if c is not None]
    monotone = all(b >= a for a, b in itertools.pairwise(found))
    fit_rng = named_rng(master_seed, CLAIM_ID, "reported fits")
    t_fit = fit_rate(sizes.t_grid, opt, rng=fit_rng, asymptotic_from=1, **options)
    d_last = stat[-1]
    n_fit = fit_rate(sizes.n_grid, d_last, rng=fit_rng, **options) if (d_last.mean(axis=1) > 0).all() else None
    worst = max((r[0], sizes.t_grid[i], sizes.n_grid[j]) for i, row in enumerate(ratio_rows) for j, r in enumerate(row))
    extrapolated = extrapolated_t(opt, stat, t_fit)
    reasons: tuple[str, ...] = ()
    if not both:
        which = "statistical" if not any("statistical" in r for r in phase) else "optimisation"
        reasons += (f"no {which}-dominated cell on the grid: max mean D/O = {worst[0]:.3g} at T = {worst[1]}, "
                    f"N = {worst[2]}",)
    if not monotone:
        reasons += (f"N*(T) decreases with T: {crossings}",)
    passed = both and monotone
    crossing_text = " ".join("-" if c is None else f"{c:.3g}" for c in crossings)
    measured = (
        Figure(name="optimisation part O(T) (N = ∞), mean over seeds", value=" ".join(f"{x:.4g}" for x in opt.mean(axis=1))),
        Figure(name="T-exponent of O(T)", value=t_fit.exponent, low=t_fit.low, high=t_fit.high),
        Figure(name=f"statistical part D(T={sizes.t_grid[-1]}, N) coupled, mean",
               value=" ".join(f"{x:.3g}" for x in d_last.mean(axis=1))),
        Figure(name="N-exponent of D at the largest T", value=None if n_fit is None else n_fit.exponent,
               low=None if n_fit is None else n_fit.low, high=None if n_fit is None else n_fit.high),
        Figure(name="max mean D/O on the grid", value=worst[0], note=f"T = {worst[1]}, N = {worst[2]}"),
        Figure(name="crossover N*(T)", value=crossing_text),
        Figure(name="T where D(T, N=1) would reach O(T) (power-law extrapolation)", value=extrapolated),
    )
    return Verdict(
        claim_id=CLAIM_ID, status="pass" if passed else "fail",
        summary=(f"phase map on T={list(sizes.t_grid)} × N={list(sizes.n_grid)}: "
                 + (f"crossover N*(T) = {crossing_text}" if passed else reasons[0])),
        stated=(Figure(name="phase transition", value="ε ≈ a T^-1/2 + b N^-1/2: crossover N* ∝ T"),),
        measured=measured, reading=READING, reasons=reasons,
        evidence={"t_grid": list(sizes.t_grid), "n_grid": list(sizes.n_grid), "phase": phase,
                  "ratio_mean_low_high": ratio_rows, "crossover": crossings,
                  "optimisation_mean": opt.mean(axis=1).tolist(), "statistical_mean": stat.mean(axis=-1).tolist(),
                  "excess_mean": (raw.mean(axis=-1) - opt.mean(axis=1)[:, None]).tolist(),
                  "t_fit": t_fit.to_dict(), "n_fit": None if n_fit is None else n_fit.to_dict(),
                  "extrapolated_t_at_n1": extrapolated,
                  "curves": phase_curves(sizes, opt, stat, raw, [[r[0] for r in row] for row in ratio_rows])},
    )


def phase_curves(sizes: PpoPhaseTransitionSizes, opt: Array, stat: Array, raw: Array, ratios: list[list[float]]) -> list[dict]:
    """The report's panels (``evidence["curves"]``), log-log, initialisations as seeds: the error
    against T (O(T) at N = ∞ and ε(T, N) per N), D(T, N) against N per T, and mean D / mean O
    against N per T with the crossover level 1."""
    t_grid, n_grid = [int(t) for t in sizes.t_grid], [int(n) for n in sizes.n_grid]
    against_t = [{"label": "O(T) (N = ∞)", "x": t_grid, "y_per_seed": opt.T.tolist()}]
    against_t += [{"label": f"ε(T, N = {n})", "x": t_grid, "y_per_seed": raw[:, j, :].T.tolist()}
                  for j, n in enumerate(n_grid)]
    against_n = [{"label": f"D(T = {t}, N)", "x": n_grid, "y_per_seed": stat[i].T.tolist()} for i, t in enumerate(t_grid)]
    ratio = [{"label": f"T = {t}", "x": n_grid, "y": list(row)} for t, row in zip(t_grid, ratios)]
    ratio.append({"label": "crossover (D = O)", "x": n_grid, "y": [1.0] * len(n_grid), "reference": True})
    return [
        {"title": "phase_transition: Alg 2 error against T", "xlabel": "T (inner steps)", "ylabel": "E_σ(F - Q^π)²",
         "logx": True, "logy": True, "series": against_t},
        {"title": "phase_transition: statistical part D(T, N) against N", "xlabel": "N (agents)",
         "ylabel": "E_σ(F^(N) - F^(∞))² (coupled)", "logx": True, "logy": True, "series": against_n},
        {"title": "phase_transition: mean D / mean O against N (statistical phase above 1)", "xlabel": "N (agents)",
         "ylabel": "mean D / mean O", "logx": True, "logy": True, "series": ratio},
    ]


def extrapolated_t(opt: Array, stat: Array, t_fit) -> float | None:
    """T where the fitted O(T) ~ C T^p meets the mean D(T, N_min) (taken flat in T), or None."""
    d_small = float(stat[:, 0].mean())
    if d_small <= 0 or t_fit.exponent >= 0 or d_small >= opt.mean(axis=1).min():
        return None
    return float(np.exp((np.log(d_small) - t_fit.intercept) / t_fit.exponent))


READING = (
    "the given MFPPO's Alg 2 part (policy_evaluation; default: projected TD, η = T^-1/2, ergodic average) from "
    "the network it builds (width 128, R = 5) on the realisable instance of Lemma 4.1; optimisation part O(T) = "
    "error at N = ∞; statistical part D(T, N) = coupled squared difference between N sampled agents and the "
    "population (same initialisation and transitions); phase of a cell from the bootstrap interval of mean D / "
    "mean O against 1; pass when both phases appear on the grid and N*(T) is non-decreasing in T."
)
