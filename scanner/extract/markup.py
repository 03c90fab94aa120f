"""XML (defusedxml: no DTD entities, no external references) and HTML (visible text only)."""
from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser
from typing import IO, Any, Iterator

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from scanner.errors import ObjectError
from scanner.extract import ExtractContext
from scanner.extract._support import TextBudget, guarded, local_name
from scanner.extract.text import decoded_chunks
from scanner.model import Segment, SegmentKind

INVISIBLE = frozenset({"script", "style", "noscript", "template", "svg"})
BLOCKS = frozenset({"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "title",
                    "section", "article", "table", "ul", "ol", "dd", "dt", "blockquote", "pre", "address"})
SEGMENT_CHARS = 64 * 1024


# -- XML -------------------------------------------------------------------------------------------------

class _XmlPaths:
    """Up to ``sample`` values per element/attribute path; repeated paths become columns."""

    def __init__(self, sample: int):
        self.values: dict[str, list[str]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)
        self.sample = sample

    def add(self, path: str, value: str) -> None:
        value = value.strip()
        if not value:
            return
        self.counts[path] += 1
        if len(self.values[path]) < self.sample:
            self.values[path].append(value)

    def segments(self) -> Iterator[Segment]:
        for path, values in self.values.items():
            name = path.rsplit("/", 1)[-1].lstrip("@")
            if self.counts[path] > 1:
                yield Segment(SegmentKind.COLUMN, name=name, values=tuple(values), rows=self.counts[path],
                              where={"key_path": path})
            else:
                yield Segment(SegmentKind.FIELD, name=name, text=values[0], where={"key_path": path})


@guarded
def extract_xml(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    paths = _XmlPaths(ctx.limits.table_sample_rows)
    budget = TextBudget(ctx)
    stack: list[Any] = []
    names: list[str] = []
    try:
        # NOTE: defusedxml refuses entity declarations (billion laughs) and external references
        for event, el in iterparse(stream, events=("start", "end"), forbid_dtd=False,
                                   forbid_entities=True, forbid_external=True):
            if event == "start":
                stack.append(el)
                names.append(local_name(el.tag))
                if len(stack) > ctx.limits.json_max_depth:
                    raise ObjectError(f"XML nested deeper than {ctx.limits.json_max_depth} levels")
                path = "/" + "/".join(names)
                for key, value in el.attrib.items():
                    paths.add(f"{path}/@{local_name(key)}", budget.take(value))
                continue
            path = "/" + "/".join(names)
            paths.add(path, budget.take(el.text or ""))
            if el.tail and len(stack) > 1:
                paths.add("/" + "/".join(names[:-1]), budget.take(el.tail))
            stack.pop()
            names.pop()
            el.clear()
            if stack:
                stack[-1].remove(el)       # keep memory flat: finished elements are dropped
            if budget.left <= 0:
                break
    except DefusedXmlException as exc:
        raise ObjectError(f"XML refused ({exc.__class__.__name__})") from None
    except SyntaxError as exc:           # xml.etree.ElementTree.ParseError
        if not paths.counts:
            raise ObjectError(f"invalid XML ({exc})") from None
    yield from paths.segments()


# -- HTML ------------------------------------------------------------------------------------------------

class _Visible(HTMLParser):
    """Collects visible text with the source line each block starts on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.blocks: list[tuple[int, str]] = []
        self._text: list[str] = []
        self._line = 1

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in INVISIBLE:
            self.hidden += 1
        elif tag in BLOCKS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in INVISIBLE:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.hidden or not data.strip():
            return
        if not self._text:
            self._line = self.getpos()[0]
        self._text.append(data)

    def flush(self) -> None:
        if self._text:
            text = " ".join(" ".join(self._text).split())
            self.blocks.append((self._line, text))
            self._text = []


def visible_blocks(chunks: Iterator[str]) -> Iterator[tuple[int, str]]:
    """(source line, visible text) blocks of an HTML document fed in pieces."""
    parser = _Visible()
    for piece in chunks:
        parser.feed(piece)
        yield from parser.blocks
        parser.blocks = []
    parser.close()
    parser.flush()
    yield from parser.blocks


def html_segments(chunks: Iterator[str], where: dict[str, Any]) -> Iterator[Segment]:
    """PROSE segments of visible text; ``line`` is the source line of the first block."""
    buf: list[str] = []
    start = last = 0
    size = 0
    for line, text in visible_blocks(chunks):
        if not buf:
            start = last = line
        else:              # NOTE: newlines up to the block's source line, so findings' lines are source lines
            buf.append("\n" * max(1, line - last))
            last = line if line > last else last + 1
        buf.append(text)
        size += len(text)
        if size >= SEGMENT_CHARS:
            yield Segment(SegmentKind.PROSE, text="".join(buf), where={**where, "line": start, "offset": 0})
            buf, size = [], 0
    if buf:
        yield Segment(SegmentKind.PROSE, text="".join(buf), where={**where, "line": start, "offset": 0})


@guarded
def extract_html(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    yield from html_segments(decoded_chunks(stream, ctx), {})
