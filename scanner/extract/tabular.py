"""CSV/TSV: header detection and a per-column sample, so columns are classified as columns."""
from __future__ import annotations

import csv
import io
import itertools
from typing import IO, Iterator

from scanner.extract import ExtractContext
from scanner.extract._support import guarded
from scanner.extract.tables import pair_names, row_is_data
from scanner.extract.text import decoded_chunks
from scanner.model import Segment, SegmentKind

csv.field_size_limit(1_000_000)


def _lines(chunks: Iterator[str]) -> Iterator[str]:
    """The text of ``chunks`` as lines ending in "\\n" (the last may not), without decoding it all at once."""
    rest = ""
    for chunk in chunks:
        lines = (rest + chunk).split("\n")
        rest = lines.pop()
        for line in lines:
            yield line + "\n"
    if rest:
        yield rest


@guarded        # NOTE: csv.Error (a field over the size limit, a NUL byte) fails this object, not the scan
def extract_csv(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    reader_src = _lines(decoded_chunks(stream, ctx))
    head_lines = list(itertools.islice(reader_src, 20))
    sample_text = "".join(head_lines).lstrip("\ufeff")
    delimiter = "\t" if ctx.name.lower().endswith((".tsv", ".tab")) else _delimiter(sample_text)
    rows = csv.reader(itertools.chain(io.StringIO(sample_text), reader_src), delimiter=delimiter)
    first = next(rows, None)
    if first is None:
        return
    has_header = _looks_like_header(first, sample_text, delimiter)
    names = [h.strip() or f"column {i + 1}" for i, h in enumerate(first)] if has_header else \
        [f"column {i + 1}" for i in range(len(first))]
    samples: list[list[str]] = [[] for _ in names]
    indexed: list[list[str]] = [[] for _ in names]
    total = 0
    body = rows if has_header else itertools.chain([first], rows)
    n, keep = ctx.limits.table_sample_rows, ctx.limits.table_index_rows
    for row in itertools.islice(body, ctx.limits.table_max_rows):
        total += 1
        if total <= n:                   # aligned too: a short row's missing cells are empty
            for i in range(len(names)):
                samples[i].append(row[i] if i < len(row) else "")
        if total <= keep:                # aligned with the rows (empty cells kept) so a row number can be given
            for i in range(len(names)):
                indexed[i].append(row[i] if i < len(row) else "")
    first_line = 2 if has_header else 1
    yield from pair_names(Segment(SegmentKind.COLUMN, name=name, values=tuple(samples[i]), rows=total,
                                  where={"column": name, "first_line": first_line}, index_values=tuple(indexed[i]))
                          for i, name in enumerate(names))     # first and last names: one PERSON per row


def _delimiter(sample: str) -> str:
    # NOTE: csv.Sniffer counts all 127 ASCII characters on every line (a few ms a file); without quotes it
    # finds a comma whenever every line holds the same number of them (a comma comes first of its preferred
    # delimiters), so that case is answered without it (a test compares the two)
    if '"' not in sample and "'" not in sample:
        counts = {line.count(",") for line in sample.split("\n") if line}
        if len(counts) == 1 and 0 not in counts:
            return ","
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _first_row_is_data(first: list[str], sample: str, delimiter: str) -> bool:
    rest = list(csv.reader(io.StringIO(sample), delimiter=delimiter))[1:]
    return row_is_data(first, rest)


def _looks_like_header(first: list[str], sample: str, delimiter: str) -> bool:
    if not any(c.strip() for c in first):
        return False
    if _first_row_is_data(first, sample, delimiter):
        return False
    if all(c.strip() and not any(ch.isdigit() for ch in c) and "@" not in c for c in first):
        return True
    try:
        return csv.Sniffer().has_header(sample)
    except csv.Error:
        return False
