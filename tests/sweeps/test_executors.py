"""Executors: the local process pool gives the sequential records bit for bit, streams them as
they finish, runs single-threaded workers, and stops cleanly on an error or Ctrl-C."""

from __future__ import annotations

import json
import os

import pytest

from mfcheck.judgement.cells import run_cells, sequential, using_executor
from mfcheck.sweeps import (
    ProcessPoolExecutor,
    RecordStore,
    SequentialExecutor,
    Sweep,
    make_executor,
)
from mfcheck.sweeps.executors import CellExecutor, DaskExecutor, scheduler_address


@pytest.fixture(scope="module")
def pool():
    with ProcessPoolExecutor(2) as executor:
        yield executor


def as_json(records) -> list[str]:
    return [json.dumps(r.to_dict()) for r in records]


def test_pool_equals_sequential(synthetic, pool, tmp_path):
    algo = synthetic.ToyAlgorithm(step=lambda t: 0.7 / (t + 2))  # a lambda part travels too
    cells = synthetic.cells()
    expected = sequential(cells, synthetic.measure, algo, 11)
    assert as_json(pool(cells, synthetic.measure, algo, 11)) == as_json(expected)
    assert as_json(SequentialExecutor()(cells, synthetic.measure, algo, 11)) == as_json(expected)
    with Sweep(RecordStore(tmp_path), pool, "code", progress=False) as sweep, using_executor(sweep):
        swept = run_cells(cells, synthetic.measure, algo, 11)
    assert as_json(swept) == as_json(expected)
    stored = RecordStore(tmp_path).load()
    assert sorted(json.dumps(r.to_dict()) for r in stored.values()) == sorted(as_json(expected))


def test_imap_unordered_yields_every_index_once(synthetic, pool):
    cells = synthetic.cells(seeds=5)
    seen = [i for i, _ in pool.imap_unordered(cells, synthetic.measure, synthetic.ToyAlgorithm(), 3)]
    assert sorted(seen) == list(range(len(cells)))


def test_workers_are_single_threaded_processes(synthetic, pool):
    records = pool(synthetic.cells(), synthetic.environment, None, 0)
    assert {r["omp"] for r in records} == {"1"}
    assert os.getpid() not in {r["pid"] for r in records}
    assert len({r["pid"] for r in records}) <= 2
    assert {r["torch_threads"] for r in records} <= {None, 1}


def test_an_error_in_a_worker_propagates_and_keeps_the_stored_records(synthetic, tmp_path):
    executor = ProcessPoolExecutor(2)
    with Sweep(RecordStore(tmp_path), executor, progress=False) as sweep, using_executor(sweep), \
            pytest.raises(ArithmeticError, match="failed"):
        run_cells(synthetic.cells(), synthetic.failing, synthetic.ToyAlgorithm(), 7)
    stored = RecordStore(tmp_path).load()
    assert all(r.cell.seed_index != 2 for r in stored.values())
    # the pool was stopped and starts afresh on the next use
    assert len(executor(synthetic.cells(seeds=1), synthetic.measure, synthetic.ToyAlgorithm(), 7)) == 4
    executor.close()


def test_ctrl_c_in_a_worker_stops_the_pool(synthetic, tmp_path, pool):
    stop = tmp_path / "stop"
    cells = synthetic.cells()
    stop.write_text(cells[4].key)
    algo = synthetic.ToyAlgorithm(stop_file=str(stop))
    with Sweep(RecordStore(tmp_path / "s"), pool, progress=False) as sweep, using_executor(sweep), \
            pytest.raises(KeyboardInterrupt):
        run_cells(cells, synthetic.measure, algo, 7)
    stored = RecordStore(tmp_path / "s").load()
    assert cells[4].key not in {r.cell.key for r in stored.values()}
    stop.unlink()
    with Sweep(RecordStore(tmp_path / "s"), pool, progress=False) as sweep, using_executor(sweep):
        records = run_cells(cells, synthetic.measure, algo, 7)
    assert sweep.stats.reused == len(stored)
    assert as_json(records) == as_json(sequential(cells, synthetic.measure, algo, 7))


def test_make_executor_and_protocol(monkeypatch):
    assert isinstance(make_executor("sequential"), CellExecutor)
    assert make_executor("process", workers=3).max_workers == 3
    assert isinstance(make_executor("dask", scheduler="tcp://h:1"), DaskExecutor)
    with pytest.raises(ValueError, match="unknown executor"):
        make_executor("threads")
    pytest.importorskip("dask")
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://example:8786")
    assert scheduler_address() == "tcp://example:8786"
    assert scheduler_address("tcp://given:1") == "tcp://given:1"
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS")
    assert scheduler_address() is None
    with pytest.raises(ValueError, match="DASK_SCHEDULER_ADDRESS"):
        DaskExecutor().client  # noqa: B018
