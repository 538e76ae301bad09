"""A claim's comparison figure, read from a verdict's measured figures by name.

The claim's toml declares ``[comparison] figure = "<name>"``. A measured figure matches when its
name equals ``<name>``, starts with it (rate fits: ``"T-exponent"`` matches
``"T-exponent (control game)"``), or ends with ``": <name>"`` (combined verdicts prefix each
instance's figures with its label: ``"control (own oracle): min slack"``). When several figures
match (one per instance), the claim's figure is the worst of them in the declared direction: the
largest when lower is better, the smallest when higher is better. Non-numeric values are skipped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from mfcheck.judgement import ComparisonSpec, Figure, Verdict


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def matches(name: str, figure: str) -> bool:
    """Whether a measured figure called ``name`` is (one instance of) the comparison ``figure``."""
    return name == figure or name.startswith(figure) or name.endswith(f": {figure}")


def matching_figures(measured: Sequence[Figure], figure: str) -> list[tuple[str, float]]:
    """(name, value) of every numeric measured figure that matches ``figure``, in verdict order."""
    out = []
    for f in measured:
        value = _number(f.value)
        if value is not None and matches(f.name, figure):
            out.append((f.name, value))
    return out


def worst(values: Sequence[float], direction: str) -> float:
    """The worst of ``values`` when ``direction`` ("lower" / "higher") is better."""
    return max(values) if direction == "lower" else min(values)


def comparison_value(verdict: Verdict, spec: ComparisonSpec) -> float | None:
    """The verdict's comparison figure (the worst matching instance), None when none matches."""
    found = matching_figures(verdict.measured, spec.figure)
    if not found:
        return None
    return worst([v for _, v in found], spec.direction)
