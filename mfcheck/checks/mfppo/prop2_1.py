"""MF-PPO Proposition 2.1: permutation invariance of Q*, of an optimal policy, and of V^ν, Q^ν.

The statement checked is an :class:`~mfcheck.models.permutation_invariance.Invariance`: what a
permutation κ of the agents acts on (the paper: states and actions together), which policies ν the V/Q part quantifies over (the
paper: permutation-invariant ones), and which N-agent MDPs it is about (the paper: cooperative
MDPs satisfying eq 2.1). On exact joint-space models (one cell per model: presets and seeded
random models; their team reward is the average reward, so eq 2.1 holds by construction) the
checker screens eq 2.1 (reward and kernel residuals; a model that breaks it is not applicable),
solves Q* (policy iteration, certified by its Bellman residual) and measures, over the group
(all N! permutations when N! <= 720, else adjacent transpositions):

1. the worst ``|Q*(κs, κa) - Q*(s, a)|`` (App C, eq C.1);
2. for the greedy policy of Q* with exact ties split uniformly: its invariance residual and
   ``‖V^greedy - V*‖∞`` ("there exists an optimal invariant ν*");
3. for random policies of the stated class: the worst ``|V^ν(κs) - V^ν(s)|`` and
   ``|Q^ν(κs, κa) - Q^ν(s, a)|`` (eq C.2).

A residual above ``residual_tolerance · r̄/(1-γ)`` (toml) refutes the statement; the reason
names the model, κ, s, a and both values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

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
from mfcheck.models.joint_policies import random_invariant_policy
from mfcheck.models.n_agent import NAgentMDP
from mfcheck.models.permutation_invariance import (
    Eq21Residuals,
    Invariance,
    Violation,
    eq2_1_residuals,
    group_maps,
    random_joint_policy,
    worst_violation,
)
from mfcheck.solvers.dynamic_programming import (
    evaluate_policy,
    greedy_policy,
    soft_policy_iteration,
)

CLAIM_ID = "mfppo.prop2_1"
#: measure_model(model, statement value, rng, n_policies) -> record values
MeasureModel = Callable[[NAgentMDP, Any, np.random.Generator, int], dict]
#: judge(records, statement, tolerance) -> verdict
Judge = Callable[[Sequence[dict], Statement, float], Verdict]


PAPER_STATEMENT = Statement(
    text="for N-agent cooperative MDPs satisfying eq 2.1: Q*(κs, κa) = Q*(s, a), some optimal ν* is "
         "invariant, and V^ν(κs) = V^ν(s), Q^ν(κs, κa) = Q^ν(s, a) for every invariant ν",
    value=Invariance(),
)

READING = (
    "Joint space S^N x A^N with the team reward (1/N) Σ_i r(s_i, a_i, d) and the product kernel "
    "Π_i p(s'_i|s_i, a_i, d), d the empirical distribution of all agents; values E Σ γ^t r (the "
    "paper's (1-γ) factor does not affect invariance). κ(s)_i = s_κ[i]. 'Some optimal policy is "
    "invariant' is checked on the greedy policy of Q* with exact ties split uniformly. Eq 2.1 is a "
    "hypothesis: it is measured on every model (reward and kernel residuals) and a model that "
    "breaks it is not applicable. Residuals must be <= residual_tolerance · r̄/(1-γ) (toml)."
)


@dataclass(frozen=True, kw_only=True)
class PpoProp21Sizes:
    """Per-profile grid: the models ((preset, N) or random (|S|, |A|, N)) and policies per model."""

    instances: tuple[tuple, ...]
    n_policies: int


SIZES = {
    "quick": PpoProp21Sizes(
        instances=(("cooperative_sis", 5), ("crowd_ring", 4), (2, 2, 3), (2, 2, 4), (2, 2, 5),
                   (3, 2, 3), (3, 2, 4), (2, 3, 3)),
        n_policies=5,
    ),
    "full": PpoProp21Sizes(
        instances=(("cooperative_sis", 6), ("crowd_ring", 4), (2, 2, 3), (2, 2, 4), (2, 2, 5),
                   (2, 2, 6), (3, 2, 3), (3, 2, 4), (2, 3, 3), (2, 3, 4), (3, 3, 3), (4, 2, 3),
                   (1, 3, 3), (3, 1, 4)),
        n_policies=20,
    ),
}

#: (record key, what a residual above the tolerance means, the function's name)
CONCLUSIONS = (
    ("q_star", "Q* is not permutation invariant", "Q*"),
    ("greedy", "the greedy (uniform-tie) optimal policy is not permutation invariant", "ν*"),
    ("policy_value", "V^ν is not permutation invariant", "V^ν"),
    ("policy_q", "Q^ν is not permutation invariant", "Q^ν"),
)


def model_cells(claim_id: str, sizes: PpoProp21Sizes) -> list[Cell]:
    """One cell of ``claim_id`` per N-agent model of ``sizes``, with the number of random policies
    (Prop 2.1 and Prop 2.2)."""
    return [Cell.of(claim_id, {**instance_settings(spec), "n_policies": sizes.n_policies}) for spec in sizes.instances]


def cells(profile: Profile) -> list[Cell]:
    """One cell per N-agent model of the profile, with the number of random policies."""
    return model_cells(CLAIM_ID, SIZES[profile.name])


def identity(cell: Cell) -> Cell:
    """The cell without its size (``n_policies``): the model it names, whose random streams it keys."""
    return Cell.of(cell.claim_id, {k: v for k, v in cell.items if k != "n_policies"}, cell.seed_index)


def measure_model(n_agent_mdp: NAgentMDP, statement: Invariance, rng: np.random.Generator, n_policies: int) -> dict:
    """Eq 2.1 residuals and the worst violation of each conclusion of Prop 2.1 on one model."""
    joint = n_agent_mdp.joint_space()
    eq2_1 = eq2_1_residuals(n_agent_mdp, joint)
    maps = group_maps(n_agent_mdp, statement.permuted)
    optimal = soft_policy_iteration(joint.transition, joint.reward, joint.gamma)
    greedy = greedy_policy(optimal.q_values)
    greedy_values, _ = evaluate_policy(joint.transition, joint.reward, joint.gamma, greedy)
    value_violation = q_violation = Violation(residual=0.0)
    for _ in range(n_policies):
        policy = (random_invariant_policy(n_agent_mdp, rng) if statement.policies == "invariant"
                  else random_joint_policy(n_agent_mdp, rng))
        values, q_values = evaluate_policy(joint.transition, joint.reward, joint.gamma, policy)
        value_violation = max(value_violation, worst_violation(values, n_agent_mdp, maps), key=_residual)
        q_violation = max(q_violation, worst_violation(q_values, n_agent_mdp, maps), key=_residual)
    return {
        "label": instance_label(n_agent_mdp),
        "n_agents": n_agent_mdp.n_agents,
        "n_permutations": len(maps),
        "scale": n_agent_mdp.model.reward_bound / (1.0 - joint.gamma),
        "eq2_1": {"reward": eq2_1.reward, "kernel": eq2_1.kernel},
        "bellman_residual": optimal.residual,
        "q_star": worst_violation(optimal.q_values, n_agent_mdp, maps).to_dict(),
        "greedy": worst_violation(greedy, n_agent_mdp, maps).to_dict(),
        "greedy_optimality_gap": float(np.abs(greedy_values - optimal.values).max()),
        "policy_value": value_violation.to_dict(),
        "policy_q": q_violation.to_dict(),
    }


def _residual(violation: Violation) -> float:
    return violation.residual


def model_record(cell: Cell, statement: Statement, master_seed: int, measure_model: MeasureModel) -> Record:
    """The record of one cell: its model (drawn from the "model" stream of the cell's identity,
    :func:`identity`), the statement's version of it, and ``measure_model`` of it with
    ``n_policies`` random policies from its "policies" stream (Prop 2.1 and Prop 2.2)."""
    key = identity(cell)
    model = statement.value.models(n_agent_instance(key.settings, key.rng(master_seed, "model")))
    return Record.of(cell, **measure_model(model, statement.value, key.rng(master_seed, "policies"),
                                           int(cell["n_policies"])))  # type: ignore[arg-type]


def measure(cell: Cell, statement: Statement, master_seed: int) -> Record:
    """:func:`model_record` of :func:`measure_model` (``statement.value`` an ``Invariance``)."""
    return model_record(cell, statement, master_seed, measure_model)


def as_dict(record: Record) -> dict:
    """A record as the judgement reads it: the model's settings and the record's values."""
    return {"cell": identity(record.cell).settings, **record.values}


def judge_model(claim_id: str, reading: str, record: dict, tolerance: float,
                counterexamples: Callable[[dict, float], Sequence[str]]) -> Verdict:
    """One model: not applicable when eq 2.1 fails; else ``counterexamples(record, limit)``, one
    reason per violated conclusion (Prop 2.1 and Prop 2.2)."""
    eq2_1, limit = Eq21Residuals(**record["eq2_1"]), tolerance * record["scale"]
    hypothesis = Hypothesis(name=f"eq 2.1 (permutation-invariant reward and kernel) on {record['label']}",
                            holds=eq2_1.worst <= limit, measured=eq2_1.worst, note=eq2_1.describe())
    screened = screen(claim_id, [hypothesis], reading=reading)
    if screened is not None:
        return screened
    reasons = tuple(counterexamples(record, limit))
    return Verdict(claim_id=claim_id, status="fail" if reasons else "pass", summary="", reasons=reasons,
                   hypotheses=(hypothesis,))


def judge_models(claim_id: str, reading: str, records: Sequence[dict], statement: Statement, tolerance: float, *,
                 counterexamples: Callable[[dict, float], Sequence[str]],
                 described: Callable[[list[dict]], tuple[str, str, tuple[Figure, ...]]]) -> Verdict:
    """Screen eq 2.1 per model (:func:`judge_model`) and combine (fail > pass > not applicable).
    ``described(judged)`` gives, for the models judged, the summary's head, its conclusion on a
    pass and the measured figures (the worst residuals); Prop 2.1 and Prop 2.2."""
    parts = [judge_model(claim_id, reading, r, tolerance, counterexamples) for r in records]
    verdict = combine(claim_id, parts, reading=reading, labels=[r["label"] for r in records],
                      evidence={"instances": list(records), "statement": statement.text, "tolerance": tolerance})
    judged = [r for r, part in zip(records, parts) if part.status != "not_applicable"]
    eq2_1 = [Eq21Residuals(**r["eq2_1"]).worst for r in records]
    eq2_1_figure = Figure(name="eq 2.1 residual (reward, kernel)", value=max(eq2_1), low=min(eq2_1),
                          high=max(eq2_1), note="worst, and range over the models")
    if not judged:
        return replace(verdict, measured=(eq2_1_figure,),
                       summary=f"not applicable: eq 2.1 fails on all {len(records)} models of '{statement.text}' "
                               f"(residual {min(eq2_1):.3g} to {max(eq2_1):.3g})")
    head, holds, figures = described(judged)
    skipped = len(records) - len(judged)
    summary = (head + (f", {skipped} not applicable (eq 2.1 violated)" if skipped else "") + ": "
               + (holds if verdict.status == "pass"
                  else f"{len(verdict.reasons)} counterexample(s) to '{statement.text}'"))
    return replace(
        verdict,
        summary=summary,
        stated=(Figure(name="statement", value=statement.text),
                Figure(name="tolerance", value=tolerance, unit="x r̄/(1-γ)")),
        measured=(*figures, eq2_1_figure, Figure(name="instances judged", value=len(judged))),
    )


def counterexamples(record: dict, limit: float) -> list[str]:
    """One reason per conclusion of Prop 2.1 whose residual exceeds ``limit``."""
    reasons = [f"{message}: {record[key]['residual']:.3g} > {limit:.3g} at "
               + Violation.from_dict(record[key]).describe(name)
               for key, message, name in CONCLUSIONS if record[key]["residual"] > limit]
    if record["greedy_optimality_gap"] > limit:
        reasons.append(f"the invariant greedy policy is not optimal: ‖V^greedy - V*‖ = "
                       f"{record['greedy_optimality_gap']:.3g}")
    return reasons


def described(judged: list[dict]) -> tuple[str, str, tuple[Figure, ...]]:
    """The summary's head and conclusion and the worst relative residuals over the models judged."""
    worst = {key: max(r[key]["residual"] / r["scale"] for r in judged) for key, _, _ in CONCLUSIONS}
    return (
        f"{len(judged)} joint-space models (N <= {max(r['n_agents'] for r in judged)})",
        "Q*, the greedy optimal policy and V, Q of the stated policies are invariant "
        f"(worst relative residual {max(worst.values()):.1e})",
        (
            Figure(name="Q* residual", value=worst["q_star"], unit="x r̄/(1-γ)"),
            Figure(name="greedy ν* residual", value=worst["greedy"]),
            Figure(name="‖V^greedy - V*‖", value=max(r["greedy_optimality_gap"] / r["scale"] for r in judged),
                   unit="x r̄/(1-γ)"),
            Figure(name="V^ν residual", value=worst["policy_value"], unit="x r̄/(1-γ)"),
            Figure(name="Q^ν residual", value=worst["policy_q"], unit="x r̄/(1-γ)"),
        ),
    )


