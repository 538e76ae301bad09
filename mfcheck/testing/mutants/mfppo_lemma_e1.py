"""A wrong statement of Lemma E.1's order (the claim judges no algorithm: its mutant is a statement)."""

from __future__ import annotations

from mfcheck.judgement.statement import Statement

#: R² instead of R³: refuted by β independent of β(0), whose gap grows exactly as R³
R_SQUARED_ORDER = Statement(text="E|F⁰_β - F_β|² = O(R² m^-1/2)", value={"m": -0.5, "R": 2.0}, wrong=True)
