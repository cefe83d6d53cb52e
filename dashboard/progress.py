"""Progress of long loads: a bar with rows per second, on a terminal only.

A bar appears once a file has taken more than a second (quick files stay quiet) and only when
the stream is a terminal, so CI logs, pipes and redirected output never see it. It is drawn on
stderr and removed when the file is done, leaving the command's own output as it was.
"""
from __future__ import annotations

import sys
import time
from typing import Callable, TextIO

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn,
                           TextColumn, TimeElapsedColumn)
from rich.text import Text

AFTER_SECONDS = 1.0


class RateColumn(ProgressColumn):
    """Rows per second so far."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f} rows/s", style="progress.data.speed")


class RowProgress:
    """One file's progress: `stage(name, total)` starts a stage, `advance(n)` counts rows."""

    def __init__(self, label: str, stream: TextIO | None = None, after: float = AFTER_SECONDS,
                 clock: Callable[[], float] = time.monotonic, force: bool | None = None):
        self.label, self.after, self.clock = label, after, clock
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", lambda: False)
        self.enabled = isatty() if force is None else force
        self.started = clock()
        self.name, self.total, self.done = "", None, 0
        self._bar: Progress | None = None
        self._task = None

    def __enter__(self) -> "RowProgress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def stage(self, name: str, total: int | None = None) -> None:
        self.name, self.total, self.done = name, total, 0
        if self._bar is not None:
            self._bar.reset(self._task, total=total, description=self._words())
        self._tick()

    def advance(self, n: int) -> None:
        self.done += n
        self._tick()

    def _words(self) -> str:
        return f"{self.label}: {self.name}" if self.name else self.label

    def _tick(self) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            if self.clock() - self.started <= self.after:
                return
            console = Console(file=self.stream, force_terminal=True)
            self._bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), RateColumn(), TimeElapsedColumn(),
                                 console=console, transient=True)
            self._bar.start()
            self._task = self._bar.add_task(self._words(), total=self.total)
        self._bar.update(self._task, completed=self.done, description=self._words())

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
