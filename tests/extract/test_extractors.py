"""Each extractor on a real file of its kind: the segments, their text and their locations."""
from __future__ import annotations

import io
from dataclasses import replace

import pytest

from scanner.errors import ObjectError, SkipObject
from scanner.extract import ExtractContext, Member, extractor_for, sniff
from scanner.extract.images import ocr_available
from scanner.model import SegmentKind
from tests.extract import fixtures as F


def extract(data: bytes, name: str) -> tuple[str, list]:
    """Kind and items; members are read while the extractor is paused on them, as the pipeline does."""
    kind = sniff(data[:8192], name)
    ctx = ExtractContext(name=name, encoding=kind.encoding)
    items = []
    for item in extractor_for(kind.kind)(io.BytesIO(data), ctx):
        if isinstance(item, Member) and item.open:
            with item.open() as f:
                body = f.read()
                item = replace(item, open=lambda body=body: io.BytesIO(body))
        items.append(item)
    return kind.kind, items


def columns(items) -> dict[str, object]:
    return {s.name: s for s in items if getattr(s, "kind", None) is SegmentKind.COLUMN}


def prose(items) -> list:
    return [s for s in items if getattr(s, "kind", None) is SegmentKind.PROSE]


def test_docx_body_table_header_footer_comments():
    kind, items = extract(F.docx_bytes(), "notes.docx")
    assert kind == "docx"
    cols = columns(items)
    assert cols["Email"].values == (F.EMAIL, F.EMAIL2, "susan.patel@example.com")
    assert cols["Email"].where == {"part": "body", "table": 1, "column": "Email", "first_line": 2}
    by_part = {s.where["part"]: s.text for s in prose(items)}
    assert F.EMAIL in by_part["body"] and F.EMAIL2 in by_part["header"]
    assert F.IBAN in by_part["footer"] and F.NHS in by_part["comments"]
    assert any(s.name == "author" and s.text == "Jane Doe" for s in items)


def test_xlsx_every_sheet_with_header_below_a_title_row():
    kind, items = extract(F.xlsx_bytes(), "staff.xlsx")
    assert kind == "xlsx"
    staff = {s.name: s for s in items if s.where["sheet"] == "Staff"}
    assert set(staff) == {"Name", "Email", "NHS number"}
    assert staff["Email"].where == {"sheet": "Staff", "column": "Email", "column_letter": "B", "first_line": 3}
    assert staff["Email"].rows == 3
    donors = {s.name: s for s in items if s.where["sheet"] == "Donors"}
    assert donors["IBAN"].values[0] == F.IBAN and donors["Amount"].values == ("25", "40")


