"""A synthetic checker for the sweep tests, loaded by path (like a user's variant file).

``measure`` is a pure module-level cell function (a small noisy gradient descent drawn from
the cell's own random stream); ``ToyAlgorithm`` is a frozen dataclass whose ``step`` part is a
function of this file; ``check`` calls ``run_cells`` like a converted checker. The algorithm's
``calls_log`` / ``sleep`` / ``stop_file`` fields let tests count calls, slow cells down and
raise Ctrl-C inside a cell; they never change a record.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from mfcheck.judgement.cells import Cell, grid, run_cells
from mfcheck.judgement.records import Record

CLAIM = "toy.sweep"


def harmonic(t: int) -> float:
    return 1.0 / (t + 1)


@dataclass(frozen=True)
class ToyAlgorithm:
    step: Callable[[int], float] = harmonic
    iterations: int = 40
    calls_log: str | None = None
    sleep: float = 0.0
    stop_file: str | None = None  # Ctrl-C in the cell whose key this file holds


def measure(cell: Cell, algorithm: ToyAlgorithm, master_seed: int) -> Record:
    if algorithm.calls_log:
        fd = os.open(algorithm.calls_log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, f"{cell.key}\n".encode())
        finally:
            os.close(fd)
    if algorithm.stop_file and os.path.exists(algorithm.stop_file):
        with open(algorithm.stop_file) as f:
            if f.read().strip() == cell.key:
                raise KeyboardInterrupt
    if algorithm.sleep:
        time.sleep(algorithm.sleep)
    rng = cell.rng(master_seed, "x")
    n, noise = int(cell["n"]), float(cell["noise"])
    a = rng.standard_normal((n, n)) / np.sqrt(n)
    q = a @ a.T + np.eye(n)
    scale = np.linalg.norm(q, 2)
    x = rng.standard_normal(n)
    curve = []
    for t in range(algorithm.iterations):
        gradient = q @ x + noise * rng.standard_normal(n)
        x = x - algorithm.step(t) * gradient / scale
        curve.append(float(x @ q @ x))
    return Record.of(cell, error=float(np.linalg.norm(x)), curve=np.array(curve),
                     eigenvalues=np.linalg.eigvalsh(q), undefined=float("nan"))


def cells(seeds: int = 3) -> list[Cell]:
    return grid(CLAIM, n=[3, 6], noise=[0.0, 0.3], seeds=seeds)


def check(algorithm: Any, master_seed: int = 7, seeds: int = 3) -> dict[str, Any]:
    """A checker: run the cells, judge (here: average the errors)."""
    records = run_cells(cells(seeds), measure, algorithm, master_seed)
    return {"mean_error": float(np.mean([r["error"] for r in records])),
            "records": [r.to_dict() for r in records]}


def environment(cell: Cell, algorithm: Any, master_seed: int) -> Record:
    """A cell function reporting the worker's thread settings and process id."""
    import sys

    torch = sys.modules.get("torch")
    return Record.of(cell, omp=os.environ.get("OMP_NUM_THREADS"), pid=os.getpid(),
                     numpy_loaded="numpy" in sys.modules,
                     torch_threads=None if torch is None else torch.get_num_threads())


def failing(cell: Cell, algorithm: Any, master_seed: int) -> Record:
    """A cell function that fails on the cell with seed index 2."""
    if cell.seed_index == 2:
        raise ArithmeticError(f"cell {cell.key} failed")
    return measure(cell, algorithm, master_seed)
