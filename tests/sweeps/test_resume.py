"""Kill a sweep mid-way (SIGKILL of its whole process group, or Ctrl-C) and resume it: no
finished cell is recomputed, no record is lost or corrupted, and the final records equal those
of an uninterrupted run bit for bit."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mfcheck.judgement.cells import using_executor
from mfcheck.sweeps import ProcessPoolExecutor, RecordStore, SequentialExecutor, Sweep

pytestmark = pytest.mark.fullsize

SCRIPT = """
import importlib.util, sys
name, path, folder, log, sleep, executor = sys.argv[1:]
spec = importlib.util.spec_from_file_location(name, path)
synthetic = importlib.util.module_from_spec(spec)
sys.modules[name] = synthetic
spec.loader.exec_module(synthetic)
from mfcheck.judgement.cells import using_executor
from mfcheck.sweeps import ProcessPoolExecutor, RecordStore, SequentialExecutor, Sweep
algo = synthetic.ToyAlgorithm(calls_log=log, sleep=float(sleep))
cells = ProcessPoolExecutor(2) if executor == "process" else SequentialExecutor()
with Sweep(RecordStore(folder), cells, fingerprint="code", progress=True) as sweep:
    with using_executor(sweep):
        synthetic.check(algo)
print("finished", flush=True)
"""

SLEEP = 0.3


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines() if path.exists() else []


def start(synthetic, folder: Path, log: Path, executor: str) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-c", SCRIPT, synthetic.__name__, synthetic.__file__, str(folder),
            str(log), str(SLEEP), executor]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def wait_for_records(records: Path, process: subprocess.Popen[bytes], count: int) -> None:
    deadline = time.monotonic() + 25
    while len(lines(records)) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the sweep stored too few records in time"
        time.sleep(0.02)


def group_gone(pgid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def reference(synthetic, tmp_path: Path) -> list[dict]:
    algo = synthetic.ToyAlgorithm()  # no sleep, no log: the records are the same
    with Sweep(RecordStore(tmp_path / "reference"), SequentialExecutor(), "code", progress=False) as sweep, \
            using_executor(sweep):
        return synthetic.check(algo)["records"]


def resume_and_compare(synthetic, tmp_path: Path, folder: Path, log: Path, executor) -> None:
    records = folder / "records.jsonl"
    before = {json.loads(line)["record"]["key"] for line in lines(records)}  # each line parses
    assert len(before) == len(lines(records)), "a cell was stored twice"
    assert 3 <= len(before) < 12
    calls_before = len(log.read_text().split())
    algo = synthetic.ToyAlgorithm(calls_log=str(log), sleep=SLEEP)
    with Sweep(RecordStore(folder), executor, "code", progress=False) as sweep, using_executor(sweep):
        result = synthetic.check(algo)
    recomputed = log.read_text().split()[calls_before:]
    assert not set(recomputed) & before, "a finished cell was recomputed"
    assert sorted(recomputed) == sorted({c.key for c in synthetic.cells()} - before)
    assert sweep.stats.reused == len(before) and sweep.stats.computed == 12 - len(before)
    expected = reference(synthetic, tmp_path)
    assert json.dumps(result["records"]) == json.dumps(expected)
    stored = RecordStore(folder).load()
    assert len(stored) == len(lines(records)) == 12
    assert sorted(json.dumps(r.to_dict()) for r in stored.values()) == sorted(json.dumps(r) for r in expected)


@pytest.mark.parametrize("executor", ["sequential", "process"])
def test_sigkill_then_resume(synthetic, tmp_path, executor):
    folder, log = tmp_path / "sweep", tmp_path / "calls.log"
    process = start(synthetic, folder, log, executor)
    try:
        wait_for_records(folder / "records.jsonl", process, 3)
        os.killpg(process.pid, signal.SIGKILL)  # the sweep and its workers, mid-way
    finally:
        process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    assert group_gone(process.pid)
    resume_and_compare(synthetic, tmp_path, folder, log,
                       ProcessPoolExecutor(2) if executor == "process" else SequentialExecutor())


def test_ctrl_c_then_resume(synthetic, tmp_path):
    folder, log = tmp_path / "sweep", tmp_path / "calls.log"
    process = start(synthetic, folder, log, "process")
    try:
        wait_for_records(folder / "records.jsonl", process, 3)
        process.send_signal(signal.SIGINT)  # Ctrl-C to the sweep process only
        _, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode != 0 and b"KeyboardInterrupt" in err
    assert b"cells/s" not in err  # no progress bar when stderr is not a terminal
    assert group_gone(process.pid), "worker processes outlived the interrupted sweep"
    resume_and_compare(synthetic, tmp_path, folder, log, SequentialExecutor())
