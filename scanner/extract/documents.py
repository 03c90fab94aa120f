"""DOCX, PPTX and ODT, read straight from their XML parts with defusedxml (streamed, no DOM of the file).

DOCX: body, tables (as columns), headers, footers, footnotes, comments (text and author).
PPTX: slides in presentation order, with their notes. ODT: body, tables, headers and footers.
"""
from __future__ import annotations

import posixpath
import re
from typing import IO, Any, Iterator

from defusedxml.ElementTree import fromstring, iterparse

from scanner.extract import ExtractContext
from scanner.extract._support import (
    TextBudget,
    ZipReader,
    attribute,
    guarded,
    local_name,
    open_office,
    prose_segments,
)
from scanner.extract.tables import table_segments
from scanner.model import Segment, SegmentKind

MAX_SLIDES = 2000
_NUM = re.compile(r"(\d+)")

DOCX_PARTS = (("word/document.xml", "body"), ("word/footnotes.xml", "footnotes"),
              ("word/endnotes.xml", "endnotes"), ("word/comments.xml", "comments"))


def _number(name: str) -> int:
    m = _NUM.findall(name)
    return int(m[-1]) if m else 0


def core_properties(zr: ZipReader) -> Iterator[Segment]:
    """Author and last editor from docProps/core.xml (OOXML) or meta.xml (ODF)."""
    for part in ("docProps/core.xml", "meta.xml"):
        if part not in zr.names:
            continue
        root = fromstring(zr.read(part))
        for el in root.iter():
            name = local_name(el.tag)
            if name in ("creator", "lastModifiedBy", "initial-creator") and el.text and el.text.strip():
                yield Segment(SegmentKind.FIELD, name=name, text=el.text.strip(),
                              where={"part": "properties", "key_path": name})


# -- DOCX ------------------------------------------------------------------------------------------------

