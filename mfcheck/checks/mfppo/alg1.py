"""mfppo.alg1: the given MF-PPO's outer loop follows Algorithm 1, judged from its iterates.

The loop is run with its inner calls observed (:func:`mfcheck.algorithms.mfppo.observed.observe`)
and the checker recomputes, with the paper's schedule τ_0 = 1, τ_{k+1} = v√K/(k+1), v_k = v√K:

* π_0 is uniform and every π_k is a distribution;
* the target handed to Algorithm 3 at iteration k is τ_{k+1}(F_{θ_k}/v_k + F_{α_k}/τ_k) at its
  samples, from the observed critic θ_k and actor α_k (F_{α_0} = 0);
* π_{k+1} = softmax(F_{α_{k+1}}/τ_{k+1}) on every (s, d) (population network, N = ∞);
* on the algorithm's exact twin (its schedule and proximal update, exact Q): the energies obey
  F_{k+1} = τ_{k+1}(Q^{π_k}/v_k + F_k/τ_k) and π_{k+1} = π_k exp(Q^{π_k}/v_k)/Z (Prop 3.2).

Nothing the algorithm records about itself (its temperatures, proximities, errors) is read.
Reference: MF-PPO Alg 1, Prop 3.2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPO, MFPPO_DEFAULT
from mfcheck.algorithms.mfppo.ideal import proximal_update, softmax, temperature_schedule
from mfcheck.algorithms.mfppo.observed import observe
from mfcheck.algorithms.mfppo.problem import Array, q_function, random_problem
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

CLAIM_ID = "mfppo.alg1"
DEFAULT_ALGORITHM = MFPPO_DEFAULT


@dataclass(frozen=True, kw_only=True)
class PpoAlg1Sizes:
    """Per-profile sizes: K, v, T, m, N, runs per cell and seeds (instances)."""

    n_iterations: int
    v: float
    n_steps: int
    width: int
    n_agents: int
    n_runs: int = 2
    seeds: int = 1


SIZES = {"quick": PpoAlg1Sizes(n_iterations=5, v=0.3, n_steps=16, width=8, n_agents=4),
         "full": PpoAlg1Sizes(n_iterations=20, v=0.3, n_steps=64, width=32, n_agents=16, seeds=3)}

READING = ("π_0's energy is F ≡ 0 (not the random network at α0), so the k = 0 target is τ_1 F_θ0/v_0; "
           "policies act through the population (mean-pooled, N = ∞) network; the critic sees the "
           "mean field through the algorithm's critic_embedding")


def cells(profile: Profile) -> list[Cell]:
    s = SIZES[profile.name]
    return grid(CLAIM_ID, seeds=s.seeds, K=[s.n_iterations], v=[s.v], runs=[s.n_runs])


def _relative(a: Array, b: Array) -> float:
    """max |a - b| / max(1, max |b|)."""
    return float(np.abs(np.asarray(a) - b).max() / max(1.0, float(np.abs(b).max())))


def measure(cell: Cell, algorithm: MFPPO, master_seed: int) -> Record:
    """Run the observed loop and its exact twin on the cell's instance; deviations from Alg 1."""
    problem = random_problem(cell.rng(master_seed, "instance"))
    big_k, v = int(cell["K"]), float(cell["v"])
    taus, proximities = temperature_schedule(v, big_k)
    observed, calls = observe(algorithm)
    history = observed.run(problem, cell.rng(master_seed, "run"), n_runs=int(cell["runs"]))
    policies = np.asarray(history.policies)
    embed = algorithm.critic_embedding
    target_dev, policy_dev = [], []
    for k, (evaluation, improvement) in enumerate(zip(calls.evaluations, calls.improvements)):
        net, imp = improvement["network"], improvement["batch"]
        critic_at = net.forward(evaluation["theta"], imp.own, embed(imp.weights), imp.action)
        actor_at = (np.zeros_like(critic_at) if k == 0
                    else net.forward(calls.improvements[k - 1]["alpha"], imp.own, imp.weights, imp.action))
        expected = taus[k + 1] * (critic_at / proximities[k] + actor_at / taus[k])
        target_dev.append(_relative(improvement["target"], expected))
        if k + 1 < len(policies):
            energy = net.population(improvement["alpha"], problem)
            policy_dev.append(_relative(policies[k + 1], softmax(energy, taus[k + 1])))
    twin_policies, _, twin_energies = algorithm.exact_twin(problem)
    twin_energy_dev, twin_policy_dev = [], []
    for k in range(min(big_k, len(twin_policies) - 1)):
        q = q_function(problem, twin_policies[k])
        twin_energy_dev.append(_relative(twin_energies[k + 1],
                                         taus[k + 1] * (q / proximities[k] + twin_energies[k] / taus[k])))
        twin_policy_dev.append(_relative(twin_policies[k + 1], proximal_update(twin_policies[k], q, proximities[k])))
    return Record.of(
        cell, n_actions=problem.n_actions, outer_iterations=len(policies) - 1,
        inner_calls=[len(calls.evaluations), len(calls.targets), len(calls.improvements)],
        uniform_deviation=float(np.abs(policies[0] - 1.0 / problem.n_actions).max()),
        simplex_deviation=float(max(np.abs(policies.sum(-1) - 1).max(), -policies.min(), 0.0)),
        target_deviation=target_dev, policy_deviation=policy_dev,
        twin_energy_deviation=twin_energy_dev, twin_policy_deviation=twin_policy_dev,
        twin_initial_energy=float(np.abs(twin_energies[0]).max()),
        schedule_seen=[[c["tau"], c["tau_next"], c["proximity"]] for c in calls.targets],
    )


