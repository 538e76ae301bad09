"""What runs inside a worker process: single-threaded maths, one cell at a time.

This module imports nothing heavy at module level, so that :func:`init_worker` can set the
thread-count variables before numpy, BLAS or torch load in a fresh worker.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS", "BLIS_NUM_THREADS")

_PAYLOADS: dict[str, Any] = {}


def single_threaded() -> None:
    """One thread for BLAS, OpenMP and torch in this process (workers share the cores)."""
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    torch = sys.modules.get("torch")
    if torch is not None and torch.get_num_threads() != 1:
        torch.set_num_threads(1)


def init_worker() -> None:
    """Process-pool initializer: single-threaded maths; Ctrl-C is the parent's to handle."""
    single_threaded()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _payload(digest: str, blob: bytes) -> Any:
    payload = _PAYLOADS.get(digest)
    if payload is None:
        from mfcheck.sweeps.payload import loads

        payload = loads(blob)
        _PAYLOADS.clear()  # one sweep's payload at a time
        _PAYLOADS[digest] = payload
    return payload


def run_cell(digest: str, blob: bytes, cell: Any, master_seed: int) -> bytes:
    """The record of ``cell``, pickled: ``measure(cell, algorithm, master_seed)``."""
    from mfcheck.sweeps.payload import dumps

    single_threaded()
    measure, algorithm = _payload(digest, blob)
    return dumps(measure(cell, algorithm, master_seed))
