"""A wrong statement of Lemma E.2's order (the claim judges no algorithm: its mutant is a statement)."""

from __future__ import annotations

from mfcheck.judgement.statement import Statement

#: m^-1 instead of m^-1/2: refuted by β independent of β(0), whose gap decays exactly as m^-1/2
INVERSE_WIDTH_ORDER = Statement(text="‖ḡ_β - ḡ⁰_β‖² = O(R³ m^-1)", value={"m": -1.0, "R": 3.0}, wrong=True)
