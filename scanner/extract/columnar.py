"""Parquet, Arrow IPC / Feather, ORC and Avro: column names from the schema, a sample of rows per column, and
identifier columns indexed for subject search up to limits.table_index_rows.

pyarrow and fastavro are core dependencies (issue 19 item 10): exported datasets are read by the default install."""
from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from scanner.extract import ExtractContext
from scanner.extract._support import guarded, spool
from scanner.extract.tables import MAX_COLUMNS, cell_text, pair_names
from scanner.model import Segment, SegmentKind


def _columns(names: Iterable[str], head: Mapping[str, list[Any]], rows: int, ctx: ExtractContext) -> Iterator[Segment]:
    """COLUMN segments from the first limits.table_read_rows rows of each column (each cell converted once); a
    first-name and a last-name column as one PERSON column (tables.pair_names)."""
    return pair_names(_each_column(names, head, rows, ctx))


def _each_column(names: Iterable[str], head: Mapping[str, list[Any]], rows: int,
                 ctx: ExtractContext) -> Iterator[Segment]:
    limits = ctx.limits
    for name in itertools.islice(names, MAX_COLUMNS):
        texts = tuple(cell_text(v) for v in itertools.islice(head.get(name, ()), limits.table_read_rows))
        yield Segment(SegmentKind.COLUMN, name=name, values=texts[:limits.table_sample_rows], rows=rows,
                      where={"column": name, "first_line": 1}, index_values=texts[:limits.table_index_rows])


def _head(batches: Iterable[Any], names: list[str], want: int) -> dict[str, list[Any]]:
    """The first `want` rows of each column from record batches (Parquet row groups, ORC stripes), consuming
    the batches only as far as needed."""
    head: dict[str, list[Any]] = {n: [] for n in names}
    for batch in batches:
        if want <= 0:
            break
        part = batch.slice(0, want).to_pydict()
        for n in names:
            head[n].extend(part[n])
        want -= min(want, batch.num_rows)
    return head


@guarded
def extract_parquet(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    from pyarrow import parquet as pq

    with spool(stream, ctx) as file:
        pf = pq.ParquetFile(file)
        names = pf.schema_arrow.names[:MAX_COLUMNS]
        want = ctx.limits.table_read_rows
        head = _head(pf.iter_batches(batch_size=min(want, 8192) or 1, columns=names), names, want)
        yield from _columns(names, head, pf.metadata.num_rows, ctx)


@guarded
def extract_arrow(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    from pyarrow import ipc

    with spool(stream, ctx) as file:
        reader = ipc.open_file(file)
        names = reader.schema.names[:MAX_COLUMNS]
        head: dict[str, list[Any]] = {n: [] for n in names}
        rows, want = 0, ctx.limits.table_read_rows
        for i in range(reader.num_record_batches):
            batch = reader.get_batch(i)
            rows += batch.num_rows
            if want > 0:
                part = batch.slice(0, want).select(names).to_pydict()
                for n in names:
                    head[n].extend(part[n])
                want -= min(want, batch.num_rows)
        yield from _columns(names, head, rows, ctx)


@guarded
def extract_feather(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    """Feather version 1 (version 2 is the Arrow IPC file format, read by extract_arrow)."""
    from pyarrow import feather

    with spool(stream, ctx) as file, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)      # reading version 1 is deprecated, not gone
        table = feather.read_table(file, memory_map=False)
        names = table.schema.names[:MAX_COLUMNS]
        part = table.slice(0, ctx.limits.table_read_rows).select(names).to_pydict()
        yield from _columns(names, part, table.num_rows, ctx)


@guarded
def extract_orc(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    from pyarrow import orc

    with spool(stream, ctx) as file:
        of = orc.ORCFile(file)
        names = of.schema.names[:MAX_COLUMNS]
        stripes = (of.read_stripe(i, columns=names) for i in range(of.nstripes))   # read lazily, as far as needed
        yield from _columns(names, _head(stripes, names, ctx.limits.table_read_rows), of.nrows, ctx)


@guarded
def extract_avro(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    import fastavro

    records = fastavro.reader(stream)
    names: dict[str, None] = {}
    sample: dict[str, list[Any]] = {}
    rows, want = 0, ctx.limits.table_read_rows
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
    yield from _columns(names, sample, rows, ctx)


def _flatten(record: Mapping[str, Any], prefix: str = "", depth: int = 0) -> Iterator[tuple[str, Any]]:
    for key, value in record.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and depth < 8:
            yield from _flatten(value, path, depth + 1)
        else:
            yield path, value
