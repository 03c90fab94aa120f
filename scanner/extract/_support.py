"""Helpers shared by the binary-format extractors: spooling, error guarding, safe XML, bounded zips."""
from __future__ import annotations

import errno
import functools
import importlib
import tempfile
import zipfile
from types import ModuleType
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable, Iterator, TypeVar

from scanner.errors import ObjectError, SkipObject
from scanner.extract import ExtractContext

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from scanner.model import Segment

SPOOL_MEMORY = 4 * 1024 * 1024          # above this a spooled copy goes to a temporary file
COPY_CHUNK = 1024 * 1024
XML_PROLOGUE = 4096                     # bytes of each XML part checked for DTD/entity declarations

_Item = TypeVar("_Item")
_Out = TypeVar("_Out", bound=IO[bytes])


class MemberReadError(OSError):
    """A nested stream could not be read or broke a limit. An OSError, so that the pipeline records the
    member as failed whichever layer (sniffing, extracting, draining) the read happened in."""

    def __init__(self, reason: str):
        super().__init__(errno.EIO, reason)


def guarded(func: Callable[[IO[bytes], ExtractContext], Iterator[_Item]]
            ) -> Callable[[IO[bytes], ExtractContext], Iterator[_Item]]:
    """Turn any library exception raised while extracting into ObjectError naming its class.

    SkipObject and ObjectError pass through unchanged; GeneratorExit is left to Python."""

    @functools.wraps(func)
    def wrapper(stream: IO[bytes], ctx: ExtractContext) -> Iterator[_Item]:
        try:
            yield from func(stream, ctx)
        except (SkipObject, ObjectError):
            raise
        except MemberReadError as exc:
            raise ObjectError(exc.strerror or "read error") from None
        except RecursionError:
            raise ObjectError("too deeply nested (RecursionError)") from None
        except MemoryError:
            raise ObjectError("too large to read (MemoryError)") from None
        except Exception as exc:  # noqa: BLE001 - a broken file must never stop the scan
            raise ObjectError(f"cannot read ({exc.__class__.__name__})") from None

    return wrapper


def require(module: str, extra: str, what: str) -> ModuleType:
    """Import an optional library, or skip the object with the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise SkipObject(f"{what} (install pii-scan[{extra}])") from None


def spool(stream: IO[bytes], ctx: ExtractContext) -> IO[bytes]:
    """A seekable copy of ``stream`` (memory up to a few MB, then disk) for random-access formats.

    A copy cut short by ``max_object_bytes`` is useless to a random-access reader: that is an error."""
    out = _copy_whole(stream, tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY), ctx)
    out.seek(0)
    return out


def spool_to_file(stream: IO[bytes], ctx: ExtractContext, suffix: str = "") -> IO[bytes]:
    """Like ``spool`` but always a named file on disk (for libraries that want a path)."""
    out = _copy_whole(stream, tempfile.NamedTemporaryFile(suffix=suffix), ctx)
    out.flush()
    return out


def _copy_whole(stream: IO[bytes], out: _Out, ctx: ExtractContext) -> _Out:
    while True:
        chunk = stream.read(COPY_CHUNK)
        if not chunk:
            break
        out.write(chunk)
    if getattr(stream, "truncated", False):
        out.close()
        raise ObjectError(f"larger than the {ctx.limits.max_object_bytes // (1024 * 1024)} MB read limit")
    return out


def has_dtd(prologue: bytes) -> bool:
    """True if an XML prologue declares a DTD or entities (billion laughs, external entities)."""
    for encoding in ("utf-8", "utf-16"):
        text = prologue.decode(encoding, errors="ignore")
        if "<!DOCTYPE" in text or "<!ENTITY" in text:
            return True
    return False


class ZipReader:
    """A zip opened with its limits checked up front: member count, total size, ratio, DTDs in XML parts."""

    def __init__(self, file: IO[bytes], ctx: ExtractContext, *, max_part_bytes: int | None = None):
        self.zf = zipfile.ZipFile(file)
        self.ctx = ctx
        self.max_part_bytes = max_part_bytes
        infos = self.zf.infolist()
        limits = ctx.limits
        if len(infos) > limits.archive_max_members:
            raise ObjectError(f"more than {limits.archive_max_members} members")
        self.names = {i.filename for i in infos}

    def check_document(self) -> None:
        """For an office document: every part within the size/ratio limits, no encryption, no DTDs."""
        limits = self.ctx.limits
        total = 0
        for info in self.zf.infolist():
            if info.flag_bits & 0x1:
                raise SkipObject("encrypted")
            total += info.file_size
            if total > limits.archive_max_total_bytes:
                raise ObjectError("uncompressed size exceeds the archive limit")
            if self.max_part_bytes and info.file_size > self.max_part_bytes:
                raise ObjectError(f"part {info.filename} larger than {self.max_part_bytes // (1024 * 1024)} MB")
            if ratio_exceeded(info.file_size, info.compress_size, limits.archive_max_ratio):
                raise ObjectError(f"compression ratio of {info.filename} exceeds {limits.archive_max_ratio}")
            if info.filename.endswith((".xml", ".rels")):
                with self.zf.open(info) as part:
                    if has_dtd(part.read(XML_PROLOGUE)):
                        raise ObjectError(f"XML part {info.filename} declares a DTD or entities (refused)")

    def open(self, name: str) -> IO[bytes]:
        return self.zf.open(name)

    def read(self, name: str) -> bytes:
        with self.zf.open(name) as f:
            return f.read()


MIN_RATIO_BYTES = 1024 * 1024   # tiny members compress absurdly well and are harmless


def ratio_exceeded(size: int, compressed: int, max_ratio: int) -> bool:
    return size > MIN_RATIO_BYTES and size > max(compressed, 1) * max_ratio


def local_name(tag: str) -> str:
    """``{namespace}name`` → ``name``."""
    return tag.rsplit("}", 1)[-1]


def attribute(el: Element, name: str) -> str | None:
    """The value of ``el``'s attribute ``name`` whatever its namespace."""
    for key, value in el.attrib.items():
        if local_name(key) == name:
            return value
    return None


