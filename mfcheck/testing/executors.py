"""Judgement executors for tests: run a check's cells the way a store would hand them back."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from mfcheck.judgement.cells import Cell, Measure
from mfcheck.judgement.records import Record


def json_round_trip(cells: Sequence[Cell], measure: Measure, algorithm: Any, master_seed: int) -> list[Record]:
    """Every record after a strict-JSON round trip (as :mod:`mfcheck.sweeps` stores it): a check
    run under this executor must give the same verdict as a plain run."""
    return [Record.from_dict(json.loads(json.dumps(measure(cell, algorithm, master_seed).to_dict(), allow_nan=False)))
            for cell in cells]
