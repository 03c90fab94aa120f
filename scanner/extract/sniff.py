"""Type by content first (magic bytes, text heuristics), extension second."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass

from charset_normalizer import from_bytes

# (magic prefix, kind) — checked in order
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"PAR1", "parquet"),
    (b"Obj\x01", "avro"),
    (b"ARROW1", "arrow"),
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

TEXT_EXT = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".jsonl": "jsonl",
            ".ndjson": "jsonl", ".xml": "xml", ".html": "html", ".htm": "html", ".eml": "eml"}
BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


@dataclass(frozen=True)
class Sniffed:
    kind: str
    encoding: str | None = None


def sniff(head: bytes, name: str) -> Sniffed:
    """What ``head`` (the first few KB) is, using ``name``'s extension only to refine text kinds."""
    if not head:
        return Sniffed("empty")
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return Sniffed(kind)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image")
    encoding = text_encoding(head)
    if encoding is None:
        return Sniffed("binary")
    ext = os.path.splitext(name.lower())[1]
    text = head.decode(encoding, errors="replace").lstrip("\ufeff").lstrip()
    return Sniffed(_text_kind(text, ext), encoding)


def text_encoding(head: bytes) -> str | None:
    """The encoding of ``head`` if it is text, else None (binary)."""
    for bom, enc in BOMS:
        if head.startswith(bom):
            return enc
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


def _text_kind(text: str, ext: str) -> str:
    if text.startswith(("{", "[")):
        first = text.split("\n", 1)[0].strip()
        if ext in (".jsonl", ".ndjson") or (first.startswith("{") and first.endswith("}") and "\n{" in text):
            if _is_json(first):
                return "jsonl"
        if ext in (".json", ".jsonl", ".ndjson", "") or text.startswith("{"):
            return "jsonl" if ext in (".jsonl", ".ndjson") else "json"
    if text.startswith("<?xml"):
        return "xml"
    if text[:15].lower().startswith(("<!doctype html", "<html")):
        return "html"
    kind = TEXT_EXT.get(ext)
    if kind in ("csv", "tsv", "eml", "xml", "html"):
        return kind
    return "text"


def _is_json(line: str) -> bool:
    try:
        json.loads(line)
        return True
    except ValueError:
        return False
