"""mfgnac.lemma3: Q*_μ <= Q_max = (1 + γλ log|A|)/(1-γ) and π*_μ(a|s) >= 1/(|A| exp(Q_max/λ))
for rewards in [0, 1] (MFG-NAC Lemma 3).

A closed-form claim: the statement is the pair of bounds (Q_max, π floor) as a function of
(γ, λ, |A|). The checker solves the soft-optimal Q*_μ and π*_μ = softmax(Q*_μ/λ) exactly (soft
policy iteration, :func:`mfcheck.solvers.soft_best_response`) at many mean fields on games whose
rewards lie in [0, 1] (measured; a game whose rewards leave [0, 1] is not applicable): SIS and LQ
rescaled affinely, the trap and unit-reward probes (:mod:`mfcheck.instances.bounded_reward_games`)
and random games; it refutes the statement with the (game, μ) where a bound fails.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import logsumexp

from mfcheck.instances import linear_quadratic, random_mean_field_game, sis
from mfcheck.instances.bounded_reward_games import trap_game, unit_reward_game
from mfcheck.instances.rescaling import rescale_rewards, reward_range
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
    grid,
    not_applicable,
    run_cells,
)
from mfcheck.judgement.statement import Statement
from mfcheck.models import MeanFieldGame
from mfcheck.solvers import soft_best_response

CLAIM_ID = "mfgnac.lemma3"
Array = NDArray[np.float64]
#: (γ, λ, |A|) -> (Q_max, log of the π floor) (the floor in log space: it underflows for small λ)
Bounds = Callable[[float, float, int], tuple[float, float]]


def lemma3_bounds(gamma: float, lam: float, n_actions: int) -> tuple[float, float]:
    """(Q_max, log π_min) of Lemma 3: (1 + γλ log|A|)/(1-γ) and log 1/(|A| exp(Q_max/λ))."""
    q_max = (1.0 + gamma * lam * np.log(n_actions)) / (1.0 - gamma)
    return float(q_max), float(-q_max / lam - np.log(n_actions))


PAPER_STATEMENT = Statement(text="Q* <= (1 + γλ log|A|)/(1-γ) and π* >= 1/(|A| exp(Q_max/λ))", value=lemma3_bounds)

READING = (
    "Q^{π,λ}_μ(s,a) = r(s,a,μ) + γ E[V^{π,λ}_μ(s')] with V = Σ_a π (Q - λ log π) (entropy from the "
    "next step on), Q* the soft-optimal fixed point and π* = softmax(Q*/λ). Rewards must lie in "
    "[0, 1] at every checked μ (measured): SIS and LQ are rescaled affinely, r' = (r - lo)/(hi - lo), "
    "with lo, hi the instance's reward_bounds (SIS: [-1.5, 0]) or, where none are declared (LQ), the "
    "range over ρ, uniform and the simplex vertices. Rescaling is not a symmetry of the regularised "
    "game (it acts like λ·(hi - lo)): the checked games are the rescaled ones, with the same λ. A bound "
    "fails beyond a relative rtol (toml).")


@dataclass(frozen=True, kw_only=True)
class NacLemma3Sizes:
    """Per-profile sizes: random mean fields per game (besides ρ, uniform and the vertices), λ and
    γ values, random games per (γ, λ)."""

    n_mean_fields: int
    lams: tuple[float, ...]
    gammas: tuple[float, ...]
    n_random_games: int


SIZES = {"quick": NacLemma3Sizes(n_mean_fields=8, lams=(0.1, 1.0), gammas=(0.9,), n_random_games=3),
         "full": NacLemma3Sizes(n_mean_fields=50, lams=(0.01, 0.1, 0.5, 1.0, 5.0), gammas=(0.5, 0.9, 0.99),
                       n_random_games=20)}


def cells(profile: Profile) -> list[Cell]:
    """One cell per (γ, λ, game)."""
    sizes = SIZES[profile.name]
    games = ["sis", "linear_quadratic", "trap", "unit_reward", *(f"random#{i}" for i in range(sizes.n_random_games))]
    return grid(CLAIM_ID, gamma=sizes.gammas, lam=sizes.lams, game=games, n_mean_fields=[sizes.n_mean_fields])


def game_of(cell: Cell, master_seed: int) -> MeanFieldGame:
    """The cell's game, with rewards in [0, 1] (SIS and LQ rescaled)."""
    gamma, lam, name = float(cell["gamma"]), float(cell["lam"]), str(cell["game"])
    if name == "sis":
        return rescale_rewards(sis(gamma=gamma, lam=lam))
    if name == "linear_quadratic":
        return rescale_rewards(linear_quadratic(gamma=gamma, lam=lam), reward_range(linear_quadratic()))
    if name == "trap":
        return trap_game(gamma=gamma, lam=lam)
    if name == "unit_reward":
        return unit_reward_game(gamma=gamma, lam=lam)
    rng = cell.rng(master_seed, "game")
    return random_mean_field_game(rng, int(rng.integers(2, 6)), int(rng.integers(2, 5)), gamma=gamma, lam=lam,
                                  coupling=1.0)


def mean_fields(game: MeanFieldGame, rng: np.random.Generator, n: int) -> list[Array]:
    """ρ, uniform, the vertices and ``n`` Dirichlet(1/2) draws."""
    base = [game.initial, np.full(game.n_states, 1.0 / game.n_states), *np.eye(game.n_states)]
    return base + list(rng.dirichlet(np.full(game.n_states, 0.5), size=n))


