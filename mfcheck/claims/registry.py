"""The claim registry: reads ``theory/claims/<paper>/<name>.toml`` and finds each claim's checker.

A claim id is a path: ``mfppo.prop2_1`` <-> ``theory/claims/mfppo/prop2_1.toml`` <->
``mfcheck/checks/mfppo/prop2_1.py`` (which defines ``run(profile) -> Verdict``) <->
``tests/checks/mfppo/test_prop2_1.py`` (which has a ``test_rejects_<mutant>`` per declared
mutant). Nothing is listed by hand.
"""

from __future__ import annotations

import importlib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from mfcheck.claims.profile import Profile
from mfcheck.claims.verdict import Verdict

KINDS: tuple[str, ...] = ("exact", "rate", "empirical", "algorithm")
CLAIM_STATUSES: tuple[str, ...] = ("implemented", "pending")
PAPERS: tuple[str, ...] = ("mfppo", "mfgnac")


def theory_dir() -> Path:
    """Location of ``theory/``: the repository's copy, or the one packaged beside mfcheck."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "theory", here.parents[1] / "theory"):
        if (candidate / "claims").is_dir():
            return candidate
    raise FileNotFoundError("theory/claims not found beside the mfcheck package")


@dataclass(frozen=True, kw_only=True)
class Mutant:
    """A deliberately broken input the claim's checker must reject."""

    name: str
    description: str
    violates: bool = True
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class RateSpec:
    """What a rate claim states: error ~ parameter^exponent, checked with a one-sided margin."""

    parameter: str
    stated_exponent: float
    margin: float
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Claim:
    """One claim of a paper, as written in ``theory/claims``."""

    id: str
    paper: str
    source: str
    kind: str
    status: str
    title: str
    statement: str
    assumptions: tuple[str, ...] = ()
    reading: str = ""
    rates: tuple[RateSpec, ...] = ()
    mutants: tuple[Mutant, ...] = ()
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
    known = {"id", "source", "kind", "status", "title", "statement", "assumptions", "reading",
             "rate", "mutant", "notes"}
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
        rates=tuple(RateSpec(**r) for r in data.get("rate", ())),
        mutants=tuple(Mutant(**m) for m in data.get("mutant", ())),
        notes=data.get("notes", "").strip(),
        extra={k: v for k, v in data.items() if k not in known},
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


def checker_module(claim: Claim) -> ModuleType:
    """Import the claim's checker module."""
    return importlib.import_module(claim.checker_module)


def get_checker(claim_id: str) -> Callable[[Profile], Verdict]:
    """The ``run(profile) -> Verdict`` function of an implemented claim."""
    claim = get_claim(claim_id)
    if not claim.implemented:
        raise LookupError(f"claim {claim_id!r} is pending: no checker yet")
    module = checker_module(claim)
    run = getattr(module, "run", None)
    if run is None:
        raise LookupError(f"{claim.checker_module} defines no run(profile)")
    return run


def run_claim(claim_id: str, profile: Profile) -> Verdict:
    """Run one claim's checker under ``profile`` and stamp the wall time."""
    import time
    from dataclasses import replace

    run = get_checker(claim_id)
    start = time.perf_counter()
    verdict = run(profile)
    return replace(
        verdict,
        seconds=time.perf_counter() - start,
        profile=profile.name,
        master_seed=profile.master_seed,
    )


def discovered_checker_modules() -> list[str]:
    """Every ``mfcheck.checks.<paper>.<name>`` module present on disk."""
    base = Path(__file__).resolve().parents[1] / "checks"
    return [
        f"mfcheck.checks.{paper}.{path.stem}"
        for paper in PAPERS
        for path in sorted((base / paper).glob("*.py"))
        if not path.stem.startswith("_")
    ]
