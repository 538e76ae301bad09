"""Statement mutants for MFG-NAC Lemma 6 (claim mfgnac.lemma6).

Lemma 6 is about the game's constants and judges no algorithm: its honest mutant is a wrong
statement, which the checker must refute with a counterexample pair (μ, μ').
"""

from __future__ import annotations

from mfcheck.judgement.statement import Statement


def halved_constant(d1: float, d2: float, d3: float) -> float:
    """(d1 d2 + d3)/2: half Lemma 6's Lipschitz constant of Λ."""
    return (d1 * d2 + d3) / 2


#: "Λ is (d1 d2 + d3)/2-Lipschitz": a contraction constant too small by half
HALVED_CONSTANT = Statement(text="‖Λ(μ) - Λ(μ')‖_1 <= (d1 d2 + d3)/2 ‖μ - μ'‖_1", value=halved_constant, wrong=True,
                            note="too small by half: Λ's measured ratio exceeds it on every instance")
