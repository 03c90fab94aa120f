"""Issue 17, leaks: personal data used as a JSON key or as a CSV's first row never reaches where.*"""
from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner

from scanner.cli import main

EMAILS = ("zelda.quist@example.org", "bob.hartley@example.org")


def _scan(tmp_path, *extra: str) -> tuple[dict, str]:
    out, state = tmp_path / "r.json", tmp_path / "state.db"
    res = CliRunner().invoke(main, ["scan", str(tmp_path / "src"), "--workers", "1", "-q", "--state", str(state),
                                    "-o", str(out), *extra])
    assert res.exit_code == 0, res.output
    return json.loads(out.read_text()), str(state)


def _stored_text(state: str) -> str:
    with sqlite3.connect(state) as db:
        rows = [r for t, in db.execute("select name from sqlite_master where type='table'")
                for r in db.execute(f"select * from {t}")]   # table names from sqlite_master
    return repr(rows)


def test_json_keys_that_are_personal_data_are_masked_in_key_paths_and_still_found(tmp_path):
    (tmp_path / "src").mkdir()
    doc = {"users": {EMAILS[0]: {"nhs": "943 476 5919", "role": "admin"},
                     EMAILS[1]: {"nhs": "401 023 2137", "role": "user"}}, "title": "export"}
    (tmp_path / "src" / "users.json").write_text(json.dumps(doc))
    report, state = _scan(tmp_path)
    findings = report["objects"][0]["findings"]
    paths = {f["where"]["key_path"] for f in findings}
    assert paths == {"$.users.{key}", "$.users.*.nhs"}
    assert report["objects"][0]["entities"] == {"EMAIL_ADDRESS": 2, "UK_NHS": 2}   # the keys are analysed
    pack = tmp_path / "pack.json"
    res = CliRunner().invoke(main, ["subject", "--email", EMAILS[0], "--format", "json", "--verify", "--state", state,
                                    "-o", str(pack)])
    assert res.exit_code == 0, res.output
    assert "users.{key}" in pack.read_text() or "users.*" in pack.read_text()
    for text in (json.dumps(report), _stored_text(state), pack.read_text().replace(f'"{EMAILS[0]}"', "")):
        assert "zelda.quist" not in text and "bob.hartley" not in text


def test_a_headerless_csv_names_its_columns_by_position(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "people.csv").write_text(
        "Zelda Quist,Harold Pike,London\nBob Hartley,Anne Lee,Leeds\nMary Jones,Tom Brown,York\n")
    (tmp_path / "src" / "contacts.csv").write_text(
        f"Zelda Quist,{EMAILS[0]}\nBob Hartley,{EMAILS[1]}\nAnn Lee,ann.lee@example.org\n")
    (tmp_path / "src" / "staff.csv").write_text("Full Name,Home Town\nBob Hartley,New York\nAnn Lee,Leeds\n")
    report, state = _scan(tmp_path)
    columns = {o["uri"].rsplit("/", 1)[-1]: {f["where"]["column"] for f in o["findings"]} for o in report["objects"]}
    assert columns["people.csv"] <= {"column 1", "column 2", "column 3"} and columns["people.csv"]
    assert columns["contacts.csv"] <= {"column 1", "column 2"} and columns["contacts.csv"]
    assert "Full Name" in columns["staff.csv"]                 # a real header is still a header
    assert "Zelda" not in json.dumps(report) and "Zelda" not in _stored_text(state)


def test_a_headerless_spreadsheet_names_its_columns_by_position(tmp_path):
    import openpyxl

    (tmp_path / "src").mkdir()
    wb = openpyxl.Workbook()
    for row in (["Zelda Quist", "Harold Pike"], ["Bob Hartley", "Anne Lee"], ["Mary Jones", "Tom Brown"]):
        wb.active.append(row)
    wb.save(tmp_path / "src" / "people.xlsx")
    report, state = _scan(tmp_path)
    columns = {f["where"].get("column") for o in report["objects"] for f in o["findings"]}
    assert columns and not any("Zelda" in str(c) or "Quist" in str(c) for c in columns), columns
    assert "Zelda" not in json.dumps(report) and "Zelda" not in _stored_text(state)
