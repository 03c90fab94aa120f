"""Scan progress on stderr: a rich bar on a terminal, plain periodic lines otherwise, nothing with --quiet.

The total grows while the source is still being listed (listing and scanning overlap), so the ETA
firms up once listing ends.
"""
from __future__ import annotations

import sys
import time
from typing import IO, Protocol


class Progress(Protocol):
    def found(self, objects: int, size: int) -> None:
        """Objects listed (to be scanned or re-used)."""

    def done(self, objects: int, size: int, *, reused: bool = False) -> None:
        """Objects finished; ``reused`` when unchanged since the last scan (not read)."""

    def listed(self) -> None:
        """Listing has finished: the totals are final."""

    def close(self) -> None: ...


class NoProgress:
    def found(self, objects: int, size: int) -> None:
        pass

    def done(self, objects: int, size: int, *, reused: bool = False) -> None:
        pass

    def listed(self) -> None:
        pass

    def close(self) -> None:
        pass


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} PB"


class _Counts:
    def __init__(self) -> None:
        self.found = self.found_bytes = self.done = self.done_bytes = self.reused = 0
        self.read_bytes = 0
        self.started = time.monotonic()
        self.listing = True

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.read_bytes / elapsed
        total = f"{self.found:,}" + ("+" if self.listing else "")
        text = (f"{self.done:,}/{total} objects, {human_bytes(self.done_bytes)}/{human_bytes(self.found_bytes)}, "
                f"{human_bytes(rate)}/s, {self.done / elapsed:.1f} objects/s")
        if self.reused:
            text += f", {self.reused:,} unchanged"
        if not self.listing and rate > 0 and self.found_bytes > self.done_bytes:
            text += f", ETA {_clock((self.found_bytes - self.done_bytes) / rate)}"
        return text


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class PlainProgress:
    """One line every ``every`` seconds (logs, CI), and a last one at the end."""

    def __init__(self, stream: IO[str] | None = None, every: float = 10.0):
        self.stream = stream or sys.stderr
        self.every = every
        self.counts = _Counts()
        self._last = time.monotonic()

    def found(self, objects: int, size: int) -> None:
        self.counts.found += objects
        self.counts.found_bytes += size

    def done(self, objects: int, size: int, *, reused: bool = False) -> None:
        c = self.counts
        c.done += objects
        c.done_bytes += size
        if reused:
            c.reused += objects
        else:
            c.read_bytes += size
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            self._emit()

    def listed(self) -> None:
        self.counts.listing = False

    def _emit(self) -> None:
        print(f"pii-scan: {self.counts.line()}", file=self.stream, flush=True)

    def close(self) -> None:
        self.counts.listing = False
        self._emit()


class RichProgress:
    """A rich progress bar: objects, bytes, rate and ETA (by bytes, once listing has finished)."""

    def __init__(self, stream: IO[str] | None = None):
        from rich.console import Console
        from rich.progress import (BarColumn, DownloadColumn, Progress as Bar, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn, TransferSpeedColumn)

        self.counts = _Counts()
        self.bar = Bar(TextColumn("[bold]scanning"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                       TextColumn("{task.fields[objects]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                       console=Console(file=stream or sys.stderr), transient=False, refresh_per_second=4)
        self.task = self.bar.add_task("scan", total=None, objects="")
        self.bar.start()

    def _update(self) -> None:
        c = self.counts
        objects = f"{c.done:,}/{c.found:,}{'+' if c.listing else ''} objects"
        if c.reused:
            objects += f" ({c.reused:,} unchanged)"
        self.bar.update(self.task, completed=c.done_bytes, total=None if c.listing else max(c.found_bytes, 1),
                        objects=objects)

    def found(self, objects: int, size: int) -> None:
        self.counts.found += objects
        self.counts.found_bytes += size
        self._update()

    def done(self, objects: int, size: int, *, reused: bool = False) -> None:
        c = self.counts
        c.done += objects
        c.done_bytes += size
        if reused:
            c.reused += objects
        self._update()

    def listed(self) -> None:
        self.counts.listing = False
        self._update()

    def close(self) -> None:
        self.counts.listing = False
        self._update()
        self.bar.stop()


def make_progress(quiet: bool, stream: IO[str] | None = None, every: float = 10.0) -> Progress:
    """Nothing when quiet; a bar on a terminal; periodic plain lines otherwise."""
    stream = stream or sys.stderr
    if quiet:
        return NoProgress()
    if stream.isatty():
        return RichProgress(stream)
    return PlainProgress(stream, every)
