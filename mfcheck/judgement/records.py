"""Records: what a checker's pure cell function returns, one schema for both papers.

A record holds the numbers a cell measured (errors, bounds, slacks, curves) keyed by name, with
the cell that produced it. Judgement reads records; sweeps store them (one JSON line per cell).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mfcheck.judgement.cells import Cell

Value = float | int | str | bool | None | list[Any]


NON_FINITE = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}


def _plain(value: Any, *, strict: bool = False) -> Value:
    """Python scalars and lists; with ``strict`` (JSON), non-finite floats as "inf"/"-inf"/"nan"."""
    if isinstance(value, np.ndarray):
        return _plain(value.tolist(), strict=strict)
    if isinstance(value, np.generic):
        return _plain(value.item(), strict=strict)
    if isinstance(value, list | tuple):
        return [_plain(v, strict=strict) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, strict=strict) for k, v in value.items()}  # type: ignore[return-value]
    if strict and isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _revive(value: Any) -> Value:
    """The inverse of ``_plain(strict=True)``: "inf"/"-inf"/"nan" back to floats, so a record
    read from a store holds the same values as the one measured."""
    if isinstance(value, list):
        return [_revive(v) for v in value]
    if isinstance(value, dict):
        return {k: _revive(v) for k, v in value.items()}  # type: ignore[return-value]
    if isinstance(value, str) and value in NON_FINITE:
        return NON_FINITE[value]
    return value


@dataclass(frozen=True, kw_only=True)
class Record:
    """The measurements of one cell (JSON-able values, keyed by name)."""

    cell: Cell
    values: Mapping[str, Value] = field(default_factory=dict)
    seconds: float = 0.0

    def __getitem__(self, name: str) -> Value:
        if name not in self.values:
            raise KeyError(f"record of {self.cell.claim_id} {self.cell.settings} has no value {name!r}; "
                           f"it has {sorted(self.values)}")
        return self.values[name]

    def to_dict(self) -> dict[str, Any]:
        return {"claim_id": self.cell.claim_id, "settings": self.cell.settings,
                "seed_index": self.cell.seed_index, "key": self.cell.key,
                "values": _plain(dict(self.values), strict=True), "seconds": self.seconds}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Record:
        cell = Cell.of(data["claim_id"], data["settings"], data["seed_index"])
        return cls(cell=cell, values=_revive(dict(data["values"])),  # type: ignore[arg-type]
                   seconds=float(data.get("seconds", 0.0)))

    @classmethod
    def of(cls, cell: Cell, **values: Any) -> Record:
        return cls(cell=cell, values={k: _plain(v) for k, v in values.items()})


def matrix(records: Sequence[Record], *, parameter: str, value: str) -> tuple[list[float], np.ndarray]:
    """(grid, errors[G, R]) from records: grid = sorted values of ``parameter``, one column per
    seed index (records must cover every (parameter, seed) pair once)."""
    grid = sorted({float(r.cell[parameter]) for r in records})  # type: ignore[arg-type]
    seeds = sorted({r.cell.seed_index for r in records})
    out = np.full((len(grid), len(seeds)), np.nan)
    for r in records:
        out[grid.index(float(r.cell[parameter])), seeds.index(r.cell.seed_index)] = float(r[value])  # type: ignore[arg-type]
    if np.isnan(out).any():
        raise ValueError(f"matrix: records of {parameter!r} x seed do not cover the grid for {value!r}")
    return grid, out
