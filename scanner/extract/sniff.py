"""Type by content first (magic bytes, text heuristics), extension second."""
from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

# (magic prefix, kind) — checked in order
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\x1f\x8b", "gzip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"PAR1", "parquet"),
    (b"Obj\x01", "avro"),
    (b"ARROW1", "arrow"),            # Arrow IPC file = Feather version 2
    (b"SQLite format 3\x00", "sqlite"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF87a", "image"),
    (b"GIF89a", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"\x7fELF", "binary"),
    (b"MZ", "binary"),
)

BINARY_ONLY_MAGIC = ((b"FEA1", "feather"), (b"ORC", "orc"))   # Feather version 1; Apache ORC

TEXT_EXT = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".jsonl": "jsonl",
            ".ndjson": "jsonl", ".xml": "xml", ".html": "html", ".htm": "html", ".eml": "eml"}
BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


@dataclass(frozen=True)
class Sniffed:
    kind: str
    encoding: str | None = None


OFFICE_PARTS = ((b"word/document.xml", "docx"), (b"xl/workbook.xml", "xlsx"), (b"ppt/presentation.xml", "pptx"))
ODF_MIMETYPES = ((b"application/vnd.oasis.opendocument.text", "odt"),
                 (b"application/vnd.oasis.opendocument.spreadsheet", "ods"))
# root stream names of OLE2 compound files, as stored (UTF-16LE) in the directory
OLE_NAMES = (("EncryptedPackage", "ole"), ("Workbook", "xls"), ("__properties_version1.0", "msg"),
             ("__substg1.0_", "msg"), ("WordDocument", "doc"), ("PowerPoint Document", "ppt"))
BZIP2_BLOCK = (b"\x31\x41\x59\x26\x53\x59", b"\x17\x72\x45\x38\x50\x90")
MAIL_HEADERS = ("from", "to", "subject", "date", "received", "return-path", "message-id", "mime-version",
                "delivered-to", "reply-to", "cc", "x-mailer", "content-type", "sender")
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9-]{0,40}):[ \t]")


def sniff(head: bytes, name: str) -> Sniffed:
    """What ``head`` (the first few KB) is, using ``name``'s extension only to refine text kinds."""
    if not head:
        return Sniffed("empty")
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return Sniffed(_refine(kind, head))
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image")
    if head[:3] == b"BZh" and head[3:4].isdigit() and head[4:10] in BZIP2_BLOCK:
        return Sniffed("bzip2")
    if head[257:262] == b"ustar":                   # POSIX and GNU tar
        return Sniffed("tar")
    if b"%PDF-" in head[:1024]:                     # junk before the header is tolerated by readers
        return Sniffed("pdf")
    encoding = text_encoding(head)
    if encoding is None:
        # NOTE: these magics are short and printable ("ORCID,name" starts a CSV): binary content only
        for magic, kind in BINARY_ONLY_MAGIC:
            if head.startswith(magic):
                return Sniffed(kind)
        return Sniffed("binary")
    ext = os.path.splitext(name.lower())[1]
    text = head.decode(encoding, errors="replace").lstrip("\ufeff").lstrip()
    return Sniffed(_text_kind(text, ext), encoding)


def _refine(kind: str, head: bytes) -> str:
    """zip → docx/xlsx/pptx/odt/ods and ole → xls/msg/doc/ppt when the head shows which."""
    if kind == "zip":
        if head[30:38] == b"mimetype":
            for mimetype, odf in ODF_MIMETYPES:
                if head[38:38 + len(mimetype)] == mimetype:
                    return odf
        for part, office in OFFICE_PARTS:
            if part in head:
                return office
        return "zip"                                # the zip extractor looks at the central directory
    if kind == "ole":
        for stream_name, ole in OLE_NAMES:
            if stream_name.encode("utf-16-le") in head:
                return ole
    return kind


