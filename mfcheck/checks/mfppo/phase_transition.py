"""mfppo.phase_transition: where the N-term and where the T-term dominates Alg 2's evaluation error.

The paper (text after Thm 4.1 and after Lemma 4.2) reads ``ε ≈ a T^-1/2 + b N^-1/2``: a phase where
the statistical N^-1/2 error dominates (small N, or large T) and one where the optimisation T^-1/2
error dominates (large N, or small T), with the crossover at ``N*(T) = (b/a)² T``. Measured on the
realisable instance of Lemma 4.1 (Assumption 1 by construction) over a (T, N) grid, per seed:

* optimisation part ``O(T) = E_σ(F_θ̄^{(∞)}(T) - Q^π)²``: Alg 2 trained on the population d (N = ∞);
* statistical part ``D(T, N) = E_σ(F_θ̄^{(N)}(T) - F_θ̄^{(∞)}(T))²``: the coupled difference of runs
  with the same initialisation and (x, ā, x', ā') samples that differ only in the N sampled agents.

At each T the statistical part dominates at N when the bootstrap interval of mean D / mean O lies
above 1, the optimisation part when it lies below 1; ``N*(T)`` is the log-interpolated N where the
ratio crosses 1. The claim passes when every T of the grid has both phases on the N grid (a
crossover exists) and N*(T) does not decrease with T. The excess ``ε(T, N) - O(T)`` is reported.
Reference: MF-PPO Thm 4.1 (remark), Lemma 4.1, Lemma 4.2 (remark), Alg 2.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet
from mfcheck.algorithms.mfppo.problem import Array
from mfcheck.algorithms.mfppo.projected_sgd import run_projected_sgd
from mfcheck.algorithms.mfppo.realisable import realisable_instance
from mfcheck.algorithms.mfppo.sampling import agent_weights, sample_batch
from mfcheck.checks.mfppo._policy_step_rates import StepProblem, _run, _sq
from mfcheck.judgement import Figure, Profile, Verdict
from mfcheck.stats import fit_rate, seed_streams

CLAIM_ID = "mfppo.phase_transition"
#: ``(rng, dist [..., S], n_agents) -> empirical weights``: how the N agents are observed
AgentSampler = Callable[[np.random.Generator, Array, int], Array]
__all__ = ["CONFIGS", "Config", "check_phase_transition", "measure_grid", "run"]


@dataclass(frozen=True, kw_only=True)
class Config:
    """The (T, N) grid."""

    #: inner steps T of Alg 2
    t_grid: tuple[int, ...]
    #: agents N (the population N = ∞ is always run as the reference)
    n_grid: tuple[int, ...]
    #: seeds (initialisations and sample streams) per T
    n_seeds: int
    #: network width m
    width: int = 128
    #: projection radius R
    radius: float = 5.0
    #: discount of the instance
    gamma: float = 0.5
    #: bootstrap resamples of the ratio intervals
    n_resamples: int = 2000


CONFIGS = {
    "quick": Config(t_grid=(64, 256, 1024, 4096), n_grid=(1, 2, 4, 16, 64), n_seeds=16),
    "full": Config(t_grid=(64, 256, 1024, 4096, 16384), n_grid=(1, 2, 4, 16, 64, 256),
                   n_seeds=32, width=256),
}


def measure_grid(config: Config, master_seed: int, *,
                 sampler: AgentSampler = agent_weights) -> dict[str, Array]:
    """O [T, R], D [T, N, R] and the raw errors ε [T, N, R] on the realisable instance."""
    streams = seed_streams(master_seed, 2 + len(config.t_grid), label=CLAIM_ID)
    instance = realisable_instance(streams[0], gamma=config.gamma)
    step = StepProblem(instance=instance, evaluation=True)
    problem, runs = instance.problem, config.n_seeds
    nu = np.repeat(instance.stationary[None], runs, axis=0)
    policy = np.repeat(instance.policy[None], runs, axis=0)
    rho, target = step.weights, step.target_values
    opt, stat, raw = [], [], []
    for rng, t in zip(streams[1:], config.t_grid):
        net = BatchedDeepSet.initialise(rng, n_runs=runs, width=config.width,
                                        n_local=problem.n_local, n_actions=problem.n_actions)
        batch = sample_batch(rng, problem, nu, policy, t, None, with_next=True)
        kw = {"n_steps": t, "radius": config.radius, "implementation": run_projected_sgd}
        population = _run(step, net, batch, **kw)
        opt.append(_sq(population, target, rho))
        d_row, raw_row = [], []
        for n in config.n_grid:
            w = sampler(rng, problem.dist[batch.state], n)
            nw = sampler(rng, problem.dist[batch.next_state], n)
            sampled = _run(step, net, batch, weights=w, next_weights=nw, **kw)
            d_row.append(_sq(sampled, population, rho))
            raw_row.append(_sq(sampled, target, rho))
        stat.append(d_row)
        raw.append(raw_row)
    return {"optimisation": np.array(opt), "statistical": np.array(stat), "raw": np.array(raw)}


def _ratio_interval(stat: Array, opt: Array, rng: np.random.Generator,
                    n_resamples: int) -> tuple[float, float, float]:
    """mean D / mean O with a 95 % percentile bootstrap interval (seeds resampled in pairs)."""
    point = float(stat.mean() / opt.mean())
    idx = rng.integers(0, stat.size, size=(n_resamples, stat.size))
    boot = stat[idx].mean(axis=1) / opt[idx].mean(axis=1)
    low, high = np.quantile(boot, [0.025, 0.975])
    return point, float(low), float(high)


def _crossover(n_grid: tuple[int, ...], ratios: list[float]) -> float | None:
    """Log-interpolated N where mean D / mean O falls through 1 (None when it never does)."""
    for i in range(len(n_grid) - 1):
        a, b = ratios[i], ratios[i + 1]
        if a >= 1 > b and a > 0 and b > 0:
            x0, x1 = np.log(n_grid[i]), np.log(n_grid[i + 1])
            frac = np.log(a) / (np.log(a) - np.log(b))
            return float(np.exp(x0 + frac * (x1 - x0)))
    return None


def check_phase_transition(*, config: Config = CONFIGS["quick"], master_seed: int = 0,
                           sampler: AgentSampler = agent_weights) -> Verdict:
    """Phase map of Alg 2's evaluation error on the (T, N) grid; ``sampler`` observes the N agents."""
    data = measure_grid(config, master_seed, sampler=sampler)
    opt, stat, raw = data["optimisation"], data["statistical"], data["raw"]
    rng = seed_streams(master_seed, 1, label=CLAIM_ID + ".bootstrap")[0]
    phase: list[list[str]] = []
    ratio_rows: list[list[list[float]]] = []
    crossings: list[float | None] = []
    for i in range(len(config.t_grid)):
        row, rrow = [], []
        for j in range(len(config.n_grid)):
            point, low, high = _ratio_interval(stat[i, j], opt[i], rng, config.n_resamples)
            rrow.append([point, low, high])
            row.append("statistical" if low > 1 else "optimisation" if high < 1 else "mixed")
        phase.append(row)
        ratio_rows.append(rrow)
        crossings.append(_crossover(config.n_grid, [r[0] for r in rrow]))
    both = any("statistical" in r for r in phase) and any("optimisation" in r for r in phase)
    found = [c for c in crossings if c is not None]
    monotone = all(b >= a for a, b in itertools.pairwise(found))
    fit_rng = seed_streams(master_seed, 1, label=CLAIM_ID + ".fit")[0]
    t_fit = fit_rate(config.t_grid, opt, rng=fit_rng, asymptotic_from=1)
    n_fit = None
    d_last = stat[-1]
    if (d_last.mean(axis=1) > 0).all():
        n_fit = fit_rate(config.n_grid, d_last, rng=fit_rng)
    worst = max((r[0], config.t_grid[i], config.n_grid[j])
                for i, rr in enumerate(ratio_rows) for j, r in enumerate(rr))
    extrapolated = _extrapolated_t(config, opt, stat, t_fit)
    passed = both and monotone
    reasons: tuple[str, ...] = ()
    if not both:
        which = "statistical" if not any("statistical" in r for r in phase) else "optimisation"
        reasons += (f"no {which}-dominated cell on the grid: max mean D/O = {worst[0]:.3g} at "
                    f"T = {worst[1]}, N = {worst[2]}",)
    if not monotone:
        reasons += (f"N*(T) decreases with T: {crossings}",)
    measured = (
        Figure(name="optimisation part O(T) (N = ∞), mean over seeds",
               value=" ".join(f"{x:.4g}" for x in opt.mean(axis=1))),
        Figure(name="T-exponent of O(T)", value=t_fit.exponent, low=t_fit.low, high=t_fit.high),
        Figure(name=f"statistical part D(T={config.t_grid[-1]}, N) coupled, mean",
               value=" ".join(f"{x:.3g}" for x in d_last.mean(axis=1))),
        Figure(name="N-exponent of D at the largest T",
               value=None if n_fit is None else n_fit.exponent,
               low=None if n_fit is None else n_fit.low, high=None if n_fit is None else n_fit.high),
        Figure(name="max mean D/O on the grid", value=worst[0], note=f"T = {worst[1]}, N = {worst[2]}"),
        Figure(name="crossover N*(T)", value=" ".join("-" if c is None else f"{c:.3g}" for c in crossings)),
        Figure(name="T where D(T, N=1) would reach O(T) (power-law extrapolation)",
               value=extrapolated),
    )
    summary = (f"phase map on T={list(config.t_grid)} × N={list(config.n_grid)}: "
               + ("crossover N*(T) = " + ", ".join("-" if c is None else f"{c:.3g}" for c in crossings)
                  if passed else reasons[0]))
    return Verdict(
        claim_id=CLAIM_ID, status="pass" if passed else "fail", summary=summary,
        stated=(Figure(name="phase transition", value="ε ≈ a T^-1/2 + b N^-1/2: crossover N* ∝ T"),),
        measured=measured, reading=READING, reasons=reasons,
        evidence={"t_grid": list(config.t_grid), "n_grid": list(config.n_grid), "phase": phase,
                  "ratio_mean_low_high": ratio_rows, "crossover": crossings,
                  "optimisation_mean": opt.mean(axis=1).tolist(),
                  "statistical_mean": stat.mean(axis=-1).tolist(),
                  "excess_mean": (raw.mean(axis=-1) - opt.mean(axis=1)[:, None]).tolist(),
                  "t_fit": t_fit.to_dict(), "n_fit": None if n_fit is None else n_fit.to_dict(),
                  "extrapolated_t_at_n1": extrapolated,
                  "config": dict(vars(config))},
    )


def _extrapolated_t(config: Config, opt: Array, stat: Array, t_fit) -> float | None:
    """T where the fitted O(T) ~ C T^p meets the mean D(T, N_min) (taken flat in T), or None."""
    d_small = float(stat[:, 0].mean())
    if d_small <= 0 or t_fit.exponent >= 0:
        return None
    if d_small >= opt.mean(axis=1).min():
        return None
    return float(np.exp((np.log(d_small) - t_fit.intercept) / t_fit.exponent))


READING = (
    "Alg 2 (projected TD, η = T^-1/2, ergodic average, width m, R = 5) on the realisable instance of "
    "Lemma 4.1; optimisation part O(T) = error at N = ∞; statistical part D(T, N) = coupled squared "
    "difference between N sampled agents and the population (same initialisation and transitions); "
    "phase of a cell from the 95 % bootstrap interval of mean D / mean O against 1; pass when both "
    "phases appear on the grid and N*(T) is non-decreasing in T."
)


def run(profile: Profile) -> Verdict:
    return check_phase_transition(config=CONFIGS[profile.name], master_seed=profile.master_seed)
