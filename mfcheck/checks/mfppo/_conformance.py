"""Shared conformance test of Algorithms 2 and 3 (projected semi-gradient with averaging).

Runs an implementation (a callable with ``run_projected_sgd``'s signature) with every iterate
recorded on a small exact instance and checks, against the paper's pseudo-code:
step η = T^-1/2; ‖β(t) - β0‖ <= R at every iterate (with a radius small enough to bind);
output = (1/T) Σ_{t<T} β(t); each step equals an independent torch recomputation.
Reference: MF-PPO Alg 2, Alg 3, App E (E.5)-(E.6).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet
from mfcheck.algorithms.mfppo.problem import random_problem, stationary_distribution
from mfcheck.algorithms.mfppo.projected_sgd import ProjectedSGDConfig, run_projected_sgd
from mfcheck.algorithms.mfppo.sampling import sample_batch
from mfcheck.judgement import Figure, Verdict

Implementation = Callable[..., object]
TOL = 1e-9


@dataclass(frozen=True, kw_only=True)
class Config:
    n_steps: int = 64
    width: int = 16
    n_agents: int = 5
    radius: float = 0.1
    n_checked_steps: int = 8


CONFIGS = {"quick": Config(), "full": Config(n_steps=400, width=64, n_checked_steps=40)}


def check_projected_sgd(claim_id: str, implementation: Implementation = run_projected_sgd, *,
                        evaluation: bool, config: Config, seed: int) -> Verdict:
    """Check an implementation of Alg 2 (``evaluation=True``) or Alg 3 against the pseudo-code."""
    from mfcheck.checks.mfppo._reference_torch import reference_step

    rng = np.random.default_rng(seed)
    problem = random_problem(rng, gamma=0.7)
    net = BatchedDeepSet.initialise(rng, n_runs=1, width=config.width, n_local=problem.n_local,
                                    n_actions=problem.n_actions)
    policy = np.full((1, problem.n_joint, problem.n_actions), 1 / problem.n_actions)
    nu = stationary_distribution(problem, policy)
    batch = sample_batch(rng, problem, nu, policy, config.n_steps, config.n_agents, with_next=evaluation)
    if evaluation:
        target, discount = (1 - problem.gamma) * batch.reward, problem.gamma
    else:
        target, discount = 2.0 * rng.standard_normal(batch.reward.shape), 0.0
    sgd_config = ProjectedSGDConfig(n_steps=config.n_steps, radius=config.radius, record_iterates=True)
    history = implementation(net, sgd_config, own=batch.own, weights=batch.weights,
                             action=batch.action, target=target, discount=discount,
                             next_own=batch.next_own, next_weights=batch.next_weights,
                             next_action=batch.next_action)
    iterates = history.iterates[0]
    beta0 = net.beta0[0]
    eta = config.n_steps ** -0.5
    distances = np.sqrt(((iterates - beta0) ** 2).sum(axis=(1, 2)))
    ergodic = iterates[: config.n_steps].mean(axis=0)
    step_errors = []
    for t in range(config.n_checked_steps):
        kw = {}
        if evaluation:
            kw = {"next_own": int(batch.next_own[0, t]), "next_weights": batch.next_weights[0, t],
                  "next_action": int(batch.next_action[0, t])}
        ref = reference_step(net.u[0], beta0, iterates[t], n_local=problem.n_local,
                             n_actions=problem.n_actions, n_agents=config.n_agents,
                             own=int(batch.own[0, t]), weights=batch.weights[0, t],
                             action=int(batch.action[0, t]), target=float(target[0, t]),
                             discount=discount, eta=eta, radius=config.radius, **kw)
        step_errors.append(float(np.abs(ref - iterates[t + 1]).max()))
    checks = {
        "step size is T^-1/2": abs(history.step_size - eta) <= TOL,
        "every iterate in B(β0, R)": bool(distances.max() <= config.radius * (1 + 1e-9)),
        "projection binds (the test is not vacuous)": bool(distances.max() >= 0.999 * config.radius),
        "output is the ergodic mean of β(0..T-1)": bool(np.abs(history.output[0] - ergodic).max() <= TOL),
        "each step matches the torch reference (eq E.5-E.6)": max(step_errors) <= 1e-8,
    }
    failed = [name for name, ok in checks.items() if not ok]
    return Verdict(
        claim_id=claim_id,
        status="fail" if failed else "pass",
        summary=("conforms to the pseudo-code" if not failed else "violates: " + "; ".join(failed)),
        stated=(Figure(name="η", value=eta), Figure(name="R", value=config.radius),
                Figure(name="output", value="(1/T) Σ_{t<T} β(t)")),
        measured=(Figure(name="step size used", value=float(history.step_size)),
                  Figure(name="max ‖β(t) - β0‖", value=float(distances.max())),
                  Figure(name="max |output - ergodic mean|",
                         value=float(np.abs(history.output[0] - ergodic).max())),
                  Figure(name="max step deviation from torch reference", value=max(step_errors))),
        reading=("next-state term F(s', s', ā') (the printed F(s, s', ā') is read as a typo); "
                 "average over t = 0..T-1 as printed; one sample per step"),
        reasons=tuple(f"{name}: {'ok' if ok else 'VIOLATED'}" for name, ok in checks.items()),
        evidence={"checks": checks, "step_errors": step_errors, "distances_max": float(distances.max())},
    )
