"""MF-PPO Proposition 2.2: V(s, s_r) = V(s, κ(s_r)) = g(s, p̂_{s_r}), checked by exact lumping.

Agent 0 is the representative (own state s), agents 1..N-1 the rest s_r. On exact joint-space
models the check evaluates two families of policies invariant under permutations of s_r:

(a) meta-action policies of the finite mean-field MDP (MF-PPO Def 2.1 at finite N): agent 0
    draws ā ~ π(·|s, counts of s_r), every agent plays ā(own state) — random Dirichlet π and
    the optimal π* of the finite mean-field MDP; their joint values are compared with the
    values of :class:`~mfcheck.models.mean_field_mdp.FiniteMeanFieldMDP` (built in count space
    with the FFT of multinomial generating functions, independently of the joint kernel);
(b) random joint policies invariant under the permutations of agents 1..N-1 (Dirichlet rows
    averaged over that group), compared with their lumped chain
    (:func:`~mfcheck.models.lumping.lump_joint_policy`).

Measured: the spread of joint values within each (own state, counts of the others) class
(Prop 2.2's first statement, and "V is a function g of (s, p̂)") and the largest difference
between joint and lumped values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mfcheck.checks.mfppo import _n_agent_invariance
from mfcheck.checks.mfppo._n_agent_invariance import (
    as_models,
    n_agent_instances,
    record_header,
    run_check,
    violations,
    worst_relative,
)
from mfcheck.judgement import Figure, Profile, Verdict
from mfcheck.models.joint_policies import (
    class_index,
    lift_meta_action_policy,
    random_invariant_policy,
)
from mfcheck.models.lumping import lump_joint_policy
from mfcheck.models.mean_field_mdp import FiniteMeanFieldMDP, build_finite_mean_field_mdp
from mfcheck.models.n_agent import CooperativeModel, NAgentMDP
from mfcheck.solvers.count_space import chain_values, evaluate, optimal_solution
from mfcheck.solvers.dynamic_programming import evaluate_policy

CLAIM_ID = "mfppo.prop2_2"
LumpedBuilder = Callable[[CooperativeModel, int], FiniteMeanFieldMDP]

READING = (
    "s is agent 0's state, s_r the states of agents 1..N-1; 'κ' permutes s_r only. The paper's "
    "p̂ = (1/N) Σ_{s in s_r} δ_s has N-1 atoms, so it sums to (N-1)/N: we read it as the counts "
    "of the others (any fixed normalisation carries the same information). Policies must be "
    "invariant under permutations of s_r (the proof's 'same ingredients as Prop 2.1'); two "
    "families are checked: meta-action policies of the finite mean-field MDP and symmetrised "
    "random joint policies. Values E Σ γ^t r; tolerance: differences <= tolerance · r̄/(1-γ)."
)


@dataclass(frozen=True, kw_only=True)
class Config(_n_agent_invariance.Config):
    """Sizes of the quick and full runs (N >= 2: a representative and others)."""

    tolerance: float = 1e-10
    """Differences must be <= tolerance · r̄ / (1 - γ) (1e-9 at γ = 0.9, r̄ = 1)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if any(n < 2 for *_, n in self.random_instances) or any(n < 2 for _, n in self.presets):
            raise ValueError("Config: Prop 2.2 needs N >= 2 (a representative and others)")


CONFIGS = {
    "quick": Config(
        random_instances=((2, 2, 2), (2, 2, 3), (2, 2, 4), (3, 2, 3), (2, 3, 3)),
        presets=(("cooperative_sis", 4), ("crowd_ring", 3)),
        n_policies=3,
    ),
    "full": Config(
        random_instances=((2, 2, 2), (2, 2, 3), (2, 2, 4), (2, 2, 5), (3, 2, 3), (3, 2, 4),
                          (2, 3, 3), (3, 3, 3), (4, 2, 3)),
        presets=(("cooperative_sis", 5), ("crowd_ring", 4)),
        n_policies=10,
    ),
}


def class_spread(values: NDArray[np.float64], classes: NDArray[np.int64]) -> float:
    """``max_x (max - min)`` of ``values`` over the joint states of each class x."""
    order = np.argsort(classes, kind="stable")
    sorted_classes, sorted_values = classes[order], values[order]
    starts = np.flatnonzero(np.r_[True, np.diff(sorted_classes) != 0])
    spread = np.maximum.reduceat(sorted_values, starts) - np.minimum.reduceat(sorted_values, starts)
    return float(spread.max())


