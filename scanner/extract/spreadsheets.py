"""XLSX, legacy XLS and ODS: every sheet, header-row detection, one COLUMN segment per column."""
from __future__ import annotations

import datetime as _dt
import re
from types import ModuleType
from typing import IO, Any, Iterator

from scanner.errors import ObjectError, SkipObject
from scanner.extract import ExtractContext
from scanner.extract._support import (
    ZipReader,
    attribute,
    guarded,
    local_name,
    open_office,
    require,
    spool_to_file,
)
from scanner.extract.tables import MAX_COLUMNS, column_index, table_segments
from scanner.model import Segment

_calamine: ModuleType | None
try:  # NOTE: optional; openpyxl reads every workbook without it
    import python_calamine as _calamine
except ImportError:  # pragma: no cover - exercised where no wheel exists for the platform
    _calamine = None

MAX_SHEETS = 256
MAX_REPEAT = 1000            # ODS rows/cells "repeated" a million times are formatting, not data


@guarded
def extract_xlsx(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    file, zr = open_office(stream, ctx, "xl/workbook.xml", max_part_bytes=None)
    with file:
        if _calamine is not None and _calamine_fits(zr):
            file.seek(0)
            yield from _xlsx_calamine(_calamine, file, ctx)
            return
        openpyxl = require("openpyxl", "office", "XLSX")
        file.seek(0)
        # NOTE: read_only streams each sheet's XML; the DTD check above already refused entity expansion.
        wb = openpyxl.load_workbook(file, read_only=True, data_only=True, keep_links=False)
        try:
            for ws in wb.worksheets[:MAX_SHEETS]:
                if not hasattr(ws, "iter_rows"):
                    continue
                # NOTE: rows counted from 1: iter_rows starts there whatever the sheet's stored dimension says
                # (it is bounded by that dimension's columns, which some writers leave stale; calamine is not)
                rows = enumerate((r[:MAX_COLUMNS] for r in ws.iter_rows(values_only=True)), start=1)
                yield from table_segments(rows, ctx, {"sheet": ws.title})
        finally:
            wb.close()


# calamine (Rust) reads a sheet ~30x faster than openpyxl, but into a dense grid from A1 to its last cell, all in
# memory: it is used when every worksheet's grid is small (a sparse hostile sheet with one cell at XFD1048576
# is tiny on disk); the others are streamed by openpyxl.
CALAMINE_MAX_CELLS = 500_000
CALAMINE_MAX_PART_BYTES = 32 * 1024 * 1024
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?c[\s/>]")
_CELL_REF = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?c\s[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")


def _calamine_fits(zr: ZipReader) -> bool:
    """Whether python-calamine is installed and every worksheet's dense grid (A1 to its last cell) is at most
    CALAMINE_MAX_CELLS; a cell without a reference, or a very large part, leaves the workbook to openpyxl."""
    for name in zr.names:
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        if zr.zf.getinfo(name).file_size > CALAMINE_MAX_PART_BYTES:
            return False
        data = zr.read(name)
        refs = _CELL_REF.findall(data)
        if len(refs) != len(_CELL.findall(data)):
            return False
        if refs:
            rows = max(int(row) for _, row in refs)
            cols = 1 + max(column_index(col.decode()) for col in {col for col, _ in refs})
            if rows * cols > CALAMINE_MAX_CELLS:
                return False
    return True


def _xlsx_calamine(calamine: ModuleType, file: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    book = calamine.CalamineWorkbook.from_filelike(file)
    for meta in book.sheets_metadata[:MAX_SHEETS]:
        if meta.typ != calamine.SheetTypeEnum.WorkSheet:
            continue                                   # chart, dialog and macro sheets hold no table
        grid = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)   # from A1, as openpyxl
        rows = ((n, [_as_openpyxl(v) for v in row[:MAX_COLUMNS]]) for n, row in enumerate(grid, start=1))
        yield from table_segments(rows, ctx, {"sheet": meta.name})


def _as_openpyxl(value: Any) -> Any:
    """A calamine cell as openpyxl gives it: a date cell is a datetime at midnight, so its text is the same."""
    if type(value) is _dt.date:
        return _dt.datetime(value.year, value.month, value.day)
    return value


@guarded
def extract_xls(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    xlrd = require("xlrd", "office", "XLS")
    with spool_to_file(stream, ctx, ".xls") as tmp:
        try:
            book = xlrd.open_workbook(tmp.name, on_demand=True)
        except xlrd.biffh.XLRDError as exc:
            if "encrypt" in str(exc).lower():
                raise SkipObject("encrypted") from None
            # NOTE: never the message: xlrd quotes the file's first bytes ("found b'Jane Sm'")
            raise ObjectError("cannot read XLS (not a valid workbook)") from None
        try:
            for index in range(min(book.nsheets, MAX_SHEETS)):
                sheet = book.sheet_by_index(index)
                rows = ((r + 1, _xls_row(xlrd, book, sheet, r))
                        for r in range(min(sheet.nrows, ctx.limits.table_max_rows)))
                yield from table_segments(rows, ctx, {"sheet": sheet.name})
                book.unload_sheet(index)
        finally:
            book.release_resources()


def _xls_row(xlrd: Any, book: Any, sheet: Any, r: int) -> list[Any]:
    out = []
    for cell in sheet.row(r)[:MAX_COLUMNS]:
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                out.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                continue
            except (ValueError, OverflowError):
                pass
        out.append(cell.value if cell.ctype not in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR)
                   else None)
    return out


@guarded
def extract_ods(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    from defusedxml.ElementTree import iterparse

    file, zr = open_office(stream, ctx, "content.xml", max_part_bytes=None)
    with file:
        sheets = 0
        with zr.open("content.xml") as content:
            rows: list[tuple[int, list[Any]]] = []
            row: list[str] | None = None
            cell: list[str] | None = None
            name, row_no, cell_repeat, more = "", 0, 1, 0
            keep = ctx.limits.table_sample_rows + 20
            for event, el in iterparse(content, events=("start", "end")):
                tag = local_name(el.tag)
                if event == "start":
                    if tag == "table":
                        name, rows, row_no, more = attribute(el, "name") or f"Sheet{sheets + 1}", [], 0, 0
                    elif tag == "table-row":
                        row = []
                    elif tag == "table-cell" or tag == "covered-table-cell":
                        cell = []
                        cell_repeat = min(int(attribute(el, "number-columns-repeated") or 1), MAX_REPEAT)
                    continue
                if tag == "p" and cell is not None:
                    cell.append("".join(el.itertext()))
                elif tag in ("table-cell", "covered-table-cell") and row is not None and cell is not None:
                    text = "\n".join(cell)
                    if len(row) < MAX_COLUMNS:
                        row.extend([text] * (cell_repeat if text else min(cell_repeat, MAX_COLUMNS - len(row))))
                    cell = None
                elif tag == "table-row" and row is not None:
                    repeat = min(int(attribute(el, "number-rows-repeated") or 1), MAX_REPEAT)
                    for _ in range(repeat if any(row) else 1):
                        row_no += 1
                        if any(row):
                            if len(rows) < keep:
                                rows.append((row_no, row))
                            else:
                                more += 1
                    if not any(row):
                        row_no += repeat - 1
                    row = None
                elif tag == "table":
                    sheets += 1
                    yield from table_segments(rows, ctx, {"sheet": name}, extra_rows=more)
                    rows = []
                if tag in ("p", "table-cell", "covered-table-cell", "table-row"):
                    el.clear()
