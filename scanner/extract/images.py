"""Images: text through OCR when the [ocr] extra and the tesseract binary are installed, else skipped."""
from __future__ import annotations

import shutil
from typing import IO, TYPE_CHECKING, Iterator

from scanner.errors import ObjectError, SkipObject
from scanner.extract import ExtractContext
from scanner.extract._support import TextBudget, guarded, spool
from scanner.model import Segment, SegmentKind

if TYPE_CHECKING:
    from PIL.Image import Image

OCR_TIMEOUT = 60            # seconds per image
MAX_PIXELS = 50_000_000     # larger images are refused rather than decoded (decompression bombs)
NO_OCR = "image (OCR not installed)"


def ocr_available() -> bool:
    """pytesseract importable and the tesseract program on PATH."""
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return False
    return shutil.which("tesseract") is not None


def ocr_text(image: Image) -> str:
    """Text read from a PIL image by tesseract (bounded in pixels and time)."""
    import pytesseract

    if image.width * image.height > MAX_PIXELS:
        raise ObjectError(f"image larger than {MAX_PIXELS // 1_000_000} megapixels")
    try:
        text: str = pytesseract.image_to_string(image, timeout=OCR_TIMEOUT)    # untyped library: a str
    except RuntimeError as exc:                 # pytesseract's timeout
        raise ObjectError(f"OCR did not finish ({exc})") from None
    return text


@guarded
def extract_image(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    if not ocr_available():
        raise SkipObject(NO_OCR)
    from PIL import Image

    with spool(stream, ctx) as file:
        with Image.open(file) as image:       # reads the header only: the size is checked before decoding
            if image.width * image.height > MAX_PIXELS:
                raise ObjectError(f"image larger than {MAX_PIXELS // 1_000_000} megapixels")
            image.load()
            text = TextBudget(ctx).take(ocr_text(image))
    if text.strip():
        yield Segment(SegmentKind.PROSE, text=text, where={"ocr": True, "line": 1, "offset": 0})