def _worst(records: list[Record], name: str) -> float:
    values = [float(x) for r in records for x in r[name]]  # type: ignore[union-attr]
    return max(values, default=float("inf"))


def judge(records: list[Record], *, overridden: tuple[str, ...]) -> Verdict:
    rtol = get_claim(CLAIM_ID).threshold("rtol")
    big_k, v = int(records[0].cell["K"]), float(records[0].cell["v"])
    worst = {name: _worst(records, name) for name in
             ("target_deviation", "policy_deviation", "twin_energy_deviation", "twin_policy_deviation")}
    checks = {
        "K outer iterations, one call of each part per iteration": all(
            r["outer_iterations"] == big_k and r["inner_calls"] == [big_k] * 3 for r in records),
        "π_0 uniform (F_0 = 0)": all(float(r["uniform_deviation"]) <= rtol  # type: ignore[arg-type]
                                     and float(r["twin_initial_energy"]) == 0.0 for r in records),  # type: ignore[arg-type]
        "policies are distributions": all(float(r["simplex_deviation"]) <= rtol for r in records),  # type: ignore[arg-type]
        "Alg 3 target = τ_{k+1}(F_θk/v_k + F_αk/τ_k), τ_{k+1} = v√K/(k+1), v_k = v√K":
            worst["target_deviation"] <= rtol,
        "π_{k+1} = softmax(F_α(k+1)/τ_{k+1})": worst["policy_deviation"] <= rtol,
        "exact twin: F_{k+1} = τ_{k+1}(Q/v_k + F_k/τ_k)": worst["twin_energy_deviation"] <= rtol,
        "exact twin: π_{k+1} = π_k exp(Q/v_k)/Z (Prop 3.2)": worst["twin_policy_deviation"] <= rtol,
    }
    failed = [name for name, ok in checks.items() if not ok]
    taus, proximities = temperature_schedule(v, big_k)
    seen = records[0]["schedule_seen"]
    return Verdict(
        claim_id=CLAIM_ID, status="fail" if failed else "pass",
        summary="the iterates follow Algorithm 1" if not failed else "violates: " + "; ".join(failed),
        stated=(Figure(name="τ_K", value=float(taus[-1])), Figure(name="v_k", value=float(proximities[0])),
                Figure(name="relative tolerance", value=rtol)),
        measured=(Figure(name="(τ_{K-1}, τ_K, v_{K-1}) handed to the proximal update", value=str(seen[-1]) if seen else None),
                  Figure(name="max relative deviation of the Alg 3 target", value=worst["target_deviation"]),
                  Figure(name="max relative deviation of π_{k+1} from softmax(F_α/τ)", value=worst["policy_deviation"]),
                  Figure(name="exact twin: max relative energy deviation", value=worst["twin_energy_deviation"]),
                  Figure(name="exact twin: max deviation from π_k exp(Q/v_k)/Z", value=worst["twin_policy_deviation"])),
        reading=READING,
        reasons=tuple(f"{name}: {'ok' if ok else 'VIOLATED'}" for name, ok in checks.items()),
        evidence={"checks": checks, "worst": worst, "records": [r.to_dict() for r in records]},
        overridden=overridden,
    )


def check(algorithm: MFPPO = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Run Algorithm 1 as ``algorithm`` implements it and judge its iterates."""
    s = SIZES[profile.name]
    configured = configure(algorithm, n_iterations=s.n_iterations, v=s.v, n_steps=s.n_steps, width=s.width,
                           n_agents=s.n_agents)
    records = run_cells(cells(profile), measure, configured.algorithm, profile.master_seed)
    return judge(records, overridden=configured.overridden)
