"""zip, tar (plain or compressed) and single-file gzip/bzip2/xz: members handed back to the pipeline.

Limits (``ctx.limits``): member count, total uncompressed bytes per archive, compression ratio (declared
sizes checked before opening, actual bytes counted while reading), nesting depth (by the pipeline).
"""
from __future__ import annotations

import bz2
import gzip
import io
import lzma
import posixpath
import tarfile
import zipfile
from datetime import datetime, UTC
from typing import IO, TYPE_CHECKING, BinaryIO, Callable, Iterator, Protocol

from scanner.errors import ObjectError
from scanner.extract import ExtractContext, Member, extractor_for
from scanner.extract._support import MemberReadError, guarded, ratio_exceeded, spool
from scanner.model import Segment

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

OFFICE_MARKERS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"), ("ppt/presentation.xml", "pptx"))
ODF_TYPES = {"application/vnd.oasis.opendocument.text": "odt",
             "application/vnd.oasis.opendocument.spreadsheet": "ods"}
COMPRESSED_SUFFIX = {"gzip": {".gz": "", ".tgz": ".tar"}, "bzip2": {".bz2": "", ".tbz2": ".tar", ".tbz": ".tar"},
                     "xz": {".xz": "", ".txz": ".tar"}}


class Budget:
    """Uncompressed bytes one archive may still hand out, across all its members."""

    def __init__(self, ctx: ExtractContext):
        self.left = ctx.limits.archive_max_total_bytes
        self.limit = ctx.limits.archive_max_total_bytes


class Readable(Protocol):
    """What a reader needs of the stream under it: a zip or tar member, a decompressor."""

    def read(self, n: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


def _read_into(reader: Readable, b: WriteableBuffer) -> int:
    """``readinto`` for a raw reader that implements ``read`` (as the standard library's decompressors do)."""
    with memoryview(b) as view, view.cast("B") as byte_view:
        data = reader.read(len(byte_view))
        byte_view[: len(data)] = data
    return len(data)


class BoundedReader(io.RawIOBase, BinaryIO):
    """A member's decompressed bytes, stopped with MemberReadError when the archive's total budget or the
    compression ratio (against ``compressed()`` bytes consumed) is exceeded; any decoder error becomes
    MemberReadError too, so a corrupt member fails alone. A file object (BinaryIO) through io.RawIOBase."""

    def __init__(self, raw: Readable, budget: Budget, max_ratio: int, compressed: Callable[[], int] | None):
        super().__init__()
        self._raw, self._budget, self._ratio, self._compressed = raw, budget, max_ratio, compressed
        self.out = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int | None = -1) -> bytes:
        n = 1 << 20 if n is None or n < 0 else n
        try:
            data = self._raw.read(min(n, max(self._budget.left, 0) + 1))
        except MemberReadError:
            raise
        except Exception as exc:  # noqa: BLE001 - zlib.error, EOFError, BadZipFile, LZMAError, CRC errors …
            raise MemberReadError(f"corrupt member ({exc.__class__.__name__})") from None
        self.out += len(data)
        self._budget.left -= len(data)
        if self._budget.left < 0:
            mb = self._budget.limit // (1024 * 1024)
            raise MemberReadError(f"archive larger than {mb} MB uncompressed (limit)")
        if self._compressed is not None and ratio_exceeded(self.out, self._compressed(), self._ratio):
            raise MemberReadError(f"compression ratio above {self._ratio}:1 (zip bomb?)")
        return data

    def readinto(self, b: WriteableBuffer) -> int:          # for io.BufferedReader and friends
        return _read_into(self, b)

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


class _CountingInput(io.RawIOBase, BinaryIO):
    """Counts the compressed bytes a decompressor pulls from the object stream."""

    def __init__(self, raw: IO[bytes]):
        super().__init__()
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int | None = -1) -> bytes:
        data = self._raw.read(-1 if n is None else n)
        self.count += len(data)
        return data

    def readinto(self, b: WriteableBuffer) -> int:
        return _read_into(self, b)


# -- zip -------------------------------------------------------------------------------------------------

@guarded
def extract_zip(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment | Member]:
    with spool(stream, ctx) as file:
        zf = zipfile.ZipFile(file)
        kind = office_kind(zf)
        if kind:                                   # a mislabelled or unsniffed office document
            file.seek(0)
            yield from extractor_for(kind)(file, ctx)
            return
        yield from _zip_members(zf, ctx)


def office_kind(zf: zipfile.ZipFile) -> str | None:
    """docx/xlsx/pptx/odt/ods if the zip is an office document, by its parts."""
    names = set(zf.namelist())
    for marker, kind in OFFICE_MARKERS:
        if marker in names:
            return kind
    if "mimetype" in names and "content.xml" in names:
        info = zf.getinfo("mimetype")
        if info.file_size < 200:
            return ODF_TYPES.get(zf.read(info).decode("ascii", "replace").strip())
    return None


