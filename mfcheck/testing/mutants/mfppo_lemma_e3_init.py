"""A wrong statement of the bound in the proof of Lemma E.3 (the claim judges no algorithm)."""

from __future__ import annotations

from mfcheck.judgement.statement import Statement

#: ‖x‖²/(4d): half the exact E_init f(x)² = ‖x‖²/(2d) (relu read as halving the standard deviation
#: rather than the variance); refuted at every unit-norm input
QUARTER_OVER_DIMENSION = Statement(text="E_init f_β(0)(x)² <= ‖x‖²/(4d)",
                                   value=lambda norm_sq, dim: norm_sq / (4 * dim), wrong=True)
