"""Counts of permutation-equivalence classes of S^N, and their exact order in N.

Two joint states of N agents over |S| local states are permutation equivalent when one is a
permutation of the other; the classes are the multisets of size N over S (occupation vectors).
MF-PPO Prop 3.1 (App D) prints their number as ``Σ_{k=1}^{min(S,N)} C(N-1, k-1) C(S, k)``.

* :func:`printed_class_count`: the sum as printed; :func:`multiset_count`: ``C(N+S-1, N)``;
  :func:`enumerated_class_count`: brute force over all S^N tuples (the independent reference).
* :func:`degree_in_agents`: the exact degree of N ↦ count(S, N) as a polynomial, computed from
  exact integer forward differences (the tight order in N, for a polynomial with a positive
  leading coefficient); :func:`growth_slope`: the local log-log slope at large N.
* :func:`sympy_identity`: the symbolic identity printed sum = ``C(N+S-1, N)``.
* :class:`ClassCount`: what a statement about these counts asserts (a formula and an order in
  N, tight or an upper bound), as a value.

All counts are exact Python integers.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: A count of classes as a function of (|S|, N).
ClassCounter = Callable[[int, int], int]


@dataclass(frozen=True, kw_only=True)
class ClassCount:
    """What a statement about the classes of S^N asserts (MF-PPO Prop 3.1 is one).

    ``count(S, N)`` is the claimed number of classes; ``order(S)`` the exponent e of N in "the
    count is of order N^e"; ``tight`` reads it as Θ(N^e) (True) or as an upper bound O(N^e).
    """

    count: ClassCounter
    order: Callable[[int], int]
    tight: bool


def power_of_states(n_states: int) -> int:
    """Prop 3.1's exponent: the count is of order N^|S|."""
    return n_states


def printed_class_count(n_states: int, n_agents: int) -> int:
    """``Σ_{k=1}^{min(S,N)} C(N-1, k-1) C(S, k)`` (MF-PPO Prop 3.1 as printed)."""
    return sum(math.comb(n_agents - 1, k - 1) * math.comb(n_states, k)
               for k in range(1, min(n_states, n_agents) + 1))


def multiset_count(n_states: int, n_agents: int) -> int:
    """``C(N + S - 1, N)``: multisets of size N over S elements (stars and bars)."""
    return math.comb(n_agents + n_states - 1, n_agents)


def enumerated_class_count(n_states: int, n_agents: int) -> int:
    """Number of distinct sorted tuples among all S^N joint states (brute force, S^N work)."""
    index = np.arange(n_states**n_agents, dtype=np.int64)
    powers = n_states ** np.arange(n_agents - 1, -1, -1, dtype=np.int64)
    tuples = np.sort((index[None, :] // powers[:, None]) % n_states, axis=0)  # [N, S^N], digits sorted
    return int(np.unique(powers @ tuples).size)


def degree_in_agents(count: ClassCounter, n_states: int, n_max: int) -> int | None:
    """Degree of N ↦ ``count(S, N)`` as a polynomial on the window N = 1..n_max, or None.

    The degree is the smallest d whose (d+1)-th forward difference vanishes on the whole window
    (with a non-zero d-th difference). None when no difference of order < n_max - 1 vanishes
    (not a polynomial of degree <= n_max - 3 on the window, e.g. an exponential). For a
    polynomial with a positive leading coefficient the degree is the tight order in N.
    """
    if n_max < 3:
        raise ValueError(f"degree_in_agents.n_max: need >= 3 points, got {n_max}")
    values = [count(n_states, n) for n in range(1, n_max + 1)]
    current = values
    for degree in range(n_max - 2):
        following = [b - a for a, b in itertools.pairwise(current)]
        if all(x == 0 for x in following):
            return degree if any(current) else None
        current = following
    return None


def growth_slope(count: ClassCounter, n_states: int, n_agents: int) -> float:
    """Local log-log slope ``log(count(S, 2N) / count(S, N)) / log 2`` (-> the order in N)."""
    low, high = count(n_states, n_agents), count(n_states, 2 * n_agents)
    if low <= 0 or high <= 0:
        raise ValueError(f"growth_slope: non-positive count at S={n_states}, N={n_agents}")
    return (math.log(high) - math.log(low)) / math.log(2.0)


@functools.cache
def sympy_identity(max_check: int = 11) -> tuple[bool, str]:
    """Symbolic check of ``Σ_{k>=1} C(N-1, k-1) C(S, k) = C(N+S-1, N)``.

    The sum is written with upper limit N (its terms vanish past min(S, N)). Returns
    ``(holds, how)``; when ``simplify`` does not reach 0, the identity is checked by
    substitution on [1, max_check]² and ``how`` says so. Cached (about 1 s of sympy).
    """
    import sympy as sp

    n, s, k = sp.symbols("N S k", positive=True, integer=True)
    total = sp.Sum(sp.binomial(n - 1, k - 1) * sp.binomial(s, k), (k, 1, n)).doit()
    if sp.simplify(sp.combsimp(total - sp.binomial(n + s - 1, n))) == 0:
        return True, "sympy simplify(Σ - C(N+S-1, N)) == 0"
    holds = all(sp.Integer(printed_class_count(si, ni)) == sp.binomial(ni + si - 1, ni)
                for si in range(1, max_check + 1) for ni in range(1, max_check + 1))
    return holds, f"sympy did not simplify to 0; checked by substitution on [1, {max_check}]²"
