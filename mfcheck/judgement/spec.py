"""Claims as data: reads ``theory/claims/<paper>/<name>.toml`` (no checker is imported here).

A claim id is a path: ``mfppo.prop2_1`` <-> ``theory/claims/mfppo/prop2_1.toml`` <->
``mfcheck/checks/mfppo/prop2_1.py`` (``check(algorithm, *, profile) -> Verdict``) <->
``tests/checks/mfppo/test_prop2_1.py``. Margins, confidence levels, the algorithm types a claim
judges and its mutants live in the toml, never in checker code; :mod:`mfcheck.claims.registry`
finds the checkers.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

KINDS: tuple[str, ...] = ("exact", "rate", "empirical", "algorithm")
CLAIM_STATUSES: tuple[str, ...] = ("implemented", "pending")
PAPERS: tuple[str, ...] = ("mfppo", "mfgnac")
#: The two honest mutant forms (issue: "Mutants are honest").
MUTANT_FORMS: tuple[str, ...] = ("algorithm", "statement")
MUTANT_OUTCOMES: tuple[str, ...] = ("fail", "not_applicable")
DIRECTIONS: tuple[str, ...] = ("lower", "higher")


def theory_dir() -> Path:
    """Location of ``theory/``: the repository's copy, or the one packaged beside mfcheck."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "theory", here.parents[1] / "theory"):
        if (candidate / "claims").is_dir():
            return candidate
    raise FileNotFoundError("theory/claims not found beside the mfcheck package")


@dataclass(frozen=True, kw_only=True)
class Mutant:
    """A broken version the claim's checker must reject.

    ``form = "algorithm"``: ``builder`` names (``module:attribute``) an algorithm value that is
    ``dataclasses.replace(DEFAULT, <part>=<broken part>)``, run through the same entry point as a
    user's variant. ``form = "statement"``: ``builder`` names a wrong statement (a formula, a
    constant, an order) that the checker must refute with a counterexample. ``expect`` is the
    status the checker must return: ``fail``, or ``not_applicable`` for a mutant that breaks a
    hypothesis rather than the conclusion.
    """

    name: str
    description: str
    form: str = "algorithm"
    builder: str = ""
    part: str = ""
    expect: str = "fail"
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class RateSpec:
    """What a rate claim states: error ~ parameter^exponent, judged with a one-sided margin at a
    confidence level (the bootstrap interval's two-sided level)."""

    parameter: str
    stated_exponent: float
    margin: float
    confidence: float = 0.95
    #: fit only grid points from this index on (the asymptotic part)
    asymptotic_from: int = 0
    #: bootstrap resamples of the interval
    n_resamples: int = 2000
    note: str = ""

    @property
    def bound(self) -> float:
        return self.stated_exponent + self.margin


@dataclass(frozen=True, kw_only=True)
class ComparisonSpec:
    """How ``mfcheck compare`` judges a variant against a baseline on this claim."""

    figure: str
    direction: str = "lower"
    margin: float = 0.0
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Claim:
    """One claim of a paper, as written in ``theory/claims``.

    ``judges`` lists the algorithm types (``Algorithm.kind``) whose runs the checker judges; an
    empty tuple means the claim is about a closed form or a model and judges no algorithm.
    ``thresholds`` holds the named margins and tolerances of exact and empirical judgements.
    """

    id: str
    paper: str
    source: str
    kind: str
    status: str
    title: str
    statement: str
    assumptions: tuple[str, ...] = ()
    reading: str = ""
    judges: tuple[str, ...] = ()
    rates: tuple[RateSpec, ...] = ()
    thresholds: dict[str, float] = field(default_factory=dict)
    comparison: ComparisonSpec | None = None
    mutants: tuple[Mutant, ...] = ()
    no_honest_mutant: str = ""
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.id.split(".", 1)[1]

    @property
    def checker_module(self) -> str:
        return f"mfcheck.checks.{self.paper}.{self.name}"

    @property
    def test_path(self) -> str:
        return f"tests/checks/{self.paper}/test_{self.name}.py"

    @property
    def implemented(self) -> bool:
        return self.status == "implemented"

    def rate(self, parameter: str) -> RateSpec:
        """The ``[[rate]]`` entry for ``parameter`` (``KeyError`` naming the claim otherwise)."""
        for spec in self.rates:
            if spec.parameter == parameter:
                return spec
        raise KeyError(f"{self.id}: no [[rate]] entry for parameter {parameter!r}")

    def threshold(self, name: str) -> float:
        """The ``[thresholds]`` entry ``name`` (``KeyError`` naming the claim otherwise)."""
        if name not in self.thresholds:
            raise KeyError(f"{self.id}: no [thresholds] entry {name!r} in its toml")
        return self.thresholds[name]


