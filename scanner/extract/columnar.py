"""Parquet, Arrow IPC and Avro: column names from the schema, a sample of rows per column."""
from __future__ import annotations

import itertools
from typing import IO, Any, Iterable, Iterator, Mapping

from scanner.extract import ExtractContext
from scanner.extract._support import guarded, require, spool
from scanner.extract.tables import MAX_COLUMNS, cell_text
from scanner.model import Segment, SegmentKind


def _columns(names: Iterable[str], sample: Mapping[str, list[Any]], rows: int) -> Iterator[Segment]:
    for name in itertools.islice(names, MAX_COLUMNS):
        values = tuple(cell_text(v) for v in sample.get(name, ()))
        yield Segment(SegmentKind.COLUMN, name=name, values=values, rows=rows,
                      where={"column": name, "first_line": 1})


@guarded
def extract_parquet(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    pq = require("pyarrow.parquet", "columnar", "Parquet")
    with spool(stream, ctx) as file:
        pf = pq.ParquetFile(file)
        names = pf.schema_arrow.names[:MAX_COLUMNS]
        batch = next(pf.iter_batches(batch_size=ctx.limits.table_sample_rows, columns=names), None)
        sample = batch.to_pydict() if batch is not None else {}
        yield from _columns(names, sample, pf.metadata.num_rows)


@guarded
def extract_arrow(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    ipc = require("pyarrow.ipc", "columnar", "Arrow")
    with spool(stream, ctx) as file:
        reader = ipc.open_file(file)
        names = reader.schema.names[:MAX_COLUMNS]
        sample: dict[str, list[Any]] = {n: [] for n in names}
        rows, want = 0, ctx.limits.table_sample_rows
        for i in range(reader.num_record_batches):
            batch = reader.get_batch(i)
            rows += batch.num_rows
            if want > 0:
                part = batch.slice(0, want).select(names).to_pydict()
                for n in names:
                    sample[n].extend(part[n])
                want -= min(want, batch.num_rows)
        yield from _columns(names, sample, rows)


@guarded
def extract_avro(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    fastavro = require("fastavro", "columnar", "Avro")
    records = fastavro.reader(stream)
    names: dict[str, None] = {}
    sample: dict[str, list[Any]] = {}
    rows, want = 0, ctx.limits.table_sample_rows
    for record in itertools.islice(records, ctx.limits.table_max_rows):
        flat = dict(_flatten(record)) if isinstance(record, dict) else {"value": record}
        if rows < want:
            for key in flat:
                if key not in names and len(names) < MAX_COLUMNS:
                    names[key] = None
                    sample[key] = [None] * rows
            for key in names:
                sample[key].append(flat.get(key))
        rows += 1
    yield from _columns(names, sample, rows)


def _flatten(record: Mapping[str, Any], prefix: str = "", depth: int = 0) -> Iterator[tuple[str, Any]]:
    for key, value in record.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and depth < 8:
            yield from _flatten(value, path, depth + 1)
        else:
            yield path, value