def measure_instance(
    n_agent_mdp: NAgentMDP, rng: np.random.Generator, n_policies: int, lumped_builder: LumpedBuilder
) -> dict:
    """Class spreads and joint-vs-lumped differences for both policy families on one model."""
    joint = n_agent_mdp.joint_space()
    classes = class_index(n_agent_mdp)
    lumped = lumped_builder(n_agent_mdp.model, n_agent_mdp.n_agents)
    meta_policies = [optimal_solution(lumped).policy]
    meta_policies += [rng.dirichlet(np.full(lumped.n_meta_actions, 0.5), size=lumped.n_states)
                      for _ in range(n_policies)]
    spread_meta = diff_meta = 0.0
    for policy in meta_policies:
        values, _ = evaluate_policy(joint.transition, joint.reward, joint.gamma,
                                    lift_meta_action_policy(n_agent_mdp, policy, lumped.meta_actions))
        spread_meta = max(spread_meta, class_spread(values, classes))
        diff_meta = max(diff_meta, float(np.abs(values - evaluate(lumped, policy)[0][classes]).max()))
    spread_joint = diff_joint = 0.0
    for _ in range(n_policies):
        policy = random_invariant_policy(n_agent_mdp, rng, fixed=(0,))
        values, _ = evaluate_policy(joint.transition, joint.reward, joint.gamma, policy)
        chain = lump_joint_policy(n_agent_mdp, policy)
        spread_joint = max(spread_joint, class_spread(values, classes))
        diff_joint = max(diff_joint, float(np.abs(values - chain_values(chain)[classes]).max()))
    return {
        **record_header(n_agent_mdp, joint.gamma, n_classes=lumped.n_states, n_joint_states=int(classes.size)),
        "class_spread_meta": spread_meta,
        "lumped_difference_meta": diff_meta,
        "class_spread_invariant": spread_joint,
        "lumped_difference_invariant": diff_joint,
    }


CONCLUSIONS = (
    ("class_spread_meta", "joint values of a meta-action policy vary within a (s, counts of s_r) class"),
    ("lumped_difference_meta", "joint values differ from the finite mean-field MDP's values"),
    ("class_spread_invariant", "joint values of an invariant policy vary within a (s, counts of s_r) class"),
    ("lumped_difference_invariant", "joint values differ from the lumped chain's values"),
)


def check_prop2_2(
    models: NAgentMDP | Sequence[NAgentMDP],
    *,
    rng: np.random.Generator,
    n_policies: int = 3,
    tolerance: float = 1e-10,
    lumped_builder: LumpedBuilder = build_finite_mean_field_mdp,
) -> Verdict:
    """Check Prop 2.2 on N-agent models (N >= 2; ``joint_space()`` must fit in memory).

    ``lumped_builder(model, N)`` builds the finite mean-field MDP the joint values are compared
    with (the real one by default; a mutant replaces it to show the check can fail).
    """
    records = [measure_instance(model, rng, n_policies, lumped_builder) for model in as_models(models)]
    reasons = violations(records, CONCLUSIONS, tolerance)
    worst = worst_relative(records, CONCLUSIONS)
    largest = max(records, key=lambda r: r["n_joint_states"])
    summary = (
        f"{len(records)} models (up to {largest['n_joint_states']} joint states lumped onto "
        f"{largest['n_classes']} classes): "
        + ("joint values are constant on (own state, counts of the others) classes and equal the "
           f"lumped values (worst relative difference {max(worst.values()):.1e})" if not reasons
           else f"{len(reasons)} violation(s) of Prop 2.2")
    )
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if reasons else "pass",
        summary=summary,
        stated=(
            Figure(name="max_x spread of V within class x", value=0.0),
            Figure(name="max |V_joint - V_lumped|", value=0.0),
            Figure(name="tolerance", value=tolerance, unit="x r̄/(1-γ)"),
        ),
        measured=(
            Figure(name="class spread (meta-action π)", value=worst["class_spread_meta"], unit="x r̄/(1-γ)"),
            Figure(name="|V_joint - V_finite-MF|", value=worst["lumped_difference_meta"], unit="x r̄/(1-γ)"),
            Figure(name="class spread (invariant ν)", value=worst["class_spread_invariant"], unit="x r̄/(1-γ)"),
            Figure(name="|V_joint - V_lumped|", value=worst["lumped_difference_invariant"], unit="x r̄/(1-γ)"),
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
    return run_check(check_prop2_2, CLAIM_ID, CONFIGS[profile.name], profile.master_seed)
