"""MF-PPO Proposition 2.2: V(s, s_r) = V(s, κ(s_r)) = g(s, p̂_{s_r}), checked by exact lumping.

The statement checked is a :class:`~mfcheck.models.permutation_invariance.ValueOfCounts`: which
agents κ permutes (the paper: the rest s_r of a representative agent 0), what g is (the project's reading: the value of the finite
mean-field MDP of Def 2.1, built in count space with the FFT of multinomial generating
functions, independently of the joint kernel), and which N-agent MDPs it is about (cooperative
MDPs satisfying eq 2.1). On exact joint-space models (one cell per model) the checker screens
eq 2.1, then evaluates two families of policies invariant under permutations of s_r:

(a) meta-action policies of the finite mean-field MDP (agent 0 draws ā ~ π(·|s, counts of s_r),
    every agent plays ā(own state)): random Dirichlet π and the optimal π*; their joint values
    are compared with g's values;
(b) random joint policies invariant under the permutations of agents 1..N-1, compared with their
    lumped chain (:func:`~mfcheck.models.lumping.lump_joint_policy`).

Measured: the worst ``|V(κs) - V(s)|`` over the stated group (Prop 2.2's first statement, and
"V is a function of (s, counts of s_r)") and the worst ``|V_joint - g|``, each with the joint
state where it occurs. Residuals above ``residual_tolerance · r̄/(1-γ)`` (toml) refute.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mfcheck.checks.mfppo.prop2_1 import (
    PpoProp21Sizes,
    check_given_models,
    judge_models,
    judge_records,
    model_cells,
    model_record,
)
from mfcheck.instances.n_agent import instance_label
from mfcheck.judgement import QUICK, Cell, Figure, Profile, Record, Verdict, run_cells
from mfcheck.judgement.statement import Statement
from mfcheck.models.joint_policies import (
    class_index,
    lift_meta_action_policy,
    random_invariant_policy,
)
from mfcheck.models.lumping import lump_joint_policy
from mfcheck.models.n_agent import NAgentMDP, joint_tuples
from mfcheck.models.permutation_invariance import (
    ValueOfCounts,
    Violation,
    eq2_1_residuals,
    group_maps,
    worst_violation,
)
from mfcheck.solvers.count_space import chain_values, evaluate, optimal_solution
from mfcheck.solvers.dynamic_programming import evaluate_policy

CLAIM_ID = "mfppo.prop2_2"


PAPER_STATEMENT = Statement(
    text="for N-agent cooperative MDPs satisfying eq 2.1 and ν invariant under permutations of the rest: "
         "V^ν(s, s_r) = V^ν(s, κ(s_r)) = g_ν(s, p̂_{s_r}), g the value of the finite mean-field MDP (Def 2.1)",
    value=ValueOfCounts(),
)

READING = (
    "s is agent 0's state, s_r the states of agents 1..N-1. The paper's p̂ = (1/N) Σ_{s in s_r} δ_s "
    "has N-1 atoms, so it sums to (N-1)/N: we read it as the counts of the others (any fixed "
    "normalisation carries the same information). Policies are invariant under permutations of "
    "s_r (the proof's 'same ingredients as Prop 2.1'): meta-action policies of the finite "
    "mean-field MDP and symmetrised random joint policies. Eq 2.1 is a hypothesis, measured on "
    "every model (not applicable where it fails). Values E Σ γ^t r; residuals must be <= "
    "residual_tolerance · r̄/(1-γ) (toml)."
)

#: the models ((preset, N) or random (|S|, |A|, N); N >= 2) and policies per model
SIZES = {
    "quick": PpoProp21Sizes(
        instances=(("cooperative_sis", 4), ("crowd_ring", 3), (2, 2, 2), (2, 2, 3), (2, 2, 4), (3, 2, 3),
                   (2, 3, 3)),
        n_policies=3,
    ),
    "full": PpoProp21Sizes(
        instances=(("cooperative_sis", 5), ("crowd_ring", 4), (2, 2, 2), (2, 2, 3), (2, 2, 4), (2, 2, 5),
                   (3, 2, 3), (3, 2, 4), (2, 3, 3), (3, 3, 3), (4, 2, 3)),
        n_policies=10,
    ),
}

#: (record key, what a residual above the tolerance means)
CONCLUSIONS = (
    ("invariance_meta", "V of a meta-action policy changes under the stated permutations"),
    ("g_meta", "joint values of a meta-action policy differ from g (the finite mean-field MDP)"),
    ("invariance_joint", "V of an invariant joint policy changes under the stated permutations"),
    ("g_joint", "joint values of an invariant joint policy differ from its lumped chain"),
)


def cells(profile: Profile) -> list[Cell]:
    """One cell per N-agent model of the profile, with the number of random policies."""
    return model_cells(CLAIM_ID, SIZES[profile.name])


def largest_difference(values: np.ndarray, reference: np.ndarray, n_agent_mdp: NAgentMDP) -> Violation:
    """``max_s |values(s) - reference(s)|`` and the joint state where it occurs."""
    gaps = np.abs(values - reference)
    where = int(np.argmax(gaps))
    state = joint_tuples(n_agent_mdp.n_agents, n_agent_mdp.n_states)[where]
    return Violation(residual=float(gaps[where]), state=tuple(int(x) for x in state),
                     value=float(values[where]), moved=float(reference[where]))


def measure_model(n_agent_mdp: NAgentMDP, statement: ValueOfCounts, rng: np.random.Generator, n_policies: int) -> dict:
    """Eq 2.1 residuals, invariance residuals and differences from g for both policy families."""
    joint = n_agent_mdp.joint_space()
    eq2_1 = eq2_1_residuals(n_agent_mdp, joint)
    maps = group_maps(n_agent_mdp, "states", fixed=(0,) if statement.permuted == "rest" else ())
    classes = class_index(n_agent_mdp)
    lumped = statement.g(n_agent_mdp.model, n_agent_mdp.n_agents)
    meta_policies = [optimal_solution(lumped).policy]
    meta_policies += [rng.dirichlet(np.full(lumped.n_meta_actions, 0.5), size=lumped.n_states)
                      for _ in range(n_policies)]
    worst = dict.fromkeys(("invariance_meta", "g_meta", "invariance_joint", "g_joint"), Violation(residual=0.0))

    def keep(key: str, violation: Violation) -> None:
        worst[key] = max(worst[key], violation, key=lambda v: v.residual)

    for policy in meta_policies:
        lifted = lift_meta_action_policy(n_agent_mdp, policy, lumped.meta_actions)
        values, _ = evaluate_policy(joint.transition, joint.reward, joint.gamma, lifted)
        keep("invariance_meta", worst_violation(values, n_agent_mdp, maps))
        keep("g_meta", largest_difference(values, evaluate(lumped, policy)[0][classes], n_agent_mdp))
    for _ in range(n_policies):
        policy = random_invariant_policy(n_agent_mdp, rng, fixed=(0,))
        values, _ = evaluate_policy(joint.transition, joint.reward, joint.gamma, policy)
        keep("invariance_joint", worst_violation(values, n_agent_mdp, maps))
        keep("g_joint", largest_difference(values, chain_values(lump_joint_policy(n_agent_mdp, policy))[classes],
                                           n_agent_mdp))
    return {
        "label": instance_label(n_agent_mdp),
        "n_agents": n_agent_mdp.n_agents,
        "n_classes": lumped.n_states,
        "n_joint_states": int(classes.size),
        "scale": n_agent_mdp.model.reward_bound / (1.0 - joint.gamma),
        "eq2_1": {"reward": eq2_1.reward, "kernel": eq2_1.kernel},
        **{key: violation.to_dict() for key, violation in worst.items()},
    }


def measure(cell: Cell, statement: Statement, master_seed: int) -> Record:
    """:func:`~mfcheck.checks.mfppo.prop2_1.model_record` of :func:`measure_model`
    (``statement.value`` a ``ValueOfCounts``)."""
    return model_record(cell, statement, master_seed, measure_model)


def counterexamples(record: dict, limit: float) -> list[str]:
    """One reason per conclusion of Prop 2.2 whose residual exceeds ``limit``."""
    return [f"{message}: {record[key]['residual']:.3g} > {limit:.3g} at "
            + (Violation.from_dict(record[key]).describe("V") if key.startswith("invariance")
               else f"s={tuple(record[key]['state'])}: V_joint = {record[key]['value']:.6g}, g = {record[key]['moved']:.6g}")
            for key, message in CONCLUSIONS if record[key]["residual"] > limit]


def described(judged: list[dict]) -> tuple[str, str, tuple[Figure, ...]]:
    """The summary's head and conclusion and the worst relative differences over the models judged."""
    worst = {key: max(r[key]["residual"] / r["scale"] for r in judged) for key, _ in CONCLUSIONS}
    largest = max(judged, key=lambda r: r["n_joint_states"])
    return (
        f"{len(judged)} models (up to {largest['n_joint_states']} joint states lumped onto "
        f"{largest['n_classes']} classes)",
        "joint values are invariant under the stated permutations and equal g "
        f"(worst relative difference {max(worst.values()):.1e})",
        (
            Figure(name="invariance residual (meta-action π)", value=worst["invariance_meta"], unit="x r̄/(1-γ)"),
            Figure(name="|V_joint - g| (meta-action π)", value=worst["g_meta"], unit="x r̄/(1-γ)"),
            Figure(name="invariance residual (invariant ν)", value=worst["invariance_joint"], unit="x r̄/(1-γ)"),
            Figure(name="|V_joint - V_lumped| (invariant ν)", value=worst["g_joint"], unit="x r̄/(1-γ)"),
        ),
    )


def judge(records: Sequence[dict], statement: Statement, tolerance: float) -> Verdict:
    """:func:`~mfcheck.checks.mfppo.prop2_1.judge_models` with Prop 2.2's conclusions; figures are
    the worst differences over the models judged."""
    return judge_models(CLAIM_ID, READING, records, statement, tolerance, counterexamples=counterexamples,
                        described=described)


def check(algorithm: None = None, *, profile: Profile = QUICK, statement: Statement = PAPER_STATEMENT) -> Verdict:
    """Refute or confirm ``statement`` (its value a ``ValueOfCounts``) on the profile's models."""
    return judge_records(CLAIM_ID, run_cells(cells(profile), measure, statement, profile.master_seed), statement, judge)


def check_models(models: Sequence[NAgentMDP], *, rng: np.random.Generator, statement: Statement = PAPER_STATEMENT,
                 n_policies: int = 3) -> Verdict:
    """The same judgement on a user's N-agent models (N >= 2; ``joint_space()`` must fit in
    memory); each model gets its own child of ``rng``."""
    return check_given_models(CLAIM_ID, models, rng, statement, n_policies, measure_model, judge)
