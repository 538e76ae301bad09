"""The algorithm protocol: an algorithm is a value, a variant is ``dataclasses.replace``.

An algorithm type is a frozen dataclass whose fields are the parts a variant may replace (step
sizes and schedules as callables, oracles, updates, network sizes), with a named default value
(e.g. :data:`mfcheck.algorithms.nac.NAC_DEFAULT`), a state, a pure step and one driver ``run``.
A variant is ``dataclasses.replace(DEFAULT, part=other)``; a checker sets the parameters it sweeps
(K, T, N, m, ...) with :func:`configure`, which reports which fields of the variant the grid
overrode, and resolves parts a variant tied to the grid (:class:`Tied`, e.g. critic width = 2m).

Every type declares ``kind`` (the name claims use in their toml ``judges = [...]``) and
``PARTS``: for each callable part, the names of the positional parameters it must accept, so a
part with the wrong signature is rejected (:meth:`AlgorithmBase.validate`) before any check runs.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

A = TypeVar("A", bound="AlgorithmBase")


@dataclass(frozen=True)
class Tied:
    """A field value computed from other fields after the grid is applied.

    ``Tied(lambda width: 2 * width)`` on ``critic_width`` makes the critic twice as wide as the
    width the checker sweeps. The function's parameter names are field names.
    """

    function: Callable[..., Any]

    def resolve(self, fields: Mapping[str, Any]) -> Any:
        names = list(inspect.signature(self.function).parameters)
        missing = [n for n in names if n not in fields]
        if missing:
            raise TypeError(f"Tied({describe_part(self.function)}): no field named {missing}")
        return self.function(**{n: fields[n] for n in names})

    def __repr__(self) -> str:
        return f"Tied({describe_part(self.function)})"


def describe_part(part: Any) -> str:
    """A short, stable text for a part: a function's qualified name, else its repr."""
    if inspect.isfunction(part) or inspect.isbuiltin(part):
        module = getattr(part, "__module__", "") or ""
        return f"{module}.{part.__qualname__}" if module else part.__qualname__
    return repr(part)


@dataclass(frozen=True, kw_only=True)
class AlgorithmBase:
    """Base of every algorithm type (a frozen dataclass of replaceable parts)."""

    kind: ClassVar[str] = ""
    #: callable part -> names of the positional parameters it must accept
    PARTS: ClassVar[Mapping[str, tuple[str, ...]]] = {}

    def validate(self) -> None:
        """Raise ``TypeError`` naming the part whose value is not callable with its declared
        parameters (or ``ValueError`` from the type's own checks)."""
        for name, params in self.PARTS.items():
            part = getattr(self, name)
            if isinstance(part, Tied):
                continue
            if not callable(part):
                raise TypeError(f"{type(self).__name__}.{name}: expected a callable taking "
                                f"({', '.join(params)}), got {type(part).__name__} {part!r}")
            try:
                signature = inspect.signature(part)
            except (TypeError, ValueError):  # builtins without a signature: accept
                continue
            try:
                signature.bind(*params)
            except TypeError as error:
                raise TypeError(f"{type(self).__name__}.{name}: {describe_part(part)} has signature "
                                f"{signature}, which cannot take ({', '.join(params)}): {error}") from None

    def parts(self) -> dict[str, Any]:
        """Every field and its value."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def describe(self) -> str:
        """``Type(field=value, ...)`` listing only the fields that differ from the type's default."""
        default = default_of(type(self))
        changed = [f"{k}={describe_part(v)}" for k, v in self.parts().items()
                   if default is None or not _same(v, getattr(default, k))]
        return f"{type(self).__name__}({', '.join(changed)})"


_DEFAULTS: dict[type, AlgorithmBase] = {}


def register_default(value: A) -> A:
    """Declare ``value`` as its type's default (the paper's algorithm); returns it."""
    value.validate()
    _DEFAULTS[type(value)] = value
    return value


def default_of(kind: type) -> AlgorithmBase | None:
    return _DEFAULTS.get(kind)


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a is b or a == b)
    except Exception:  # arrays and the like
        return a is b


def is_algorithm(value: Any) -> bool:
    """True for an instance of an algorithm type (a frozen dataclass deriving AlgorithmBase)."""
    return isinstance(value, AlgorithmBase) and dataclasses.is_dataclass(value) and bool(value.kind)


@dataclass(frozen=True)
class Configured:
    """An algorithm with a checker's grid applied, and the fields the grid overrode."""

    algorithm: Any
    overridden: tuple[str, ...]


def configure(algorithm: A, **grid: Any) -> Configured:
    """``replace(algorithm, **grid)``, then resolve :class:`Tied` fields.

    ``overridden`` lists the fields the grid set where the given algorithm differs from its
    type's default (a variant's choice that the checker's sweep replaced).
    """
    unknown = [k for k in grid if k not in {f.name for f in dataclasses.fields(algorithm)}]
    if unknown:
        raise TypeError(f"configure: {type(algorithm).__name__} has no field {unknown}")
    default = default_of(type(algorithm))
    overridden = tuple(k for k, v in grid.items()
                       if default is not None and not _same(getattr(algorithm, k), getattr(default, k))
                       and not isinstance(getattr(algorithm, k), Tied) and not _same(getattr(algorithm, k), v))
    value = dataclasses.replace(algorithm, **grid)
    fields = value.parts()
    tied = {k: v.resolve(fields) for k, v in fields.items() if isinstance(v, Tied)}
    if tied:
        value = dataclasses.replace(value, **tied)
    return Configured(value, overridden)
