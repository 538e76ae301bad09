"""The checker registry: finds each claim's checker and runs it on an algorithm value.

``run_claim(claim_id, profile, algorithm)`` is the one entry point for the CLI, reports, tests
and users (:func:`mfcheck.check`): it screens the algorithm's type against the claim's
``judges`` (``not_applicable`` naming the expected type), calls the checker's
``check(algorithm, *, profile)``, turns an exception into an ``error`` verdict (never a fail),
and stamps time, profile, seed and the algorithm checked.
"""

from __future__ import annotations

import importlib
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

from mfcheck.algorithms.protocol import is_algorithm
from mfcheck.judgement.profile import Profile
from mfcheck.judgement.spec import PAPERS, Claim, get_claim, load_claims
from mfcheck.judgement.verdict import Verdict

__all__ = ["Claim", "applicability", "checker_module", "default_algorithm", "discovered_checker_modules",
           "get_checker", "get_claim", "load_claims", "run_claim"]


def checker_module(claim: Claim) -> ModuleType:
    """Import the claim's checker module."""
    return importlib.import_module(claim.checker_module)


def get_checker(claim_id: str) -> Callable[..., Verdict]:
    """The ``check(algorithm, *, profile) -> Verdict`` function of an implemented claim."""
    claim = get_claim(claim_id)
    if not claim.implemented:
        raise LookupError(f"claim {claim_id!r} is pending: no checker yet")
    module = checker_module(claim)
    check = getattr(module, "check", None)
    if check is None:
        raise LookupError(f"{claim.checker_module} defines no check(algorithm, *, profile)")
    return check  # type: ignore[no-any-return]


def default_algorithm(claim: Claim) -> Any:
    """The algorithm a claim judges by default (the checker's ``DEFAULT_ALGORITHM``; None for a
    claim about a closed form or a model)."""
    if not claim.judges:
        return None
    return getattr(checker_module(claim), "DEFAULT_ALGORITHM", None)


def applicability(claim: Claim, algorithm: Any) -> str | None:
    """Why ``claim`` does not apply to ``algorithm`` (None when it does, or when no algorithm)."""
    if algorithm is None:
        return None
    kind = getattr(algorithm, "kind", type(algorithm).__name__)
    if not claim.judges:
        return (f"{claim.id} judges no algorithm (a closed form or a model): it does not apply "
                f"to a {kind!r} variant")
    if kind not in claim.judges:
        return f"{claim.id} judges algorithms of type {' or '.join(map(repr, claim.judges))}, not {kind!r}"
    return None


def _error_verdict(claim_id: str, error: BaseException) -> Verdict:
    frames = traceback.extract_tb(error.__traceback__)
    where = next((f"{f.filename}:{f.lineno} in {f.name}" for f in reversed(frames)
                  if "/mfcheck/" in f.filename), frames[-1] if frames else "?")
    text = f"{type(error).__name__}: {error}"
    return Verdict(claim_id=claim_id, status="error", summary=f"the checker raised {text}",
                   reasons=(f"{text} (at {where})",), error=f"{text} at {where}")


def run_claim(claim_id: str, profile: Profile, algorithm: Any = None, *, statement: Any = None) -> Verdict:
    """Run one claim's checker on ``algorithm`` (None: the claim's default) under ``profile``.

    A pending claim gives ``pending``; an algorithm of a type the claim does not judge gives
    ``not_applicable``; a checker that raises gives ``error`` with the exception and where.
    ``statement`` replaces the assertion a closed-form claim checks (its honest mutants).
    """
    from mfcheck.claims.fingerprint import claim_fingerprint

    claim = get_claim(claim_id)
    stamp = {"profile": profile.name, "master_seed": profile.master_seed,
             "fingerprint": claim_fingerprint(claim, profile, algorithm)}
    if not claim.implemented:
        return Verdict(claim_id=claim_id, status="pending", summary="no checker yet", **stamp)
    if algorithm is not None and not is_algorithm(algorithm):
        raise TypeError(f"run_claim({claim_id}): {algorithm!r} is not an algorithm value")
    reason = applicability(claim, algorithm)
    described = algorithm.describe() if algorithm is not None else ""
    if reason is not None:
        return Verdict(claim_id=claim_id, status="not_applicable", summary=reason, reasons=(reason,),
                       algorithm=described, **stamp)
    start = time.perf_counter()
    try:
        check = get_checker(claim_id)
        options = {} if statement is None else {"statement": statement}
        verdict = (check(profile=profile, **options) if algorithm is None
                   else check(algorithm, profile=profile, **options))
        if not described:
            default = default_algorithm(claim)
            described = default.describe() if default is not None else ""
    except Exception as error:  # a crashing checker is an error, never a fail
        verdict = _error_verdict(claim_id, error)
    return replace(verdict, seconds=time.perf_counter() - start, algorithm=verdict.algorithm or described,
                   **stamp)


def discovered_checker_modules() -> list[str]:
    """Every ``mfcheck.checks.<paper>.<name>`` module present on disk."""
    base = Path(__file__).resolve().parents[1] / "checks"
    return [
        f"mfcheck.checks.{paper}.{path.stem}"
        for paper in PAPERS
        for path in sorted((base / paper).glob("*.py"))
        if not path.stem.startswith("_")
    ]
