"""Baselines: a run's verdicts with every record (per claim, per cell, per seed) and fingerprints.

A baseline file is one JSON document (written atomically)::

    {"schema": "mfcheck.baseline", "schema_version": 1, "profile": "quick", "master_seed": ...,
     "variant": null | "module:attribute", "algorithm": "...", "created": "...",
     "claims": {"<claim id>": {"claim_id", "code_fingerprint", "profile", "master_seed",
                               "algorithm", "variant", "verdict": Verdict.to_dict(),
                               "records": [stored records, see mfcheck.compare.recording]}}}

``code_fingerprint`` is :func:`mfcheck.claims.fingerprint.code_fingerprint` (the claim's toml,
its checker's source and every module it imports): ``mfcheck compare`` refuses a baseline whose
fingerprint of a claim differs from the current one, since its records came from other code.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mfcheck.claims.fingerprint import code_fingerprint
from mfcheck.claims.registry import run_claim
from mfcheck.compare.recording import RecordingExecutor
from mfcheck.judgement import Profile, Verdict, get_claim, using_executor

SCHEMA = "mfcheck.baseline"
SCHEMA_VERSION = 1


class BaselineError(ValueError):
    """A baseline file that cannot be used (unreadable, another schema, stale fingerprints)."""


@dataclass(frozen=True, kw_only=True)
class ClaimRun:
    """One claim checked on one algorithm, with the records of its cells."""

    claim_id: str
    code_fingerprint: str
    profile: str
    master_seed: int
    algorithm: str
    verdict: Verdict
    records: tuple[dict[str, Any], ...] = ()
    variant: str | None = None

    @property
    def prof(self) -> Profile:
        return Profile(name=self.profile, master_seed=self.master_seed)

    def to_dict(self) -> dict[str, Any]:
        return {"claim_id": self.claim_id, "code_fingerprint": self.code_fingerprint, "profile": self.profile,
                "master_seed": self.master_seed, "algorithm": self.algorithm, "variant": self.variant,
                "verdict": self.verdict.to_dict(), "records": list(self.records)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ClaimRun:
        return cls(claim_id=data["claim_id"], code_fingerprint=data["code_fingerprint"], profile=data["profile"],
                   master_seed=int(data["master_seed"]), algorithm=data.get("algorithm", ""),
                   verdict=Verdict.from_dict(data["verdict"]), records=tuple(data.get("records", ())),
                   variant=data.get("variant"))


@dataclass(frozen=True, kw_only=True)
class Baseline:
    """Claim runs of one profile and master seed (see the module's docstring)."""

    profile: str
    master_seed: int
    claims: dict[str, ClaimRun] = field(default_factory=dict)
    variant: str | None = None
    algorithm: str = ""
    created: str = ""

    @property
    def prof(self) -> Profile:
        return Profile(name=self.profile, master_seed=self.master_seed)

    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "profile": self.profile,
                "master_seed": self.master_seed, "variant": self.variant, "algorithm": self.algorithm,
                "created": self.created or datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "claims": {cid: run.to_dict() for cid, run in self.claims.items()}}

    def stale(self, claim_ids: list[str] | None = None) -> list[str]:
        """Messages naming each claim whose recorded code fingerprint differs from the current one."""
        out = []
        for cid in claim_ids if claim_ids is not None else list(self.claims):
            run = self.claims.get(cid)
            if run is None:
                continue
            current = code_fingerprint(get_claim(cid))
            if current != run.code_fingerprint:
                out.append(f"claim {cid}: the baseline was recorded with checker fingerprint "
                           f"{run.code_fingerprint}, the current one is {current} (its toml, checker or "
                           "the modules it imports changed)")
        return out


def record_claim(claim_id: str, profile: Profile, algorithm: Any = None, *, variant: str | None = None,
                 inner: Any = None) -> ClaimRun:
    """Run one claim (``algorithm`` None: its default) recording every cell's record.

    ``inner`` is the executor that actually runs the cells (None: sequential in this process).
    """
    recorder = RecordingExecutor() if inner is None else RecordingExecutor(inner=inner)
    with using_executor(recorder):
        verdict = run_claim(claim_id, profile, algorithm)
    return claim_run(claim_id, verdict, recorder.stored(), profile, variant=variant)


def claim_run(claim_id: str, verdict: Verdict, records: list[dict[str, Any]], profile: Profile, *,
              variant: str | None = None) -> ClaimRun:
    """A :class:`ClaimRun` of a verdict and its stored records, stamped with the code fingerprint."""
    return ClaimRun(claim_id=claim_id, code_fingerprint=code_fingerprint(get_claim(claim_id)),
                    profile=profile.name, master_seed=profile.master_seed, algorithm=verdict.algorithm,
                    verdict=verdict, records=tuple(records), variant=variant)


def save_baseline(path: Path, baseline: Baseline) -> Path:
    """Write ``baseline`` to ``path`` atomically."""
    from mfcheck.reports.store import write_json_atomic

    write_json_atomic(Path(path), baseline.to_dict())
    return Path(path)


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file (:class:`BaselineError` naming the problem)."""
    path = Path(path)
    if not path.is_file():
        raise BaselineError(f"baseline {path}: no such file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(f"baseline {path}: not readable JSON ({error})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise BaselineError(f"baseline {path}: not an mfcheck baseline (schema {SCHEMA!r} expected; "
                            "write one with mfcheck report --save-baseline FILE)")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise BaselineError(f"baseline {path}: schema version {data.get('schema_version')!r}, "
                            f"this mfcheck reads {SCHEMA_VERSION}")
    try:
        claims = {cid: ClaimRun.from_dict(run) for cid, run in data["claims"].items()}
        return Baseline(profile=data["profile"], master_seed=int(data["master_seed"]), claims=claims,
                        variant=data.get("variant"), algorithm=data.get("algorithm", ""),
                        created=data.get("created", ""))
    except (KeyError, TypeError, ValueError) as error:
        raise BaselineError(f"baseline {path}: malformed ({type(error).__name__}: {error})") from None


class BaselineRecording:
    """Records every cell that the claims of a report run, for ``mfcheck report --save-baseline``.

    :meth:`start` swaps the cell executor for a :class:`RecordingExecutor` (records are attributed
    to claims by their cells' claim id); :meth:`finish` restores it and writes the baseline of the
    (claim, verdict) rows the report produced.
    """

    def __init__(self, path: Path, inner: Any = None) -> None:
        self.path = Path(path)
        self.recorder = RecordingExecutor() if inner is None else RecordingExecutor(inner=inner)
        self._context: Any = None

    @classmethod
    def start(cls, path: Path | None, *, inner: Any = None) -> BaselineRecording | None:
        """Record every cell run from now on (through ``inner``, default this process)."""
        if path is None:
            return None
        recording = cls(path, inner)
        recording._context = using_executor(recording.recorder)
        recording._context.__enter__()
        return recording

    def finish(self, rows: list[tuple[Any, Verdict]], profile: Profile, *, variant: str | None = None,
               algorithm: str = "") -> Path:
        if self._context is not None:
            self._context.__exit__(None, None, None)
            self._context = None
        claims = {claim.id: claim_run(claim.id, verdict, self.recorder.stored(claim.id), profile, variant=variant)
                  for claim, verdict in rows if verdict.status != "pending"}
        baseline = Baseline(profile=profile.name, master_seed=profile.master_seed, claims=claims, variant=variant,
                            algorithm=algorithm)
        return save_baseline(self.path, baseline)
