"""What a report was computed with: package versions, git revision, machine, settings."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

#: distributions whose versions a report records (absent ones are recorded as None)
PACKAGES: tuple[str, ...] = ("mfcheck", "numpy", "scipy", "torch", "sympy", "matplotlib", "click",
                             "cvxpy", "dask", "mfglib", "open_spiel")


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str | None]:
    """Installed version of each distribution (None when it is not installed)."""
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def git_revision(where: Path | None = None) -> dict[str, Any]:
    """``{"revision": HEAD's hash or None, "dirty": bool or None}`` of the repository holding mfcheck."""
    where = Path(__file__).resolve().parents[2] if where is None else where

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=where, capture_output=True, text=True, timeout=10,
                                  check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    revision = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no") if revision else None
    return {"revision": revision, "dirty": None if status is None else bool(status)}


def machine() -> dict[str, Any]:
    """Platform, Python, processor and CPU count."""
    return {"platform": platform.platform(), "python": platform.python_version(),
            "implementation": platform.python_implementation(), "machine": platform.machine(),
            "processor": platform.processor() or None, "cpu_count": os.cpu_count(),
            "node": platform.node()}


def run_info(*, profile: str, master_seed: int, algorithm: str, variant: str | None,
             only: tuple[str, ...] = (), seconds: float | None = None) -> dict[str, Any]:
    """The run section of ``summary.json``."""
    return {
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "profile": profile,
        "master_seed": master_seed,
        "algorithm": algorithm,
        "variant": variant,
        "only": list(only),
        "seconds": seconds,
        "git": git_revision(),
        "packages": package_versions(),
        "machine": machine(),
    }
