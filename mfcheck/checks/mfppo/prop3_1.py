"""mfppo.prop3_1: size of the permutation-invariant search space (MF-PPO Prop 3.1, App D).

The statement checked is a :class:`~mfcheck.solvers.permutation_classes.ClassCount`: a formula
for the number of permutation-equivalence classes of S^N and an order in N ("if |S| < N, at the
order of N^|S|"), read as an upper bound O(N^e) or as a tight order Θ(N^e). The checker refutes a wrong statement with a
counterexample:

* the formula is compared with the exact count C(N+S-1, N) on [1, max]² (exact integers) and
  with brute-force enumeration of S^N where S^N is small;
* the order is compared with the *computed* degree of N ↦ C(N+S-1, N): the smallest d whose
  (d+1)-th exact forward difference vanishes (:func:`~mfcheck.solvers.permutation_classes.degree_in_agents`),
  corroborated by the log-log slope at N = 10^6. A tight statement holds when the degree equals
  the stated exponent, an upper bound when it does not exceed it.

One cell per |S| (its sizes in its settings), and one cell for the sympy identity (printed sum =
C(N+S-1, N)), a bonus figure; the cells run through :func:`mfcheck.judgement.run_cells` with the
statement as their algorithm, and the verdict is read from the records alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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
from mfcheck.solvers.permutation_classes import (
    ClassCount,
    degree_in_agents,
    enumerated_class_count,
    growth_slope,
    multiset_count,
    power_of_states,
    printed_class_count,
    sympy_identity,
)

CLAIM_ID = "mfppo.prop3_1"

PAPER_STATEMENT = Statement(
    text="#classes of S^N = Σ_{k=1}^{min(S,N)} C(N-1,k-1) C(S,k), of order N^|S| in N "
         "(read as an upper bound O(N^|S|))",
    value=ClassCount(count=printed_class_count, order=power_of_states, tight=False),
)

READING = (
    "Classes are multisets of size N over S (occupation vectors), counted exactly as C(N+S-1, N) "
    "and by enumeration of S^N. 'At the order of N^|S|' is read as an upper bound; tightness is "
    "computed: the degree of N ↦ C(N+S-1, N) from exact forward differences (a polynomial with "
    "positive leading coefficient is Θ(N^degree)), corroborated by the log-log slope at large N."
)


@dataclass(frozen=True, kw_only=True)
class PpoProp31Sizes:
    """Per-profile grid."""

    max_grid: int
    """(S, N) ∈ [1, max_grid]² compared with exact integers; the degree window is N = 1..max_grid."""
    max_brute_force: int
    """S^N enumerated explicitly while S^N <= this."""
    max_order_states: int
    """Orders judged for |S| = 1..this (degree <= max_grid - 3)."""
    large_n: int = 10**6
    """N of the log-log slope and of the ratio count / N^e."""


SIZES = {
    "quick": PpoProp31Sizes(max_grid=60, max_brute_force=20_000, max_order_states=12),
    "full": PpoProp31Sizes(max_grid=200, max_brute_force=500_000, max_order_states=30),
}


def cells(profile: Profile) -> list[Cell]:
    """One cell per number of local states |S| = 1..max_grid (with the profile's sizes), then the
    sympy cell."""
    sizes = SIZES[profile.name]
    return (grid(CLAIM_ID, part=["count"], S=range(1, sizes.max_grid + 1), max_grid=[sizes.max_grid],
                 max_brute_force=[sizes.max_brute_force], max_order_states=[sizes.max_order_states],
                 large_n=[sizes.large_n])
            + grid(CLAIM_ID, part=["sympy"]))


def measure(cell: Cell, statement: Statement, master_seed: int) -> Record:
    """Count mismatches (formula vs exact vs enumeration) and the order in N, for one |S|; or the
    sympy identity (the "sympy" cell). Deterministic: ``master_seed`` is not used."""
    if cell["part"] == "sympy":
        symbolic, how = sympy_identity()
        return Record.of(cell, identity=symbolic, how=how)
    n_states, claimed = int(cell["S"]), statement.value  # type: ignore[arg-type]
    max_grid, max_brute_force = int(cell["max_grid"]), int(cell["max_brute_force"])  # type: ignore[arg-type]
    large_n = int(cell["large_n"])  # type: ignore[arg-type]
    mismatches = []
    for n_agents in range(1, max_grid + 1):
        got, want = claimed.count(n_states, n_agents), multiset_count(n_states, n_agents)
        if got != want:
            mismatches.append({"S": n_states, "N": n_agents, "claimed": got, "exact": want})
    brute = [n for n in range(1, max_grid + 1) if n_states**n <= max_brute_force]
    reference_errors = [n for n in brute if enumerated_class_count(n_states, n) != multiset_count(n_states, n)]
    record: dict = {"S": n_states, "mismatches": mismatches, "brute_force_n": brute,
                    "reference_errors": reference_errors}
    if n_states <= int(cell["max_order_states"]):  # type: ignore[arg-type]
        degree = degree_in_agents(multiset_count, n_states, max_grid)
        exponent = int(claimed.order(n_states))
        record.update(
            degree=degree,
            claimed_exponent=exponent,
            slope=growth_slope(multiset_count, n_states, large_n),
            log10_ratio=math.log10(multiset_count(n_states, large_n)) - exponent * math.log10(large_n),
            order_holds=degree is not None and (degree == exponent if claimed.tight else degree <= exponent),
        )
    return Record.of(cell, **record)


def _order_reason(record: dict, tight: bool, large_n: int) -> str:
    relation = "Θ" if tight else "O"
    return (f"|S|={record['S']}: {relation}(N^{record['claimed_exponent']}) is refuted: C(N+S-1, N) is a "
            f"polynomial of degree {record['degree']} in N (computed), count / N^{record['claimed_exponent']}"
            f" = 10^{record['log10_ratio']:.2f} at N={large_n:.0e}")


def check(algorithm: None = None, *, profile: Profile = QUICK, statement: Statement = PAPER_STATEMENT) -> Verdict:
    """Refute or confirm ``statement`` (its value a ``ClassCount``) on the profile's grid."""
    tolerance = get_claim(CLAIM_ID).threshold("slope_tolerance")
    measured = run_cells(cells(profile), measure, statement, profile.master_seed)
    counted = [r for r in measured if r.cell["part"] == "count"]
    records = [dict(r.values) for r in counted]
    (identity,) = [r for r in measured if r.cell["part"] == "sympy"]
    max_grid, large_n = int(counted[0].cell["max_grid"]), int(counted[0].cell["large_n"])  # type: ignore[arg-type]
    max_order_states = int(counted[0].cell["max_order_states"])  # type: ignore[arg-type]
    mismatches = [m for r in records for m in r["mismatches"]]
    ordered = [r for r in records if "degree" in r]
    order_failures = [r for r in ordered if not r["order_holds"]]
    slope_errors = [r for r in ordered if r["degree"] is None or abs(r["slope"] - r["degree"]) > tolerance]
    reference_errors = [(r["S"], n) for r in records for n in r["reference_errors"]]
    symbolic, how = bool(identity["identity"]), str(identity["how"])
    reasons = [f"|S|={m['S']}, N={m['N']}: the statement counts {m['claimed']} classes, the exact count "
               f"(multisets, and enumeration where done) is {m['exact']}" for m in mismatches[:5]]
    reasons += [_order_reason(r, statement.value.tight, large_n) for r in order_failures[:5]]
    reasons += [f"|S|={r['S']}: computed degree {r['degree']} and slope {r['slope']:.4f} at N={large_n:.0e} "
                f"disagree by more than {tolerance:g}" for r in slope_errors]
    reasons += [f"enumeration differs from C(N+S-1, N) at (S, N) = {pair}" for pair in reference_errors]
    if not symbolic:
        reasons.append(f"sympy: printed sum != C(N+S-1, N) ({how})")
    degrees = {r["S"]: r["degree"] for r in ordered}
    tight_exponents = all(degrees[s] == s - 1 for s in degrees)
    paper_tight = all(r["degree"] == r["claimed_exponent"] for r in ordered)
    n_brute = sum(len(r["brute_force_n"]) for r in records)
    status = "fail" if reasons else "pass"
    summary = (
        f"the stated count equals C(N+S-1, N) on [1, {max_grid}]² and enumeration on {n_brute} (S, N) "
        f"pairs; the count is a polynomial of degree |S|-1 in N (computed for |S| = 1..{max_order_states})"
        + (", so the stated order holds" + ("" if paper_tight else " as an upper bound but is not tight: "
                                            "the tight order is N^(|S|-1)") if status == "pass"
           else f"; {len(mismatches)} count counterexample(s), {len(order_failures)} order counterexample(s)")
    )
    return Verdict(
        claim_id=CLAIM_ID,
        status=status,
        summary=summary,
        stated=(Figure(name="statement", value=statement.text),
                Figure(name="order in N", value=f"{'Θ' if statement.value.tight else 'O'}(N^e(|S|))",
                       note=f"e(2..5) = {[int(statement.value.order(s)) for s in range(2, 6)]}")),
        measured=(
            Figure(name="grid pairs checked", value=max_grid**2),
            Figure(name="brute-force pairs", value=n_brute),
            Figure(name="count mismatches", value=len(mismatches)),
            Figure(name="order counterexamples", value=len(order_failures)),
            *(Figure(name=f"degree in N, |S|={s}", value=degrees[s],
                     note=f"slope at N=1e6: {next(r['slope'] for r in ordered if r['S'] == s):.4f}")
              for s in (2, 3, 4, 5) if s in degrees),
            Figure(name="tight order", value="N^(|S|-1)" if tight_exponents else "see degrees",
                   note="computed from exact forward differences"),
            Figure(name="stated order tight", value=paper_tight),
            Figure(name="sympy identity", value=symbolic, note=how),
        ),
        reading=READING,
        reasons=tuple(reasons),
        evidence={"count_counterexamples": [r["mismatches"][0] for r in records if r["mismatches"]][:50],
                  "order": [{k: r[k] for k in ("S", "degree", "claimed_exponent", "slope", "log10_ratio",
                                               "order_holds")} for r in ordered],
                  "statement": statement.text, "wrong_statement": statement.wrong},
    )
