"""mfppo.n_free_sample_complexity: iterations of MF-PPO to reach a fixed gap do not grow with N.

Exact twin of Algorithm 1 (the KL-proximal update of Prop 3.2 on the exact policy, schedules of Alg 1)
with an N-agent sampled critic: at iteration k, for every (x, ā), B transitions are simulated
(B fixed, so the samples per iteration do not depend on N). In each the learner observes its own
state and N agents drawn i.i.d. from d, identifies the mean-field state as the lattice point x̂
nearest (L1) to their empirical distribution, and records ``(1-γ) r(x̂, ā) + γ V^{π_k}(x')`` with
``x' ~ P(·|x̂, ā)``; Q̂_k(x, ā) is the mean of the B records. N enters only through x̂ (wrong for
small N, exact as N grows). For each N of a grid and each seed, the first k with
``L(π*) - L(π_k) <= gap`` (eq 4.1) is recorded (censored at K). Passes when the log-log slope of
the mean iteration count in N has a bootstrap interval whose upper end is <= ``margin``.
Reference: MF-PPO abstract ("sample complexity independent of the number of agents"), Thm 4.1,
Alg 1, Prop 3.2, eq (4.1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.mfppo.ideal import proximal_update, temperature_schedule
from mfcheck.algorithms.mfppo.problem import (
    Array,
    MeanFieldProblem,
    expected_total_reward,
    optimal_policy,
    random_problem,
    stationary_distribution,
    value_function,
)
from mfcheck.algorithms.mfppo.sampling import categorical
from mfcheck.judgement import Figure, Profile, Verdict
from mfcheck.stats import fit_rate, seed_streams

CLAIM_ID = "mfppo.n_free_sample_complexity"
#: ``(rng, problem, policy [R, X, M], n_agents, n_samples) -> Q̂ [R, X, M]``
Critic = Callable[[np.random.Generator, MeanFieldProblem, Array, int, int], Array]
__all__ = ["CONFIGS", "Config", "check_n_free_sample_complexity", "identify", "instance", "run",
           "sampled_critic"]


@dataclass(frozen=True, kw_only=True)
class Config:
    """N grid, seeds and the run of Alg 1."""

    n_grid: tuple[int, ...]
    n_seeds: int
    #: outer iterations K of Alg 1 (also the censoring point)
    n_iterations: int = 64
    #: v of Alg 1
    v: float = 0.05
    #: transitions per (x, ā) per iteration (independent of N)
    n_samples: int = 4
    #: the target gap L(π*) - L(π_k), relative to the gap of the uniform π_0
    relative_gap: float = 0.1
    #: declared margin on the N-slope of the iteration count
    margin: float = 0.1


CONFIGS = {
    "quick": Config(n_grid=(4, 16, 64, 256, 1024, 4096), n_seeds=32),
    "full": Config(n_grid=(4, 16, 64, 256, 1024, 4096, 16384), n_seeds=64, n_iterations=128),
}


def instance(rng: np.random.Generator) -> MeanFieldProblem:
    """The instance of thm4_1_rate: optimal policy depends on d (mean-field weight 2)."""
    return random_problem(rng, n_local=2, n_population=3, n_actions=3, gamma=0.5,
                          mean_field_weight=2.0)


def identify(problem: MeanFieldProblem, own: Array, weights: Array) -> Array:
    """x̂: the joint state with the same own state whose d is L1-nearest to ``weights`` [..., S]."""
    dist = np.abs(weights[..., None, :] - problem.dist).sum(axis=-1)
    dist = np.where(problem.own == own[..., None], dist, np.inf)
    return dist.argmin(axis=-1)


def sampled_critic(rng: np.random.Generator, problem: MeanFieldProblem, policy: Array,
                   n_agents: int, n_samples: int) -> Array:
    """Q̂ [R, X, M] from ``n_samples`` transitions per (x, ā), the state identified from N agents."""
    runs, n_x, n_m = policy.shape
    value = value_function(problem, policy)
    shape = (runs, n_x, n_m, n_samples)
    x = np.broadcast_to(np.arange(n_x)[None, :, None, None], shape)
    a = np.broadcast_to(np.arange(n_m)[None, None, :, None], shape)
    counts = rng.multinomial(int(n_agents), problem.dist[x]) / n_agents
    seen = identify(problem, problem.own[x], counts)
    nxt = categorical(rng, problem.transition[seen, a])
    records = (1 - problem.gamma) * problem.reward[seen, a] + problem.gamma * np.take_along_axis(
        value, nxt.reshape(runs, -1), axis=1).reshape(shape)
    return records.mean(axis=-1)


def iterations_to_gap(problem: MeanFieldProblem, config: Config, n_agents: int,
                      rng: np.random.Generator, critic: Critic = sampled_critic) -> tuple[Array, Array]:
    """(first k with gap <= target [R] (K + 1 when never), gaps [K + 1, R])."""
    star = optimal_policy(problem)
    nu_star = stationary_distribution(problem, star)
    best = float(expected_total_reward(problem, star, nu_star))
    _, proximities = temperature_schedule(config.v, config.n_iterations)
    runs = config.n_seeds
    policy = np.full((runs, problem.n_joint, problem.n_actions), 1.0 / problem.n_actions)
    gaps = [best - expected_total_reward(problem, policy, nu_star)]
    target = config.relative_gap * float(gaps[0][0])
    for k in range(config.n_iterations):
        q_hat = critic(rng, problem, policy, n_agents, config.n_samples)
        policy = proximal_update(policy, q_hat, proximities[k])
        gaps.append(best - expected_total_reward(problem, policy, nu_star))
    gaps_arr = np.array(gaps)
    hit = gaps_arr <= target
    first = np.where(hit.any(axis=0), hit.argmax(axis=0), config.n_iterations + 1)
    return first.astype(float), gaps_arr


def check_n_free_sample_complexity(*, config: Config = CONFIGS["quick"], master_seed: int = 0,
                                   critic: Critic = sampled_critic) -> Verdict:
    """Iterations (and samples = iterations · X · |Ā| · B) to reach the gap, over the N grid."""
    streams = seed_streams(master_seed, 2 + len(config.n_grid), label=CLAIM_ID)
    problem = instance(streams[0])
    iters, finals = [], []
    for rng, n in zip(streams[1:], config.n_grid):
        first, gaps = iterations_to_gap(problem, config, n, rng, critic)
        iters.append(first)
        finals.append(gaps[-1])
    iters_arr = np.array(iters)
    fit = fit_rate(config.n_grid, iters_arr, rng=streams[-1], confidence=0.95)
    censored = int((iters_arr > config.n_iterations).sum())
    per_iteration = problem.n_joint * problem.n_actions * config.n_samples
    passed = fit.high <= config.margin
    means = iters_arr.mean(axis=1)
    reasons = () if passed else (
        f"N-slope of the iteration count {fit.exponent:.3f} [{fit.low:.3f}, {fit.high:.3f}] exceeds "
        f"the margin {config.margin:g}; mean iterations {' '.join(f'{m:.1f}' for m in means)}",)
    return Verdict(
        claim_id=CLAIM_ID, status="pass" if passed else "fail",
        summary=(f"iterations to reach {config.relative_gap:g} × initial gap over N = "
                 f"{list(config.n_grid)}: {' '.join(f'{m:.1f}' for m in means)}; N-slope "
                 f"{fit.exponent:.3f} [{fit.low:.3f}, {fit.high:.3f}] (margin {config.margin:g})"),
        stated=(Figure(name="N-slope of the iterations to a fixed gap", value=0.0, high=config.margin),),
        measured=(
            Figure(name="mean iterations to the gap", value=" ".join(f"{m:.2f}" for m in means),
                   note=f"{censored} of {iters_arr.size} runs censored at K + 1 = {config.n_iterations + 1}"),
            Figure(name="N-slope of the iteration count", value=fit.exponent, low=fit.low, high=fit.high,
                   note="95 % stratified bootstrap over seeds"),
            Figure(name="samples per iteration", value=per_iteration, note="X · |Ā| · B, the same for every N"),
            Figure(name="final gap (mean over seeds)",
                   value=" ".join(f"{np.mean(f):.4g}" for f in finals)),
        ),
        reading=READING, reasons=reasons,
        evidence={"n_grid": list(config.n_grid), "iterations": iters_arr.tolist(),
                  "mean_iterations": means.tolist(), "fit": fit.to_dict(), "censored": censored,
                  "samples_per_iteration": per_iteration,
                  "final_gap_mean": [float(np.mean(f)) for f in finals],
                  "config": dict(vars(config))},
    )


READING = (
    "Exact twin of Alg 1 (Prop 3.2 update, τ_{k+1} = v√K/(k+1), v_k = v√K, uniform π_0) with an N-agent "
    "sampled critic (B transitions per (x, ā) per iteration whatever N; the state identified from N "
    "agents as the nearest lattice point); the neural Alg 1 is not used because its gap does not decay "
    "at feasible sizes (mfppo.thm4_1_rate). Sample complexity = iterations to reach 10 % of the uniform "
    "policy's gap (samples per iteration fixed); pass when the N-slope's 95 % upper end <= margin."
)


def run(profile: Profile) -> Verdict:
    return check_n_free_sample_complexity(config=CONFIGS[profile.name], master_seed=profile.master_seed)
