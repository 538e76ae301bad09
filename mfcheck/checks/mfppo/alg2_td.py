"""mfppo.alg2_td: the given MF-PPO's policy evaluation follows Algorithm 2 (projected TD, η = T^-1/2,
projection onto B(θ0, R), ergodic average), judged from its iterates.

The same checker judges Algorithm 3 (:mod:`mfcheck.checks.mfppo.alg3_sgd`, ``evaluation=False``):
it runs the given algorithm's part (``policy_evaluation`` for Alg 2, ``policy_improvement`` for
Alg 3) on a small exact instance, asking it to keep its iterates, and judges the iterates against
the pseudo-code: the run starts at β0 and takes T steps; every iterate lies in B(β0, R) (with a
radius small enough to bind); the output is (1/T) Σ_{t<T} β(t); each step equals the independent
torch recomputation (:mod:`mfcheck.algorithms.mfppo.reference_torch`) with η = T^-1/2; and the
step size implied by the unprojected steps is T^-1/2. Nothing the part reports about itself (its
step size, radius, averaging) is read. Tolerances come from the claim's toml ``[thresholds]``.
Reference: MF-PPO Alg 2, Alg 3, eq (3.1)-(3.2), App E (E.5)-(E.6).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO, MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet
from mfcheck.algorithms.mfppo.problem import random_problem, stationary_distribution
from mfcheck.algorithms.mfppo.sampling import sample_batch
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


@dataclass(frozen=True, kw_only=True)
class PpoAlg2TdSizes:
    """Per-profile sizes: T, m, N, the (binding) radius R, steps recomputed, seeds."""

    n_steps: int
    width: int
    n_agents: int
    radius: float
    n_checked_steps: int
    seeds: int


SIZES = {"quick": PpoAlg2TdSizes(n_steps=64, width=16, n_agents=5, radius=0.1, n_checked_steps=16, seeds=2),
         "full": PpoAlg2TdSizes(n_steps=400, width=64, n_agents=5, radius=0.1, n_checked_steps=40, seeds=4)}

READING = ("next-state term F(s', s', ā') (the printed F(s, s', ā') is read as a typo); average over "
           "t = 0..T-1 as printed; one sample per step; the part runs with the algorithm's own inner "
           "settings (step size, averaging) at the checker's T, m, N and a binding radius R")


def cells(claim_id: str, profile: Profile) -> list[Cell]:
    s = SIZES[profile.name]
    return grid(claim_id, seeds=s.seeds, T=[s.n_steps], m=[s.width], N=[s.n_agents], R=[s.radius],
                checked=[s.n_checked_steps])


def audit(cell: Cell, algorithm: MFPPO, master_seed: int, *, evaluation: bool) -> Record:
    """Run the part (``policy_evaluation`` when ``evaluation``, else ``policy_improvement``) on the
    cell's instance and audit its iterates against the pseudo-code."""
    from mfcheck.algorithms.mfppo.reference_torch import ReferenceNetwork, Sample

    n_steps, radius = int(cell["T"]), float(cell["R"])
    problem = random_problem(cell.rng(master_seed, "instance"), gamma=0.7)
    net = BatchedDeepSet.initialise(cell.rng(master_seed, "network"), n_runs=1, width=algorithm.width,
                                    n_local=problem.n_local, n_actions=problem.n_actions,
                                    symmetric=algorithm.symmetric_init)
    policy = np.full((1, problem.n_joint, problem.n_actions), 1 / problem.n_actions)
    nu = stationary_distribution(problem, policy)
    rng = cell.rng(master_seed, "samples")
    batch = sample_batch(rng, problem, nu, policy, n_steps, algorithm.n_agents, with_next=evaluation)
    inner = replace(algorithm.inner(radius), record_iterates=True)
    embed = algorithm.critic_embedding
    if evaluation:
        part = "policy_evaluation"
        history = algorithm.policy_evaluation(net, inner, batch, problem.gamma, embed)
        weights, next_weights = embed(batch.weights), embed(batch.next_weights)
        target, discount = (1 - problem.gamma) * batch.reward, problem.gamma
    else:
        part = "policy_improvement"
        target, discount = 2.0 * rng.standard_normal(batch.reward.shape), 0.0
        history = algorithm.policy_improvement(net, inner, batch, target)
        weights, next_weights = batch.weights, None
    if getattr(history, "iterates", None) is None:
        raise ValueError(f"{part} returned no iterates although record_iterates=True was asked: "
                         "the conformance check needs β(0..T)")
    iterates = np.asarray(history.iterates)[0]
    beta0 = net.beta0[0]
    eta = n_steps ** -0.5
    reference = ReferenceNetwork(net.u[0], beta0, n_local=problem.n_local, n_actions=problem.n_actions,
                                 n_agents=algorithm.n_agents)
    distances = np.sqrt(((iterates - beta0) ** 2).sum(axis=(1, 2)))
    n_done = iterates.shape[0] - 1
    step_errors, implied = [], []
    for t in range(min(int(cell["checked"]), n_done)):
        sample = Sample(own=int(batch.own[0, t]), weights=weights[0, t], action=int(batch.action[0, t]),
                        target=float(target[0, t]), discount=discount,
                        next_own=int(batch.next_own[0, t]) if evaluation else 0,
                        next_weights=next_weights[0, t] if evaluation else None,
                        next_action=int(batch.next_action[0, t]) if evaluation else 0)
        step_errors.append(float(np.abs(reference.step(iterates[t], sample, eta=eta, radius=radius)
                                        - iterates[t + 1]).max()))
        if distances[t + 1] < radius * (1 - 1e-6):  # unprojected: β(t+1) - β(t) = -η direction
            direction = reference.direction(iterates[t], sample)
            norm = float((direction ** 2).sum())
            if norm > 0:
                implied.append(-float(((iterates[t + 1] - iterates[t]) * direction).sum()) / norm)
    ergodic = iterates[:n_steps].mean(axis=0)
    return Record.of(cell, eta=eta, radius=radius, n_steps_run=n_done,
                     start_deviation=float(np.abs(iterates[0] - beta0).max()),
                     max_distance=float(distances.max()),
                     mean_deviation=float(np.abs(np.asarray(history.output)[0] - ergodic).max()),
                     step_errors=step_errors,
                     implied_step=float(np.median(implied)) if implied else None,
                     n_unprojected=len(implied))


