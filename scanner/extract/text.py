"""Plain text: streamed, decoded incrementally, cut into prose segments at line ends."""
from __future__ import annotations

import codecs
from typing import IO, Iterator

from scanner.extract import ExtractContext
from scanner.model import Segment, SegmentKind

SEGMENT_CHARS = 64 * 1024
READ_BYTES = 256 * 1024


def decoded_chunks(stream: IO[bytes], ctx: ExtractContext) -> Iterator[str]:
    """Decoded text in pieces, stopping at ``max_text_chars``; undecodable bytes become U+FFFD."""
    decoder = codecs.getincrementaldecoder(ctx.encoding or "utf-8")(errors="replace")
    budget = ctx.limits.max_text_chars
    while True:
        raw = stream.read(READ_BYTES)
        text = decoder.decode(raw, final=not raw)
        if len(text) > budget:
            ctx.cut("max_text_chars", ctx.limits.max_text_chars)      # text past the limit is not analysed
            if budget > 0:
                yield text[:budget]
            return
        if text:
            budget -= len(text)
            yield text
        if not raw:
            return


def extract_text(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    """Prose segments of about 64 KB, each with the line number and character offset it starts at."""
    line, offset, pending = 1, 0, ""
    first = True
    for piece in decoded_chunks(stream, ctx):
        if first:
            piece, first = piece.lstrip("\ufeff"), False
        pending += piece
        while len(pending) >= SEGMENT_CHARS:
            cut = pending.rfind("\n", 0, SEGMENT_CHARS) + 1 or SEGMENT_CHARS   # a huge line is cut anyway
            seg, pending = pending[:cut], pending[cut:]
            yield Segment(SegmentKind.PROSE, text=seg, where={"line": line, "offset": offset})
            line += seg.count("\n")
            offset += len(seg)
    if pending.strip():
        yield Segment(SegmentKind.PROSE, text=pending, where={"line": line, "offset": offset})
