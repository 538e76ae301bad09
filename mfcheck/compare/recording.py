"""Recording a check's cells, and replaying stored records to a check (no recomputation).

Every checker runs its cells through :func:`mfcheck.judgement.run_cells`, so swapping the
executor (:func:`mfcheck.judgement.using_executor`) sees every (cell, record) of a check:

* :class:`RecordingExecutor` runs the cells (through an inner executor, sequential by default,
  or any :mod:`mfcheck.sweeps` executor) and keeps every (cell, record) pair it returned;
* :class:`ReplayExecutor` computes nothing: for a requested cell with seed index ``i`` it serves
  the stored record of the same claim and settings whose seed index is ``π(i)``, re-keyed to the
  requested cell. With ``π`` the identity the check reproduces its verdict from the stored
  records; with ``π`` a resample of the seed indices the check's own judgement recomputes its
  figures on resampled data (the paired bootstrap of :mod:`mfcheck.compare.bootstrap`).

Stored records are JSON: a :class:`~mfcheck.judgement.Record` as ``Record.to_dict()`` plus
``"type": "record"``; any other JSON-able value a cell function returns (a few closed-form
checkers return dicts) as ``"type": "value"`` (served as stored, not re-keyed).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mfcheck.judgement.cells import Cell, Measure, canonical, sequential
from mfcheck.judgement.records import Record


class ReplayError(LookupError):
    """A replayed check asked for a cell that was not recorded."""


def jsonable(value: Any) -> Any:
    """Plain JSON types (numpy scalars and arrays, tuples, non-finite floats as strings)."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def store_record(cell: Cell, record: Any) -> dict[str, Any]:
    """The JSON form of one (cell, record) pair of a check."""
    if isinstance(record, Record):
        return {**record.to_dict(), "type": "record"}
    return {"claim_id": cell.claim_id, "settings": jsonable(cell.settings), "seed_index": cell.seed_index,
            "key": cell.key, "type": "value", "value": jsonable(record)}


def stored_cell(data: Mapping[str, Any]) -> Cell:
    return Cell.of(str(data["claim_id"]), dict(data["settings"]), int(data["seed_index"]))


def seed_indices(records: Sequence[Mapping[str, Any]]) -> list[int]:
    """The distinct seed indices of stored records, sorted."""
    return sorted({int(r["seed_index"]) for r in records})


def n_seeds(records: Sequence[Mapping[str, Any]]) -> int:
    """The largest number of seed indices any one setting of the grid has (1: no seeds to resample)."""
    groups: dict[tuple[str, str], set[int]] = {}
    for r in records:
        groups.setdefault((str(r["claim_id"]), canonical(r["settings"])), set()).add(int(r["seed_index"]))
    return max((len(s) for s in groups.values()), default=0)


@dataclass
class RecordingExecutor:
    """Runs cells through ``inner`` and keeps every (cell, record) pair, in the order run.

    ``inner`` is any judgement executor (``executor(cells, measure, algorithm, master_seed)``);
    a cell run twice keeps its last record.
    """

    inner: Any = sequential
    pairs: dict[str, tuple[Cell, Any]] = field(default_factory=dict)

    def __call__(self, cells: Sequence[Cell], measure: Measure, algorithm: Any, master_seed: int) -> list[Any]:
        records = self.inner(cells, measure, algorithm, master_seed)
        for cell, record in zip(cells, records, strict=True):
            self.pairs.pop(cell.key, None)
            self.pairs[cell.key] = (cell, record)
        return records

    def stored(self, claim_id: str | None = None) -> list[dict[str, Any]]:
        """The JSON form of the recorded pairs (of cells of ``claim_id``; None: all)."""
        return [store_record(cell, record) for cell, record in self.pairs.values()
                if claim_id is None or cell.claim_id == claim_id]


class ReplayExecutor:
    """Serves stored records instead of running cells (see the module's docstring).

    Parameters
    ----------
    records : stored records (:func:`store_record` forms) of one check.
    positions : array of floats in [0, 1), optional
        The seed resample: the requested seed at position ``j`` of its setting's sorted seed
        indices ``S`` is served ``S[floor(positions[j] * len(S))]``. None: the identity.
    """

    def __init__(self, records: Sequence[Mapping[str, Any]], positions: np.ndarray | None = None) -> None:
        self.groups: dict[tuple[str, str], dict[int, Mapping[str, Any]]] = {}
        for r in records:
            key = (str(r["claim_id"]), canonical(r["settings"]))
            self.groups.setdefault(key, {})[int(r["seed_index"])] = r
        self.positions = positions

    def source_seed(self, cell: Cell, seeds: Sequence[int]) -> int:
        if self.positions is None or len(seeds) < 2:
            return cell.seed_index
        j = seeds.index(cell.seed_index)
        if j >= len(self.positions):
            return cell.seed_index
        return seeds[min(int(self.positions[j] * len(seeds)), len(seeds) - 1)]

    def serve(self, cell: Cell) -> Any:
        group = self.groups.get((cell.claim_id, canonical(cell.settings)))
        if group is None or cell.seed_index not in group:
            raise ReplayError(f"replay: no stored record for cell {cell.claim_id} {cell.settings} "
                              f"seed {cell.seed_index}")
        stored = group[self.source_seed(cell, sorted(group))]
        if stored.get("type", "record") == "value":
            return stored["value"]
        return Record(cell=cell, values=dict(stored["values"]), seconds=float(stored.get("seconds", 0.0)))

    def __call__(self, cells: Sequence[Cell], measure: Measure, algorithm: Any, master_seed: int) -> list[Any]:
        return [self.serve(cell) for cell in cells]
