"""Exact gaps between the N-agent cooperative optimum and its N = ∞ mean-field limit (MF-PPO Sec 2).

* :func:`gap_curve`: for each N, ``V*_N(n)`` (meta-action policies, Def 2.1, exact in count
  space by policy iteration) against ``V*_∞(n/N)`` (the limit's grid discretisation at a
  resolution K that is a multiple of every N, so each n/N is a node: no interpolation error
  there); sup, mean and initial-law gaps, and the discretisation error ``|V_K - V_{K/2}|``.
* :class:`Limit`: which N = ∞ MDP a statement names as the limit;
* :func:`restriction_gap`: what the meta-action restriction ā ∈ A^S costs: the unrestricted
  N-agent optimum (state-action counts) against the meta-action one at small N, and the limit
  with split actions (mixtures on a grid, :func:`~mfcheck.models.mean_field_limit.relaxed_model`)
  against Def 2.1's limit.

Values are ``E Σ_t γ^t r_t`` (MF-PPO's V carries an extra factor 1 - γ).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from mfcheck.models.count_space import build_count_space_mdp, composition_index, compositions
from mfcheck.models.mean_field_limit import MeanFieldLimit, relaxed_model
from mfcheck.models.n_agent import CooperativeModel
from mfcheck.models.state_action_counts import build_state_action_count_mdp
from mfcheck.solvers.count_space import optimal_solution, state_action_optimal_values
from mfcheck.solvers.mean_field_limit import solve_limit

#: Builds the N = ∞ mean-field MDP of a model (Def 2.1: :class:`MeanFieldLimit`).
LimitFactory = Callable[[CooperativeModel], MeanFieldLimit]


@dataclass(frozen=True, kw_only=True)
class Limit:
    """What MF-PPO Sec 2 asserts, as a value: V*_N under meta-action policies converges to the
    optimal value of ``limit(model)`` (the paper's: Def 2.1's :class:`MeanFieldLimit`)."""

    limit: LimitFactory = MeanFieldLimit


def gap_curve(
    model: CooperativeModel, n_grid: Sequence[int], resolution: int, limit: LimitFactory = MeanFieldLimit
) -> dict:
    """Gaps between V*_N (count space) and V*_∞ (grid of resolution K) at every N of ``n_grid``.

    ``resolution / 2`` must be a multiple of every N (the K/2 grid gives the discretisation error).
    """
    bad = [n for n in n_grid if resolution % 2 or (resolution // 2) % n]
    if bad:
        raise ValueError(f"gap_curve: resolution/2 = {resolution / 2} is not a multiple of N = {bad}")
    limit_mdp = limit(model)
    fine, coarse = solve_limit(limit_mdp, resolution), solve_limit(limit_mdp, resolution // 2)
    v_inf_initial = float(fine.value_at(model.initial)[0])
    rows = []
    for n_agents in n_grid:
        counts_mdp = build_count_space_mdp(model, n_agents)
        optimum = optimal_solution(counts_mdp)
        counts = counts_mdp.counts
        v_inf = fine.values[composition_index(counts * (resolution // n_agents), resolution)]
        v_coarse = coarse.values[composition_index(counts * (resolution // 2 // n_agents), resolution // 2)]
        gap = optimum.values - v_inf
        worst = int(np.argmax(np.abs(gap)))
        rows.append({
            "n_agents": int(n_agents),
            "n_count_states": int(counts.shape[0]),
            "sup_gap": float(np.abs(gap).max()),
            "mean_gap": float(np.abs(gap).mean()),
            "signed_mean_gap": float(gap.mean()),
            "initial_gap": float(abs(counts_mdp.mdp.initial @ optimum.values - v_inf_initial)),
            "sup_at_counts": counts[worst].tolist(),
            "discretisation": float(np.abs(v_inf - v_coarse).max()),
        })
    return {"name": model.name, "n_states": model.n_states, "resolution": resolution, "curve": rows,
            "limit_residual": fine.residual}


def restriction_gap(model: CooperativeModel, n_agents: Sequence[int], *, levels: int, resolution: int) -> dict:
    """What the meta-action restriction ā ∈ A^S costs, at finite N and in the limit.

    ``V*_all`` is the unrestricted N-agent optimum (state-action counts, exact); the relaxed
    limit lets agents in one state split over actions (mixtures on a grid of ``levels``), a lower
    bound on the limit with action set P(A)^S. ``resolution`` must be a multiple of max(N).
    """
    if resolution % max(n_agents):
        raise ValueError(f"restriction_gap: resolution {resolution} is not a multiple of N = {max(n_agents)}")
    rows = []
    unrestricted = np.zeros(0)
    for size in n_agents:
        unrestricted = state_action_optimal_values(build_state_action_count_mdp(model, size))
        meta = optimal_solution(build_count_space_mdp(model, size)).values
        rows.append({"n_agents": int(size), "sup": float((unrestricted - meta).max()),
                     "mean": float((unrestricted - meta).mean())})
    relaxed = solve_limit(MeanFieldLimit(relaxed_model(model, levels)), resolution)
    plain = solve_limit(MeanFieldLimit(model), resolution)
    last = n_agents[-1]
    nodes = composition_index(compositions(last, model.n_states) * (resolution // last), resolution)
    return {
        "name": model.name, "curve": rows,
        "limit_sup": float((relaxed.values - plain.values).max()),
        "unrestricted_to_relaxed_limit": float(np.abs(unrestricted - relaxed.values[nodes]).max()),
        "unrestricted_to_meta_limit": float(np.abs(unrestricted - plain.values[nodes]).max()),
    }
