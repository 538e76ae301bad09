"""Sweep: a judgement executor that reuses stored records, runs only the missing cells, returns
records in cell order, survives Ctrl-C and shows progress only on a terminal."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest

from mfcheck.judgement.cells import run_cells, sequential, using_executor
from mfcheck.sweeps import RecordStore, SequentialExecutor, Sweep


def calls(log: Path) -> list[str]:
    return log.read_text().split() if log.exists() else []


def run(synthetic, folder: Path, algorithm, **kwargs) -> tuple[dict, Sweep]:
    with Sweep(RecordStore(folder), SequentialExecutor(), fingerprint="code", progress=False,
               **kwargs) as sweep, using_executor(sweep):
        return synthetic.check(algorithm), sweep


def test_records_equal_a_plain_run_and_are_reused(synthetic, tmp_path):
    log = tmp_path / "calls.log"
    algo = synthetic.ToyAlgorithm(calls_log=str(log))
    with using_executor(sequential):
        plain = synthetic.check(algo)
    log.unlink()
    first, sweep = run(synthetic, tmp_path / "s", algo)
    assert json.dumps(first) == json.dumps(plain)  # same records, same order, bit for bit
    assert first["records"] == plain["records"]
    assert sweep.stats.computed == 12 and len(calls(log)) == 12
    again, sweep = run(synthetic, tmp_path / "s", algo)
    assert again == first and sweep.stats.computed == 0 and sweep.stats.reused == 12
    assert len(calls(log)) == 12  # nothing recomputed


def test_only_missing_cells_run(synthetic, tmp_path):
    log = tmp_path / "calls.log"
    algo = synthetic.ToyAlgorithm(calls_log=str(log))
    reference, _ = run(synthetic, tmp_path / "ref", algo)
    keep = {c.key for c in synthetic.cells()[::3]}
    full = (tmp_path / "ref" / "records.jsonl").read_bytes().splitlines(keepends=True)
    (tmp_path / "part").mkdir()
    (tmp_path / "part" / "records.jsonl").write_bytes(
        b"".join(line for line in full if json.loads(line)["record"]["key"] in keep))
    log.unlink()
    resumed, sweep = run(synthetic, tmp_path / "part", algo)
    assert resumed == reference
    assert sorted(calls(log)) == sorted(c.key for c in synthetic.cells() if c.key not in keep)
    assert sweep.stats.reused == len(keep)


def test_stale_records_are_not_reused(synthetic, tmp_path):
    log = tmp_path / "calls.log"
    algo = synthetic.ToyAlgorithm(calls_log=str(log))
    run(synthetic, tmp_path / "s", algo)
    for other in (dataclasses.replace(algo, iterations=5), dataclasses.replace(algo, step=lambda t: 0.5)):
        log.unlink()
        _, sweep = run(synthetic, tmp_path / "s", other)
        assert sweep.stats.computed == 12 and len(calls(log)) == 12
    log.unlink()
    with Sweep(RecordStore(tmp_path / "s"), SequentialExecutor(), "code v2", progress=False) as sweep, \
            using_executor(sweep):
        synthetic.check(algo)
    assert sweep.stats.computed == 12
    log.unlink()
    with Sweep(RecordStore(tmp_path / "s"), SequentialExecutor(), "code", progress=False) as sweep, \
            using_executor(sweep):
        synthetic.check(algo, master_seed=8)
    assert sweep.stats.computed == 12


def test_ctrl_c_keeps_what_is_stored_and_resumes(synthetic, tmp_path):
    log, stop = tmp_path / "calls.log", tmp_path / "stop"
    cells = synthetic.cells()
    algo = synthetic.ToyAlgorithm(calls_log=str(log), stop_file=str(stop))
    reference, _ = run(synthetic, tmp_path / "ref", algo)
    stop.write_text(cells[5].key)
    log.unlink()
    with pytest.raises(KeyboardInterrupt):
        run(synthetic, tmp_path / "s", algo)
    stored = RecordStore(tmp_path / "s").load()
    assert sorted(r.cell.key for r in stored.values()) == sorted(c.key for c in cells[:5])
    stop.unlink()
    log.unlink()
    resumed, sweep = run(synthetic, tmp_path / "s", algo)
    assert resumed == reference
    assert sorted(calls(log)) == sorted(c.key for c in cells[5:])
    assert sweep.stats.reused == 5


def test_a_record_for_the_wrong_cell_is_refused(synthetic, tmp_path):
    def swapped(cell, algorithm, master_seed):
        return synthetic.measure(synthetic.cells()[0], algorithm, master_seed)

    with Sweep(RecordStore(tmp_path), SequentialExecutor(), progress=False) as sweep, \
            using_executor(sweep), pytest.raises(ValueError, match="record of"):
        run_cells(synthetic.cells()[1:3], swapped, synthetic.ToyAlgorithm(), 7)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("terminal", [False, True])
def test_progress_only_on_a_terminal(synthetic, tmp_path, terminal):
    stream = FakeTerminal() if terminal else io.StringIO()
    with Sweep(RecordStore(tmp_path), SequentialExecutor(), progress=True, stream=stream) as sweep, \
            using_executor(sweep):
        synthetic.check(synthetic.ToyAlgorithm())
    text = stream.getvalue()
    if terminal:
        assert "12/12" in text and "cells/s" in text and synthetic.CLAIM in text
    else:
        assert text == ""
