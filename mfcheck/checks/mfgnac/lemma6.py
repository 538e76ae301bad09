"""MFG-NAC Lemma 6: ‖Λ(μ) - Λ(μ')‖_1 <= (d1 d2 + d3)‖μ - μ'‖_1, Λ(μ) = Γ2(Γ1^λ(μ), μ).

A claim about the game's constants: it judges no algorithm. The checker takes the statement it
confirms or refutes, ``Statement(value=L)`` with ``L(d1, d2, d3)`` the stated Lipschitz constant
of Λ (the paper's: d1 d2 + d3), and refutes it with a counterexample pair (μ, μ') whose ratio
‖Λ(μ) - Λ(μ')‖_1 / ‖μ - μ'‖_1 exceeds L.

Three parts. Grid: (instance, λ). Cell -> record (:func:`measure`): at each equilibrium μ* of the
game, d* = d^{Γ1(μ*)}_{μ*} (the weight of the metric D), Lemma 6's estimates of d1, d2, d3
(:mod:`mfcheck.solvers.lipschitz`) on one set of points, and Λ's ratio on *held-out* pairs (on
the estimation points the inequality is a triangle inequality and cannot fail). Judgement
(:func:`judge`): the statement's L at the estimates against the held-out ratios. The estimates are
lower bounds of the suprema, so a pair above L is a counterexample relative to them; the verdict
reports by how much the three constants would have to be underestimated for it not to be one.
Reports d1 d2 + d3 and whether the contraction condition d1 d2 + d3 < 1 holds, per case.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from mfcheck.instances import contractive_game, linear_quadratic, sis
from mfcheck.judgement import (
    QUICK,
    Cell,
    Figure,
    Profile,
    Record,
    Verdict,
    combine,
    get_claim,
    grid,
    run_cells,
)
from mfcheck.judgement.statement import Statement
from mfcheck.models import MeanFieldGame
from mfcheck.solvers.equilibrium_search import equilibrium_mean_fields
from mfcheck.solvers.lipschitz import (
    composite_ratio,
    estimate_constants,
    random_pair,
    reference_visitation,
)

CLAIM_ID = "mfgnac.lemma6"
Array = NDArray[np.float64]


def paper_constant(d1: float, d2: float, d3: float) -> float:
    """Lemma 6's Lipschitz constant of Λ: d1 d2 + d3."""
    return d1 * d2 + d3


PAPER_STATEMENT = Statement(text="‖Λ(μ) - Λ(μ')‖_1 <= (d1 d2 + d3)‖μ - μ'‖_1", value=paper_constant)

READING = (
    "D(π, π') = Σ_s d*(s)‖π(·|s) - π'(·|s)‖_1 with d* = d^{π*}_{μ*} = (1-γ)ρᵀ(I - γP_{π*}(μ*))^{-1}, "
    "π* = Γ1^λ(μ*), at each equilibrium μ* found (SIS has two: disease-free and endemic; LQ: the "
    "damped fixed point from ρ). d1, d2, d3 as in Assumption 3 (mfcheck.solvers.lipschitz); each is "
    "a supremum estimated from below (max over random pairs and finite-difference derivatives along "
    "e_i - e_j; d2 exactly per μ), so the stated constant is evaluated at the estimates and checked on "
    "held-out pairs (Dirichlet(1/2), half of them at distance 1% of a random one). Γ1^λ is the "
    "Boltzmann best response, Γ2(π, μ) = μ P_π(μ). Rewards unscaled (the lemma does not need r in [0, 1])."
)
GAMES: dict[str, Callable[[float], MeanFieldGame]] = {
    "sis": lambda lam: sis(lam=lam), "lq": lambda lam: linear_quadratic(lam=lam),
    "control": lambda lam: contractive_game(lam=lam)}
SMALL = 5  # instances with more states (LQ) use a third of the pairs


def sizes(profile: Profile) -> dict[str, object]:
    """λ grid, pairs of the d1/d3 estimates, local points, held-out pairs (per profile)."""
    if profile.quick:
        return {"lam": [0.1, 1.0, 10.0], "pairs": 20, "local": 2, "check": 24}
    return {"lam": [0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0], "pairs": 200, "local": 6, "check": 300}


def cells(profile: Profile) -> list[Cell]:
    """(instance, λ) cells."""
    s = sizes(profile)
    return grid(CLAIM_ID, game=list(GAMES), lam=s["lam"], pairs=[s["pairs"]], local=[s["local"]],  # type: ignore[arg-type]
                check=[s["check"]])