def judge(records: Sequence[dict], statement: Statement, tolerance: float) -> Verdict:
    """:func:`judge_models` with Prop 2.1's conclusions; figures are the worst residuals over the
    models judged."""
    return judge_models(CLAIM_ID, READING, records, statement, tolerance, counterexamples=counterexamples,
                        described=described)


def judge_records(claim_id: str, records: Sequence[Record], statement: Statement, judge: Judge) -> Verdict:
    """``judge`` the records of the claim's cells (read by :func:`as_dict`) at its
    ``residual_tolerance`` (Prop 2.1 and Prop 2.2)."""
    return judge([as_dict(r) for r in records], statement, get_claim(claim_id).threshold("residual_tolerance"))


def check_given_models(claim_id: str, models: Sequence[NAgentMDP], rng: np.random.Generator, statement: Statement,
                       n_policies: int, measure_model: MeasureModel, judge: Judge) -> Verdict:
    """``judge`` ``measure_model`` of the statement's version of each of ``models`` (each with its
    own child of ``rng``) at the claim's ``residual_tolerance`` (Prop 2.1 and Prop 2.2)."""
    records = [measure_model(statement.value.models(model), statement.value, child, n_policies)
               for model, child in zip(models, rng.spawn(len(models)))]
    return judge(records, statement, get_claim(claim_id).threshold("residual_tolerance"))


def check(algorithm: None = None, *, profile: Profile = QUICK, statement: Statement = PAPER_STATEMENT) -> Verdict:
    """Refute or confirm ``statement`` (its value an ``Invariance``) on the profile's models."""
    return judge_records(CLAIM_ID, run_cells(cells(profile), measure, statement, profile.master_seed), statement, judge)


def check_models(models: Sequence[NAgentMDP], *, rng: np.random.Generator, statement: Statement = PAPER_STATEMENT,
                 n_policies: int = 3) -> Verdict:
    """The same judgement on a user's N-agent models (``joint_space()`` must fit in memory);
    each model gets its own child of ``rng``."""
    return check_given_models(CLAIM_ID, models, rng, statement, n_policies, measure_model, judge)
