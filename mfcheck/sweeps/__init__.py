"""Sweeps: one engine runs the cells of every checker, stores and resumes them.

* :mod:`~mfcheck.sweeps.store`: :class:`RecordStore`, one atomic JSON line per finished cell;
* :mod:`~mfcheck.sweeps.executors`: sequential, local process pool, Dask distributed;
* :mod:`~mfcheck.sweeps.engine`: :class:`Sweep`, a judgement executor (``using_executor``) that
  reuses stored records, runs the missing cells and shows progress;
* :mod:`~mfcheck.sweeps.fingerprint` and :mod:`~mfcheck.sweeps.payload`: what ties a record to
  its producer, and how the cell function reaches workers (cloudpickle).

Names are imported lazily, so a worker can import :mod:`mfcheck.sweeps._worker` (and set its
thread counts) before numpy loads.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers; at run time names load on first use
    from mfcheck.sweeps.engine import Sweep, SweepStats
    from mfcheck.sweeps.executors import (
        CellExecutor,
        DaskExecutor,
        ProcessPoolExecutor,
        SequentialExecutor,
        make_executor,
    )
    from mfcheck.sweeps.fingerprint import call_fingerprint
    from mfcheck.sweeps.store import RecordStore, StoreCorrupted, sweep_key

_EXPORTS = {
    "RecordStore": "store", "StoreCorrupted": "store", "sweep_key": "store",
    "CellExecutor": "executors", "SequentialExecutor": "executors",
    "ProcessPoolExecutor": "executors", "DaskExecutor": "executors", "make_executor": "executors",
    "Sweep": "engine", "SweepStats": "engine",
    "call_fingerprint": "fingerprint",
}

__all__ = [
    "CellExecutor", "DaskExecutor", "ProcessPoolExecutor", "RecordStore", "SequentialExecutor",
    "StoreCorrupted", "Sweep", "SweepStats", "call_fingerprint", "make_executor", "sweep_key",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mfcheck.sweeps' has no attribute {name!r}")
    return getattr(importlib.import_module(f"mfcheck.sweeps.{module}"), name)
