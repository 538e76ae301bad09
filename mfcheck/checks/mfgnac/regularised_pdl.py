"""mfgnac.regularised_pdl: the entropy-regularised performance-difference lemma (MFG-NAC App B.1)
is an exact identity.

    V^{π,λ}_μ(ρ) - V^{π',λ}_μ(ρ)
        = 1/(1-γ) E_{s~d^π_μ, a~π}[q^{π',λ}_μ(s,a) - V^{π',λ}_μ(s)] - λ/(1-γ) E_{s~d^π_μ}[KL(π‖π')]

A closed-form claim: the statement is the right-hand side as a function of (game, π, π', μ); the
checker computes the left-hand side by exact policy evaluation and refutes the statement with the
case where the two sides differ beyond the toml's ``rtol``. The readings that do not make it exact
(unshifted q, unnormalised d) are reported alongside (:mod:`mfcheck.solvers.performance_difference`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mfcheck.instances import linear_quadratic, random_mean_field_game, sis
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
from mfcheck.judgement.statement import Statement
from mfcheck.models import MeanFieldGame
from mfcheck.solvers.performance_difference import pdl_lhs, pdl_rhs

CLAIM_ID = "mfgnac.regularised_pdl"
Array = NDArray[np.float64]
#: (game, π, π', μ) -> right-hand side of the identity
RightHandSide = Callable[[MeanFieldGame, Array, Array, Array], float]

PAPER_STATEMENT = Statement(
    text="V^π(ρ) - V^π'(ρ) = E_{d^π×π}[q^π' - V^π']/(1-γ) - λ E_{d^π}[KL(π‖π')]/(1-γ)", value=pdl_rhs)

READING = (
    "V^{π,λ}_μ(s) = E[Σ_t γ^t (r - λ log π)], Q^{π,λ} = r + γ P V^{π,λ} (no entropy at the current "
    "step), q^{π',λ} = Q^{π',λ} - λ log π' (shifted by the log of the policy q belongs to), "
    "d^π_μ = (1-γ) ρᵀ(I - γ P_π(μ))^{-1} (normalised discounted visitation from ρ at fixed μ). "
    "Under this reading the identity is exact; with q = Q (unshifted) it is off by "
    "λ/(1-γ) E_{d^π,π}[log π'], and with the unnormalised visitation Σ_t γ^t P(s_t) by a factor 1/(1-γ).")


@dataclass(frozen=True, kw_only=True)
class NacRegularisedPdlSizes:
    """Per-profile sizes: random (π, π', μ) cases per game, random games besides SIS and LQ, λ values."""

    n_pairs: int
    n_random_games: int
    lams: tuple[float, ...]


SIZES = {"quick": NacRegularisedPdlSizes(n_pairs=10, n_random_games=4, lams=(0.1, 1.0)),
         "full": NacRegularisedPdlSizes(n_pairs=100, n_random_games=30, lams=(0.01, 0.1, 1.0, 5.0))}


def cells(profile: Profile) -> list[Cell]:
    """One cell per (λ, game): SIS, LQ and ``n_random_games`` random games."""
    sizes = SIZES[profile.name]
    games = ["sis", "linear_quadratic", *(f"random#{i}" for i in range(sizes.n_random_games))]
    return grid(CLAIM_ID, lam=sizes.lams, game=games, n_pairs=[sizes.n_pairs])


def game_of(cell: Cell, master_seed: int) -> MeanFieldGame:
    """The cell's game: SIS, LQ, or a random game (2-5 states, 2-4 actions, γ in [0.5, 0.99])."""
    lam, name = float(cell["lam"]), str(cell["game"])
    if name == "sis":
        return sis(lam=lam)
    if name == "linear_quadratic":
        return linear_quadratic(lam=lam)
    rng = cell.rng(master_seed, "game")
    return random_mean_field_game(rng, int(rng.integers(2, 6)), int(rng.integers(2, 5)), lam=lam,
                                  gamma=float(rng.uniform(0.5, 0.99)))


def cases(game: MeanFieldGame, rng: np.random.Generator, n: int) -> list[tuple[Array, Array, Array]]:
    """n triples (π, π', μ): π ~ Dirichlet(0.3) rows (may be near-deterministic), π' ~ Dirichlet(1)
    rows floored at 1e-8 (finite KL), μ ~ Dirichlet(1)."""
    out = []
    for _ in range(n):
        pi = rng.dirichlet(np.full(game.n_actions, 0.3), size=game.n_states)
        pi_prime = np.clip(rng.dirichlet(np.ones(game.n_actions), size=game.n_states), 1e-8, None)
        out.append((pi, pi_prime / pi_prime.sum(axis=1, keepdims=True), rng.dirichlet(np.ones(game.n_states))))
    return out


def measure(cell: Cell, algorithm: None, master_seed: int) -> Record:
    """The cell's cases (π, π', μ) with the exact LHS and the misses of the two alternative readings
    (independent of any statement)."""
    game = game_of(cell, master_seed)
    rows = []
    for pi, pi_prime, mu in cases(game, cell.rng(master_seed, "cases"), int(cell["n_pairs"])):
        lhs = pdl_lhs(game, pi, pi_prime, mu)
        rows.append({"pi": pi.tolist(), "pi_prime": pi_prime.tolist(), "mu": mu.tolist(), "lhs": lhs,
                     "unshifted_q": abs(lhs - pdl_rhs(game, pi, pi_prime, mu, shifted=False)),
                     "unnormalised_d": abs(lhs - pdl_rhs(game, pi, pi_prime, mu, normalised=False))})
    return Record.of(cell, game=game.name, gamma=game.gamma, cases=rows)


def errors(record: Record, rhs: RightHandSide, master_seed: int) -> list[float]:
    """|LHS - RHS| of each case of ``record`` with the statement's right-hand side."""
    game = game_of(record.cell, master_seed)
    return [abs(row["lhs"] - float(rhs(game, np.asarray(row["pi"]), np.asarray(row["pi_prime"]),
                                       np.asarray(row["mu"]))))
            for row in record["cases"]]  # type: ignore[union-attr]


def check(algorithm: None = None, *, profile: Profile = QUICK, statement: Statement = PAPER_STATEMENT) -> Verdict:
    """The identity with ``statement``'s right-hand side on every case; fail with the cases that
    miss by more than rtol·max(1, |LHS|)."""
    rtol = get_claim(CLAIM_ID).threshold("rtol")
    records = run_cells(cells(profile), measure, None, profile.master_seed)
    violations, worst, alt_q, alt_d, per_game = [], 0.0, np.inf, np.inf, []
    for record in records:
        rows, misses = record["cases"], errors(record, statement.value, profile.master_seed)
        for index, (row, miss) in enumerate(zip(rows, misses)):  # type: ignore[arg-type]
            if miss > rtol * max(1.0, abs(row["lhs"])):
                violations.append(f"{record['game']} (λ = {record.cell['lam']}, case {index}): |LHS - RHS| = "
                                  f"{miss:.3g} (LHS {row['lhs']:.6g})")
        worst = max(worst, max(misses))
        per_game.append({"game": record["game"], "lam": record.cell["lam"], "gamma": record["gamma"],
                         "max_error": max(misses)})
        alt_q = min(alt_q, max(r["unshifted_q"] for r in rows))  # type: ignore[union-attr]
        alt_d = min(alt_d, max(r["unnormalised_d"] for r in rows))  # type: ignore[union-attr]
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if violations else "pass",
        summary=(f"{statement.text}: {len(records)} games x {SIZES[profile.name].n_pairs} policy pairs, max "
                 f"|LHS - RHS| = {worst:.3g}, {len(violations)} counterexamples; the alternative readings miss on "
                 f"every game (unshifted q by >= {alt_q:.3g}, unnormalised d by >= {alt_d:.3g})"),
        stated=(Figure(name="max |LHS - RHS|", value=0.0, note=f"<= {rtol:g} (relative)"),),
        measured=(Figure(name="max |LHS - RHS|", value=worst),
                  Figure(name="min over games of max error, unshifted q", value=float(alt_q)),
                  Figure(name="min over games of max error, unnormalised d", value=float(alt_d))),
        reading=READING,
        reasons=tuple(violations[:10]),
        evidence={"games": per_game, "n_violations": len(violations), "statement": statement.text},
    )
