"""MF-PPO Proposition 2.1: permutation invariance of Q*, of an optimal policy, and of V^ν, Q^ν.

On exact joint-space models of N-agent cooperative MDPs (team reward = average reward, agents
moving independently given the joint state, so eq 2.1 holds by construction) the check solves
Q* (policy iteration, certified by its Bellman residual) and measures, over the permutations κ
of the agents (all of them when N! <= 720, else the adjacent transpositions that generate S_N):

1. ``max |Q*(κs, κa) - Q*(s, a)|`` (first part of Prop 2.1, App C eq C.1);
2. the greedy policy with exact ties split uniformly: its invariance residual and
   ``‖V^greedy - V*‖∞`` (it is optimal and invariant: "there exists an optimal invariant ν*");
3. for random permutation-invariant policies (Dirichlet rows averaged over S_N):
   ``max |V^ν(κs) - V^ν(s)|`` and ``max |Q^ν(κs, κa) - Q^ν(s, a)|`` (second part, eq C.2).

Eq 2.1 itself is measured on the joint reward and kernel and reported beside the conclusions;
it is not screened (see ``reading``), so a model that breaks it is reported as a failure.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mfcheck.checks.mfppo._n_agent_invariance import (
    Config,
    as_models,
    n_agent_instances,
    record_header,
    run_check,
    violations,
    worst_relative,
)
from mfcheck.judgement import Figure, Profile, Verdict
from mfcheck.models.joint_policies import (
    invariance_residual,
    permutation_maps,
    random_invariant_policy,
)
from mfcheck.models.n_agent import NAgentMDP
from mfcheck.solvers.dynamic_programming import (
    evaluate_policy,
    greedy_policy,
    soft_policy_iteration,
)

CLAIM_ID = "mfppo.prop2_1"

READING = (
    "Joint space S^N x A^N with the team reward (1/N) Σ_i r(s_i, a_i, d) and the product kernel "
    "Π_i p(s'_i|s_i, a_i, d), d the empirical distribution of all agents; values E Σ γ^t r (the "
    "paper's (1-γ) factor does not affect invariance). κ acts by κ(s)_i = s_κ[i] on states and "
    "actions alike. 'Some optimal policy is invariant' is checked on the greedy policy of Q* "
    "with exact ties split uniformly (ties within 1e-10 relative). Tolerance: residuals <= "
    "tolerance · r̄/(1-γ). Eq 2.1 is a property of the model class (NAgentMDP builds it); the "
    "checker measures it and reports it, but does not screen on it: an object presented as an "
    "N-agent cooperative MDP whose joint space breaks the conclusions fails, with its eq 2.1 "
    "residual named in the reasons."
)


CONFIGS = {
    "quick": Config(
        random_instances=((2, 2, 3), (2, 2, 4), (2, 2, 5), (3, 2, 3), (3, 2, 4), (2, 3, 3)),
        presets=(("cooperative_sis", 5), ("crowd_ring", 4)),
        n_policies=5,
    ),
    "full": Config(
        random_instances=(
            (2, 2, 3), (2, 2, 4), (2, 2, 5), (2, 2, 6), (3, 2, 3), (3, 2, 4), (2, 3, 3),
            (2, 3, 4), (3, 3, 3), (4, 2, 3), (1, 3, 3), (3, 1, 4),
        ),
        presets=(("cooperative_sis", 6), ("crowd_ring", 4)),
        n_policies=20,
    ),
}


def kernel_invariance_residual(transition: np.ndarray, maps: list) -> float:
    """``max |P(κs'|κs, κa) - P(s'|s, a)|`` over the given permutations."""
    worst = 0.0
    for state_map, action_map in maps:
        moved = transition[state_map][:, action_map][:, :, state_map]
        worst = max(worst, float(np.abs(moved - transition).max()))
    return worst


def measure_instance(n_agent_mdp: NAgentMDP, rng: np.random.Generator, n_policies: int) -> dict:
    """Residuals of eq 2.1 and of the three conclusions of Prop 2.1 on one model."""
    joint = n_agent_mdp.joint_space()
    maps = permutation_maps(n_agent_mdp)
    optimal = soft_policy_iteration(joint.transition, joint.reward, joint.gamma)
    greedy = greedy_policy(optimal.q_values)
    greedy_values, _ = evaluate_policy(joint.transition, joint.reward, joint.gamma, greedy)
    v_residual = q_residual = 0.0
    for _ in range(n_policies):
        policy = random_invariant_policy(n_agent_mdp, rng)
        values, q_values = evaluate_policy(joint.transition, joint.reward, joint.gamma, policy)
        v_residual = max(v_residual, invariance_residual(values, maps))
        q_residual = max(q_residual, invariance_residual(q_values, maps))
    return {
        **record_header(n_agent_mdp, joint.gamma, n_permutations=len(maps)),
        "eq2_1_reward_residual": invariance_residual(joint.reward, maps),
        "eq2_1_kernel_residual": kernel_invariance_residual(joint.transition, maps),
        "bellman_residual": optimal.residual,
        "q_star_residual": invariance_residual(optimal.q_values, maps),
        "greedy_residual": invariance_residual(greedy, maps),
        "greedy_optimality_gap": float(np.abs(greedy_values - optimal.values).max()),
        "policy_value_residual": v_residual,
        "policy_q_residual": q_residual,
    }


CONCLUSIONS = (
    ("q_star_residual", "Q* is not permutation invariant"),
    ("greedy_residual", "the greedy (uniform-tie) optimal policy is not permutation invariant"),
    ("greedy_optimality_gap", "the invariant greedy policy is not optimal"),
    ("policy_value_residual", "V^ν of an invariant policy is not invariant"),
    ("policy_q_residual", "Q^ν of an invariant policy is not invariant"),
)


def _eq2_1_residuals(record: dict) -> str:
    return (
        f" (eq 2.1 residuals: reward {record['eq2_1_reward_residual']:.3g}, "
        f"kernel {record['eq2_1_kernel_residual']:.3g})"
    )


def check_prop2_1(
    models: NAgentMDP | Sequence[NAgentMDP],
    *,
    rng: np.random.Generator,
    n_policies: int = 3,
    tolerance: float = 1e-9,
) -> Verdict:
    """Check Prop 2.1 on N-agent models (their ``joint_space()`` must fit in memory)."""
    records = [measure_instance(model, rng, n_policies) for model in as_models(models)]
    reasons = violations(records, CONCLUSIONS, tolerance, detail=_eq2_1_residuals)
    worst = worst_relative(records, CONCLUSIONS)
    status = "fail" if reasons else "pass"
    summary = (
        f"{len(records)} joint-space models (N <= {max(r['n_agents'] for r in records)}): "
        + ("Q*, the greedy optimal policy and V, Q of invariant policies are permutation invariant "
           f"(worst relative residual {max(worst.values()):.1e})" if not reasons
           else f"{len(reasons)} violation(s) of Prop 2.1's conclusions")
    )
    return Verdict(
        claim_id=CLAIM_ID,
        status=status,
        summary=summary,
        stated=(
            Figure(name="max |Q*(κs,κa) - Q*(s,a)|", value=0.0),
            Figure(name="max |V^ν(κs) - V^ν(s)|, |Q^ν(κs,κa) - Q^ν(s,a)| (ν invariant)", value=0.0),
            Figure(name="tolerance", value=tolerance, unit="x r̄/(1-γ)"),
        ),
        measured=(
            Figure(name="Q* residual", value=worst["q_star_residual"], unit="x r̄/(1-γ)"),
            Figure(name="greedy ν* residual", value=worst["greedy_residual"]),
            Figure(name="‖V^greedy - V*‖", value=worst["greedy_optimality_gap"], unit="x r̄/(1-γ)"),
            Figure(name="V^ν residual", value=worst["policy_value_residual"], unit="x r̄/(1-γ)"),
            Figure(name="Q^ν residual", value=worst["policy_q_residual"], unit="x r̄/(1-γ)"),
            Figure(name="eq 2.1 residual (reward, kernel)",
                   value=max(max(r["eq2_1_reward_residual"], r["eq2_1_kernel_residual"]) for r in records)),
            Figure(name="instances", value=len(records)),
        ),
        reading=READING,
        reasons=tuple(reasons),
        evidence={"instances": records, "n_policies": n_policies, "tolerance": tolerance},
    )


def instances(config: Config, master_seed: int) -> list[NAgentMDP]:
    """The presets and the seeded random models of a configuration."""
    return n_agent_instances(config, master_seed, label=CLAIM_ID)


def run(profile: Profile) -> Verdict:
    """CLI entry: check the presets and random models of the profile's configuration."""
    return run_check(check_prop2_1, CLAIM_ID, CONFIGS[profile.name], profile.master_seed)
