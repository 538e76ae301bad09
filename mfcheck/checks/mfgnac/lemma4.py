"""mfgnac.lemma4: KL(x‖z) - KL(y‖z) <= C(α1, α2) ‖x - y‖_1 on the simplex, C = 1 + log(1/min(α1, α2)),
for x, y >= α1 and z >= α2 entrywise (MFG-NAC Lemma 4, Lemma 3 of [78]).

A closed-form claim: the checker takes the statement (the constant C as a function of the
floors) and refutes it with a counterexample triple or confirms it on every triple searched. The
triples do not depend on the statement: per (|A|, α1, α2) an adversarial search for the largest
ratio (KL(x‖z) - KL(y‖z))/‖x - y‖_1 (:func:`mfcheck.solvers.kl_lipschitz.adversarial_triple`),
reported against its closed-form supremum, plus random Dirichlet triples with floors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

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
from mfcheck.solvers.kl_lipschitz import adversarial_triple, kl, sharp_constant

CLAIM_ID = "mfgnac.lemma4"
Array = NDArray[np.float64]
Constant = Callable[[float, float], float]


def lemma4_constant(alpha1: float, alpha2: float) -> float:
    """The stated Lipschitz constant 1 + log(1 / min(α1, α2))."""
    return 1.0 + float(np.log(1.0 / min(alpha1, alpha2)))


PAPER_STATEMENT = Statement(text="KL(x‖z) - KL(y‖z) <= (1 + log(1/min(α1, α2))) ‖x - y‖_1", value=lemma4_constant)

READING = ("KL(x‖z) = Σ x log(x/z) (natural log, 0 log 0 = 0); ‖·‖_1 the L1 norm; α1 = min over the entries "
           "of x and y, α2 = min entry of z (the tightest floors the hypotheses allow). A triple refutes the "
           "statement when KL(x‖z) - KL(y‖z) > C(α1, α2)‖x - y‖_1 + atol·max(1, |gap|) (atol in the toml).")


@dataclass(frozen=True, kw_only=True)
class NacLemma4Sizes:
    """Per-profile sizes: simplex dimensions, floors (α1, α2 take every admissible pair), random
    starts of each search, random triples."""

    dims: tuple[int, ...]
    floors: tuple[float, ...]
    n_starts: int
    n_random: int


SIZES = {"quick": NacLemma4Sizes(dims=(2, 3, 5), floors=(1e-6, 1e-2, 0.2), n_starts=3, n_random=500),
         "full": NacLemma4Sizes(dims=(2, 3, 5, 8), floors=(1e-8, 1e-4, 1e-2, 0.1, 0.3), n_starts=20, n_random=5000)}


def _numbers(text: str) -> list[float]:
    return [float(x) for x in text.split(",")]


def cells(profile: Profile) -> list[Cell]:
    """One adversarial cell per admissible (|A|, α1, α2) (α1 < 1/|A|, α2 <= 1/|A|) and one cell of
    random triples (its dimensions and floors as comma-separated settings)."""
    sizes = SIZES[profile.name]
    found = [c for c in grid(CLAIM_ID, kind=["adversarial"], n=sizes.dims, alpha1=sizes.floors, alpha2=sizes.floors,
                             n_starts=[sizes.n_starts])
             if float(c["alpha1"]) < 1 / int(c["n"]) and float(c["alpha2"]) <= 1 / int(c["n"])]
    random_cell = Cell.of(CLAIM_ID, {"kind": "random", "n_random": sizes.n_random,
                                     "dims": ",".join(map(str, sizes.dims)), "floors": ",".join(map(repr, sizes.floors))})
    return [*found, random_cell]


def _triples(cell: Cell, master_seed: int) -> list[tuple[Array, Array, Array]]:
    if cell["kind"] == "adversarial":
        _, triple = adversarial_triple(int(cell["n"]), float(cell["alpha1"]), float(cell["alpha2"]),
                                       cell.rng(master_seed, "search"), n_starts=int(cell["n_starts"]))
        return [triple]
    rng, dims, floors = cell.rng(master_seed, "triples"), _numbers(str(cell["dims"])), _numbers(str(cell["floors"]))
    out = []
    for _ in range(int(cell["n_random"])):
        n = int(rng.choice(dims))
        alpha = min(float(rng.choice(floors)), 1 / n)
        draw = [alpha + (1 - n * alpha) * rng.dirichlet(np.full(n, 0.3)) for _ in range(3)]
        out.append((draw[0], draw[1], draw[2]))
    return out


@cache
def measure(cell: Cell, algorithm: None, master_seed: int) -> Record:
    """The cell's triples with their floors, KL gap and ‖x - y‖_1 (independent of any statement)."""
    rows = []
    for x, y, z in _triples(cell, master_seed):
        rows.append({"x": x.tolist(), "y": y.tolist(), "z": z.tolist(), "alpha1": float(min(x.min(), y.min())),
                     "alpha2": float(z.min()), "gap": kl(x, z) - kl(y, z), "norm": float(np.abs(x - y).sum())})
    return Record.of(cell, triples=rows)


