"""Sniffing and the text, CSV and JSON extractors."""
from __future__ import annotations

import io
import json

import pytest

from scanner.config import Limits
from scanner.extract import ExtractContext, extractor_for
from scanner.extract.sniff import sniff
from scanner.model import SegmentKind


@pytest.mark.parametrize("head, name, kind", [
    (b"", "x.txt", "empty"),
    (b"%PDF-1.7\n", "letter.txt", "pdf"),                 # content beats a misleading extension
    (b"PK\x03\x04rest", "a.csv", "zip"),
    (b"\x00\x01\x02\x03", "a.txt", "binary"),
    (b"name,email\nJo,jo@x.org\n", "staff.csv", "csv"),
    (b'{"a": 1}\n{"a": 2}\n', "log.txt", "jsonl"),
    (b'{"a": [1, 2]}', "export", "json"),
    (b"Dear Sir,\nThank you.", "letter", "text"),
    ("Caf\xe9 cr\xe8me br\xfbl\xe9e pour No\xebl et Zo\xeb, d\xe9j\xe0 vu".encode("latin-1"), "menu.txt", "text"),
])
def test_sniff(head, name, kind):
    assert sniff(head, name).kind == kind


def _segments(kind, data: bytes, name="x", **limits):
    ctx = ExtractContext(name=name, limits=Limits(**limits), encoding="utf-8")
    return list(extractor_for(kind)(io.BytesIO(data), ctx))


def test_text_segments_carry_line_and_offset():
    lines = [f"line {i} " + "x" * 50 + "\n" for i in range(3000)]
    data = "".join(lines).encode()
    segs = _segments("text", data)
    assert len(segs) > 1
    text = "".join(s.text for s in segs)
    assert text == data.decode()
    for s in segs:
        assert text[s.where["offset"]:].startswith(s.text[:20])
        assert s.text.startswith(f"line {s.where['line'] - 1} ")


def test_text_limit_bounds_decoded_chars():
    segs = _segments("text", b"a" * 500_000, max_text_chars=1000)
    assert sum(len(s.text) for s in segs) == 1000


def test_csv_columns_with_header_and_sample():
    rows = "\n".join(f"Person {i},p{i}@example.org" for i in range(500))
    segs = _segments("csv", ("name,email\n" + rows + "\n").encode(), name="t.csv", table_sample_rows=50)
    assert [s.kind for s in segs] == [SegmentKind.COLUMN] * 2
    assert [s.name for s in segs] == ["name", "email"]
    assert segs[1].rows == 500 and len(segs[1].values) == 50 and segs[1].values[0] == "p0@example.org"


def test_csv_without_header_and_semicolons():
    segs = _segments("csv", b"a@example.org;07700 900123\nb@example.org;07700 900456\n", name="t.csv")
    assert [s.name for s in segs] == ["column 1", "column 2"] and segs[0].rows == 2


def test_json_key_paths_and_columns():
    doc = {"org": "x", "people": [{"email": f"u{i}@example.org"} for i in range(3)]}
    segs = _segments("json", json.dumps(doc).encode())
    col = next(s for s in segs if s.kind is SegmentKind.COLUMN)
    assert col.where["key_path"] == "$.people[].email" and col.rows == 3
    field = next(s for s in segs if s.kind is SegmentKind.FIELD)
    assert field.where["key_path"] == "$.org"


def test_jsonl_records_fold_into_columns():
    data = b"\n".join(json.dumps({"email": f"u{i}@example.org"}).encode() for i in range(4))
    [seg] = _segments("jsonl", data)
    assert seg.kind is SegmentKind.COLUMN and seg.where["key_path"] == "$[].email" and seg.rows == 4


def test_deeply_nested_json_fails_cleanly():
    from scanner.errors import ObjectError

    with pytest.raises(ObjectError, match="nested"):
        _segments("json", b"[" * 100_000 + b"]" * 100_000)