@guarded
def extract_docx(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    file, zr = open_office(stream, ctx, "word/document.xml")
    with file:
        budget = TextBudget(ctx)
        parts = list(DOCX_PARTS)
        for name in sorted(zr.names, key=lambda n: (_number(n), n)):
            if re.fullmatch(r"word/(header|footer)\d*\.xml", name):
                kind = "header" if "header" in name else "footer"
                parts.append((name, kind))
        tables = 0
        for name, label in parts:
            if name not in zr.names:
                continue
            lines: list[str] = []
            with zr.open(name) as xml:
                for item in _docx_items(xml, label):
                    if isinstance(item, str):
                        lines.append(item)
                    elif isinstance(item, Segment):
                        yield item
                    else:
                        tables += 1
                        yield from _table(item, ctx, budget, {"part": label, "table": tables})
            yield from prose_segments(lines, {"part": label}, budget)
        yield from core_properties(zr)


def _docx_items(xml: IO[bytes], label: str) -> Iterator[Any]:
    """Paragraph texts (str), tables (list of rows of cell texts) and comment authors (FIELD segments)."""
    tables: list[list[list[str]]] = []        # stack: nested tables
    cells: list[list[str]] = []                # paragraphs of the open cell, per table level
    for event, el in iterparse(xml, events=("start", "end")):
        tag = local_name(el.tag)
        if event == "start":
            if tag == "tbl":
                tables.append([])
                cells.append([])
            elif tag == "tr" and tables:
                tables[-1].append([])
            elif tag == "comment":
                author = attribute(el, "author")
                if author:
                    yield Segment(SegmentKind.FIELD, name="author", text=author,
                                  where={"part": label, "key_path": "comment.author"})
            continue
        if tag == "p":
            text = "".join(_run_text(el))
            if tables:
                cells[-1].append(text)
            else:
                yield text
            el.clear()
        elif tag == "tc" and tables:
            if tables[-1]:
                tables[-1][-1].append("\n".join(cells[-1]).strip())
            cells[-1] = []
            el.clear()
        elif tag == "tbl" and tables:
            table = tables.pop()
            cells.pop()
            if tables:           # a nested table: its text becomes the enclosing cell's
                cells[-1].extend("\t".join(r) for r in table)
            else:
                yield table
            el.clear()


def _run_text(p: Any) -> Iterator[str]:
    for el in p.iter():
        tag = local_name(el.tag)
        if tag in ("t", "delText") and el.text:
            yield el.text
        elif tag in ("tab", "br", "cr"):
            yield "\t" if tag == "tab" else " "


def _table(rows: list[list[str]], ctx: ExtractContext, budget: TextBudget, where: dict[str, Any]) -> Iterator[Segment]:
    """A table with a header and data rows becomes columns; anything smaller, prose."""
    rows = [r for r in rows if any(r)]
    if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
        yield from table_segments(enumerate(rows, start=1), ctx, where, letters=False)
    else:
        yield from prose_segments(("\t".join(r) for r in rows), where, budget)


# -- PPTX ------------------------------------------------------------------------------------------------

@guarded
def extract_pptx(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    file, zr = open_office(stream, ctx, "ppt/presentation.xml")
    with file:
        budget = TextBudget(ctx)
        for number, slide in enumerate(_slide_order(zr)[:MAX_SLIDES], start=1):
            with zr.open(slide) as xml:
                yield from prose_segments(_paragraphs(xml), {"slide": number}, budget)
            notes = _related(zr, slide, "notesSlide")
            if notes:
                with zr.open(notes) as xml:
                    yield from prose_segments(_paragraphs(xml), {"slide": number, "part": "notes"}, budget)
        yield from core_properties(zr)


def _rels(zr: ZipReader, part: str) -> list[tuple[str, str, str]]:
    """(id, type, target part) of a part's relationships."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    if rels not in zr.names:
        return []
    out = []
    for el in fromstring(zr.read(rels)):
        target = el.get("Target", "")
        if el.get("TargetMode") == "External":
            continue
        path = posixpath.normpath(posixpath.join(folder, target)) if not target.startswith("/") else target[1:]
        out.append((el.get("Id", ""), el.get("Type", ""), path))
    return out


def _slide_order(zr: ZipReader) -> list[str]:
    by_id = {rid: path for rid, _, path in _rels(zr, "ppt/presentation.xml")}
    order = []
    for el in fromstring(zr.read("ppt/presentation.xml")).iter():
        if local_name(el.tag) == "sldId":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            path = by_id.get(rid or "")
            if path in zr.names:
                order.append(path)
    if order:
        return order
    return sorted((n for n in zr.names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)), key=_number)


def _related(zr: ZipReader, part: str, kind: str) -> str | None:
    for _, rtype, path in _rels(zr, part):
        if rtype.endswith("/" + kind) and path in zr.names:
            return path
    return None


def _paragraphs(xml: IO[bytes], para: frozenset[str] = frozenset({"p"})) -> Iterator[str]:
    for _, el in iterparse(xml, events=("end",)):
        if local_name(el.tag) in para:
            yield "".join(t.text or "" for t in el.iter() if local_name(t.tag) == "t")
            el.clear()


# -- ODT -------------------------------------------------------------------------------------------------

@guarded
def extract_odt(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    file, zr = open_office(stream, ctx, "content.xml")
    with file:
        budget = TextBudget(ctx)
        with zr.open("content.xml") as xml:
            yield from prose_segments(_odf_paragraphs(xml), {"part": "body"}, budget)
        if "styles.xml" in zr.names:
            with zr.open("styles.xml") as xml:
                yield from prose_segments(_odf_paragraphs(xml, within={"header", "footer"}),
                                          {"part": "header/footer"}, budget)
        yield from core_properties(zr)


def _odf_paragraphs(xml: IO[bytes], within: set[str] | None = None) -> Iterator[str]:
    depth = 0                      # how many ``within`` elements are open
    for event, el in iterparse(xml, events=("start", "end")):
        tag = local_name(el.tag)
        if within and tag in within:
            depth += 1 if event == "start" else -1
            continue
        if event == "end" and tag in ("p", "h"):
            if within is None or depth > 0:
                yield "".join(el.itertext())
            el.clear()
