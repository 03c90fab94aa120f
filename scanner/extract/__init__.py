"""Extractor registry: sniffed type → "module:function", imported on first use.

An extractor is ``extract(stream, ctx) -> Iterator[Segment | Member]``. It reads the stream itself so that
it can stay within ``ctx.limits``; it raises SkipObject/ObjectError for objects it will not or cannot read.
A container format (archive, e-mail with attachments) yields ``Member``s: the pipeline scans each as an
object of its own, with the URI ``parent!/member/path`` and its own outcome.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any, Callable, Iterator

from scanner.config import Limits
from scanner.errors import SkipObject
from scanner.extract.sniff import sniff
from scanner.model import Segment



@dataclass(frozen=True)
class Member:
    """A nested object inside an archive or message. ``open`` returns its bytes as a stream; ``error`` or
    ``skip`` set means it is recorded as failed/skipped with that reason instead of being opened."""

    name: str
    open: Callable[[], IO[bytes]] | None = None
    size: int | None = None
    modified: datetime | None = None
    error: str | None = None
    skip: str | None = None


Extractor = Callable[[IO[bytes], "ExtractContext"], Iterator[Segment | Member]]

REGISTRY: dict[str, str] = {
    "text": "scanner.extract.text:extract_text",
    "csv": "scanner.extract.tabular:extract_csv",
    "tsv": "scanner.extract.tabular:extract_csv",
    "json": "scanner.extract.structured:extract_json",
    "jsonl": "scanner.extract.structured:extract_jsonl",
    "xml": "scanner.extract.markup:extract_xml",
    "html": "scanner.extract.markup:extract_html",
    "pdf": "scanner.extract.pdf:extract_pdf",
    "docx": "scanner.extract.documents:extract_docx",
    "pptx": "scanner.extract.documents:extract_pptx",
    "odt": "scanner.extract.documents:extract_odt",
    "xlsx": "scanner.extract.spreadsheets:extract_xlsx",
    "xls": "scanner.extract.spreadsheets:extract_xls",
    "ods": "scanner.extract.spreadsheets:extract_ods",
    "ole": "scanner.extract.ole:extract_ole",
    "eml": "scanner.extract.mail:extract_eml",
    "msg": "scanner.extract.mail:extract_msg",
    "zip": "scanner.extract.archives:extract_zip",
    "tar": "scanner.extract.archives:extract_tar",
    "gzip": "scanner.extract.archives:extract_gzip",
    "bzip2": "scanner.extract.archives:extract_bzip2",
    "xz": "scanner.extract.archives:extract_xz",
    "parquet": "scanner.extract.columnar:extract_parquet",
    "arrow": "scanner.extract.columnar:extract_arrow",
    "feather": "scanner.extract.columnar:extract_feather",
    "orc": "scanner.extract.columnar:extract_orc",
    "avro": "scanner.extract.columnar:extract_avro",
    "sqlite": "scanner.extract.sqlite:extract_sqlite",
    "image": "scanner.extract.images:extract_image",
}

# Types we recognise but do not read (yet, or without an optional extra): skipped with this reason.
SKIP_REASONS: dict[str, str] = {
    "binary": "binary content",
    "doc": "legacy Word document (.doc not supported)",
    "ppt": "legacy PowerPoint document (.ppt not supported)",
    "7z": "7z archive (not supported)",
    "rar": "RAR archive (not supported)",
}


@dataclass(frozen=True)
class ExtractContext:
    name: str                     # object key or member path (for extension hints)
    limits: Limits = field(default_factory=Limits)
    encoding: str | None = None   # set by the sniffer for text types
    depth: int = 0                # archive nesting depth
    # NOTE: where reading stopped short of the end (limit name -> where), recorded on the object's result as
    # its sample, so a cut object is never reported as read whole; a mutable dict in a frozen context
    cuts: dict[str, Any] = field(default_factory=dict, compare=False)

    def cut(self, limit: str, at: int) -> None:
        """Say that ``limit`` stopped the reading at ``at`` (characters, pages...)."""
        self.cuts.setdefault(limit, at)


def extractor_for(kind: str) -> Extractor:
    if kind in SKIP_REASONS:
        raise SkipObject(SKIP_REASONS[kind])
    target = REGISTRY.get(kind)
    if target is None:
        raise SkipObject(f"unsupported type ({kind})")
    module_name, _, func = target.partition(":")
    extractor: Extractor = getattr(importlib.import_module(module_name), func)
    return extractor


__all__ = ["ExtractContext", "Extractor", "Member", "REGISTRY", "extractor_for", "sniff"]