def judge(claim_id: str, records: list[Record], *, overridden: tuple[str, ...]) -> Verdict:
    """Pass when every record's iterates follow the pseudo-code within the toml's tolerances."""
    limits = get_claim(claim_id)
    values = [r.values for r in records]
    eta, radius = float(values[0]["eta"]), float(values[0]["radius"])
    steps = [float(e) for v in values for e in v["step_errors"]]  # type: ignore[union-attr]
    implied = [float(v["implied_step"]) for v in values if v["implied_step"] is not None]  # type: ignore[arg-type]
    worst = {
        "start": max(float(v["start_deviation"]) for v in values),  # type: ignore[arg-type]
        "distance": max(float(v["max_distance"]) for v in values),  # type: ignore[arg-type]
        "mean": max(float(v["mean_deviation"]) for v in values),  # type: ignore[arg-type]
        "step": max(steps, default=float("inf")),
        "implied": max((abs(i / eta - 1) for i in implied), default=0.0),
    }
    checks = {
        "T steps from β0": all(int(v["n_steps_run"]) == int(r.cell["T"])  # type: ignore[arg-type]
                               for v, r in zip(values, records)) and worst["start"] == 0.0,
        "every iterate in B(β0, R)": worst["distance"] <= radius * (1 + limits.threshold("radius_rtol")),
        "projection binds (the test is not vacuous)": worst["distance"] >= limits.threshold("binding") * radius,
        "output is the ergodic mean of β(0..T-1)": worst["mean"] <= limits.threshold("mean_atol"),
        "each step matches the torch reference with η = T^-1/2 (eq E.5-E.6)":
            worst["step"] <= limits.threshold("step_atol"),
        "step size implied by the unprojected steps is T^-1/2":
            worst["implied"] <= limits.threshold("step_size_rtol"),
    }
    failed = [name for name, ok in checks.items() if not ok]
    return Verdict(
        claim_id=claim_id,
        status="fail" if failed else "pass",
        summary=("the iterates follow the pseudo-code" if not failed else "violates: " + "; ".join(failed)),
        stated=(Figure(name="η", value=eta), Figure(name="R", value=radius),
                Figure(name="output", value="(1/T) Σ_{t<T} β(t)")),
        measured=(Figure(name="step size implied by the iterates", value=float(np.median(implied)) if implied
                         else None, note=f"median over {len(implied)} unprojected steps"),
                  Figure(name="max ‖β(t) - β0‖", value=worst["distance"]),
                  Figure(name="max |output - ergodic mean|", value=worst["mean"]),
                  Figure(name="max step deviation from torch reference", value=worst["step"],
                         note=f"{len(steps)} steps recomputed over {len(records)} seeds")),
        reading=READING,
        reasons=tuple(f"{name}: {'ok' if ok else 'VIOLATED'}" for name, ok in checks.items()),
        evidence={"checks": checks, "worst": worst, "records": [r.to_dict() for r in records]},
        overridden=overridden,
    )


def check_part(claim_id: str, algorithm: MFPPO, profile: Profile, *, evaluation: bool,
               measure: Callable[[Cell, MFPPO, int], Record]) -> Verdict:
    """Configure the sizes, run every cell through ``measure`` (the claim's module-level cell
    function), judge."""
    s = SIZES[profile.name]
    radius = {"radius_critic": s.radius} if evaluation else {"radius_actor": s.radius}
    configured = configure(algorithm, n_steps=s.n_steps, width=s.width, n_agents=s.n_agents, **radius)
    records = run_cells(cells(claim_id, profile), measure, configured.algorithm, profile.master_seed)
    return judge(claim_id, records, overridden=configured.overridden)


CLAIM_ID = "mfppo.alg2_td"
DEFAULT_ALGORITHM = MFPPO_DEFAULT


def measure(cell: Cell, algorithm: MFPPO, master_seed: int) -> Record:
    """One cell of Alg 2: :func:`audit` of ``algorithm.policy_evaluation``."""
    return audit(cell, algorithm, master_seed, evaluation=True)


def check(algorithm: MFPPO = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Run ``algorithm.policy_evaluation`` with its iterates kept and judge them against Alg 2."""
    return check_part(CLAIM_ID, algorithm, profile, evaluation=True, measure=measure)
