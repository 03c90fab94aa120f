"""Builders for one file of each kind, planted with personal data, and for the hostile set.

Everything is made here with the libraries (no binary blobs in the repository)."""
from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import sqlite3
import tarfile
import zipfile
from email.message import EmailMessage
from pathlib import Path

NAME = "Margaret Thornton"
EMAIL = "margaret.thornton@example.org"
EMAIL2 = "david.okafor@example.net"
NHS = "943 476 5919"
IBAN = "GB82 WEST 1234 5698 7654 32"

STAFF = [("Name", "Email", "NHS number"),
         (NAME, EMAIL, NHS),
         ("David Okafor", EMAIL2, "401 023 2137"),
         ("Susan Patel", "susan.patel@example.com", "943 476 5870")]


def csv_bytes(rows=STAFF) -> bytes:
    return "".join(",".join(r) + "\n" for r in rows).encode()


# -- office ----------------------------------------------------------------------------------------------

def docx_bytes() -> bytes:
    import docx

    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = f"Prepared by {EMAIL2}"
    doc.sections[0].footer.paragraphs[0].text = f"Bank details: {IBAN}"
    doc.add_paragraph("Case notes")
    para = doc.add_paragraph(f"Please contact {NAME} at {EMAIL} about the referral.")
    table = doc.add_table(rows=len(STAFF), cols=3)
    for r, row in enumerate(STAFF):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    doc.add_comment(para.runs, text=f"Check NHS number {NHS} first", author="Jane Doe")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff"
    ws.append(["Staff list 2016"])
    for row in STAFF:
        ws.append(list(row))
    donors = wb.create_sheet("Donors")
    donors.append(["Donor", "IBAN", "Amount"])
    donors.append([NAME, IBAN, 25])
    donors.append(["David Okafor", "DE89 3704 0044 0532 0130 00", 40])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xls_bytes() -> bytes:
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Members")
    for r, row in enumerate(STAFF):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def pptx_bytes() -> bytes:
    from pptx import Presentation

    prs = Presentation()
    s1 = prs.slides.add_slide(prs.slide_layouts[1])
    s1.shapes.title.text = "Quarterly safeguarding review"
    s1.placeholders[1].text = "Numbers are up on last year."
    s2 = prs.slides.add_slide(prs.slide_layouts[1])
    s2.shapes.title.text = "Contact"
    s2.placeholders[1].text = f"Lead worker: {EMAIL}"
    s2.notes_slide.notes_text_frame.text = f"Do not read out the NHS number {NHS}"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"')


def _odf(mimetype: str, body: str, styles: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype)           # stored, first: as ODF requires
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>')
        z.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?>'
                                  f'<office:document-content {ODF_NS}><office:body>{body}</office:body>'
                                  f'</office:document-content>', zipfile.ZIP_DEFLATED)
        if styles:
            z.writestr("styles.xml", f'<?xml version="1.0"?><office:document-styles {ODF_NS}>{styles}'
                                     f'</office:document-styles>', zipfile.ZIP_DEFLATED)
    return out.getvalue()


def odt_bytes() -> bytes:
    body = (f"<office:text><text:h>Minutes</text:h><text:p>Attendee: <text:span>{NAME}</text:span>, "
            f"{EMAIL}</text:p></office:text>")
    styles = f"<style:master-page><style:footer><text:p>Queries to {EMAIL2}</text:p></style:footer></style:master-page>"
    return _odf("application/vnd.oasis.opendocument.text", body, styles)


def ods_bytes() -> bytes:
    def row(*cells: str) -> str:
        return "<table:table-row>" + "".join(
            f"<table:table-cell><text:p>{c}</text:p></table:table-cell>" for c in cells) + "</table:table-row>"
    rows = "".join(row(*r) for r in STAFF)
    blank = '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    body = f'<office:spreadsheet><table:table table:name="Volunteers">{rows}{blank}</table:table></office:spreadsheet>'
    return _odf("application/vnd.oasis.opendocument.spreadsheet", body)


# -- PDF -------------------------------------------------------------------------------------------------

