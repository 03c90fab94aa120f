"""Output formats: an Enum mapped exhaustively to renderers ``(report, out) -> None`` of the typed Report."""
from __future__ import annotations

import contextlib
import enum
import importlib
import io
import os
import secrets
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO

from scanner.errors import UsageError
from scanner.reports.model import Report

# A renderer writes a Report onto a text stream: ``render(report, out)`` in each format's module. None takes a
# dict: the JSON document is what the JSON renderer writes, not what the others read.
Renderer = Callable[[Report, IO[str]], None]


class Format(str, enum.Enum):
    CONSOLE = "console"
    JSON = "json"
    SARIF = "sarif"
    CSV = "csv"
    MARKDOWN = "md"
    HTML = "html"


_MODULES: Mapping[Format, str] = {
    Format.CONSOLE: "scanner.reports.console",
    Format.JSON: "scanner.reports.json_report",
    Format.SARIF: "scanner.reports.sarif",
    Format.CSV: "scanner.reports.csv_report",
    Format.MARKDOWN: "scanner.reports.markdown",
    Format.HTML: "scanner.reports.html",
}


def _lazy(module: str) -> Renderer:
    """The ``render`` of ``module``, imported on first use (rich, jinja2 and the policy catalogue load only for
    the formats written)."""
    def render(report: Report, out: IO[str]) -> None:
        importlib.import_module(module).render(report, out)

    render.__qualname__ = f"{module}.render"
    return render


RENDERERS: Mapping[Format, Renderer] = {fmt: _lazy(module) for fmt, module in _MODULES.items()}

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