def text_encoding(head: bytes) -> str | None:
    """The encoding of ``head`` if it is text, else None (binary)."""
    for bom, enc in BOMS:
        if head.startswith(bom):
            if enc != "utf-16" or _plausible_utf16(head[2:], "utf-16-le" if bom == b"\xff\xfe" else "utf-16-be"):
                return enc
            head = head[2:]          # NOTE: a stray BOM before 8-bit text: read as what follows it is
            break
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:     # cut mid-character at the end of the sample
            return "utf-8"
    best = from_bytes(head).best()
    if best is None:
        return None
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if controls > len(head) // 100:
        return None
    return best.encoding


def _plausible_utf16(body: bytes, enc: str) -> bool:
    """Whether ``body`` reads as UTF-16 text: not 8-bit text (no NUL, and valid UTF-8 or 90% printable ASCII:
    pairs of ASCII letters read as CJK), and at most 5% unassigned, private-use, surrogate or control
    characters once decoded. UTF-16 CJK text has no NUL either, but half its bytes are above 0x7E."""
    if b"\x00" not in body:
        ascii_share = sum(1 for b in body if 32 <= b < 127 or b in (9, 10, 13)) / max(len(body), 1)
        if ascii_share >= 0.9:
            return False
        try:
            body.decode("utf-8")
            return False
        except UnicodeDecodeError as exc:
            if exc.start >= len(body) - 4:
                return False
    text = body[: len(body) // 2 * 2].decode(enc, errors="replace")
    bad = sum(1 for c in text if c == "\ufffd" or (unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs")
                                                   and c not in "\t\n\r\f"))
    return bad <= len(text) // 20


def _text_kind(text: str, ext: str) -> str:
    if text.startswith(("{", "[")):
        first = text.split("\n", 1)[0].strip()
        if ext in (".jsonl", ".ndjson") or (first.startswith("{") and first.endswith("}") and "\n{" in text):
            if _is_json(first):
                return "jsonl"
        if ext in (".json", ".jsonl", ".ndjson", "") or text.startswith("{"):
            return "jsonl" if ext in (".jsonl", ".ndjson") else "json"
    if text.startswith("<"):
        markup = _markup_kind(text, ext)
        if markup:
            return markup
    if _looks_like_mail(text):
        return "eml"
    kind = TEXT_EXT.get(ext)
    if kind in ("csv", "tsv", "eml", "xml", "html"):
        return kind
    return "text"


def _markup_kind(text: str, ext: str) -> str | None:
    """xml or html for text starting with '<', looking past the XML declaration and comments."""
    rest = text
    if rest.startswith("<?xml"):
        rest = rest[rest.find("?>") + 2:].lstrip() if "?>" in rest else ""
        if not rest.lower().startswith(("<!doctype html", "<html")):
            return "xml"
    while rest.startswith("<!--") and "-->" in rest:
        rest = rest[rest.find("-->") + 3:].lstrip()
    low = rest[:200].lower()
    if low.startswith(("<!doctype html", "<html", "<head", "<body")) or (ext in (".html", ".htm") and low):
        return "html"
    if low.startswith("<!doctype") or ext == ".xml":
        return "xml"
    if re.match(r"<[A-Za-z_][\w.:-]*[\s>/]", rest) and "</" in rest:
        return "html" if re.match(r"<(div|p|table|span|h\d|meta|title)\b", low) else "xml"
    return None


def _looks_like_mail(text: str) -> bool:
    """RFC 5322 headers: the first lines are 'Name: value' (or folded) and name known mail headers."""
    names: list[str] = []
    for line in text.split("\n", 30)[:30]:
        line = line.rstrip("\r")
        if not line:
            break
        if line[0] in " \t" and names:
            continue
        m = _HEADER_LINE.match(line)
        if not m:
            return False
        names.append(m.group(1).lower())
    known = sum(1 for n in names if n in MAIL_HEADERS)
    return len(names) >= 2 and known >= 2 and any(n in ("from", "received", "message-id", "return-path")
                                                    for n in names)


def _is_json(line: str) -> bool:
    try:
        json.loads(line)
        return True
    except ValueError:
        return False