def pdf_bytes(pages: list[str]) -> bytes:
    """A minimal PDF with one line of Helvetica text per page (written by hand: exact, tiny)."""
    objs: list[bytes] = []
    n_pages = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    font_id = 3 + 2 * n_pages
    for i, text in enumerate(pages):
        esc = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 12 Tf 72 720 Td ({esc}) Tj ET".encode()
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
                    f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode())
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for num, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{num} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def text_image(text: str, fmt: str = "PNG") -> bytes:
    """An image of ``text`` in a large clear font (for OCR), saved as PNG or as an image-only PDF."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=36)
    img = Image.new("RGB", (1400, 120), "white")
    ImageDraw.Draw(img).text((20, 30), text, fill="black", font=font)
    out = io.BytesIO()
    img.save(out, fmt)
    return out.getvalue()


def encrypted_pdf_bytes() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_bytes([f"Secret: {EMAIL}"]))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="letmein", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_docx_bytes() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(docx_bytes())).encrypt("letmein", out)
    return out.getvalue()


# -- data files ------------------------------------------------------------------------------------------

def _staff_table():
    import pyarrow as pa

    header, *rows = STAFF
    return pa.table({h: [r[i] for r in rows] for i, h in enumerate(header)})


def parquet_bytes() -> bytes:
    from pyarrow import parquet as pq

    out = io.BytesIO()
    pq.write_table(_staff_table(), out)
    return out.getvalue()


def arrow_bytes() -> bytes:
    import pyarrow as pa

    table = _staff_table()
    sink = io.BytesIO()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def orc_bytes() -> bytes:
    from pyarrow import orc

    out = io.BytesIO()
    orc.write_table(_staff_table(), out)
    return out.getvalue()


def feather_v1_bytes() -> bytes:
    import warnings

    from pyarrow import feather

    out = io.BytesIO()
    with warnings.catch_warnings():          # version 1 is deprecated for writing, still met on shares
        warnings.simplefilter("ignore", DeprecationWarning)
        feather.write_feather(_staff_table(), out, version=1)
    return out.getvalue()


def avro_bytes() -> bytes:
    import fastavro

    schema = {"type": "record", "name": "Member", "fields": [
        {"name": "name", "type": "string"},
        {"name": "contact", "type": {"type": "record", "name": "Contact",
                                     "fields": [{"name": "email", "type": "string"}]}}]}
    records = [{"name": r[0], "contact": {"email": r[1]}} for r in STAFF[1:]]
    out = io.BytesIO()
    fastavro.writer(out, fastavro.parse_schema(schema), records)
    return out.getvalue()


def sqlite_file(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE members (id INTEGER PRIMARY KEY, full_name TEXT, email TEXT)")
    db.executemany("INSERT INTO members (full_name, email) VALUES (?, ?)", [(r[0], r[1]) for r in STAFF[1:]])
    db.execute("CREATE TABLE payments (member INTEGER, iban TEXT)")
    db.executemany("INSERT INTO payments VALUES (?, ?)", [(1, IBAN), (2, "DE89 3704 0044 0532 0130 00")])
    db.commit()
    db.close()


def json_bytes() -> bytes:
    return json.dumps({"org": "Hope Trust", "staff": [{"name": r[0], "contact": {"email": r[1]}}
                                                      for r in STAFF[1:]]}).encode()


def xml_bytes() -> bytes:
    people = "".join(f'<person id="{i}"><name>{r[0]}</name><email>{r[1]}</email></person>'
                     for i, r in enumerate(STAFF[1:], start=1))
    return f'<?xml version="1.0"?><people>{people}<owner>dpo@example.com</owner></people>'.encode()


def html_bytes() -> bytes:
    return (f"<!DOCTYPE html>\n<html><head><title>Team</title>\n<style>.x {{ color: red }}</style>\n"
            f"<script>var hidden = 'script.only@example.org';</script></head>\n<body>\n"
            f"<h1>Our team</h1>\n<p>Contact {NAME} at {EMAIL}</p>\n</body></html>\n").encode()


# -- e-mail ----------------------------------------------------------------------------------------------

def eml_bytes(attach_message: bool = True) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{NAME} <{EMAIL}>"
    msg["To"] = f"David Okafor <{EMAIL2}>"
    msg["Subject"] = "Referral"
    msg.set_content(f"Hello David,\nThe NHS number is {NHS}.\nThanks\n")
    msg.add_alternative(f"<p>Hello David,<br>The NHS number is {NHS}.</p>", subtype="html")
    msg.add_attachment(csv_bytes(), maintype="text", subtype="csv", filename="staff.csv")
    if attach_message:
        inner = EmailMessage()
        inner["From"] = "Susan Patel <susan.patel@example.com>"
        inner["Subject"] = "Bank"
        inner.set_content(f"My IBAN is {IBAN}\n")
        msg.add_attachment(inner)
    return msg.as_bytes()


# -- archives --------------------------------------------------------------------------------------------

def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def tar_bytes(members: dict[str, bytes], mode: str = "w") -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1_500_000_000
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def bz2_bytes(data: bytes) -> bytes:
    return bz2.compress(data)


def xz_bytes(data: bytes) -> bytes:
    return lzma.compress(data)


def encrypt_zip_flags(data: bytes) -> bytes:
    """Mark every member encrypted (general-purpose bit 0) in local and central headers: enough for a
    reader to have to refuse it, which is the behaviour under test."""
    buf = bytearray(data)
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = buf.find(sig)
        while i >= 0:
            buf[i + flag_at] |= 0x01
            i = buf.find(sig, i + 4)
    return bytes(buf)


# -- hostile ---------------------------------------------------------------------------------------------

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
          + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
                    for i in range(1, 10))
          + ']>\n<lolz>&lol9;</lolz>\n')


def zip_bomb(size: int = 64 * 1024 * 1024) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("zeros.csv", "w") as f:
            block = b"\0" * (1024 * 1024)
            for _ in range(size // len(block)):
                f.write(block)
    return out.getvalue()


def nested_zip_bomb(fan_out: int = 8, leaf_size: int = 16 * 1024 * 1024) -> bytes:
    leaf = zip_bomb(leaf_size)
    mid = zip_bytes({f"l{i}.zip": leaf for i in range(fan_out)}, zipfile.ZIP_STORED)
    return zip_bytes({f"m{i}.zip": mid for i in range(fan_out)}, zipfile.ZIP_STORED)


def deep_zip(depth: int) -> bytes:
    data, name = csv_bytes(), "members.csv"
    for level in range(depth):
        data, name = zip_bytes({name: data}), f"level{level}.zip"
    return data


def xlsx_with_laughs() -> bytes:
    src = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                head = LAUGHS.split("<lolz>")[0].replace("lolz", "worksheet")
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = head.encode() + body.replace(
                    b"<sheetData>", b'<sheetData><row r="99"><c r="A99" t="inlineStr"><is><t>&lol9;</t></is></c></row>')
            z.writestr(info.filename, data)
    return out.getvalue()


def deep_json(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth
