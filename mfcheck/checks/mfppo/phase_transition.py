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
The claim passes when both phases occur on the grid and N*(T) does not decrease with T.
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
)
from mfcheck.stats import fit_rate

CLAIM_ID = "mfppo.phase_transition"
DEFAULT_ALGORITHM = MFPPO_DEFAULT


@dataclass(frozen=True, kw_only=True)
class Sizes:
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
    "quick": Sizes(t_grid=(64, 256, 1024, 4096), n_grid=(1, 2, 4, 16, 64), runs=16),
    "full": Sizes(t_grid=(64, 256, 1024, 4096, 16384), n_grid=(1, 2, 4, 16, 64, 256), runs=32, width=256),
}


def cells(profile: Profile) -> list[Cell]:
    """One cell per (T, seed): an initialisation batch, the population run and every N (coupled)."""
    sizes = SIZES[profile.name]
    return grid(CLAIM_ID, seeds=sizes.seeds, T=sizes.t_grid)


def measure(cell: Cell, algorithm: MFPPO, step: InnerStep, sizes: Sizes, master_seed: int) -> Record:
    runs = [configure(algorithm, n_steps=cell["T"], width=sizes.width, radius_critic=sizes.radius, n_agents=n)
            for n in sizes.n_grid]
    sweep = agent_sweep([r.algorithm for r in runs], step, cell.rng(master_seed, "network and samples"), sizes.runs)
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
    sizes = SIZES[profile.name]
    instance = realisable_instance(named_rng(profile.master_seed, CLAIM_ID, "instance"), gamma=sizes.gamma)
    step = InnerStep(instance=instance, evaluation=True)
    records = [measure(cell, algorithm, step, sizes, profile.master_seed) for cell in cells(profile)]

    def stack(key: str) -> Array:  # [T, ..., runs]
        return np.array([np.concatenate([np.asarray(r[key], dtype=float) for r in records if r.cell["T"] == t],
                                        axis=-1) for t in sizes.t_grid])

    overridden = tuple(dict.fromkeys(k for r in records for k in r["overridden"]))  # type: ignore[union-attr]
    return replace(phase_verdict(sizes, stack("optimisation"), stack("statistical"), stack("raw"), profile.master_seed),
                   overridden=overridden)


def phase_verdict(sizes: Sizes, opt: Array, stat: Array, raw: Array, master_seed: int) -> Verdict:
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
                  "extrapolated_t_at_n1": extrapolated},
    )


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
