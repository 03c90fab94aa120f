"""OLE2 compound files: tell XLS, Outlook MSG, legacy Word/PowerPoint and encrypted OOXML apart."""
from __future__ import annotations

from typing import IO, Iterator

from scanner.errors import SkipObject
from scanner.extract import ExtractContext, Member, extractor_for
from scanner.extract._support import guarded, require, spool
from scanner.model import Segment

# kind by the names of streams at the root of the compound file
OLE_KINDS = (("EncryptedPackage", "encrypted"), ("Workbook", "xls"), ("Book", "xls"),
             ("__properties_version1.0", "msg"), ("WordDocument", "doc"), ("PowerPoint Document", "ppt"))


def ole_kind(entries: set[str]) -> str:
    for name, kind in OLE_KINDS:
        if name in entries:
            return kind
    if any(e.startswith("__substg1.0_") for e in entries):
        return "msg"
    return "ole"


@guarded
def extract_ole(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment | Member]:
    olefile = require("olefile", "office", "OLE2 compound file")
    file = spool(stream, ctx)
    with file:
        with olefile.OleFileIO(file) as ole:
            entries = {path[0] for path in ole.listdir(streams=True, storages=True) if path}
        kind = ole_kind(entries)
        if kind == "encrypted":
            raise SkipObject("encrypted")
        if kind == "ole":
            raise SkipObject("unsupported type (OLE2 compound file)")
        file.seek(0)
        yield from extractor_for(kind)(file, ctx)
