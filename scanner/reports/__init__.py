"""Output formats: an Enum mapped exhaustively to renderers ``(report, out) -> None`` of the typed Report."""
from __future__ import annotations

import contextlib
import enum
import io
import os
import secrets
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO

from scanner.errors import UsageError
from scanner.reports.model import Report

# A renderer writes a Report onto a text stream; the format modules below turn the report into text.
Renderer = Callable[[Report, IO[str]], None]


class Format(str, enum.Enum):
    CONSOLE = "console"
    JSON = "json"
    SARIF = "sarif"
    CSV = "csv"
    MARKDOWN = "md"
    HTML = "html"


def _console(report: Report, out: IO[str]) -> None:
    from rich.console import Console

    from scanner.reports.console import render_console

    buf = io.StringIO()
    render_console(report, Console(file=buf, width=120, soft_wrap=False, no_color=True,
                                                  highlight=False))
    out.write(buf.getvalue())


def _json(report: Report, out: IO[str]) -> None:
    """Streamed piece by piece, so a large estate's report is never one string."""
    from scanner.reports.json_report import write_json

    write_json(report.document, out)


def _sarif(report: Report, out: IO[str]) -> None:
    from scanner.reports.sarif import render_sarif

    out.write(render_sarif(report))


def _csv(report: Report, out: IO[str]) -> None:
    from scanner.reports.csv_report import render_csv

    out.write(render_csv(report))


def _markdown(report: Report, out: IO[str]) -> None:
    from scanner.reports.markdown import render_markdown

    out.write(render_markdown(report))


def _html(report: Report, out: IO[str]) -> None:
    from scanner.reports.html import render_html

    out.write(render_html(report))


RENDERERS: Mapping[Format, Renderer] = {
    Format.CONSOLE: _console,
    Format.JSON: _json,
    Format.SARIF: _sarif,
    Format.CSV: _csv,
    Format.MARKDOWN: _markdown,
    Format.HTML: _html,
}

# -o FILE picks its format from the extension; the longest suffix wins (.sarif.json is SARIF).
EXTENSIONS: Mapping[str, Format] = {
    ".json": Format.JSON, ".sarif": Format.SARIF, ".sarif.json": Format.SARIF, ".csv": Format.CSV,
    ".md": Format.MARKDOWN, ".markdown": Format.MARKDOWN, ".html": Format.HTML, ".htm": Format.HTML,
    ".txt": Format.CONSOLE,
}


def renderer(fmt: Format | str) -> Renderer:
    return RENDERERS[Format(fmt)]


def write(fmt: Format | str, report: Report, stream: IO[str]) -> None:
    """Render ``report`` in ``fmt`` onto ``stream``."""
    renderer(fmt)(report, stream)


def render(fmt: Format | str, report: Report) -> str:
    """``report`` in ``fmt`` as one string (what write() puts on a stream)."""
    buf = io.StringIO()
    write(fmt, report, buf)
    return buf.getvalue()


OUTPUT_MODE = 0o600          # reports hold masked values, hashes and the file names of people


def parse_output_mode(text: str) -> int:
    """An octal file mode such as ``600`` or ``0640`` (what --output-mode takes)."""
    try:
        mode = int(text, 8)
    except ValueError:
        raise UsageError(f"--output-mode {text!r}: expected an octal file mode such as 600 or 640") from None
    if not 0 <= mode <= 0o777 or not mode & 0o600 == 0o600:
        raise UsageError(f"--output-mode {text!r}: must be between 600 and 777 (the owner reads and writes)")
    return mode


@contextlib.contextmanager
def atomic_text(path: str | Path, mode: int = OUTPUT_MODE) -> Iterator[IO[str]]:
    """A UTF-8 text stream that replaces ``path`` only once it is fully written: a reader (or a failed write)
    never sees half a file. The temporary file sits beside ``path`` (same file system, so the rename is atomic)
    and is removed on any failure. The file ends with ``mode`` (0600 by default), new or replaced."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        # NOTE: O_EXCL, so a file or symlink planted under the temporary name is never written through;
        # created 0600 and only then widened, so nobody else can open it while it is being written
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with open(fd, "w", encoding="utf-8", newline="") as out:
                yield out
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc.__class__.__name__}") from None


def write_file(path: str | Path, fmt: Format | str, report: Report, mode: int = OUTPUT_MODE) -> None:
    """Render ``report`` into ``path`` atomically (see atomic_text)."""
    with atomic_text(path, mode) as out:
        write(fmt, report, out)


def check_writable(path: str | Path) -> None:
    """A usage error now, before a scan, if ``path`` could not be written later: a missing or unwritable folder,
    or a folder where the file should be. Nothing is created."""
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    if p.is_dir():
        raise UsageError(f"cannot write {path}: is a directory")
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: no such directory {folder}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write {path}: the directory {folder} is not writable")


def format_for_path(path: str | Path) -> Format:
    """The format for an output file, from its extension (a usage error if there is none we know)."""
    name = Path(path).name.lower()
    for ext in sorted(EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext):
            return EXTENSIONS[ext]
    known = ", ".join(sorted(EXTENSIONS))
    raise UsageError(f"{path}: cannot tell the report format from the extension (use one of {known})")


def output_format(path: str | None, given: str | None, allowed: tuple[str, ...]) -> str:
    """The format a command writes: ``--format`` if given, else from ``-o FILE``'s extension, else console.
    A usage error (exit 2, before any I/O) names the formats the command can write."""
    if given:
        return given
    if not path:
        return "console"
    fmt = format_for_path(path).value
    if fmt not in allowed:
        raise UsageError(f"{path}: this command writes {', '.join(allowed)}, not {fmt} (use --format or another "
                         "extension)")
    return fmt
