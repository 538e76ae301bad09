"""mfppo.prop3_1: size of the permutation-invariant search space (MF-PPO Prop 3.1, App D).

The number of permutation-equivalence classes of S^N (multisets of size N over S states) is
Σ_{k=1}^{min(S,N)} C(N-1, k-1) C(S, k), which equals C(N+S-1, N). The paper adds that for
|S| < N the count is of order N^|S|; that is an upper bound: C(N+S-1, N) ~ N^(S-1)/(S-1)!,
so the tight order is N^(S-1).

Checked by exact integer arithmetic on a grid (the test of record), by brute-force enumeration
of S^N for small (S, N), and symbolically with sympy (bonus).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

from mfcheck.judgement import Figure, Profile, Verdict

CLAIM_ID = "mfppo.prop3_1"

Counter = Callable[[int, int], int]


@dataclass(frozen=True, kw_only=True)
class Config:
    """Per-profile grid."""

    max_grid: int
    """(S, N) ∈ [1, max_grid]² checked with exact integers."""
    max_brute_force: int
    """S^N enumerated explicitly while S^N <= this."""


CONFIGS = {
    "quick": Config(max_grid=60, max_brute_force=20_000),
    "full": Config(max_grid=200, max_brute_force=500_000),
}


def paper_count(n_states: int, n_agents: int) -> int:
    """Σ_{k=1}^{min(S,N)} C(N-1, k-1) C(S, k) (Prop 3.1 as printed)."""
    return sum(
        math.comb(n_agents - 1, k - 1) * math.comb(n_states, k)
        for k in range(1, min(n_states, n_agents) + 1)
    )


def multiset_count(n_states: int, n_agents: int) -> int:
    """C(N + S - 1, N): the number of multisets of size N over S elements."""
    return math.comb(n_agents + n_states - 1, n_agents)


def enumerated_count(n_states: int, n_agents: int) -> int:
    """Number of distinct sorted tuples among all S^N joint states (brute force)."""
    return len({tuple(sorted(x)) for x in itertools.product(range(n_states), repeat=n_agents)})


def sympy_identity_holds() -> tuple[bool, str]:
    """Symbolic check Σ_{k>=1} C(N-1,k-1) C(S,k) = C(N+S-1, N) (upper limit N: terms vanish past min).

    Returns (holds, how); falls back to substitution on a grid if ``simplify`` does not reach 0.
    """
    import sympy as sp

    n, s, k = sp.symbols("N S k", positive=True, integer=True)
    total = sp.Sum(sp.binomial(n - 1, k - 1) * sp.binomial(s, k), (k, 1, n)).doit()
    difference = sp.simplify(sp.combsimp(total - sp.binomial(n + s - 1, n)))
    if difference == 0:
        return True, "sympy simplify(Σ - C(N+S-1, N)) == 0"
    ok = all(
        sp.Integer(paper_count(si, ni)) == sp.binomial(ni + si - 1, ni)
        for si in range(1, 12)
        for ni in range(1, 12)
    )
    return ok, "sympy did not simplify to 0; checked by substitution on [1, 11]²"


def growth_exponent(n_states: int, n_large: int = 10**6) -> float:
    """log C(N+S-1, N) / log N at large N: tends to S - 1 (the tight order)."""
    return (
        math.log(multiset_count(n_states, 2 * n_large)) - math.log(multiset_count(n_states, n_large))
    ) / math.log(2.0)


def check_prop3_1(
    *, counter: Counter = paper_count, max_grid: int = 60, max_brute_force: int = 20_000
) -> Verdict:
    """Compare ``counter(S, N)`` with exact multiset counts and brute-force enumeration."""
    mismatches: list[tuple[int, int, int, int]] = []
    for n_states in range(1, max_grid + 1):
        for n_agents in range(1, max_grid + 1):
            got, want = counter(n_states, n_agents), multiset_count(n_states, n_agents)
            if got != want:
                mismatches.append((n_states, n_agents, got, want))
    brute = 0
    for n_states in range(1, 8):
        for n_agents in range(1, 12):
            if n_states**n_agents > max_brute_force:
                continue
            brute += 1
            want = enumerated_count(n_states, n_agents)
            got = counter(n_states, n_agents)
            if got != want:
                mismatches.append((n_states, n_agents, got, want))
    exponents = {s: growth_exponent(s) for s in (2, 3, 4, 5)}
    tight = all(abs(e - (s - 1)) < 1e-3 for s, e in exponents.items())
    reasons = tuple(
        f"S={s}, N={n}: counter gives {g}, exact count {w}" for s, n, g, w in mismatches[:5]
    )
    status = "pass" if not mismatches and tight else "fail"
    return Verdict(
        claim_id=CLAIM_ID,
        status=status,
        summary=(
            f"formula equals C(N+S-1, N) on [1, {max_grid}]² and matches enumeration on {brute} "
            f"(S, N) pairs; growth in N is N^(S-1), so the paper's N^|S| is an upper bound, not tight"
            if status == "pass"
            else f"{len(mismatches)} mismatches between the counting formula and exact counts"
        ),
        stated=(
            Figure(name="classes", value="Σ_k C(N-1,k-1) C(S,k)"),
            Figure(name="order in N for S < N (paper)", value="N^S"),
        ),
        measured=(
            Figure(name="grid pairs checked", value=max_grid * max_grid),
            Figure(name="brute-force pairs", value=brute),
            Figure(name="mismatches", value=len(mismatches)),
            *(
                Figure(name=f"growth exponent, S={s}", value=e, note="tight order S-1")
                for s, e in exponents.items()
            ),
        ),
        reading="Counts of multisets (occupation vectors); the tight order is N^(S-1).",
        reasons=reasons,
        evidence={"mismatches": mismatches[:50], "growth_exponents": exponents},
    )


def run(profile: Profile) -> Verdict:
    """Check Prop 3.1 on the profile's grid and add the sympy identity as a bonus figure."""
    config = CONFIGS[profile.name]
    verdict = check_prop3_1(max_grid=config.max_grid, max_brute_force=config.max_brute_force)
    holds, how = sympy_identity_holds()
    from dataclasses import replace

    return replace(
        verdict,
        measured=(*verdict.measured, Figure(name="sympy identity", value=holds, note=how)),
        status=verdict.status if holds else "fail",
    )
