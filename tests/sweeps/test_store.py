"""RecordStore: one atomic JSON line per record, torn tails ignored and repaired, stale keys."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from mfcheck.judgement.cells import Cell
from mfcheck.judgement.records import Record
from mfcheck.sweeps.store import RecordStore, StoreCorrupted, sweep_key


def record(i: int) -> Record:
    cell = Cell.of("toy.store", {"n": i, "noise": 0.5}, seed_index=i % 2)
    return Record.of(cell, error=0.1 * i + 1e-17, curve=np.linspace(0, 1, 5) * i, inf=float("inf"))


def test_append_load_round_trip(tmp_path):
    store = RecordStore(tmp_path / "sweep")
    stored = [store.append(record(i), "fp") for i in range(4)]
    loaded = RecordStore(tmp_path / "sweep").load()
    assert set(loaded) == {sweep_key(record(i).cell, "fp") for i in range(4)}
    for i, r in enumerate(stored):
        assert loaded[sweep_key(record(i).cell, "fp")] == r
        assert r.to_dict() == json.loads(json.dumps(record(i).to_dict()))  # floats exactly
    assert store.done_keys() == set(loaded)
    lines = store.path.read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) == 5  # one complete line per record


def test_key_depends_on_the_fingerprint(tmp_path):
    store = RecordStore(tmp_path)
    store.append(record(1), "code v1")
    assert sweep_key(record(1).cell, "code v1") in store.done_keys()
    assert sweep_key(record(1).cell, "code v2") not in store.done_keys()
    assert sweep_key(record(1).cell, "a") != sweep_key(record(2).cell, "a")


def test_a_torn_last_line_is_ignored_then_repaired(tmp_path):
    store = RecordStore(tmp_path)
    store.append(record(0), "fp")
    store.append(record(1), "fp")
    store.close()
    whole = store.path.read_bytes()
    torn = json.dumps({"sweep_key": "x", "record": record(2).to_dict()}).encode()[:37]
    store.path.write_bytes(whole + torn)  # the process died inside a write
    assert set(RecordStore(tmp_path).load()) == {sweep_key(record(i).cell, "fp") for i in (0, 1)}
    again = RecordStore(tmp_path)
    again.append(record(3), "fp")  # the torn tail is dropped, not glued onto
    assert again.path.read_bytes() == whole + json.dumps(
        {"sweep_key": sweep_key(record(3).cell, "fp"), "record": record(3).to_dict()},
        separators=(",", ":")).encode() + b"\n"
    assert len(RecordStore(tmp_path).load()) == 3


def test_a_corrupted_complete_line_is_an_error(tmp_path):
    store = RecordStore(tmp_path)
    store.append(record(0), "fp")
    with open(store.path, "ab") as f:
        f.write(b'{"not": "a record"}\n')
    with pytest.raises(StoreCorrupted):
        RecordStore(tmp_path).load()


def test_each_append_is_one_write_and_fsync(tmp_path, monkeypatch):
    writes, syncs = [], []
    real_write, real_fsync = os.write, os.fsync
    monkeypatch.setattr(os, "write", lambda fd, data: writes.append(bytes(data)) or real_write(fd, data))
    monkeypatch.setattr(os, "fsync", lambda fd: syncs.append(fd) or real_fsync(fd))
    store = RecordStore(tmp_path)
    store.append(record(0), "fp")
    syncs.clear()
    store.append(record(1), "fp")
    assert len(writes) == 2 and all(w.endswith(b"\n") and w.count(b"\n") == 1 for w in writes)
    assert len(syncs) == 1
    assert os.O_APPEND & __import__("fcntl").fcntl(store._fd, __import__("fcntl").F_GETFL)


def test_only_records_are_stored(tmp_path):
    with pytest.raises(TypeError, match="Record"):
        RecordStore(tmp_path).append({"error": 1.0}, "fp")  # type: ignore[arg-type]


def test_an_empty_or_missing_store_loads_nothing(tmp_path):
    assert RecordStore(tmp_path / "absent").load() == {}
    (tmp_path / "records.jsonl").write_bytes(b"")
    assert RecordStore(tmp_path).done_keys() == set()