def _typed_workbook() -> bytes:
    """A sheet whose table starts at B3, with every kind of cell value, and a second sheet from A1."""
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append([])
    ws.append([])
    for row in (["name", "dob", "n", "f", "t", "ok", "card", "span"],
                ["  Jo Smith ", dt.date(2010, 2, 1), 5, 2.5, dt.time(13, 30), True, 4111111111111111,
                 dt.timedelta(hours=30)],
                ["Zoë", dt.datetime(1985, 3, 4, 10, 15), -3, 1e-7, dt.datetime(1900, 1, 1), False, None, "x"],
                [None, "03/04/1985", 0, 3.0, None, None, None, None]):
        ws.append([None, *row])
    wb.create_sheet("Second").append(["a", "b"])
    wb["Second"].append([1, "y"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_xlsx_rows_and_values_are_the_same_with_either_reader(reader, monkeypatch):
    """calamine (fast) and openpyxl (streaming) give the same segments: values as text, row numbers counted
    from the sheet's first row even when the table starts lower (it was counted from the table's first row),
    column letters from A."""
    import scanner.extract.spreadsheets as sheets

    if reader == "openpyxl":
        monkeypatch.setattr(sheets, "_calamine", None)
    elif sheets._calamine is None:
        pytest.skip("python-calamine is not installed on this platform")
    _, items = extract(_typed_workbook(), "typed.xlsx")
    data = {s.name: s for s in items if s.where["sheet"] == "Data"}
    assert data["name"].where == {"sheet": "Data", "column": "name", "column_letter": "B", "first_line": 4}
    assert data["name"].values == ("Jo Smith", "Zoë", "")
    assert data["dob"].values == ("2010-02-01", "1985-03-04T10:15:00", "03/04/1985")   # a date cell is a date
    assert data["n"].values == ("5", "-3", "0") and data["f"].values == ("2.5", "1e-07", "3")
    assert data["t"].values == ("13:30:00", "1900-01-01", "")
    assert data["ok"].values == ("True", "False", "") and data["card"].values == ("4111111111111111", "", "")
    assert data["span"].values == ("1 day, 6:00:00", "x", "")
    assert [s.where for s in items if s.where["sheet"] == "Second"] == [
        {"sheet": "Second", "column": "a", "column_letter": "A", "first_line": 2},
        {"sheet": "Second", "column": "b", "column_letter": "B", "first_line": 2}]


def test_a_sparse_sheet_is_streamed_not_read_into_a_grid(monkeypatch):
    """Two cells at A1 and XFD1048576 make a tiny file but a grid of 17 billion cells: openpyxl streams it."""
    import zipfile

    import scanner.extract.spreadsheets as sheets

    src = zipfile.ZipFile(io.BytesIO(F.xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                body = body.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr">'
                                                      b"<is><t>far</t></is></c></row></sheetData>")
            dst.writestr(info, body)
    used = []
    monkeypatch.setattr(sheets, "_xlsx_calamine", lambda *a: used.append(1) or iter(()))
    _, items = extract(out.getvalue(), "sparse.xlsx")
    assert used == [] and {s.name for s in items if s.where["sheet"] == "Donors"} >= {"Donor", "IBAN"}
    _, items = extract(F.xlsx_bytes(), "staff.xlsx")                     # a small workbook goes to calamine
    assert used == [1] or sheets._calamine is None


def test_xls_legacy_workbook():
    kind, items = extract(F.xls_bytes(), "members.xls")
    assert kind == "xls"
    assert columns(items)["NHS number"].values[0] == F.NHS
    assert columns(items)["Name"].where["sheet"] == "Members"


def test_pptx_slides_in_order_and_notes():
    kind, items = extract(F.pptx_bytes(), "review.pptx")
    assert kind == "pptx"
    texts = {(s.where["slide"], s.where.get("part")): s.text for s in prose(items)}
    assert "safeguarding" in texts[(1, None)]
    assert F.EMAIL in texts[(2, None)] and F.NHS in texts[(2, "notes")]


def test_odt_body_and_footer():
    kind, items = extract(F.odt_bytes(), "minutes.odt")
    assert kind == "odt"
    by_part = {s.where["part"]: s.text for s in prose(items)}
    assert f"Attendee: {F.NAME}, {F.EMAIL}" in by_part["body"]
    assert F.EMAIL2 in by_part["header/footer"]


def test_ods_repeated_blank_rows_cost_nothing():
    kind, items = extract(F.ods_bytes(), "volunteers.ods")
    assert kind == "ods"
    cols = columns(items)
    assert cols["Email"].values == (F.EMAIL, F.EMAIL2, "susan.patel@example.com")
    assert cols["Email"].rows == 3 and cols["Email"].where["sheet"] == "Volunteers"


def test_pdf_pages_are_locations():
    kind, items = extract(F.pdf_bytes(["Annual report", f"Contact {F.EMAIL}"]), "report.pdf")
    assert kind == "pdf"
    assert [(s.where["page"], s.text.strip()) for s in items] == [(1, "Annual report"), (2, f"Contact {F.EMAIL}")]


def test_pdf_without_text_layer():
    data = F.text_image(f"Contact {F.EMAIL}", "PDF")
    if ocr_available():
        _, items = extract(data, "scan.pdf")
        assert F.EMAIL in items[0].text and items[0].where["page"] == 1
    else:
        with pytest.raises(SkipObject, match="no text layer"):
            extract(data, "scan.pdf")


def test_pdf_without_text_layer_or_ocr_is_skipped(monkeypatch):
    import scanner.extract.pdf as pdf
    monkeypatch.setattr(pdf, "ocr_available", lambda: False)
    with pytest.raises(SkipObject, match="no text layer"):
        extract(F.text_image("Contact", "PDF"), "scan.pdf")


def test_image_skipped_without_ocr(monkeypatch):
    import scanner.extract.images as images
    monkeypatch.setattr(images, "ocr_available", lambda: False)
    with pytest.raises(SkipObject, match=r"image \(OCR not installed\)"):
        extract(F.text_image("x"), "photo.png")


@pytest.mark.skipif(not ocr_available(), reason="tesseract not installed ([ocr] extra)")
def test_image_ocr():
    kind, items = extract(F.text_image(f"Contact {F.EMAIL}"), "scan.png")
    assert kind == "image" and F.EMAIL in items[0].text


@pytest.mark.parametrize("build,name,kind", [(F.parquet_bytes, "members.parquet", "parquet"),
                                             (F.arrow_bytes, "members.arrow", "arrow"),
                                             (F.arrow_bytes, "members.feather", "arrow"),
                                             (F.feather_v1_bytes, "members.feather", "feather"),
                                             (F.orc_bytes, "members.orc", "orc"),
                                             (F.orc_bytes, "no_extension", "orc")])
def test_columnar(build, name, kind):
    got, items = extract(build(), name)
    assert got == kind
    cols = columns(items)
    assert cols["Email"].values[0] == F.EMAIL and cols["Email"].rows == 3
    assert cols["Email"].where == {"column": "Email", "first_line": 1}


def test_avro_nested_records_flattened():
    kind, items = extract(F.avro_bytes(), "members.avro")
    assert kind == "avro"
    assert columns(items)["contact.email"].values == (F.EMAIL, F.EMAIL2, "susan.patel@example.com")


def test_sqlite_each_table(tmp_path):
    path = tmp_path / "crm.db"
    F.sqlite_file(path)
    kind, items = extract(path.read_bytes(), "crm.db")
    assert kind == "sqlite"
    where = {(s.where["table"], s.name): s for s in items}
    assert where[("members", "email")].values[0] == F.EMAIL
    assert where[("payments", "iban")].values[0] == F.IBAN and where[("payments", "iban")].rows == 2


def test_xml_key_paths_and_attributes():
    kind, items = extract(F.xml_bytes(), "people.xml")
    assert kind == "xml"
    by_path = {s.where["key_path"]: s for s in items}
    assert by_path["/people/person/email"].values[0] == F.EMAIL
    assert by_path["/people/person/@id"].values == ("1", "2", "3")
    assert by_path["/people/owner"].kind is SegmentKind.FIELD and by_path["/people/owner"].text == "dpo@example.com"


def test_html_visible_text_only_with_source_lines():
    kind, items = extract(F.html_bytes(), "team.html")
    assert kind == "html"
    text = "".join(s.text for s in items)
    assert F.EMAIL in text and "script.only" not in text and "color" not in text
    seg = items[0]
    line = seg.where["line"] + seg.text[: seg.text.index(F.EMAIL)].count("\n")
    assert line == F.html_bytes().decode()[: F.html_bytes().decode().index(F.EMAIL)].count("\n") + 1


def test_eml_headers_body_and_attachments_as_members():
    kind, items = extract(F.eml_bytes(), "referral.eml")
    assert kind == "eml"
    headers = {s.where["header"]: s.text for s in items if getattr(s, "kind", None) is SegmentKind.FIELD}
    assert F.EMAIL in headers["From"] and F.EMAIL2 in headers["To"]
    body = prose(items)
    assert len(body) == 1 and F.NHS in body[0].text and body[0].where["part"] == "body"   # html twin not doubled
    members = [i for i in items if isinstance(i, Member)]
    assert [m.name for m in members] == ["staff.csv", "attachment-2.eml"]
    assert members[0].open().read() == F.csv_bytes()
    _, inner = extract(members[1].open().read(), members[1].name)
    assert any(F.IBAN in s.text for s in prose(inner))


def test_sniff_by_content_not_extension():
    assert extract(F.xlsx_bytes(), "report.pdf")[0] == "xlsx"
    assert extract(F.csv_bytes(), "photo.jpg")[0] == "csv" or extract(F.csv_bytes(), "photo.jpg")[0] == "text"
    assert extract(F.pdf_bytes(["x"]), "notes.txt")[0] == "pdf"
    assert extract(F.eml_bytes(), "message.txt")[0] == "eml"
    assert extract(F.tar_bytes({"a.csv": F.csv_bytes()}), "backup.bin")[0] == "tar"
    assert extract(F.xls_bytes(), "x.dat")[0] == "xls"


def test_zip_with_docx_inside_is_read_as_docx_when_head_is_unhelpful():
    import zipfile
    src = zipfile.ZipFile(io.BytesIO(F.docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("padding.bin", bytes(range(256)) * 64, zipfile.ZIP_STORED)   # pushes parts past the sniff head
        for info in src.infolist():
            z.writestr(info.filename, src.read(info))
    kind, items = extract(out.getvalue(), "archive.zip")
    assert kind == "zip" and any(F.EMAIL in s.text for s in prose(items))


def test_zip_members_and_paths():
    kind, items = extract(F.zip_bytes({"old/members.csv": F.csv_bytes(), "old/": b""}), "members_2016.zip")
    assert kind == "zip"
    assert [m.name for m in items] == ["old/members.csv"]
    assert items[0].open().read() == F.csv_bytes()


@pytest.mark.parametrize("build,name,member", [
    (lambda: F.gzip_bytes(F.csv_bytes()), "members_2016.csv.gz", "members_2016.csv"),
    (lambda: F.bz2_bytes(F.csv_bytes()), "members.csv.bz2", "members.csv"),
    (lambda: F.xz_bytes(F.csv_bytes()), "members.csv.xz", "members.csv"),
    (lambda: F.tar_bytes({"old/members.csv": F.csv_bytes()}), "backup.tar", "old/members.csv"),
    (lambda: F.tar_bytes({"old/members.csv": F.csv_bytes()}, "w:gz"), "backup.tgz", "old/members.csv"),
    (lambda: F.tar_bytes({"old/members.csv": F.csv_bytes()}, "w:bz2"), "backup.tar.bz2", "old/members.csv"),
    (lambda: F.tar_bytes({"old/members.csv": F.csv_bytes()}, "w:xz"), "backup.tar.xz", "old/members.csv"),
])
def test_compressed_and_tar(build, name, member):
    _, items = extract(build(), name)
    assert [m.name for m in items] == [member]
    assert items[0].open().read() == F.csv_bytes()


def test_encrypted_zip_member_is_skipped_not_read():
    _, items = extract(F.encrypt_zip_flags(F.zip_bytes({"a.csv": F.csv_bytes()})), "secret.zip")
    assert [(m.name, m.skip) for m in items] == [("a.csv", "encrypted")]


@pytest.mark.parametrize("build,name", [(F.encrypted_pdf_bytes, "locked.pdf"), (F.encrypted_docx_bytes, "locked.docx")])
def test_password_protected_documents_are_skipped(build, name):
    with pytest.raises(SkipObject, match="encrypted"):
        extract(build(), name)


def test_header_detection_without_header_names_columns_by_letter():
    _, _items = extract(F.csv_bytes(F.STAFF[1:]), "x.csv")     # the existing CSV path, for comparison
    from scanner.extract.tables import table_segments
    segs = list(table_segments(enumerate(list(F.STAFF[1:]), start=1), ExtractContext("x"), {"sheet": "S"}))
    assert [s.name for s in segs] == ["A", "B", "C"] and segs[1].values[0] == F.EMAIL
    assert segs[1].where["first_line"] == 1


def test_library_errors_become_object_errors():
    with pytest.raises(ObjectError, match=r"cannot read \(BadZipFile\)"):
        extract(b"PK\x03\x04" + b"\x00" * 100, "broken.xlsx")


def test_the_csv_delimiter_shortcut_gives_the_sniffers_answer():
    """Without quotes, a comma on every line the same number of times is the Sniffer's answer too; other
    samples still go to the Sniffer."""
    import csv
    import random

    from scanner.extract.tabular import _delimiter

    def sniffer(sample: str) -> str:
        try:
            return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            return ","

    rng = random.Random(3)
    cells = ["a", "bb", "12", "x y", "3.5", "", "Zoë", "e@x.org", "1;2", "p|q", "t\tu", "a,b"]
    samples = ["id,name\n1,Jo\n", "a;b;c\n1;2;3\n", "a\tb\n1\t2\n", "one\ntwo\n", "a,b\r\n1,2\r\n",
               "a,b\n\n1,2\n", "a|b|c\n1|2|3\n", "x,y;z\n1,2;3\n"]
    for _ in range(3000):
        sep = rng.choice(",;\t|")
        width = rng.randint(1, 6)
        rows = [sep.join(rng.choice(cells) for _ in range(width + (rng.random() < 0.05)))
                for _ in range(rng.randint(1, 20))]
        samples.append("\n".join(rows) + rng.choice(("\n", "")))
    shortcut = 0
    for sample in samples:
        assert _delimiter(sample) == sniffer(sample), sample
        counts = {line.count(",") for line in sample.split("\n") if line}
        shortcut += len(counts) == 1 and 0 not in counts
    assert shortcut > 100                     # the shortcut was taken often, not only the Sniffer


def test_column_index_undoes_column_letter():
    from scanner.extract.tables import column_index, column_letter

    assert [column_letter(i) for i in (0, 25, 26, 16383)] == ["A", "Z", "AA", "XFD"]
    assert all(column_index(column_letter(i)) == i for i in range(20000))


def test_orc_magic_alone_is_not_enough():
    """A CSV that starts with "ORC" (an ORCID column) is text, not an ORC file."""
    kind, _ = extract(b"ORCID,Email\n0000-0002-1825-0097,a@example.org\n", "ids.csv")
    assert kind == "csv"


def test_columnar_formats_are_core_dependencies():
    """Issue 19 item 10: the default install reads Parquet, Arrow/Feather, ORC, Avro and SQLite."""
    import configparser
    from pathlib import Path

    cfg = configparser.ConfigParser()
    cfg.read(Path(__file__).resolve().parents[2] / "setup.cfg")
    core = [line.split(">")[0].split("=")[0].split(";")[0].strip().lower()
            for line in cfg["options"]["install_requires"].splitlines() if line.strip()]
    assert {"pyarrow", "fastavro"} <= set(core)
    assert cfg["options.extras_require"]["columnar"].strip() == ""


def test_json_with_a_5000_digit_integer_is_invalid_not_an_internal_error():
    """json.loads raises a plain ValueError (not JSONDecodeError) past the int digit limit: issue 18 item 5."""
    data = b'{"id": ' + b"7" * 5000 + b"}"
    with pytest.raises(ObjectError, match=r"invalid .*number too long") as info:
        extract(data, "big.json")
    assert "7777" not in str(info.value)
