"""PDF: the text layer page by page (``where={"page": n}``); image-only PDFs are OCR'd or skipped."""
from __future__ import annotations

from typing import IO, Any, Iterator

from scanner.errors import SkipObject
from scanner.extract import ExtractContext
from scanner.extract._support import TextBudget, guarded, require, spool
from scanner.extract.images import ocr_available, ocr_text
from scanner.model import Segment, SegmentKind

MAX_OCR_IMAGES = 200


@guarded
def extract_pdf(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    pypdf = require("pypdf", "office", "PDF")
    with spool(stream, ctx) as file:
        reader = pypdf.PdfReader(file, strict=False)
        if reader.is_encrypted and not _decrypt_empty(reader):
            raise SkipObject("encrypted")
        budget = TextBudget(ctx)
        found_text = False
        pages = reader.pages
        if len(pages) > ctx.limits.pdf_max_pages:
            ctx.cut("pdf_max_pages", ctx.limits.pdf_max_pages)
        for number in range(1, min(len(pages), ctx.limits.pdf_max_pages) + 1):
            if budget.left <= 0:
                break
            text = budget.take(pages[number - 1].extract_text() or "")
            if text.strip():
                found_text = True
                yield Segment(SegmentKind.PROSE, text=text, where={"page": number, "line": 1, "offset": 0})
        if found_text:
            return
        if not ocr_available():
            raise SkipObject("no text layer")
        yield from _ocr_pages(pages, budget, ctx.limits.pdf_max_pages)


def _decrypt_empty(reader: Any) -> bool:
    """Many PDFs are encrypted only against editing: the empty user password opens them."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 - unsupported cipher or missing cryptography: treat as encrypted
        return False


def _ocr_pages(pages: Any, budget: TextBudget, max_pages: int) -> Iterator[Segment]:
    done = 0
    for number in range(1, min(len(pages), max_pages) + 1):
        for img in pages[number - 1].images:
            if done >= MAX_OCR_IMAGES or budget.left <= 0:
                return
            done += 1
            text = budget.take(ocr_text(img.image))
            if text.strip():
                yield Segment(SegmentKind.PROSE, text=text, where={"page": number, "ocr": True, "line": 1, "offset": 0})
