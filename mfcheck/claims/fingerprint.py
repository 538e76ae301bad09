"""Fingerprints: what a stored verdict or record was computed from, so stale ones are rerun.

A claim's fingerprint hashes its toml, the source of its checker and of every ``mfcheck`` module
the checker imports (transitively, static and lazy imports alike), the run's settings (profile,
master seed) and, for a variant, its description and the source of every module outside
``mfcheck`` that defines one of its parts (asv's "benchmark version" idea).
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import inspect
from functools import cache
from pathlib import Path
from typing import Any

from mfcheck.judgement import Claim, Profile, theory_dir

PACKAGE = "mfcheck"


@cache
def _source_path(module: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


def _imports(module: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in found if m == PACKAGE or m.startswith(PACKAGE + ".")}


@cache
def module_closure(module: str) -> tuple[str, ...]:
    """Every ``mfcheck`` module reachable from ``module`` by imports (itself included), sorted."""
    seen: set[str] = set()
    stack = [module]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        path = _source_path(name)
        if path is None:
            continue
        seen.add(name)
        stack.extend(_imports(name, path) - seen)
    return tuple(sorted(seen))


def _variant_sources(algorithm: Any) -> list[str]:
    """Sources of the non-mfcheck modules defining the algorithm's parts (a user's variant file)."""
    texts = []
    modules = set()
    for value in algorithm.parts().values():
        module = inspect.getmodule(value) or inspect.getmodule(type(value))
        if module is not None and not module.__name__.startswith(PACKAGE) and module.__name__ not in modules:
            modules.add(module.__name__)
            try:
                texts.append(f"{module.__name__}\n{inspect.getsource(module)}")
            except (OSError, TypeError):
                texts.append(module.__name__)
    return sorted(texts)


def code_fingerprint(claim: Claim) -> str:
    """Hash of the claim's toml and the source of its checker and everything it imports."""
    digest = hashlib.sha256()
    toml = theory_dir() / "claims" / claim.paper / f"{claim.name}.toml"
    digest.update(toml.read_bytes())
    if claim.implemented:
        for module in module_closure(claim.checker_module):
            path = _source_path(module)
            if path is not None:
                digest.update(module.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def claim_fingerprint(claim: Claim, profile: Profile, algorithm: Any = None) -> str:
    """Hash of :func:`code_fingerprint`, the settings and the variant (None: the default)."""
    digest = hashlib.sha256(code_fingerprint(claim).encode())
    digest.update(f"{profile.name}|{profile.master_seed}".encode())
    if algorithm is not None:
        digest.update(algorithm.describe().encode())
        for text in _variant_sources(algorithm):
            digest.update(text.encode())
    return digest.hexdigest()[:20]