def check(algorithm: None = None, *, profile: Profile = QUICK, statement: Statement = PAPER_STATEMENT) -> Verdict:
    """Hold ``statement``'s constant against every triple; fail with the counterexamples found."""
    atol = get_claim(CLAIM_ID).threshold("atol")
    constant: Constant = statement.value
    records = run_cells(cells(profile), measure, None, profile.master_seed)
    worst, violations, count = 0.0, [], 0
    for record in records:
        for row in record["triples"]:  # type: ignore[union-attr]
            if row["alpha1"] <= 0 or row["alpha2"] <= 0 or row["norm"] == 0:
                continue
            count += 1
            c = float(constant(row["alpha1"], row["alpha2"]))
            worst = max(worst, row["gap"] / (c * row["norm"]))
            if row["gap"] > c * row["norm"] + atol * max(1.0, abs(row["gap"])):
                violations.append(f"|A| = {len(row['x'])}, α1 = {row['alpha1']:.3g}, α2 = {row['alpha2']:.3g}: "
                                  f"KL gap {row['gap']:.6g} > C ‖x - y‖_1 = {c:.4g} x {row['norm']:.4g} "
                                  f"(x = {np.round(row['x'], 6).tolist()}, z = {np.round(row['z'], 6).tolist()})")
    adversarial = [{"n": int(r.cell["n"]), "alpha1": float(r.cell["alpha1"]), "alpha2": float(r.cell["alpha2"]),
                    "sup_ratio_found": r["triples"][0]["gap"] / r["triples"][0]["norm"]}  # type: ignore[index]
                   for r in records if r.cell["kind"] == "adversarial"]
    for row in adversarial:
        row["stated_constant"] = float(constant(row["alpha1"], row["alpha2"]))
        row["sharp_constant"] = sharp_constant(row["n"], row["alpha1"], row["alpha2"])
    slack = min(r["stated_constant"] - r["sup_ratio_found"] for r in adversarial)
    gap_sharp = max(r["sharp_constant"] - r["sup_ratio_found"] for r in adversarial)
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if violations else "pass",
        summary=(f"{statement.text}: {count} triples ({len(adversarial)} adversarial), largest ratio / C = "
                 f"{worst:.4g}, {len(violations)} counterexamples; smallest slack C - sup ratio = {slack:.4g}; "
                 f"the search reaches the closed-form sup ½log((1-(n-1)α1)(1-(n-1)α2)/(α1α2)) within "
                 f"{gap_sharp:.2g}"),
        stated=(Figure(name="(KL gap)/(C ‖x-y‖_1)", value=1.0, note="<= 1"),),
        measured=(Figure(name="(KL gap)/(C ‖x-y‖_1)", value=worst),
                  Figure(name="min (C - sup ratio found)", value=slack),
                  Figure(name="max (closed-form sup - found)", value=gap_sharp)),
        reading=READING,
        reasons=tuple(violations[:10]),
        evidence={"n_triples": count, "max_normalised_ratio": worst, "n_violations": len(violations),
                  "adversarial": adversarial, "statement": statement.text},
    )
