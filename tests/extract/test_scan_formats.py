"""End to end: a folder with one file of each kind, and the hostile set, scanned by run_scan with a real
Worker (spaCy and the pattern recognisers). Entities and locations per file; every object accounted for."""
from __future__ import annotations

import time

import pytest

from detectors.engine import Detector
from scanner.executors import WorkerSpec
from scanner.config import Limits, ScanSettings
from scanner.extract.images import ocr_available
from scanner.model import Status
from scanner.pipeline import Worker
from scanner.privacy import Hasher
from scanner.scan import ScanJob, run_scan
from tests.extract import fixtures as F


def worker(detector: Detector, **limits) -> Worker:
    settings = ScanSettings(limits=Limits(**limits))
    return Worker(settings=settings, detector=detector, hasher=Hasher(b"k" * 32))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, detector):
    root = tmp_path_factory.mktemp("share")
    files = {
        "notes.docx": F.docx_bytes(), "staff.xlsx": F.xlsx_bytes(), "members.xls": F.xls_bytes(),
        "review.pptx": F.pptx_bytes(), "minutes.odt": F.odt_bytes(), "volunteers.ods": F.ods_bytes(),
        "report.pdf": F.pdf_bytes(["Annual report", f"Contact {F.EMAIL}"]),
        "members.parquet": F.parquet_bytes(), "members.arrow": F.arrow_bytes(), "members.avro": F.avro_bytes(),
        "staff.json": F.json_bytes(), "people.xml": F.xml_bytes(), "team.html": F.html_bytes(),
        "referral.eml": F.eml_bytes(), "members_2016.zip": F.zip_bytes({"old/members.csv": F.csv_bytes()}),
        "backup.tar.gz": F.tar_bytes({"old/members.csv": F.csv_bytes()}, "w:gz"),
        "members_2016.csv.gz": F.gzip_bytes(F.csv_bytes()), "members.csv.bz2": F.bz2_bytes(F.csv_bytes()),
        "members.csv.xz": F.xz_bytes(F.csv_bytes()), "scan.png": F.text_image(f"Contact {F.EMAIL}"),
        "mislabelled.pdf": F.xlsx_bytes(),
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    F.sqlite_file(root / "crm.db")
    outcome = run_scan(ScanJob((str(root),), WorkerSpec.of(worker(detector))))
    return {r.ref.key.lstrip("/").split("/", 0)[0]: r for r in outcome.results}


def result(corpus, suffix: str):
    hits = [r for k, r in corpus.items() if k.endswith(suffix)]
    assert len(hits) == 1, (suffix, sorted(corpus))
    return hits[0]


def wheres(r, entity: str) -> list[dict]:
    return [dict(f.where) for f in r.findings if f.entity == entity]


def test_every_object_scanned(corpus):
    bad = {k: (r.status, r.reason) for k, r in corpus.items()
           if r.status is not Status.SCANNED and not k.endswith("scan.png")}
    assert bad == {}


def test_docx(corpus):
    r = result(corpus, "notes.docx")
    assert r.holding.entities.get("EMAIL_ADDRESS", 0) >= 3 and "UK_NHS" in r.holding.entities
    assert "IBAN_CODE" in r.holding.entities
    # NOTE: findings keep a few distinct examples per entity; the header's address repeats the table's
    assert "body" in {w.get("part") for w in wheres(r, "EMAIL_ADDRESS")}
    assert any(w.get("table") == 1 and w.get("column") == "Email" for w in wheres(r, "EMAIL_ADDRESS"))
    assert any(w.get("part") == "footer" for w in wheres(r, "IBAN_CODE"))


@pytest.mark.parametrize("name,sheet,first_row", [("staff.xlsx", "Staff", 3), ("members.xls", "Members", 2),
                                                  ("volunteers.ods", "Volunteers", 2), ("mislabelled.pdf", "Staff", 3)])
def test_spreadsheets_columns(corpus, name, sheet, first_row):
    r = result(corpus, name)
    w = wheres(r, "EMAIL_ADDRESS")[0]
    assert w["sheet"] == sheet and w["column"] == "Email" and w["line"] == first_row
    assert r.holding.entities["UK_NHS"] >= 2


def test_xlsx_second_sheet(corpus):
    r = result(corpus, "staff.xlsx")
    assert any(w["sheet"] == "Donors" and w["column"] == "IBAN" for w in wheres(r, "IBAN_CODE"))
    assert r.sniffed_type == "xlsx" and result(corpus, "mislabelled.pdf").sniffed_type == "xlsx"


def test_pptx(corpus):
    r = result(corpus, "review.pptx")
    assert wheres(r, "EMAIL_ADDRESS")[0]["slide"] == 2
    assert wheres(r, "UK_NHS")[0] == {**wheres(r, "UK_NHS")[0], "slide": 2, "part": "notes"}


def test_odt_and_pdf_and_html(corpus):
    assert {w["part"] for w in wheres(result(corpus, "minutes.odt"), "EMAIL_ADDRESS")} == {"body", "header/footer"}
    assert wheres(result(corpus, "report.pdf"), "EMAIL_ADDRESS")[0]["page"] == 2
    html = result(corpus, "team.html")
    assert wheres(html, "EMAIL_ADDRESS")[0]["line"] == 7 and html.holding.entities["EMAIL_ADDRESS"] == 1


@pytest.mark.parametrize("name,column", [("members.parquet", "Email"), ("members.arrow", "Email"),
                                         ("members.avro", "contact.email")])
def test_columnar(corpus, name, column):
    r = result(corpus, name)
    assert wheres(r, "EMAIL_ADDRESS")[0]["column"] == column and r.holding.entities["EMAIL_ADDRESS"] == 3


def test_sqlite(corpus):
    r = result(corpus, "crm.db")
    assert wheres(r, "EMAIL_ADDRESS")[0]["table"] == "members"
    assert wheres(r, "IBAN_CODE")[0]["table"] == "payments"


def test_json_and_xml_key_paths(corpus):
    assert wheres(result(corpus, "staff.json"), "EMAIL_ADDRESS")[0]["key_path"] == "$.staff[].contact.email"
    xml = result(corpus, "people.xml")
    assert wheres(xml, "EMAIL_ADDRESS")[0]["key_path"] == "/people/person/email"
    assert xml.holding.entities["EMAIL_ADDRESS"] == 4          # three in the column, one owner field


def test_eml_headers_body_and_attachments(corpus):
    r = result(corpus, "referral.eml")
    assert {"From", "To"} <= {w.get("header") for w in wheres(r, "EMAIL_ADDRESS")}
    assert wheres(r, "UK_NHS")[0]["part"] == "body"
    att = result(corpus, "referral.eml!/staff.csv")
    assert att.status is Status.SCANNED and att.holding.entities["EMAIL_ADDRESS"] == 3
    inner = result(corpus, "referral.eml!/attachment-2.eml")
    assert "IBAN_CODE" in inner.holding.entities


@pytest.mark.parametrize("uri", ["members_2016.zip!/old/members.csv", "backup.tar.gz!/old/members.csv",
                                 "members_2016.csv.gz!/members_2016.csv", "members.csv.bz2!/members.csv",
                                 "members.csv.xz!/members.csv"])
def test_archive_members_named_by_path(corpus, uri):
    r = result(corpus, uri)
    assert r.status is Status.SCANNED and r.holding.entities["EMAIL_ADDRESS"] == 3
    assert r.ref.uri.endswith(uri)


def test_image(corpus):
    r = result(corpus, "scan.png")
    if ocr_available():
        assert r.status is Status.SCANNED and "EMAIL_ADDRESS" in r.holding.entities
    else:
        assert (r.status, r.reason) == (Status.SKIPPED, "image (OCR not installed)")


# -- the hostile set -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile(tmp_path_factory, detector):
    root = tmp_path_factory.mktemp("hostile")
    full_pdf, full_xlsx = F.pdf_bytes(["a", f"Contact {F.EMAIL}"]), F.xlsx_bytes()
    files = {
        "bomb.zip": F.zip_bomb(), "nested_bomb.zip": F.nested_zip_bomb(), "deep.zip": F.deep_zip(6),
        "laughs.xml": F.LAUGHS.encode(), "laughs.xlsx": F.xlsx_with_laughs(), "deep.json": F.deep_json(),
        "truncated.pdf": full_pdf[: len(full_pdf) // 2], "truncated.xlsx": full_xlsx[: len(full_xlsx) // 2],
        "invalid_utf8.txt": b"Name: Margaret Thornton\n\xc3\x28\xa0\xa1\xff\nEmail: " + F.EMAIL.encode() + b"\n",
        "locked.docx": F.encrypted_docx_bytes(), "locked.pdf": F.encrypted_pdf_bytes(),
        "locked.zip": F.encrypt_zip_flags(F.zip_bytes({"a.csv": F.csv_bytes()})),
        "long_line.csv": b"x" * (5 * 1024 * 1024),
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    with open(root / "single_line.txt", "wb") as f:          # 200 MB, no newline
        block = b"abcdefghij" * (1024 * 1024)
        for _ in range(20):
            f.write(block)
    w = worker(detector, max_text_chars=2_000_000)
    started = time.monotonic()
    outcome = run_scan(ScanJob((str(root),), WorkerSpec.of(w)))
    return {r.ref.key.lstrip("/"): r for r in outcome.results}, time.monotonic() - started


def test_hostile_set_accounted_for(hostile):
    results, elapsed = hostile
    assert elapsed < 240
    for key, r in results.items():
        if r.status is not Status.SCANNED:
            assert r.reason, key
    tops = {k for k in results if "!/" not in k}
    assert len(tops) == 14


@pytest.mark.parametrize("key,status,reason", [
    ("bomb.zip!/zeros.csv", Status.FAILED, "compression ratio"),
    ("laughs.xml", Status.FAILED, "XML refused (EntitiesForbidden)"),
    ("laughs.xlsx", Status.FAILED, "declares a DTD or entities"),
    ("deep.json", Status.FAILED, "nested too deeply"),
    ("truncated.xlsx", Status.FAILED, "BadZipFile"),
    ("locked.docx", Status.SKIPPED, "encrypted"),
    ("locked.pdf", Status.SKIPPED, "encrypted"),
    ("locked.zip!/a.csv", Status.SKIPPED, "encrypted"),
    ("long_line.csv", Status.FAILED, "Error"),
])
def test_hostile_outcomes(hostile, key, status, reason):
    r = hostile[0][key]
    assert r.status is status and reason in r.reason


def test_nested_bomb_leaves_fail_and_depth_is_bounded(hostile):
    results = hostile[0]
    leaves = [r for k, r in results.items() if k.startswith("nested_bomb.zip!/") and k.endswith("zeros.csv")]
    assert len(leaves) == 64 and all(r.status is Status.FAILED and "ratio" in r.reason for r in leaves)
    deep = [r for k, r in results.items() if k.startswith("deep.zip!/")]
    assert any(r.status is Status.SKIPPED and "nested deeper" in r.reason for r in deep)


def test_truncated_pdf_and_bad_bytes_do_not_stop_the_scan(hostile):
    results = hostile[0]
    pdf = results["truncated.pdf"]
    assert pdf.status is Status.FAILED or pdf.status is Status.SCANNED
    text = results["invalid_utf8.txt"]
    assert text.status is Status.SCANNED and "EMAIL_ADDRESS" in text.holding.entities
    big = results["single_line.txt"]
    assert big.status is Status.SCANNED and big.bytes_read == 200 * 1024 * 1024


def test_member_bytes_count_against_the_archive_budget(tmp_path, detector):
    data = F.zip_bytes({f"m{i}.csv": F.csv_bytes() * 2000 for i in range(4)})
    (tmp_path / "big.zip").write_bytes(data)
    w = worker(detector, archive_max_total_bytes=len(F.csv_bytes()) * 2000 * 2 + 10)
    results = {r.ref.key.lstrip("/"): r for r in run_scan(ScanJob((str(tmp_path),), WorkerSpec.of(w))).results}
    statuses = [results[f"big.zip!/m{i}.csv"].status for i in range(4)]
    assert statuses[:2] == [Status.SCANNED, Status.SCANNED]
    assert statuses[2:] == [Status.FAILED, Status.FAILED]
    assert "uncompressed (limit)" in results["big.zip!/m3.csv"].reason


