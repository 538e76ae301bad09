"""Cells: a checker's grid of frozen settings, each with seeds that depend on what it is.

A checker is three parts: a grid of :class:`Cell` settings, a pure function cell -> record, and
the shared judgement (:mod:`mfcheck.judgement.rates`, :mod:`mfcheck.judgement.combine`). A cell's
random streams derive from (master seed, claim id, cell settings, seed index, stream name)
through ``numpy.random.SeedSequence``, never from the order in which cells run, so a sweep can
run its cells in any order, on any worker, and resume.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np

Setting = int | float | str | bool | None


def canonical(settings: Mapping[str, Any]) -> str:
    """A canonical JSON text of ``settings`` (sorted keys, floats by repr)."""
    return json.dumps({str(k): settings[k] for k in sorted(settings)}, sort_keys=True,
                      separators=(",", ":"), default=repr)


def _word(text: str) -> int:
    return zlib.crc32(text.encode())


@dataclass(frozen=True)
class Cell:
    """One point of a checker's grid: frozen settings and a seed index.

    ``settings`` is stored as a sorted tuple of (name, value) pairs so that cells hash and compare
    by value. Use :meth:`get` / ``cell["name"]`` to read a setting.
    """

    claim_id: str
    items: tuple[tuple[str, Setting], ...]
    seed_index: int = 0

    @classmethod
    def of(cls, claim_id: str, settings: Mapping[str, Setting], seed_index: int = 0) -> Cell:
        for name, value in settings.items():
            if not isinstance(value, int | float | str | bool | type(None)):
                raise TypeError(f"Cell {claim_id}: setting {name!r} must be a scalar, got {type(value).__name__}")
        return cls(claim_id, tuple(sorted(settings.items())), int(seed_index))

    @property
    def settings(self) -> dict[str, Setting]:
        return dict(self.items)

    def __getitem__(self, name: str) -> Setting:
        for key, value in self.items:
            if key == name:
                return value
        raise KeyError(f"cell of {self.claim_id} has no setting {name!r}; it has {[k for k, _ in self.items]}")

    def get(self, name: str, default: Setting = None) -> Setting:
        return self.settings.get(name, default)

    @property
    def key(self) -> str:
        """Stable hash of (claim id, settings, seed index): the cell's identity in a sweep."""
        text = f"{self.claim_id}|{canonical(self.settings)}|{self.seed_index}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def seed_sequence(self, master_seed: int, stream: str = "") -> np.random.SeedSequence:
        """SeedSequence of (master seed, claim id, settings, seed index, stream name)."""
        entropy = [int(master_seed), _word(self.claim_id), _word(canonical(self.settings)),
                   int(self.seed_index), _word(stream)]
        return np.random.SeedSequence(entropy)

    def rng(self, master_seed: int, stream: str = "") -> np.random.Generator:
        """The cell's generator for ``stream`` (independent of every other cell and stream)."""
        return np.random.default_rng(self.seed_sequence(master_seed, stream))

    def torch_seed(self, master_seed: int, stream: str = "") -> int:
        """A 63-bit integer seed for ``torch.Generator.manual_seed``, derived like :meth:`rng`."""
        return int(self.seed_sequence(master_seed, stream).generate_state(2, np.uint64)[0] >> np.uint64(1))


def grid(claim_id: str, *, seeds: int | Iterable[int] = 1, **axes: Iterable[Setting]) -> list[Cell]:
    """The cartesian product of ``axes`` times seed indices, as cells (settings in axis order).

    ``seeds`` is a count (indices 0..seeds-1) or an explicit iterable of seed indices.
    """
    names = list(axes)
    indices = range(seeds) if isinstance(seeds, int) else list(seeds)
    return [Cell.of(claim_id, dict(zip(names, values)), seed)
            for values in itertools.product(*(list(axes[n]) for n in names)) for seed in indices]


def named_rng(master_seed: int, claim_id: str, name: str) -> np.random.Generator:
    """A generator for a claim-level purpose (e.g. the bootstrap of one fit), keyed by name."""
    return Cell.of(claim_id, {"purpose": name}).rng(master_seed)


def group(cells_records: Iterable[tuple[Cell, Any]], by: str) -> Iterator[tuple[Setting, list[Any]]]:
    """Group (cell, record) pairs by the setting ``by``, in first-seen order of its values."""
    groups: dict[Setting, list[Any]] = {}
    for cell, record in cells_records:
        groups.setdefault(cell[by], []).append(record)
    yield from groups.items()


# ------------------------------------------------------------------------------- running cells

#: measure(cell, algorithm, master_seed) -> record: a checker's pure cell function
Measure = Callable[[Cell, Any, int], Any]
#: executor(cells, measure, algorithm, master_seed) -> records in the order of ``cells``
Executor = Callable[[Sequence[Cell], Measure, Any, int], list[Any]]


def sequential(cells: Sequence[Cell], measure: Measure, algorithm: Any, master_seed: int) -> list[Any]:
    """Run the cells one after another in this process (the default executor)."""
    return [measure(cell, algorithm, master_seed) for cell in cells]


_EXECUTOR: ContextVar[Executor] = ContextVar("mfcheck_cell_executor", default=sequential)


def run_cells(cells: Sequence[Cell], measure: Measure, algorithm: Any, master_seed: int) -> list[Any]:
    """Every cell's record, through the executor in force (:func:`using_executor`).

    Checkers call this instead of looping, so that a sweep engine can store, resume, show
    progress and spread cells over processes or machines without editing any checker: records
    depend only on (cell, algorithm, master seed), never on the order or place they ran.
    """
    if len({c.key for c in cells}) != len(cells):
        raise ValueError("run_cells: two cells have the same settings and seed index")
    return _EXECUTOR.get()(cells, measure, algorithm, master_seed)


@contextmanager
def using_executor(executor: Executor) -> Iterator[None]:
    """Run every :func:`run_cells` inside the block through ``executor``."""
    token = _EXECUTOR.set(executor)
    try:
        yield
    finally:
        _EXECUTOR.reset(token)
