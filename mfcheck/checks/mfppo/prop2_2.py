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
from dataclasses import dataclass, replace

import numpy as np

from mfcheck.instances.n_agent import instance_label, instance_settings, n_agent_instance
from mfcheck.judgement import (
    QUICK,
    Cell,
    Figure,
    Hypothesis,
    Profile,
    Record,
    Verdict,
    combine,
    get_claim,
    run_cells,
    screen,
)
from mfcheck.judgement.statement import Statement
from mfcheck.models.joint_policies import (
    class_index,
    lift_meta_action_policy,
    random_invariant_policy,
)
from mfcheck.models.lumping import lump_joint_policy
from mfcheck.models.n_agent import NAgentMDP, joint_tuples
from mfcheck.models.permutation_invariance import (
    Eq21Residuals,
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


@dataclass(frozen=True, kw_only=True)
class PpoProp22Sizes:
    """Per-profile grid: the models ((preset, N) or random (|S|, |A|, N); N >= 2) and policies."""

    instances: tuple[tuple, ...]
    n_policies: int


SIZES = {
    "quick": PpoProp22Sizes(
        instances=(("cooperative_sis", 4), ("crowd_ring", 3), (2, 2, 2), (2, 2, 3), (2, 2, 4), (3, 2, 3),
                   (2, 3, 3)),
        n_policies=3,
    ),
    "full": PpoProp22Sizes(
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
    sizes = SIZES[profile.name]
    return [Cell.of(CLAIM_ID, {**instance_settings(spec), "n_policies": sizes.n_policies}) for spec in sizes.instances]


def identity(cell: Cell) -> Cell:
    """The cell without its size (``n_policies``): the model it names, whose random streams it keys."""
    return Cell.of(cell.claim_id, {k: v for k, v in cell.items if k != "n_policies"}, cell.seed_index)


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
    """The record of one cell: its model (drawn from the "model" stream of the cell's identity,
    :func:`identity`), the statement's version of it, and ``n_policies`` random policies from its
    "policies" stream (``statement.value`` a ``ValueOfCounts``)."""
    key = identity(cell)
    model = statement.value.models(n_agent_instance(key.settings, key.rng(master_seed, "model")))
    return Record.of(cell, **measure_model(model, statement.value, key.rng(master_seed, "policies"),
                                           int(cell["n_policies"])))  # type: ignore[arg-type]


def as_dict(record: Record) -> dict:
    """A record as the judgement reads it: the model's settings and the record's values."""
    return {"cell": identity(record.cell).settings, **record.values}


def judge_model(record: dict, tolerance: float) -> Verdict:
    """One model: not applicable when eq 2.1 fails; else a counterexample per violated conclusion."""
    eq2_1, limit = Eq21Residuals(**record["eq2_1"]), tolerance * record["scale"]
    hypothesis = Hypothesis(name=f"eq 2.1 (permutation-invariant reward and kernel) on {record['label']}",
                            holds=eq2_1.worst <= limit, measured=eq2_1.worst, note=eq2_1.describe())
    screened = screen(CLAIM_ID, [hypothesis], reading=READING)
    if screened is not None:
        return screened
    reasons = tuple(
        f"{message}: {record[key]['residual']:.3g} > {limit:.3g} at "
        + (Violation.from_dict(record[key]).describe("V") if key.startswith("invariance")
           else f"s={tuple(record[key]['state'])}: V_joint = {record[key]['value']:.6g}, g = {record[key]['moved']:.6g}")
        for key, message in CONCLUSIONS if record[key]["residual"] > limit)
    return Verdict(claim_id=CLAIM_ID, status="fail" if reasons else "pass", summary="", reasons=reasons,
                   hypotheses=(hypothesis,))


def judge(records: Sequence[dict], statement: Statement, tolerance: float) -> Verdict:
    """Screen eq 2.1 per model and combine (fail > pass > not applicable); figures are the worst
    differences over the models judged."""
    parts = [judge_model(r, tolerance) for r in records]
    verdict = combine(CLAIM_ID, parts, reading=READING, labels=[r["label"] for r in records],
                      evidence={"instances": list(records), "statement": statement.text, "tolerance": tolerance})
    judged = [r for r, part in zip(records, parts) if part.status != "not_applicable"]
    eq2_1 = [Eq21Residuals(**r["eq2_1"]).worst for r in records]
    eq2_1_figure = Figure(name="eq 2.1 residual (reward, kernel)", value=max(eq2_1), low=min(eq2_1),
                          high=max(eq2_1), note="worst, and range over the models")
    if not judged:
        return replace(verdict, measured=(eq2_1_figure,),
                       summary=f"not applicable: eq 2.1 fails on all {len(records)} models of '{statement.text}' "
                               f"(residual {min(eq2_1):.3g} to {max(eq2_1):.3g})")
    worst = {key: max(r[key]["residual"] / r["scale"] for r in judged) for key, _ in CONCLUSIONS}
    largest = max(judged, key=lambda r: r["n_joint_states"])
    skipped = len(records) - len(judged)
    summary = (f"{len(judged)} models (up to {largest['n_joint_states']} joint states lumped onto "
               f"{largest['n_classes']} classes)" + (f", {skipped} not applicable (eq 2.1 violated)" if skipped else "")
               + ": " + ("joint values are invariant under the stated permutations and equal g "
                         f"(worst relative difference {max(worst.values()):.1e})" if verdict.status == "pass"
                         else f"{len(verdict.reasons)} counterexample(s) to '{statement.text}'"))
    return replace(
        verdict,
        summary=summary,
        stated=(Figure(name="statement", value=statement.text),
                Figure(name="tolerance", value=tolerance, unit="x r̄/(1-γ)")),
        measured=(
            Figure(name="invariance residual (meta-action π)", value=worst["invariance_meta"], unit="x r̄/(1-γ)"),
            Figure(name="|V_joint - g| (meta-action π)", value=worst["g_meta"], unit="x r̄/(1-γ)"),
            Figure(name="invariance residual (invariant ν)", value=worst["invariance_joint"], unit="x r̄/(1-γ)"),
            Figure(name="|V_joint - V_lumped| (invariant ν)", value=worst["g_joint"], unit="x r̄/(1-γ)"),
            eq2_1_figure,
            Figure(name="instances judged", value=len(judged)),
        ),
    )


def check(algorithm: None = None, *, profile: Profile = QUICK, statement: Statement = PAPER_STATEMENT) -> Verdict:
    """Refute or confirm ``statement`` (its value a ``ValueOfCounts``) on the profile's models."""
    records = [as_dict(r) for r in run_cells(cells(profile), measure, statement, profile.master_seed)]
    return judge(records, statement, get_claim(CLAIM_ID).threshold("residual_tolerance"))


def check_models(
    models: Sequence[NAgentMDP], *, rng: np.random.Generator, statement: Statement = PAPER_STATEMENT,
    n_policies: int = 3,
) -> Verdict:
    """The same judgement on a user's N-agent models (N >= 2; ``joint_space()`` must fit in
    memory); each model gets its own child of ``rng``."""
    records = [measure_model(statement.value.models(model), statement.value, child, n_policies)
               for model, child in zip(models, rng.spawn(len(models)))]
    return judge(records, statement, get_claim(CLAIM_ID).threshold("residual_tolerance"))