KNOWN_KEYS = frozenset({"id", "source", "kind", "status", "title", "statement", "assumptions",
                        "reading", "judges", "rate", "thresholds", "comparison", "mutant",
                        "no_honest_mutant", "notes"})


def _parse(path: Path) -> Claim:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    where = f"{path}"
    for key in ("id", "source", "kind", "status", "title", "statement"):
        if key not in data:
            raise ValueError(f"{where}: missing key {key!r}")
    claim_id = data["id"]
    paper = claim_id.split(".", 1)[0]
    if claim_id != f"{path.parent.name}.{path.stem}":
        raise ValueError(f"{where}: id {claim_id!r} does not match the file path")
    if data["kind"] not in KINDS:
        raise ValueError(f"{where}: kind {data['kind']!r} not in {KINDS}")
    if data["status"] not in CLAIM_STATUSES:
        raise ValueError(f"{where}: status {data['status']!r} not in {CLAIM_STATUSES}")
    mutants = tuple(Mutant(**m) for m in data.get("mutant", ()))
    for mutant in mutants:
        if mutant.form not in MUTANT_FORMS:
            raise ValueError(f"{where}: mutant {mutant.name!r} has form {mutant.form!r}, not one of {MUTANT_FORMS}")
        if mutant.expect not in MUTANT_OUTCOMES:
            raise ValueError(f"{where}: mutant {mutant.name!r} expects {mutant.expect!r}, not one of {MUTANT_OUTCOMES}")
    comparison = data.get("comparison")
    if comparison is not None:
        comparison = ComparisonSpec(**comparison)
        if comparison.direction not in DIRECTIONS:
            raise ValueError(f"{where}: comparison direction {comparison.direction!r} not in {DIRECTIONS}")
    thresholds = {str(k): float(v) for k, v in data.get("thresholds", {}).items()}
    return Claim(
        id=claim_id,
        paper=paper,
        source=data["source"],
        kind=data["kind"],
        status=data["status"],
        title=data["title"],
        statement=data["statement"].strip(),
        assumptions=tuple(data.get("assumptions", ())),
        reading=data.get("reading", "").strip(),
        judges=tuple(data.get("judges", ())),
        rates=tuple(RateSpec(**r) for r in data.get("rate", ())),
        thresholds=thresholds,
        comparison=comparison,
        mutants=mutants,
        no_honest_mutant=data.get("no_honest_mutant", "").strip(),
        notes=data.get("notes", "").strip(),
        extra={k: v for k, v in data.items() if k not in KNOWN_KEYS},
    )


@cache
def load_claims() -> tuple[Claim, ...]:
    """Every claim in ``theory/claims``, sorted by paper then file name."""
    root = theory_dir() / "claims"
    claims = [_parse(path) for paper in PAPERS for path in sorted((root / paper).glob("*.toml"))]
    ids = [c.id for c in claims]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"duplicate claim ids in theory/claims: {sorted(duplicates)}")
    return tuple(claims)


def get_claim(claim_id: str) -> Claim:
    """The claim called ``claim_id`` (``KeyError`` listing close ids otherwise)."""
    for claim in load_claims():
        if claim.id == claim_id:
            return claim
    import difflib

    close = difflib.get_close_matches(claim_id, [c.id for c in load_claims()], n=3)
    raise KeyError(f"unknown claim {claim_id!r}" + (f"; did you mean {close}?" if close else ""))
