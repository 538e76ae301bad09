"""Wrong statements for ``mfppo.prop3_1`` (closed form: the checker must refute each with a
counterexample).

* :data:`ORDERED_OVER_FACTORIAL`: the count S^N / N! (ordered tuples divided by N!), wrong as soon
  as two agents share a state (|S| = 2, N = 2: 2 instead of 3).
* :data:`POWER_AS_TIGHT`: the paper's printed count with its order N^|S| read as tight, Θ(N^|S|);
  the count is a polynomial of degree |S| - 1 in N, so N^|S| is not attained.
"""

from __future__ import annotations

import math

from mfcheck.judgement.statement import Statement
from mfcheck.solvers.permutation_classes import ClassCount, power_of_states, printed_class_count


def ordered_over_factorial(n_states: int, n_agents: int) -> int:
    """S^N / N!, rounded to the nearest integer (exact integer arithmetic)."""
    factorial = math.factorial(n_agents)
    return (n_states**n_agents + factorial // 2) // factorial


ORDERED_OVER_FACTORIAL = Statement(
    text="#classes of S^N = S^N / N! (ordered tuples over N!)",
    value=ClassCount(count=ordered_over_factorial, order=power_of_states, tight=False),
    wrong=True,
)

POWER_AS_TIGHT = Statement(
    text="#classes of S^N = Σ_k C(N-1,k-1) C(S,k) = Θ(N^|S|) (the paper's order read as tight)",
    value=ClassCount(count=printed_class_count, order=power_of_states, tight=True),
    wrong=True,
)
