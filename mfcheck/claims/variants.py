"""Loading a user's algorithm variant: ``module:attribute`` or ``path/to/file.py:attribute``.

A variant is an algorithm value (``dataclasses.replace(DEFAULT, part=other)``). Everything that
can be wrong with a ``--variant`` is found here, before any claim runs, and raised as a
:class:`VariantError` naming it: the missing file or module, the missing attribute, a value
that is not an algorithm, a part whose signature does not match what the type declares.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from typing import Any

from mfcheck.algorithms.protocol import AlgorithmBase, is_algorithm


class VariantError(ValueError):
    """A ``--variant`` that cannot be used (the message names what is wrong)."""


def _import_file(path: Path) -> Any:
    name = f"variant_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise VariantError(f"--variant: cannot import {path} as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        sys.modules.pop(name, None)
        raise VariantError(f"--variant: importing {path} raised {type(error).__name__}: {error}") from error
    return module


def load_variant(spec: str) -> AlgorithmBase:
    """Resolve ``spec`` = ``module:attribute`` or ``file.py:attribute`` to a validated algorithm."""
    if ":" not in spec:
        raise VariantError(f"--variant {spec!r}: expected module:attribute or path/to/file.py:attribute")
    where, _, attribute = spec.rpartition(":")
    if not where or not attribute:
        raise VariantError(f"--variant {spec!r}: expected module:attribute or path/to/file.py:attribute")
    if where.endswith(".py") or "/" in where or "\\" in where:
        path = Path(where)
        if not path.is_file():
            raise VariantError(f"--variant {spec!r}: file {where} does not exist")
        module = _import_file(path)
    else:
        try:
            module = importlib.import_module(where)
        except ModuleNotFoundError as error:
            raise VariantError(f"--variant {spec!r}: module {where!r} not found ({error})") from error
        except Exception as error:
            raise VariantError(f"--variant {spec!r}: importing {where} raised {type(error).__name__}: {error}") from error
    if not hasattr(module, attribute):
        public = sorted(n for n in vars(module) if not n.startswith("_") and is_algorithm(getattr(module, n)))
        hint = f"; algorithm values there: {public}" if public else ""
        raise VariantError(f"--variant {spec!r}: {where} has no attribute {attribute!r}{hint}")
    value = getattr(module, attribute)
    return check_variant(value, name=spec)


def check_variant(value: Any, *, name: str = "variant") -> AlgorithmBase:
    """``value`` if it is a valid algorithm value, else :class:`VariantError` naming the problem."""
    if not is_algorithm(value):
        raise VariantError(
            f"--variant {name}: {type(value).__name__} {value!r:.80} is not an algorithm value "
            "(expected an instance of an algorithm type such as mfcheck.algorithms.nac.NAC or "
            "mfcheck.algorithms.mfppo.MFPPO, e.g. dataclasses.replace(NAC_DEFAULT, part=...))")
    try:
        value.validate()
    except (TypeError, ValueError) as error:
        raise VariantError(f"--variant {name}: {error}") from error
    return value
