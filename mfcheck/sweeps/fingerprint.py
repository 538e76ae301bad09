"""Fingerprints: the text that ties a stored record to what produced it.

A record depends on (cell, measure, algorithm, master seed) and on the code. The caller's
fingerprint covers the code (and whatever else it wants); :func:`call_fingerprint` adds the
cell function's name, the master seed and a stable description of the algorithm value, so a
store shared by several variants, seeds or checkers never hands one's records to another.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
import re
import types
from collections.abc import Mapping
from typing import Any

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_ACTIVE: set[int] = set()  # functions being described (closures may refer back to them)


def qualified_name(obj: Any) -> str:
    """``module.qualname`` of a function or class (its repr, addresses removed, otherwise)."""
    module = getattr(obj, "__module__", None) or ""
    qualname = getattr(obj, "__qualname__", None)
    if qualname is None:
        return _ADDRESS.sub("", repr(obj))
    return f"{module}.{qualname}" if module else qualname


def describe(value: Any) -> str:
    """A text of ``value`` that is stable across processes and runs.

    Dataclasses by their fields, functions and classes by qualified name, partials by function
    and arguments, containers element by element, arrays by dtype, shape and a hash of their
    bytes; anything else by its repr with memory addresses removed.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ", ".join(f"{f.name}={describe(getattr(value, f.name))}"
                           for f in dataclasses.fields(value))
        return f"{qualified_name(type(value))}({fields})"
    if isinstance(value, functools.partial):
        args = ", ".join(describe(a) for a in value.args)
        kwargs = ", ".join(f"{k}={describe(v)}" for k, v in sorted(value.keywords.items()))
        return f"partial({describe(value.func)}; {args}; {kwargs})"
    if inspect.isfunction(value):
        return function_text(value)
    if inspect.ismethod(value):
        return f"{function_text(value.__func__)} of {describe(value.__self__)}"
    if inspect.isbuiltin(value) or inspect.isclass(value):
        return qualified_name(value)
    if isinstance(value, Mapping):
        items = sorted((describe(k), describe(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, list | tuple):
        inner = ", ".join(describe(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(describe(v) for v in value)) + "}"
    array = _as_array(value)
    if array is not None:
        digest = hashlib.sha256(array.tobytes()).hexdigest()[:16]
        return f"array({array.dtype}, {array.shape}, {digest})"
    return _ADDRESS.sub("", repr(value))


def _code_text(code: types.CodeType) -> str:
    consts = ", ".join(_code_text(c) if isinstance(c, types.CodeType) else describe(c)
                       for c in code.co_consts)
    return f"{code.co_code.hex()}|{consts}|{','.join(code.co_names)}"


def function_text(function: types.FunctionType) -> str:
    """A function by qualified name, a hash of its code, its defaults and its closure's values
    (two lambdas, or one closure over two values, differ)."""
    if id(function) in _ACTIVE:  # a function reached again through its own closure
        return qualified_name(function)
    _ACTIVE.add(id(function))
    try:
        return _function_text(function)
    finally:
        _ACTIVE.discard(id(function))


def _function_text(function: types.FunctionType) -> str:
    parts = [_code_text(function.__code__)]
    if function.__defaults__:
        parts.append(describe(function.__defaults__))
    if function.__kwdefaults__:
        parts.append(describe(function.__kwdefaults__))
    for cell in function.__closure__ or ():
        try:
            content = cell.cell_contents
        except ValueError:  # an empty cell
            content = None
        parts.append(describe(content))
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    return f"{qualified_name(function)}#{digest}"


def _as_array(value: Any) -> Any:
    """``value`` as a numpy array when it is one (or a torch tensor), else None."""
    module = type(value).__module__ or ""
    if module.startswith("numpy") and hasattr(value, "tobytes") and hasattr(value, "dtype"):
        return value
    if module.startswith("torch") and hasattr(value, "detach"):
        return value.detach().cpu().contiguous().numpy()
    return None


def call_fingerprint(fingerprint: str, measure: Any, algorithm: Any, master_seed: int) -> str:
    """The fingerprint records of one ``run_cells`` call are stored under."""
    text = "\n".join([fingerprint, f"measure={describe(measure)}",
                      f"master_seed={int(master_seed)}", f"algorithm={describe(algorithm)}"])
    return hashlib.sha256(text.encode()).hexdigest()