def _zip_members(zf: zipfile.ZipFile, ctx: ExtractContext) -> Iterator[Member]:
    limits = ctx.limits
    budget = Budget(ctx)
    count = 0
    for info in zf.infolist():
        if info.is_dir():
            continue
        count += 1
        if count > limits.archive_max_members:
            raise ObjectError(f"more than {limits.archive_max_members} members (the rest were not read)")
        name = info.filename
        modified = _zip_time(info.date_time)
        if info.flag_bits & 0x1:
            yield Member(name, size=info.file_size, modified=modified, skip="encrypted")
        elif ratio_exceeded(info.file_size, info.compress_size, limits.archive_max_ratio):
            ratio = info.file_size // max(info.compress_size, 1)
            yield Member(name, size=info.file_size, modified=modified,
                         error=f"compression ratio {ratio}:1 above {limits.archive_max_ratio}:1 (zip bomb?)")
        elif info.file_size > budget.left:
            yield Member(name, size=info.file_size, modified=modified,
                         error=f"archive larger than {budget.limit // (1024 * 1024)} MB uncompressed (limit)")
        else:
            yield Member(name, open=_zip_opener(zf, info, budget, limits.archive_max_ratio),
                         size=info.file_size, modified=modified)


def _zip_opener(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget, ratio: int) -> Callable[[], IO[bytes]]:
    def open_member() -> IO[bytes]:
        try:
            raw = zf.open(info)
        except Exception as exc:  # noqa: BLE001 - unsupported compression, bad header
            raise ObjectError(f"cannot open member ({exc.__class__.__name__})") from None
        return BoundedReader(raw, budget, ratio, lambda: max(info.compress_size, 1))
    return open_member


def _zip_time(date_time: tuple[int, int, int, int, int, int]) -> datetime | None:
    try:
        return datetime(*date_time, tzinfo=UTC)
    except (TypeError, ValueError):
        return None


# -- tar -------------------------------------------------------------------------------------------------

@guarded
def extract_tar(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Member]:
    yield from _tar_members(stream, ctx, Budget(ctx), None)


def _tar_members(stream: IO[bytes], ctx: ExtractContext, budget: Budget,
                 compressed: Callable[[], int] | None) -> Iterator[Member]:
    limits = ctx.limits
    # NOTE: "r|" is tarfile's stream mode: no seeking, members in order; the pipeline reads each member
    # while we are paused on it, so extractfile() stays valid.
    with tarfile.open(fileobj=stream, mode="r|") as tar:
        count = 0
        for info in tar:
            if info.isdir():
                continue
            count += 1
            if count > limits.archive_max_members:
                raise ObjectError(f"more than {limits.archive_max_members} members (the rest were not read)")
            modified = datetime.fromtimestamp(max(info.mtime, 0), tz=UTC) if info.mtime else None
            if info.issym() or info.islnk():
                yield Member(info.name, modified=modified, skip="link")
            elif not info.isfile():
                yield Member(info.name, modified=modified, skip="special file")
            elif info.size > budget.left:
                yield Member(info.name, size=info.size, modified=modified,
                             error=f"archive larger than {budget.limit // (1024 * 1024)} MB uncompressed (limit)")
            else:
                raw = tar.extractfile(info)          # a regular file's, so never None
                if raw is None:
                    yield Member(info.name, modified=modified, skip="special file")
                    continue
                yield Member(info.name, open=_tar_opener(raw, budget, limits.archive_max_ratio, compressed),
                             size=info.size, modified=modified)


def _tar_opener(raw: IO[bytes], budget: Budget, ratio: int, compressed: Callable[[], int] | None
                ) -> Callable[[], IO[bytes]]:
    return lambda: BoundedReader(raw, budget, ratio, compressed)


# -- gzip / bzip2 / xz ----------------------------------------------------------------------------------

def _decompressor(kind: str, raw: IO[bytes]) -> Readable:
    if kind == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    return bz2.BZ2File(raw, mode="rb") if kind == "bzip2" else lzma.LZMAFile(raw, mode="rb")


def _compressed_extractor(kind: str) -> Callable[[IO[bytes], ExtractContext], Iterator[Member]]:
    def extract(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Member]:
        counted = _CountingInput(stream)
        budget = Budget(ctx)
        inner = BoundedReader(_decompressor(kind, counted), budget, ctx.limits.archive_max_ratio,
                              lambda: counted.count)
        buffered = io.BufferedReader(inner, buffer_size=1 << 16)
        head = buffered.peek(512)[:512]
        if len(head) >= 262 and head[257:262] == b"ustar":      # .tar.gz & co: the tar's members directly
            yield from _tar_members(buffered, ctx, budget, lambda: counted.count)
            return
        yield Member(inner_name(ctx.name, kind), open=lambda: buffered)
    extract.__name__ = f"extract_{kind}"
    return guarded(extract)


extract_gzip = _compressed_extractor("gzip")
extract_bzip2 = _compressed_extractor("bzip2")
extract_xz = _compressed_extractor("xz")


def inner_name(name: str, kind: str) -> str:
    """members_2016.csv.gz → members_2016.csv; backup.tgz → backup.tar."""
    base = posixpath.basename(name.replace("\\", "/").split("!/")[-1]) or "content"
    for suffix, replacement in COMPRESSED_SUFFIX[kind].items():
        if base.lower().endswith(suffix):
            return (base[: -len(suffix)] or "content") + replacement
    return base + ".out"
