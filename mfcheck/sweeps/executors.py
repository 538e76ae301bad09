"""Executors: run a batch of cells somewhere and yield (index, record) as each one finishes.

Every executor is also a judgement executor (``executor(cells, measure, algorithm, master_seed)``
returns the records in the order of the cells), so it can be used with
:func:`mfcheck.judgement.cells.using_executor` directly, without a store.

* :class:`SequentialExecutor`: in this process, one cell after another;
* :class:`ProcessPoolExecutor`: a local pool of worker processes (the default);
* :class:`DaskExecutor`: the workers of a Dask distributed scheduler (``pip install .[dist]``).

Workers get the cell function and algorithm through :mod:`mfcheck.sweeps.payload` (cloudpickle)
and run single-threaded maths. Records depend only on (cell, algorithm, master seed), so every
executor returns the same records bit for bit.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from mfcheck.sweeps import _worker
from mfcheck.sweeps.payload import dumps_payload, loads

if TYPE_CHECKING:
    from mfcheck.judgement.cells import Cell, Measure


@runtime_checkable
class CellExecutor(Protocol):
    """Runs cells; a judgement executor (``__call__``) that can also stream (``imap_unordered``)."""

    def imap_unordered(self, cells: Sequence[Cell], measure: Measure, algorithm: Any,
                       master_seed: int) -> Iterator[tuple[int, Any]]:
        """(index into ``cells``, record) for every cell, in the order they finish."""
        ...

    def __call__(self, cells: Sequence[Cell], measure: Measure, algorithm: Any,
                 master_seed: int) -> list[Any]:
        """The records in the order of ``cells`` (the judgement executor signature)."""
        ...

    def close(self) -> None:
        """Release workers and connections (the executor may be used again afterwards)."""
        ...


class _Executor:
    """Shared parts: ordered ``__call__`` from ``imap_unordered``, context management."""

    def imap_unordered(self, cells: Sequence[Cell], measure: Measure, algorithm: Any,
                       master_seed: int) -> Iterator[tuple[int, Any]]:
        raise NotImplementedError

    def __call__(self, cells: Sequence[Cell], measure: Measure, algorithm: Any,
                 master_seed: int) -> list[Any]:
        out: list[Any] = [None] * len(cells)
        for index, record in self.imap_unordered(cells, measure, algorithm, master_seed):
            out[index] = record
        return out

    def close(self) -> None:
        pass

    def __enter__(self) -> _Executor:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class SequentialExecutor(_Executor):
    """Runs the cells one after another in this process."""

    def imap_unordered(self, cells: Sequence[Cell], measure: Measure, algorithm: Any,
                       master_seed: int) -> Iterator[tuple[int, Any]]:
        for index, cell in enumerate(cells):
            yield index, measure(cell, algorithm, master_seed)

    def __repr__(self) -> str:
        return "SequentialExecutor()"


def default_start_method() -> str:
    """``forkserver`` where available (no fork of a threaded parent), else ``spawn``."""
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


class ProcessPoolExecutor(_Executor):
    """A local pool of ``max_workers`` processes (default: the usable cores).

    At most ``window`` cells (default ``2 * max_workers``) are submitted at a time, so stopping
    (Ctrl-C, an error in a cell) cancels the rest at once; the pool's processes are then
    terminated and a fresh pool starts on the next use.
    """

    def __init__(self, max_workers: int | None = None, *, start_method: str | None = None,
                 window: int | None = None) -> None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        self.max_workers = int(max_workers or cores or 1)
        if self.max_workers < 1:
            raise ValueError(f"ProcessPoolExecutor: max_workers must be >= 1, got {max_workers}")
        self.start_method = start_method or default_start_method()
        self.window = int(window or 2 * self.max_workers)
        self._pool: cf.ProcessPoolExecutor | None = None

    def _ensure_pool(self) -> cf.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = cf.ProcessPoolExecutor(
                max_workers=self.max_workers,
                mp_context=multiprocessing.get_context(self.start_method),
                initializer=_worker.init_worker)
        return self._pool

    def imap_unordered(self, cells: Sequence[Cell], measure: Measure, algorithm: Any,
                       master_seed: int) -> Iterator[tuple[int, Any]]:
        if not cells:
            return
        digest, blob = dumps_payload(measure, algorithm)
        pool = self._ensure_pool()
        pending: dict[cf.Future[bytes], int] = {}
        queue = iter(enumerate(cells))
        finished = False

        def submit() -> None:
            while len(pending) < self.window:
                item = next(queue, None)
                if item is None:
                    return
                index, cell = item
                pending[pool.submit(_worker.run_cell, digest, blob, cell, master_seed)] = index

        try:
            submit()
            while pending:
                done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                for future in done:
                    index = pending.pop(future)
                    yield index, loads(future.result())
                submit()
            finished = True
        finally:
            if not finished:
                for future in pending:
                    future.cancel()
                self._abort()

    def _abort(self) -> None:
        """Stop the pool now: cancel queued cells, terminate the workers, forget the pool."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        terminate = getattr(pool, "terminate_workers", None)  # Python >= 3.14
        if terminate is not None:
            terminate()
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def __repr__(self) -> str:
        return f"ProcessPoolExecutor(max_workers={self.max_workers}, start_method={self.start_method!r})"


