"""A small table laid out as a form (a field's label, then its value) is read as "label: value" lines, so each
value is read beside its label: the referral form in a Word table, the details sheet of a workbook."""
from __future__ import annotations

import json

import docx
import openpyxl
from click.testing import CliRunner

from scanner.cli import main
from scanner.extract.tables import form_lines

FIELDS = [("Child's name", "Kai Robinson"), ("Date of birth", "30/06/2012"), ("Parent/carer", "Deborah Ndlovu"),
          ("Contact number", "07700 900456"), ("Reason for referral", "Low mood, missing school")]


def _scan(tmp_path) -> dict:
    res = CliRunner().invoke(main, ["scan", str(tmp_path / "share"), "--state", str(tmp_path / "state.db"), "-q",
                                    "--workers", "1", "--format", "json"])
    assert res.exit_code == 0, res.output
    return {o["uri"].rsplit("/", 1)[-1]: o for o in json.loads(res.output)["objects"]}


def test_a_form_s_rows_become_label_value_lines():
    rows = list(enumerate([list(f) for f in FIELDS], start=1))
    assert form_lines(rows) == [f"{label}: {value}" for label, value in FIELDS]
    # two fields a row, a label's colon kept once
    assert form_lines([(1, ["Name:", "Ann Lee", "DOB:", "01/02/2010"]), (2, ["Address:", "4 Brook Lane", "", ""])]) \
        == ["Name: Ann Lee\tDOB: 01/02/2010", "Address: 4 Brook Lane"]


def test_a_table_of_records_is_no_form():
    records = [(1, ["Name", "Email"]), (2, ["Ann Lee", "ann@example.org"]), (3, ["Tom Hardy", "tom@example.org"])]
    assert form_lines(records) is None
    assert form_lines([(1, ["Name", "Date of birth"]), (2, ["Ann Lee", "01/02/2010"])]) is None   # one header row
    # a long table whose first cells read like labels is records too
    assert form_lines([(n, [f"Name {n}", "x"]) for n in range(1, 100)]) is None


def test_a_word_form_and_a_details_sheet_are_read_field_by_field(tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    document = docx.Document()
    document.add_heading("Referral form", 1)
    table = document.add_table(rows=len(FIELDS), cols=2)
    for row, (label, value) in zip(table.rows, FIELDS, strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    document.save(share / "referral.docx")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Details"
    for label, value in FIELDS:
        sheet.append([label, value])
    book.save(share / "details.xlsx")
    found = _scan(tmp_path)
    for name in ("referral.docx", "details.xlsx"):
        entities = found[name]["entities"]
        # read as columns, the first row was a header and each column a mix: only one name was found
        assert entities.get("DATE_OF_BIRTH") == 1 and entities.get("PHONE_NUMBER") == 1, (name, entities)
        assert entities.get("PERSON") == 2, (name, entities)
        assert found[name]["children"] is True
