"""SQLite database files: every table's columns, sampled, and indexed for subject search (read-only, immutable)."""
from __future__ import annotations

import sqlite3
import time
from typing import IO, Any, Iterator

from scanner.errors import ObjectError
from scanner.extract import ExtractContext
from scanner.extract._support import guarded, spool_to_file
from scanner.extract.tables import MAX_COLUMNS, cell_text, pair_names
from scanner.model import Segment, SegmentKind

MAX_TABLES = 1000
QUERY_SECONDS = 30          # per object: a hostile database must not keep a worker busy for ever


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@guarded
def extract_sqlite(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    with spool_to_file(stream, ctx, ".sqlite") as tmp:
        db = sqlite3.connect(f"file:{tmp.name}?mode=ro&immutable=1", uri=True)
        try:
            deadline = time.monotonic() + QUERY_SECONDS
            # NOTE: a non-zero return aborts the running statement (sqlite3.OperationalError: interrupted)
            db.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
            db.execute("PRAGMA trusted_schema=OFF")
            try:
                tables = [r[0] for r in db.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                ).fetchmany(MAX_TABLES)]
            except sqlite3.DatabaseError as exc:
                raise ObjectError(f"not a readable SQLite database ({exc.__class__.__name__})") from None
            for table in tables:
                yield from _table(db, table, ctx)
        finally:
            db.close()


def _table(db: sqlite3.Connection, table: str, ctx: ExtractContext) -> Iterator[Segment]:
    q = _quote(table)
    try:
        columns = [r[1] for r in db.execute(f"PRAGMA table_info({q})")][:MAX_COLUMNS]
        if not columns:
            return
        select = ", ".join(_quote(c) for c in columns)
        # NOTE: beyond the classified sample, identifier columns are indexed for subject search in full
        # (up to table_index_rows), as for CSV and spreadsheets
        rows = db.execute(f"SELECT {select} FROM {q} LIMIT ?", (ctx.limits.table_read_rows,)).fetchall()
        total = db.execute(f"SELECT count(*) FROM (SELECT 1 FROM {q} LIMIT ?)",
                           (ctx.limits.table_max_rows,)).fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if "interrupted" in str(exc):
            raise ObjectError(f"reading took longer than {QUERY_SECONDS} s") from None
        raise ObjectError(f"cannot read table {table!r} ({exc.__class__.__name__})") from None
    yield from pair_names(_column(rows, i, name, table, total, ctx) for i, name in enumerate(columns))


def _column(rows: list[Any], i: int, name: str, table: str, total: int, ctx: ExtractContext) -> Segment:
    texts = tuple(_value(r[i]) for r in rows)                 # each cell converted once
    return Segment(SegmentKind.COLUMN, name=name, values=texts[:ctx.limits.table_sample_rows], rows=total,
                   where={"table": table, "column": name, "first_line": 1},
                   index_values=texts[:ctx.limits.table_index_rows])


def _value(v: object) -> str:
    if isinstance(v, bytes):
        return v[:256].decode("utf-8", errors="replace") if v and b"\x00" not in v[:64] else ""
    return cell_text(v)