def scheduler_address(address: str | None = None) -> str | None:
    """``address``, else ``DASK_SCHEDULER_ADDRESS``, else Dask's ``scheduler-address`` setting."""
    if address:
        return address
    if os.environ.get("DASK_SCHEDULER_ADDRESS"):
        return os.environ["DASK_SCHEDULER_ADDRESS"]
    try:
        import dask.config
    except ImportError:  # pragma: no cover - the optional extra is absent
        return None
    found = dask.config.get("scheduler-address", None)
    return str(found) if found else None


class DaskExecutor(_Executor):
    """The workers of a Dask distributed scheduler.

    ``address`` is the scheduler's address (``tcp://host:8786``); None reads Dask's
    ``scheduler-address`` setting, i.e. ``DASK_SCHEDULER_ADDRESS``. Pass ``client`` to use a
    ``distributed.Client`` you manage (it is then not closed by :meth:`close`). Workers need
    mfcheck installed; functions from files they cannot import travel by value.
    """

    def __init__(self, address: str | None = None, *, client: Any = None) -> None:
        self.address = address
        self._client = client
        self._owns_client = client is None

    @property
    def client(self) -> Any:
        """The ``distributed.Client`` (connected on first use)."""
        if self._client is None:
            try:
                from distributed import Client
            except ImportError as error:  # pragma: no cover - the optional extra is absent
                raise ImportError("DaskExecutor needs Dask distributed: pip install 'mfcheck[dist]'") from error
            address = scheduler_address(self.address)
            if address is None:
                raise ValueError("DaskExecutor: no scheduler address; pass one (--scheduler) or set "
                                 "DASK_SCHEDULER_ADDRESS")
            self._client = Client(address)
            self._owns_client = True
        return self._client

    def imap_unordered(self, cells: Sequence[Cell], measure: Measure, algorithm: Any,
                       master_seed: int) -> Iterator[tuple[int, Any]]:
        if not cells:
            return
        from distributed import as_completed

        client = self.client
        digest, blob = dumps_payload(measure, algorithm)
        payload = client.scatter(blob, hash=False)
        futures = client.map(_worker.run_cell, [digest] * len(cells), [payload] * len(cells),
                             list(cells), [master_seed] * len(cells), pure=False)
        index = {future.key: i for i, future in enumerate(futures)}
        finished = False
        try:
            for future in as_completed(futures):
                yield index[future.key], loads(future.result())
            finished = True
        finally:
            if not finished:
                client.cancel(futures)
            del futures, payload

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None and self._owns_client:
            client.close()

    def __repr__(self) -> str:
        return f"DaskExecutor(address={self.address!r})"


def make_executor(name: str = "process", *, workers: int | None = None,
                  scheduler: str | None = None) -> CellExecutor:
    """An executor by name: ``process`` (default), ``sequential`` or ``dask``."""
    if name in ("process", "processes", "local"):
        return ProcessPoolExecutor(workers)
    if name == "sequential":
        return SequentialExecutor()
    if name == "dask":
        return DaskExecutor(scheduler)
    raise ValueError(f"unknown executor {name!r}: choose process, sequential or dask")
