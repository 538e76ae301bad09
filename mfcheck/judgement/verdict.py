"""Verdicts: what a checker returns (it never asserts).

A :class:`Verdict` carries the status (pass, fail, not_applicable, error, pending), the stated figures
(the claim's bound, exponent, constants), the measured figures (values with optional
intervals), the reading of the paper that was checked, and JSON-serialisable evidence.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

Status = Literal["pass", "fail", "not_applicable", "error", "pending"]
#: pass / fail: the claim was judged; not_applicable: a hypothesis of the claim does not hold on
#: the instance or the algorithm is of a type the claim does not judge (named and measured);
#: error: the checker raised (never a fail); pending: no checker yet.
STATUSES: tuple[str, ...] = ("pass", "fail", "not_applicable", "error", "pending")


@dataclass(frozen=True, kw_only=True)
class Figure:
    """One number in a verdict: a value with an optional interval and unit.

    ``low``/``high`` hold a confidence interval (or a range over instances) when there is one.
    """

    name: str
    value: float | int | str | bool | None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    note: str = ""

    def render(self) -> str:
        """Short text form: ``name = value [low, high] unit``."""

        def fmt(x: Any) -> str:
            if isinstance(x, float):
                if math.isnan(x):
                    return "nan"
                return f"{x:.4g}"
            return str(x)

        text = f"{self.name} = {fmt(self.value)}"
        if self.low is not None or self.high is not None:
            text += f" [{fmt(self.low)}, {fmt(self.high)}]"
        if self.unit:
            text += f" {self.unit}"
        return text


@dataclass(frozen=True, kw_only=True)
class Hypothesis:
    """A hypothesis of a claim, screened on an instance before judging.

    ``holds`` is False when the measurement certifies the violation. ``certified`` is False when
    the measured quantity is only an estimate that can certify a violation but not the
    hypothesis (e.g. d̄ = 1 - d1 d2 - d3 from lower-bound estimates of d1, d2, d3).
    """

    name: str
    holds: bool
    measured: float | str | None = None
    certified: bool = True
    note: str = ""

    def render(self) -> str:
        value = f" (measured {self.measured:.4g})" if isinstance(self.measured, float) else (
            f" (measured {self.measured})" if self.measured is not None else "")
        state = "holds" if self.holds else "violated"
        if self.holds and not self.certified:
            state = "holds (hypothesis estimated, not certified)"
        return f"{self.name}: {state}{value}" + (f"; {self.note}" if self.note else "")


@dataclass(frozen=True, kw_only=True)
class Verdict:
    """The outcome of checking one claim.

    Attributes
    ----------
    claim_id : str
    status : "pass" | "fail" | "not_applicable" | "error" | "pending"
    summary : str
        One sentence a reader can act on.
    stated, measured : tuple of Figure
        What the claim says and what was measured.
    reading : str
        Which interpretation of the paper was checked (normalisations, conventions).
    reasons : tuple of str
        Why it failed or was not applicable (empty on a plain pass).
    evidence : dict
        JSON-serialisable data behind the verdict (grids, curves, counterexamples).
    profile : str
    master_seed : int, optional
        The master seed the checker ran with (stamped by :func:`mfcheck.claims.run_claim`).
    seconds : float
        Wall time of the check.
    hypotheses : tuple of Hypothesis
        The claim's hypotheses as screened on the instances (not_applicable names the violated one).
    algorithm : str
        repr of the algorithm value the claim judged ("" for claims that judge none).
    overridden : tuple of str
        Fields of the given algorithm that the checker's grid overrode (e.g. the swept width).
    error : str
        For status "error": the exception and where it was raised.
    fingerprint : str
        Hash of what the verdict was computed from (toml, checker code and its imports,
        settings, variant): a stored verdict is reused only while it matches.
    """

    claim_id: str
    status: Status
    summary: str
    stated: tuple[Figure, ...] = ()
    measured: tuple[Figure, ...] = ()
    reading: str = ""
    reasons: tuple[str, ...] = ()
    evidence: dict[str, Any] = field(default_factory=dict)
    profile: str = "quick"
    master_seed: int | None = None
    seconds: float = 0.0
    hypotheses: tuple[Hypothesis, ...] = ()
    algorithm: str = ""
    overridden: tuple[str, ...] = ()
    error: str = ""
    fingerprint: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"Verdict.status: {self.status!r} is not one of {STATUSES}")

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return _jsonable(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        data = dict(data)
        data["stated"] = tuple(Figure(**f) for f in data.get("stated", ()))
        data["measured"] = tuple(Figure(**f) for f in data.get("measured", ()))
        data["reasons"] = tuple(data.get("reasons", ()))
        data["hypotheses"] = tuple(Hypothesis(**h) for h in data.get("hypotheses", ()))
        data["overridden"] = tuple(data.get("overridden", ()))
        return cls(**data)


def _jsonable(value: Any) -> Any:
    """Convert numpy scalars/arrays and tuples to plain JSON types (NaN/inf become strings)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value
