"""Statements: what a closed-form claim asserts (a formula, a constant, an order), as a value.

A closed-form claim's checker takes the statement it refutes or confirms:
``check(None, *, profile, statement=PAPER)``. Its honest mutant is a wrong statement, marked
``wrong=True``, which the checker must refute with a counterexample (never an edit of the
checker's arithmetic).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Statement:
    """A claim's assertion as data: ``value`` is the formula (a callable), constant or order."""

    text: str
    value: Any
    wrong: bool = False
    note: str = ""

    def __repr__(self) -> str:
        return f"Statement({self.text!r}{', wrong' if self.wrong else ''})"
