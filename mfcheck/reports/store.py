"""Atomic, resumable storage of verdicts: one JSON file per claim under ``<out>/verdicts/``."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from mfcheck.judgement.verdict import Verdict


def _umask() -> int:
    """The process's umask, read without setting it (os.umask would race with other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temporary file in the same folder, then rename),
    readable as a file opened normally would be (mkstemp's 0600 widened by the umask)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to ``path`` atomically (see :func:`write_text_atomic`)."""
    write_text_atomic(path, json.dumps(data, indent=2, sort_keys=True))


def verdict_path(out: Path, claim_id: str) -> Path:
    return out / "verdicts" / f"{claim_id}.json"


def save_verdict(out: Path, verdict: Verdict) -> Path:
    """Store one verdict atomically; returns its path."""
    path = verdict_path(out, verdict.claim_id)
    write_json_atomic(path, verdict.to_dict())
    return path


def load_verdict(out: Path, claim_id: str) -> Verdict | None:
    """The stored verdict of ``claim_id``, or None if there is none (or it is unreadable)."""
    path = verdict_path(out, claim_id)
    if not path.exists():
        return None
    try:
        return Verdict.from_dict(json.loads(path.read_text()))
    except (json.JSONDecodeError, TypeError, ValueError):
        return None
