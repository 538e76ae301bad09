"""mfppo.alg1: the MF-PPO loop follows Algorithm 1 (schedules, uniform π_0, Prop 3.2 energy form).

Checks on a recorded run: τ_0 = 1, τ_{k+1} = v√K/(k+1), v_k = v√K; π_0 uniform; and, on the
exact twin driven by the same schedule, that π_{k+1} ∝ exp(F_{k+1}/τ_{k+1}) with
F_{k+1} = τ_{k+1}(Q/v_k + F_k/τ_k) equals the KL-proximal update π_k exp(Q/v_k)/Z (Prop 3.2).
Reference: MF-PPO Alg 1, Prop 3.2.
"""

from __future__ import annotations

import numpy as np

from mfcheck.algorithms.mfppo.algorithm import MFPPOConfig, run_mfppo
from mfcheck.algorithms.mfppo.ideal import (
    IdealConfig,
    Schedule,
    proximal_update,
    run_energy_form,
    run_ideal,
    temperature_schedule,
)
from mfcheck.algorithms.mfppo.problem import q_function, random_problem
from mfcheck.judgement import Figure, Profile, Verdict

CLAIM_ID = "mfppo.alg1"
CONFIGS = {"quick": MFPPOConfig(n_iterations=5, v=0.3, n_steps=16, width=8, n_agents=4),
           "full": MFPPOConfig(n_iterations=20, v=0.3, n_steps=64, width=32, n_agents=16)}


def check_alg1(schedule: Schedule = temperature_schedule, *, config: MFPPOConfig = CONFIGS["quick"],
               seed: int = 0) -> Verdict:
    """Run Algorithm 1 (and its exact twin) with ``schedule`` and compare with the pseudo-code."""
    rng = np.random.default_rng(seed)
    problem = random_problem(rng)
    history = run_mfppo(problem, config, rng, n_runs=2, schedule=schedule)
    big_k, v = config.n_iterations, config.v
    taus = np.concatenate([[1.0], v * np.sqrt(big_k) / (np.arange(big_k) + 1)])
    ideal = run_ideal(problem, IdealConfig(n_iterations=big_k, v=v))
    twin = run_ideal_with(problem, big_k, v, schedule)
    prox = np.array([proximal_update(twin["policies"][k], twin["q"][k], np.sqrt(big_k) * v)
                     for k in range(big_k)])
    energy_gap = float(np.abs(prox - twin["policies"][1:]).max())
    checks = {
        "τ_0 = 1 and τ_{k+1} = v√K/(k+1)": bool(np.allclose(history.temperatures, taus, rtol=1e-12)),
        "v_k = v√K": bool(np.allclose(history.proximities, v * np.sqrt(big_k), rtol=1e-12)),
        "π_0 uniform": bool(np.allclose(history.policies[0], 1.0 / problem.n_actions)),
        "energy form equals the KL-proximal update (Prop 3.2)": energy_gap <= 1e-10,
        "policies are distributions": bool(np.allclose(history.policies.sum(-1), 1.0)),
    }
    failed = [k for k, ok in checks.items() if not ok]
    return Verdict(
        claim_id=CLAIM_ID, status="fail" if failed else "pass",
        summary="conforms to Algorithm 1" if not failed else "violates: " + "; ".join(failed),
        stated=(Figure(name="τ_K", value=float(taus[-1])), Figure(name="v_k", value=v * np.sqrt(big_k))),
        measured=(Figure(name="τ_K used", value=float(history.temperatures[-1])),
                  Figure(name="v_k used", value=float(history.proximities[0])),
                  Figure(name="max |energy policy - proximal policy|", value=energy_gap),
                  Figure(name="ideal twin final gap in π", value=float(
                      np.abs(ideal.policies[-1] - twin["policies"][-1]).max()))),
        reading="the actor energy of π_0 is F ≡ 0 (not the random network at α0); policies act through the population network",
        reasons=tuple(f"{k}: {'ok' if ok else 'VIOLATED'}" for k, ok in checks.items()),
        evidence={"checks": checks, "energy_gap": energy_gap},
    )


def run_ideal_with(problem, big_k: int, v: float, schedule: Schedule) -> dict[str, np.ndarray]:
    """Exact twin with an arbitrary temperature schedule (energy form, Prop 3.2)."""
    policies, qs, _ = run_energy_form(problem, big_k, v, lambda pi: q_function(problem, pi),
                                      schedule=schedule)
    return {"policies": policies, "q": qs}


def run(profile: Profile) -> Verdict:
    return check_alg1(config=CONFIGS[profile.name], seed=profile.master_seed)
