"""One sweep per claim behind a single judgement executor: what ``mfcheck report`` and
``mfcheck calibrate`` run checkers under.

Each claim's cells are stored under ``<root>/<claim id>/records.jsonl`` (keyed by cell and the
claim's fingerprint), so an interrupted report resumes cell by cell; all claims share one cell
executor (a process pool, Dask, or this process).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mfcheck.judgement.cells import Cell, Measure
from mfcheck.sweeps.engine import Sweep
from mfcheck.sweeps.executors import CellExecutor
from mfcheck.sweeps.store import RecordStore


class ClaimSweeps:
    """A judgement executor routing each ``run_cells`` call to its claim's :class:`Sweep`.

    ``fingerprint_of(claim_id)`` ties stored records to the code and settings that made them;
    ``fresh=True`` discards what is stored (``--no-resume``).
    """

    def __init__(self, root: Path, executor: CellExecutor, fingerprint_of: Callable[[str], str], *,
                 fresh: bool = False, progress: bool = True) -> None:
        self.root = Path(root)
        self.executor = executor
        self.fingerprint_of = fingerprint_of
        self.fresh = fresh
        self.progress = progress
        self.sweeps: dict[str, Sweep] = {}

    def sweep(self, claim_id: str) -> Sweep:
        if claim_id not in self.sweeps:
            folder = self.root / claim_id
            if self.fresh and folder.exists():
                shutil.rmtree(folder)
            self.sweeps[claim_id] = Sweep(RecordStore(folder), self.executor, self.fingerprint_of(claim_id),
                                          progress=self.progress)
        return self.sweeps[claim_id]

    def __call__(self, cells: Sequence[Cell], measure: Measure, algorithm: Any, master_seed: int) -> list[Any]:
        if not cells:
            return []
        return self.sweep(cells[0].claim_id)(cells, measure, algorithm, master_seed)

    def close(self) -> None:
        """Close every store, then the shared executor."""
        for sweep in self.sweeps.values():
            sweep.store.close()
        self.executor.close()

    def __enter__(self) -> ClaimSweeps:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
