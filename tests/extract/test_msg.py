"""Outlook .msg end to end: a real compound file (built by tests/extract/cfb.py, read by extract-msg):
headers, body and an attachment scanned as a member of its own."""
from __future__ import annotations

import struct

import pytest

from scanner.executors import WorkerSpec
from scanner.config import ScanSettings
from scanner.model import Status
from scanner.pipeline import Worker
from scanner.privacy import Hasher
from scanner.scan import ScanJob, run_scan
from tests.extract.cfb import Node, write

NHS = "943 476 5919"
CSV = b"name,email\nAmira Shah,amira.shah@example.org\nOliver Grant,oliver.grant@example.com\n"


def _u(text: str) -> bytes:
    return text.encode("utf-16-le")


def _props(entries: list[tuple[int, int]], header: bytes) -> bytes:
    return header + b"".join(struct.pack("<IIQ", tag, 6, value) for tag, value in entries)


def _strings(node: Node, strings: dict[int, str]) -> list[tuple[int, int]]:
    """Unicode string properties as __substg1.0_XXXX001F streams; their property entries."""
    entries = []
    for pid, text in strings.items():
        node.add(f"__substg1.0_{pid:04X}001F", _u(text))
        entries.append(((pid << 16) | 0x001F, len(_u(text)) + 2))
    return entries


def msg_bytes() -> bytes:
    root = Node("Root Entry")
    entries = _strings(root, {
        0x001A: "IPM.Note", 0x0037: "Referral", 0x1000: f"Hello Jane,\nThe NHS number is {NHS}.\nKaren Hughes\n",
        0x0C1A: "Karen Hughes", 0x0C1F: "karen.hughes@example.com", 0x0042: "Karen Hughes",
        0x0065: "karen.hughes@example.com", 0x5D01: "karen.hughes@example.com", 0x0E04: "Jane Whitfield"})
    root.add("__properties_version1.0", _props(entries, struct.pack("<QIIII", 0, 1, 1, 1, 1) + b"\0" * 8))
    nameid = root.add("__nameid_version1.0")
    for stream in ("00020102", "00030102", "00040102"):
        nameid.add(f"__substg1.0_{stream}", b"")
    recip = root.add("__recip_version1.0_#00000000")
    r_entries = _strings(recip, {0x3001: "Jane Whitfield", 0x39FE: "jane.whitfield@example.org",
                                 0x3003: "jane.whitfield@example.org"})
    recip.add("__properties_version1.0", _props([((0x0C15 << 16) | 0x0003, 1), *r_entries], b"\0" * 8))
    att = root.add("__attach_version1.0_#00000000")
    att.add("__substg1.0_37010102", CSV)
    a_entries = _strings(att, {0x3707: "contacts.csv", 0x3704: "contacts.csv"})
    att.add("__properties_version1.0", _props([((0x3705 << 16) | 0x0003, 1), ((0x3701 << 16) | 0x0102, len(CSV)),
                                               *a_entries], b"\0" * 8))
    return write(root)


def test_msg_headers_body_and_attachment(tmp_path, detector):
    pytest.importorskip("extract_msg")
    (tmp_path / "referral.msg").write_bytes(msg_bytes())
    (tmp_path / "mislabelled.txt").write_bytes(msg_bytes())       # content decides, not the extension
    w = Worker(settings=ScanSettings(), detector=detector, hasher=Hasher(b"k" * 32))
    results = {r.ref.key: r for r in run_scan(ScanJob((str(tmp_path),), WorkerSpec.of(w))).results}
    for key in ("referral.msg", "mislabelled.txt"):
        msg = results[key]
        assert msg.status is Status.SCANNED, msg.reason
        assert msg.sniffed_type == "msg"
        assert {"UK_NHS", "EMAIL_ADDRESS", "PERSON"} <= set(msg.holding.entities)
        assert any(f.where.get("header") == "From" for f in msg.findings if f.entity == "EMAIL_ADDRESS")
        assert any(f.where.get("part") == "body" for f in msg.findings if f.entity == "UK_NHS")
        att = results[f"{key}!/contacts.csv"]
        assert att.status is Status.SCANNED and att.holding.entities.get("EMAIL_ADDRESS") == 2
