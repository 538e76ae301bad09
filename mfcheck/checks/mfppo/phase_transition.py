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

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet
from mfcheck.algorithms.mfppo.problem import Array
from mfcheck.algorithms.mfppo.projected_sgd import run_projected_sgd
from mfcheck.algorithms.mfppo.realisable import realisable_instance
from mfcheck.algorithms.mfppo.sampling import agent_weights, sample_batch
from mfcheck.checks.mfppo._policy_step_rates import StepProblem, _run, _sq
from mfcheck.claims import Figure, Profile, Verdict
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