def soft_optimum(game: MeanFieldGame, mus: Sequence[Array]) -> dict[str, Any]:
    """Per mean field: μ, max Q*_μ, log min π*_μ (soft policy iteration) and the reward range."""
    rows = []
    for mu in mus:
        solution = soft_best_response(game, mu)
        # log π* = Q*/λ - logsumexp(Q*/λ) row-wise: exact where π* itself underflows (small λ)
        scaled = solution.q_values / game.lam
        log_min = float((scaled - logsumexp(scaled, axis=1, keepdims=True)).min())
        rows.append({"mu": np.asarray(mu).tolist(), "max_q": float(solution.q_values.max()), "log_min_pi": log_min,
                     "reward": [float(game.reward(mu).min()), float(game.reward(mu).max())]})
    return {"game": game.name, "gamma": game.gamma, "lam": game.lam, "n_actions": game.n_actions, "mean_fields": rows}


def measure(cell: Cell, algorithm: None, master_seed: int) -> Record:
    """:func:`soft_optimum` of the cell's game at its mean fields (independent of any statement)."""
    game = game_of(cell, master_seed)
    return Record.of(cell, **soft_optimum(game, mean_fields(game, cell.rng(master_seed, "mean_fields"),
                                                            int(cell["n_mean_fields"]))))


def judge(record: Mapping[str, Any], bounds: Bounds, *, rtol: float) -> Verdict:
    """The statement's bounds against one game's Q* and π* (a record, or :func:`soft_optimum`'s
    values); not applicable when λ <= 0 or some reward leaves [0, 1]."""
    rows, name = record["mean_fields"], str(record["game"])
    lam = float(record["lam"])  # type: ignore[arg-type]
    lo, hi = min(r["reward"][0] for r in rows), max(r["reward"][1] for r in rows)  # type: ignore[union-attr]
    for hypothesis in (Hypothesis(name=f"{name}: λ > 0", holds=lam > 0, measured=lam),
                       Hypothesis(name=f"{name}: r(s, a, μ) ∈ [0, 1]", holds=lo >= 0.0 and hi <= 1.0,
                                  measured=f"[{lo:.4g}, {hi:.4g}]")):
        if not hypothesis.holds:
            return not_applicable(CLAIM_ID, hypothesis, reading=READING, evidence={"reward_range": [lo, hi]})
    q_max, log_floor = bounds(float(record["gamma"]), lam, int(record["n_actions"]))  # type: ignore[arg-type]
    violations = []
    for row in rows:  # type: ignore[union-attr]
        mu = np.round(row["mu"], 4).tolist()
        if float(row["max_q"]) > q_max * (1 + rtol):
            violations.append(f"μ = {mu}: max Q* = {row['max_q']:.6g} > Q_max = {q_max:.6g}")
        if float(row["log_min_pi"]) < log_floor - rtol * abs(log_floor):
            violations.append(f"μ = {mu}: min π* = exp({row['log_min_pi']:.6g}) < floor exp({log_floor:.6g})")
    worst_q = max(float(r["max_q"]) for r in rows)  # type: ignore[union-attr]
    worst_log_pi = min(float(r["log_min_pi"]) for r in rows)  # type: ignore[union-attr]
    return Verdict(
        claim_id=CLAIM_ID, status="fail" if violations else "pass",
        summary=(f"{name} (γ={record['gamma']}, λ={lam}): max Q*/Q_max = {worst_q / q_max:.4g}, "
                 f"log min π* - log floor = {worst_log_pi - log_floor:.4g}"),
        reading=READING, reasons=tuple(violations[:10]),
        evidence={"game": name, "gamma": record["gamma"], "lam": lam, "q_max": q_max, "max_q": worst_q,
                  "log_pi_floor": log_floor, "log_min_pi": worst_log_pi, "n_violations": len(violations)})


def check(algorithm: None = None, *, profile: Profile = QUICK, statement: Statement = PAPER_STATEMENT) -> Verdict:
    """``statement``'s bounds on every game of the grid; fails if any game refutes them."""
    rtol = get_claim(CLAIM_ID).threshold("rtol")
    records = run_cells(cells(profile), measure, None, profile.master_seed)
    parts = [judge(record, statement.value, rtol=rtol) for record in records]
    labels = [f"{r['game']} (γ={r.cell['gamma']}, λ={r.cell['lam']})" for r in records]
    judged = [p for p in parts if p.status in ("pass", "fail")]
    failed = [p for p in parts if p.status == "fail"]
    ratio = max(p.evidence["max_q"] / p.evidence["q_max"] for p in judged)
    margin = min(p.evidence["log_min_pi"] - p.evidence["log_pi_floor"] for p in judged)
    verdict = combine(CLAIM_ID, parts, labels=labels, reading=READING, summary=(
        f"{statement.text}: {len(judged)} games x {SIZES[profile.name].n_mean_fields + 4}+ mean fields: max "
        f"Q*/Q_max = {ratio:.6g}, smallest log-margin of min π* over the floor = {margin:.4g}; "
        f"{len(failed)} game(s) refute it"))
    return Verdict(
        claim_id=CLAIM_ID, status=verdict.status, summary=verdict.summary, reading=READING,
        stated=(Figure(name="max Q*/Q_max", value=1.0, note="<= 1"),
                Figure(name="log(min π*) - log(floor)", value=0.0, note=">= 0")),
        measured=(Figure(name="max Q*/Q_max", value=ratio), Figure(name="log(min π*) - log(floor)", value=margin),
                  Figure(name="games checked", value=len(judged))),
        reasons=verdict.reasons[:10], hypotheses=verdict.hypotheses,
        evidence={"games": [{"label": lab, "status": p.status, **p.evidence} for lab, p in zip(labels, parts)],
                  "statement": statement.text},
    )