PROSE_CHARS = 64 * 1024


class TextBudget:
    """The decoded characters one object may still hand to detection (``max_text_chars``)."""

    def __init__(self, ctx: ExtractContext):
        self.left = ctx.limits.max_text_chars
        self._ctx = ctx

    def take(self, text: str) -> str:
        if len(text) > self.left:
            self._ctx.cut("max_text_chars", self._ctx.limits.max_text_chars)
        text = text[: max(self.left, 0)]
        self.left -= len(text)
        return text


def prose_segments(lines: Iterable[str], where: dict[str, Any], budget: TextBudget) -> Iterator[Segment]:
    """Lines (paragraphs) batched into ~64 KB PROSE segments whose ``line`` is the paragraph number."""
    from scanner.model import Segment, SegmentKind

    buf: list[str] = []
    size, line, start_line, start_offset = 0, 1, 1, 0
    for text in lines:
        if budget.left <= 0:
            break
        text = budget.take(text.replace("\n", " "))
        buf.append(text)
        size += len(text) + 1
        line += 1
        if size >= PROSE_CHARS:
            chunk = "\n".join(buf)
            if chunk.strip():
                yield Segment(SegmentKind.PROSE, text=chunk, where={**where, "line": start_line, "offset": start_offset})
            start_line, start_offset = line, start_offset + len(chunk) + 1
            buf, size = [], 0
    chunk = "\n".join(buf)
    if chunk.strip():
        yield Segment(SegmentKind.PROSE, text=chunk, where={**where, "line": start_line, "offset": start_offset})


MAX_PART_BYTES = 128 * 1024 * 1024       # one XML part's uncompressed size in a document package


def open_office(stream: IO[bytes], ctx: ExtractContext, marker: str,
                max_part_bytes: int | None = MAX_PART_BYTES) -> tuple[IO[bytes], ZipReader]:
    """A spooled OOXML/ODF package whose limits are checked and whose ``marker`` part is present."""
    file = spool(stream, ctx)
    try:
        zr = ZipReader(file, ctx, max_part_bytes=max_part_bytes)
        if marker not in zr.names:
            raise ObjectError(f"not the expected document (no {marker})")
        zr.check_document()
    except BaseException:
        file.close()
        raise
    return file, zr
