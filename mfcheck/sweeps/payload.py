"""Payloads: the cell function and algorithm, serialised with cloudpickle for workers.

An algorithm's parts may be functions defined in a user's file loaded by path, which a worker
process cannot import by name. While pickling, every function or class whose module a fresh
process could not import (loaded by path, defined interactively) has its module registered with
``cloudpickle.register_pickle_by_value``, so it travels by value; importable modules (mfcheck,
numpy, installed packages) travel by reference as usual.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import io
import os
import pickle
import sys
import types
from typing import Any

try:
    import cloudpickle
except ImportError:  # pragma: no cover - cloudpickle ships with the dist extra (Dask)
    cloudpickle = None

_IMPORTABLE: dict[str, bool] = {}


def _same_file(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def importable(name: str) -> bool:
    """Whether a fresh process (same ``sys.path``) would import module ``name`` from the file
    this process has it from (True for modules not loaded, built-ins and ``__main__``, which
    cloudpickle handles itself)."""
    if name in _IMPORTABLE:
        return _IMPORTABLE[name]
    module = sys.modules.get(name)
    file = getattr(module, "__file__", None)
    if module is None or name == "__main__" or file is None:
        return True
    parent, _, _ = name.rpartition(".")
    search = None
    answer = False
    if parent:
        parent_module = sys.modules.get(parent)
        search = getattr(parent_module, "__path__", None)
        if parent_module is None or search is None or not importable(parent):
            _IMPORTABLE[name] = False
            return False
    for finder in sys.meta_path:
        find_spec = getattr(finder, "find_spec", None)
        if find_spec is None or finder is importlib.machinery.BuiltinImporter:
            continue
        try:
            spec = find_spec(name, search)
        except Exception:  # a finder that chokes on the name: ask the next one
            continue
        if spec is not None:
            answer = _same_file(spec.origin, file)
            break
    _IMPORTABLE[name] = answer
    return answer


if cloudpickle is not None:

    class _Pickler(cloudpickle.Pickler):
        """A cloudpickle pickler sending unimportable modules' functions and classes by value."""

        def reducer_override(self, obj: Any) -> Any:
            if isinstance(obj, type | types.FunctionType):
                name = getattr(obj, "__module__", None)
                if isinstance(name, str) and not importable(name) and name in sys.modules:
                    cloudpickle.register_pickle_by_value(sys.modules[name])
            return super().reducer_override(obj)

else:  # pragma: no cover - plain pickle: functions must be importable by name in workers
    _Pickler = pickle.Pickler  # type: ignore[assignment,misc]


def dumps(obj: Any) -> bytes:
    """``obj`` pickled with cloudpickle, unimportable modules by value."""
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    return pickle.loads(data)


def dumps_payload(measure: Any, algorithm: Any) -> tuple[str, bytes]:
    """(digest, bytes) of the (measure, algorithm) pair workers run cells with."""
    blob = dumps((measure, algorithm))
    return hashlib.sha256(blob).hexdigest(), blob
