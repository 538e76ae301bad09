"""The sweep engine: a judgement executor that stores, resumes and shows progress.

::

    with Sweep(RecordStore("runs/nac"), ProcessPoolExecutor(4), fingerprint=code) as sweep:
        with using_executor(sweep):
            verdict = check(...)        # every run_cells inside goes through the sweep

For the cells of each ``run_cells`` call the sweep loads the records already stored, runs only
the missing cells through its executor, appends each record as soon as it arrives (a kill loses
at most the cells in flight) and returns the records in the order of the cells. Ctrl-C stops
submitting, keeps what is stored and re-raises. Stored records are keyed by the cell and
:func:`mfcheck.sweeps.fingerprint.call_fingerprint` (caller's fingerprint, cell function, master
seed, algorithm), so changed code or another variant never reuses them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from mfcheck.sweeps.executors import CellExecutor, ProcessPoolExecutor
from mfcheck.sweeps.fingerprint import call_fingerprint
from mfcheck.sweeps.progress import progress_for
from mfcheck.sweeps.store import RecordStore, sweep_key

if TYPE_CHECKING:
    from mfcheck.judgement.cells import Cell, Measure
    from mfcheck.judgement.records import Record


@dataclass
class SweepStats:
    """Counts over the sweep's ``run_cells`` calls so far."""

    calls: int = 0
    cells: int = 0
    reused: int = 0
    computed: int = 0


class Sweep:
    """A judgement executor over a :class:`RecordStore` and a cell executor.

    ``fingerprint`` identifies the code (and whatever else the caller wants records tied to);
    ``progress`` shows a rich bar on stderr when it is a terminal (never otherwise).
    """

    def __init__(self, store: RecordStore, executor: CellExecutor | None = None,
                 fingerprint: str = "", progress: bool = True, *, stream: TextIO | None = None) -> None:
        self.store = store
        self.executor: CellExecutor = executor if executor is not None else ProcessPoolExecutor()
        self.fingerprint = fingerprint
        self.progress = progress
        self.stream = stream
        self.stats = SweepStats()

    def __call__(self, cells: Sequence[Cell], measure: Measure, algorithm: Any,
                 master_seed: int) -> list[Record]:
        """The records of ``cells`` in their order: stored ones loaded, missing ones run."""
        cells = list(cells)
        fingerprint = call_fingerprint(self.fingerprint, measure, algorithm, master_seed)
        stored = self.store.load()
        out: list[Record | None] = [stored.get(sweep_key(cell, fingerprint)) for cell in cells]
        missing = [i for i, record in enumerate(out) if record is None]
        self.stats.calls += 1
        self.stats.cells += len(cells)
        self.stats.reused += len(cells) - len(missing)
        if missing:
            description = f"{cells[0].claim_id}: {len(cells)} cells"
            bar = progress_for(description, len(cells), len(cells) - len(missing),
                               enabled=self.progress, stream=self.stream)
            todo = [cells[i] for i in missing]
            results = self.executor.imap_unordered(todo, measure, algorithm, master_seed)
            try:
                for j, record in results:
                    cell = todo[j]
                    if getattr(record, "cell", None) != cell:
                        raise ValueError(f"the cell function returned a record of "
                                         f"{getattr(record, 'cell', None)} for {cell}")
                    out[missing[j]] = self.store.append(record, fingerprint)
                    self.stats.computed += 1
                    bar.advance()
            finally:
                close = getattr(results, "close", None)
                if close is not None:  # stop the executor now (Ctrl-C, an error), not at GC
                    close()
                bar.close()
        return out  # type: ignore[return-value]

    def close(self) -> None:
        """Close the executor and the store."""
        self.executor.close()
        self.store.close()

    def __enter__(self) -> Sweep:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Sweep({self.store!r}, {self.executor!r})"
