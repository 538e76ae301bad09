"""Progress: a rich bar (cells done / total, rate, time left) on a terminal, silence elsewhere."""

from __future__ import annotations

import sys
from typing import Any, Protocol, TextIO


class Progress(Protocol):
    """What the sweep engine tells a progress display."""

    def advance(self, count: int = 1) -> None: ...

    def close(self) -> None: ...


class Quiet:
    """Shows nothing (output is not a terminal, or progress is off)."""

    def advance(self, count: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


class RichBar:
    """A rich progress bar on ``stream`` (stderr): description, bar, done/total, rate, time left."""

    def __init__(self, description: str, total: int, done: int = 0, stream: TextIO | None = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task: Any) -> Text:
                speed = task.finished_speed or task.speed
                return Text("? cells/s" if speed is None else f"{speed:.2f} cells/s")

        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  Rate(), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                                  console=Console(file=stream or sys.stderr), transient=False)
        self._progress.start()
        self._task = self._progress.add_task(description, total=total, completed=done)

    def advance(self, count: int = 1) -> None:
        self._progress.advance(self._task, count)

    def close(self) -> None:
        self._progress.stop()


def is_terminal(stream: TextIO | None = None) -> bool:
    stream = stream if stream is not None else sys.stderr
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def progress_for(description: str, total: int, done: int, *, enabled: bool = True,
                 stream: TextIO | None = None) -> Progress:
    """A :class:`RichBar` when ``enabled`` and ``stream`` (stderr) is a terminal, else :class:`Quiet`."""
    if enabled and total > 0 and is_terminal(stream):
        return RichBar(description, total, done, stream)
    return Quiet()