def measure(cell: Cell, algorithm: None, master_seed: int) -> Record:
    """At each equilibrium: d*, the estimates of d1, d2, d3 and Λ's ratio on held-out pairs."""
    game = GAMES[str(cell["game"])](float(cell["lam"]))  # type: ignore[arg-type]
    small = game.n_states <= SMALL
    n_pairs, n_check = int(cell["pairs"]), int(cell["check"])  # type: ignore[arg-type]
    rows = []
    for i, mu_star in enumerate(equilibrium_mean_fields(game)):
        weights = reference_visitation(game, mu_star)
        est = estimate_constants(game, weights, cell.rng(master_seed, f"estimate {i}"),
                                 n_pairs=n_pairs if small else n_pairs // 3, n_local=int(cell["local"]),  # type: ignore[arg-type]
                                 extra_points=[mu_star])
        rng = cell.rng(master_seed, f"held-out pairs {i}")
        pairs = [random_pair(game.n_states, rng, close=bool(k % 2), weight=0.99)
                 for k in range(n_check if small else n_check // 3)]
        rows.append({"equilibrium": mu_star.tolist(), "d1": est.d1, "d2": est.d2, "d3": est.d3,
                     "ratios": [composite_ratio(game, a, b) for a, b in pairs],
                     "pairs": [[a.tolist(), b.tolist()] for a, b in pairs]})
    return Record.of(cell, game=game.name, lam=game.lam, equilibria=rows)


def underestimation_to_cover(statement: Statement, d: tuple[float, float, float], ratio: float) -> float:
    """The smallest factor s >= 1 with L(s d1, s d2, s d3) >= ``ratio`` (inf if none below 1e6):
    how far the lower-bound estimates would have to be below the suprema for a pair with this
    ratio not to refute L."""
    def covers(s: float) -> bool:
        return float(statement.value(*(s * x for x in d))) >= ratio

    if covers(1.0):
        return 1.0
    low, high = 1.0, 2.0
    while not covers(high):
        low, high = high, 2 * high
        if high > 1e6:
            return float("inf")
    for _ in range(60):
        mid = 0.5 * (low + high)
        low, high = (low, mid) if covers(mid) else (mid, high)
    return high


def judge(record: Record, statement: Statement) -> Verdict:
    """The statement's L at each equilibrium's estimates against its held-out ratios."""
    rtol = get_claim(CLAIM_ID).threshold("rtol")
    label = f"{record['game']} λ={record['lam']}"
    cases, reasons = [], []
    for row in record["equilibria"]:  # type: ignore[union-attr]
        d = (row["d1"], row["d2"], row["d3"])
        bound = float(statement.value(*d))
        ratios = np.asarray(row["ratios"])
        bad = np.flatnonzero(ratios > bound * (1 + rtol))
        worst = int(np.argmax(ratios))
        case = {"equilibrium": row["equilibrium"], "d1": d[0], "d2": d[1], "d3": d[2], "bound": bound,
                "paper_bound": paper_constant(*d), "contraction": bool(paper_constant(*d) < 1),
                "max_ratio": float(ratios[worst]), "n_pairs": int(ratios.size), "counterexamples": int(bad.size)}
        if bad.size:
            cover = underestimation_to_cover(statement, d, float(ratios[worst]))
            mu, other = row["pairs"][worst]
            case["counterexample"] = {"mu": mu, "mu_prime": other, "ratio": float(ratios[worst]),
                                      "underestimation_to_cover": cover}
            reasons.append(f"{len(bad)} of {ratios.size} held-out pairs exceed L = {bound:.4g} (max ratio "
                           f"{ratios[worst]:.4g} at μ = {np.round(mu, 4).tolist()}, μ' = {np.round(other, 4).tolist()}); "
                           f"relative to the estimates: d1, d2, d3 would all have to be {cover:.3g}x larger")
        cases.append(case)
    worst_case = max(cases, key=lambda c: c["max_ratio"] / c["bound"])
    return Verdict(
        claim_id=CLAIM_ID, status="fail" if reasons else "pass",
        summary=(f"d1d2+d3 = {', '.join(format(c['paper_bound'], '.4g') for c in cases)} "
                 f"({'contraction' if all(c['contraction'] for c in cases) else 'no contraction'}); "
                 f"max Λ ratio / L = {worst_case['max_ratio'] / worst_case['bound']:.3g}"),
        stated=(Figure(name=f"{label}: L = {statement.text}", value=worst_case["bound"]),),
        measured=(Figure(name=f"{label}: max ‖ΔΛ‖/‖Δμ‖ / L", value=worst_case["max_ratio"] / worst_case["bound"]),),
        reading=READING, reasons=tuple(reasons), evidence={"game": record["game"], "lam": record["lam"], "cases": cases},
    )


def check(algorithm: None = None, *, profile: Profile = QUICK, statement: Statement = PAPER_STATEMENT) -> Verdict:
    """Lemma 6's ``statement`` on SIS, LQ and the contractive control game for each λ."""
    records = run_cells(cells(profile), measure, None, profile.master_seed)
    parts = [judge(r, statement) for r in records]
    rows = [dict(c, game=r["game"], lam=r["lam"]) for r, p in zip(records, parts) for c in p.evidence["cases"]]
    contraction = sorted({(c["game"], c["lam"]) for c in rows if c["contraction"]})
    paper = [c for c in rows if c["game"] in ("sis", "linear_quadratic")]

    def lowest(game: str) -> float:
        return min(c["paper_bound"] for c in rows if c["game"] == game)

    verdict = combine(CLAIM_ID, parts, labels=[f"{r['game']} λ={r['lam']}" for r in records], reading=READING)
    failed = sum(c["counterexamples"] > 0 for c in rows)
    return Verdict(
        claim_id=CLAIM_ID, status=verdict.status,
        summary=(f"{statement.text}: {len(rows)} (instance, λ, μ*) cases, "
                 f"{'no counterexample on held-out pairs' if not failed else f'counterexamples in {failed}'}; "
                 f"contraction d1d2+d3 < 1 holds for {contraction or 'none'}; on SIS/LQ min d1d2+d3 = "
                 f"{min(c['paper_bound'] for c in paper):.4g} (d3 alone >= {min(c['d3'] for c in paper):.3g})"),
        stated=(Figure(name="max ratio / L", value=1.0, note=f"<= 1, L = {statement.text}"),),
        measured=(Figure(name="max ratio / L", value=max(c["max_ratio"] / c["bound"] for c in rows)),
                  Figure(name="SIS min d1d2+d3", value=lowest("sis")),
                  Figure(name="LQ min d1d2+d3", value=lowest("linear_quadratic")),
                  Figure(name="control game min d1d2+d3", value=lowest("random_mfg")),
                  Figure(name="SIS max Λ ratio", value=max(c["max_ratio"] for c in rows if c["game"] == "sis"))),
        reading=READING, reasons=verdict.reasons[:10], evidence={"statement": statement.text, "cases": rows},
    )
