"""Output formats: an Enum mapped exhaustively to renderers of the report document (build_document's dict)."""
from __future__ import annotations

import enum
import io
import os
from pathlib import Path
from typing import IO, Any, Callable, Mapping

from scanner.errors import UsageError

Renderer = Callable[[Mapping[str, Any]], str]


class Format(str, enum.Enum):
    CONSOLE = "console"
    JSON = "json"
    SARIF = "sarif"
    CSV = "csv"
    MARKDOWN = "md"
    HTML = "html"


def _console(doc: Mapping[str, Any]) -> str:
    from rich.console import Console

    from scanner.reports.console import render_console

    buf = io.StringIO()
    render_console(dict(doc), Console(file=buf, width=120, soft_wrap=False, no_color=True, highlight=False))
    return buf.getvalue()


def _json(doc: Mapping[str, Any]) -> str:
    from scanner.reports.json_report import render_json

    return render_json(dict(doc))


def _sarif(doc: Mapping[str, Any]) -> str:
    from scanner.reports.sarif import render_sarif

    return render_sarif(doc)


def _csv(doc: Mapping[str, Any]) -> str:
    from scanner.reports.csv_report import render_csv

    return render_csv(doc)


def _markdown(doc: Mapping[str, Any]) -> str:
    from scanner.reports.markdown import render_markdown

    return render_markdown(doc)


def _html(doc: Mapping[str, Any]) -> str:
    from scanner.reports.html import render_html

    return render_html(doc)


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


def render(fmt: Format | str, doc: Mapping[str, Any]) -> str:
    return renderer(fmt)(doc)


def write(fmt: Format | str, doc: Mapping[str, Any], stream: IO[str]) -> None:
    """Render ``doc`` onto ``stream``; JSON is streamed, so a large estate's report is never one string."""
    if Format(fmt) is Format.JSON:
        from scanner.reports.json_report import write_json

        write_json(doc, stream)
    else:
        stream.write(render(fmt, doc))


def write_file(path: str | Path, fmt: Format | str, doc: Mapping[str, Any]) -> None:
    """Render ``doc`` into ``path`` atomically: a reader (or a failed write) never sees half a report."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as out:
            write(fmt, doc, out)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {exc.strerror or exc.__class__.__name__}") from None


def format_for_path(path: str | Path) -> Format:
    """The format for an output file, from its extension (a usage error if there is none we know)."""
    name = Path(path).name.lower()
    for ext in sorted(EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext):
            return EXTENSIONS[ext]
    known = ", ".join(sorted(EXTENSIONS))
    raise UsageError(f"{path}: cannot tell the report format from the extension (use one of {known})")
