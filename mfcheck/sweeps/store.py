"""RecordStore: the records of one sweep folder, one JSON line per finished cell.

Every line is ``{"sweep_key": ..., "record": Record.to_dict()}`` written by a single
``os.write`` on an ``O_APPEND`` descriptor and then ``fsync``-ed, so a line is either wholly in
the file or (if the process died inside the write) a torn tail without its newline. Loading
ignores such a tail; the first append of a store truncates it, so the next line never glues
onto it. A cell is stored under ``sweep_key = sha256(cell.key + fingerprint)``: a record made by
other code, another algorithm or another master seed has another key and is never reused.

One process appends to a folder at a time (the sweep's parent process); readers may be many.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mfcheck.judgement.cells import Cell
from mfcheck.judgement.records import Record

RECORDS_FILE = "records.jsonl"


class StoreCorrupted(ValueError):
    """A complete line of the records file is not a valid stored record."""


def sweep_key(cell: Cell, fingerprint: str) -> str:
    """The identity of ``cell``'s record in a sweep: sha256 of its key and the fingerprint."""
    return hashlib.sha256((cell.key + fingerprint).encode()).hexdigest()


def encode_line(key: str, record: Record) -> bytes:
    """One stored line (with its newline) for ``record`` under ``key``."""
    if not isinstance(record, Record):
        raise TypeError(f"a sweep stores Record values; the cell function returned {type(record).__name__}")
    text = json.dumps({"sweep_key": key, "record": record.to_dict()}, separators=(",", ":"),
                      allow_nan=False)
    return (text + "\n").encode()


def decode_line(line: bytes) -> tuple[str, Record]:
    """(sweep key, record) of one complete stored line; :class:`StoreCorrupted` if it is not one."""
    try:
        data = json.loads(line)
        key, record = data["sweep_key"], Record.from_dict(data["record"])
    except (ValueError, KeyError, TypeError) as error:
        raise StoreCorrupted(f"not a stored record: {line[:120]!r}: {error}") from None
    if record.cell.key != data["record"].get("key", record.cell.key):
        raise StoreCorrupted(f"cell key mismatch in {line[:120]!r}")
    return key, record


class RecordStore:
    """The records of one sweep folder (created on demand): ``folder/records.jsonl``."""

    def __init__(self, folder: str | os.PathLike[str], name: str = RECORDS_FILE) -> None:
        self.folder = Path(folder)
        self.path = self.folder / name
        self._fd: int | None = None

    # ------------------------------------------------------------------------------ reading

    def _lines(self) -> Iterator[bytes]:
        """The complete lines of the file (a torn last line without newline is left out)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        end = data.rfind(b"\n")
        for line in data[: end + 1].splitlines():
            if line.strip():
                yield line

    def load(self) -> dict[str, Record]:
        """Every stored record by sweep key (a key stored twice keeps its first record)."""
        out: dict[str, Record] = {}
        for line in self._lines():
            key, record = decode_line(line)
            out.setdefault(key, record)
        return out

    def done_keys(self) -> set[str]:
        """The sweep keys of every stored record."""
        return set(self.load())

    def __len__(self) -> int:
        return len(self.load())

    # ------------------------------------------------------------------------------ writing

    def _open(self) -> int:
        if self._fd is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            created = not self.path.exists()
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
            size = os.fstat(fd).st_size
            if size:  # drop a torn tail (a write the process died in) before appending
                data = self.path.read_bytes()
                keep = data.rfind(b"\n") + 1
                if keep != size:
                    os.ftruncate(fd, keep)
                    os.fsync(fd)
            if created:
                _fsync_folder(self.folder)
            self._fd = fd
        return self._fd

    def append(self, record: Record, fingerprint: str) -> Record:
        """Store ``record`` under ``sweep_key(record.cell, fingerprint)``, atomically and durably.

        Returns the record as it will load back (values as plain JSON), so that a fresh run and
        a resumed one hand the same values to the judgement.
        """
        if not isinstance(record, Record):
            raise TypeError(f"a sweep stores Record values; the cell function returned "
                            f"{type(record).__name__}")
        line = encode_line(sweep_key(record.cell, fingerprint), record)
        fd = self._open()
        written = os.write(fd, line)
        if written != len(line):  # a short write on a regular file: disk full
            raise OSError(f"{self.path}: short write ({written} of {len(line)} bytes)")
        os.fsync(fd)
        return decode_line(line)[1]

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RecordStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass

    def __repr__(self) -> str:
        return f"RecordStore({str(self.folder)!r})"


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
