"""Personal data in the names of files, folders, columns and sheets: found, and masked in every output."""
from __future__ import annotations

import json
import logging
import sqlite3

import openpyxl
from click.testing import CliRunner

from scanner.cli import main
from scanner.model import ObjectRef
from scanner.object_names import ObjectNames, masked_uri, readable

EMAIL, NINO, NAME = "zelda.quist@example.org", "JG103759A", "Olivia Bennett"
PLANTED = ("zelda.quist", "Zelda", "JG103759", "Olivia", "Bennett", "Tomasz", "Wróbel", "Wr%C3%B3bel", "kwame",
           "priya.shah")


def test_a_masked_value_is_found_however_the_uri_spells_it():
    values = {EMAIL: "z***@e***.org", "Zoë Wróbel": "Z***%20W***"}
    assert masked_uri("file:///s/a/zelda.quist%40example.org.txt", values) == "file:///s/a/z***@e***.org.txt"
    assert masked_uri("s3://b/x/zelda.quist@example.org.txt", values) == "s3://b/x/z***@e***.org.txt"
    assert masked_uri("file:///s/Zo%C3%AB%20Wr%C3%B3bel%20CV.pdf", values) == "file:///s/Z***%20W***%20CV.pdf"
    assert masked_uri("file:///s/Zo%C3%AB-CV.pdf", values) == "file:///s/Zo%C3%AB-CV.pdf"     # not the value
    # a Latin-1 name, as the OS layer gives it (surrogate-escaped) and the URI spells it
    assert masked_uri("file:///s/Jos%E9%20Ortega.txt", {"Jos\udce9 Ortega": "J***%20O***"}) == "file:///s/J***%20O***.txt"
    assert readable("JG103759A_payslip.pdf") == "JG103759A payslip pdf"        # offsets kept: same length


def test_names_with_personal_data_get_a_shown_uri_and_others_do_not(detector):
    names = ObjectNames(detector)
    def shown(key: str, uri: str) -> str | None:
        return names.named(ObjectRef(uri=uri, container="c", key=key)).facts.get("shown_uri")
    assert shown(f"HR/{NINO}_payslip.txt", f"s3://b/HR/{NINO}_payslip.txt") == "s3://b/HR/*******9A_payslip.txt"
    assert shown(f"{NAME}/notes.txt", "file:///s/Olivia%20Bennett/notes.txt") == "file:///s/O***%20B***/notes.txt"
    assert shown(f"x/{EMAIL}.txt", "file:///s/x/zelda.quist%40example.org.txt") == "file:///s/x/z***@e***.org.txt"
    assert shown("Łukasz Żak CV.pdf", "s3://b/Łukasz Żak CV.pdf") == "s3://b/Ł*** Ż*** CV.pdf"   # any script
    # a Latin-1 file name, as the local connector keys it (its byte percent-encoded) and read as Latin-1
    assert shown("Jos%E9 Ortega.txt", "file:///s/Jos%E9%20Ortega.txt") == "file:///s/J***%20O***.txt"
    # near misses: a place, a plain numbered file, a date
    for key in ("London office plan.xlsx", "report_00012.docx", "Minutes 2024-03-12.docx", "Q3 Paris.pdf"):
        assert shown(key, f"s3://b/{key}") is None
    assert names.masked(f"{NAME} diagnosis") == "O*** B*** diagnosis"
    # a name whose given name is not listed, read without NER: its first word is no English word
    assert names.masked("Cornelius Ashdown - appraisal.docx") == "C*** A*** - appraisal.docx"
    assert names.masked("Notes on Leopold Fairbanks") == "Notes on L*** F***"
    for plain in ("Annual Report 2024.docx", "Board Minutes.docx", "Project Phoenix Plan.docx"):
        assert names.masked(plain) == plain
    assert names.masked("Date of birth") == "Date of birth"
    # the words after a name that say what the file is stay readable; a surname that is an English word is masked
    assert names.masked("Olivia Bennett DBS.pdf") == "O*** B*** DBS.pdf"
    assert names.masked("José CV.txt") == "J*** CV.txt"
    assert names.masked("Ayesha Khan Payslip Jan.pdf") == "A*** K*** Payslip Jan.pdf"
    assert names.masked("Tom Baker.docx") == "T*** B***.docx"
    # --show-values: the raw URI, and a member does not keep its archive's shown URI
    ref = ObjectRef(uri=f"s3://b/{NINO}.zip!/a.txt", container="c", key=f"{NINO}.zip!/a.txt")
    assert names.named(ref, show_values=True).facts == {}
    member = ObjectRef(uri="s3://b/x.zip!/a.txt", container="c", key="x.zip!/a.txt", facts={"shown_uri": "s3://b/*"})
    assert names.named(member).facts == {}


def _stored_text(state) -> str:
    """Every row of every table of the store, as text."""
    with sqlite3.connect(state) as db:
        tables = [t for (t,) in db.execute("select name from sqlite_master where type = 'table'")]
        return repr([row for t in tables for row in db.execute(f"select * from {t}")])   # names from sqlite_master


def _share(tmp_path):
    src = tmp_path / "src"
    (src / NAME).mkdir(parents=True)
    (src / NAME / "case notes.txt").write_text("Olivia Bennett was seen on Tuesday. She has asthma.\n")
    (src / "exports").mkdir()
    (src / "exports" / f"{EMAIL}.txt").write_text("Please call back about the invoice.\n")
    (src / "exports" / f"{NINO}_payslip.txt").write_text("Net pay this month: 1,200.\n")
    (src / "exports" / "Tomasz Wróbel - notes.txt").write_text("Nothing of note.\n")
    (src / "exports" / "people.csv").write_text(
        "name,email,Notes on Olivia Bennett,kwame.mensah@example.org\n"
        "Tom Hardy,tom.hardy@example.com,asthma and depression,yes\nAnn Lee,ann.lee@example.com,diabetes,no\n")
    (src / "exports" / "London office plan.txt").write_text("Desks for 40 people.\n")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "priya.shah@example.net"
    sheet.append(["Full name", "Email", "Notes on Olivia Bennett"])
    sheet.append(["Ann Lee", "ann.lee@example.com", "asthma and depression"])
    sheet.append(["Tom Hardy", "tom.hardy@example.com", "diabetes"])
    book.save(src / "exports" / "contacts.xlsx")
    (src / "exports" / "contacts.xlsx").chmod(0o644)
    return src


def test_names_holding_personal_data_are_counted_and_never_shown(tmp_path, caplog):
    src = _share(tmp_path)
    state, out = tmp_path / "state.db", tmp_path / "report"
    formats = ("json", "sarif", "csv", "md", "html")
    args = ["scan", str(src), "--workers", "1", "--state", str(state), "-vv"]
    with caplog.at_level(logging.DEBUG, logger="pii_scan"):
        res = CliRunner().invoke(main, [*args, *(a for f in formats for a in ("-o", f"{out}.{f}"))])
    assert res.exit_code == 0, res.output
    report = json.loads((tmp_path / "report.json").read_text())
    by_name = {o["uri"].rsplit("/", 1)[-1]: o for o in report["objects"]}
    assert by_name["*******9A_payslip.txt"]["entities"] == {"UK_NINO": 1}
    assert [f["where"] for f in by_name["*******9A_payslip.txt"]["findings"]] == [{"object_name": True}]
    assert by_name["z***@e***.org.txt"]["entities"] == {"EMAIL_ADDRESS": 1}
    assert by_name["T***%20W***%20-%20notes.txt"]["entities"] == {}     # a name in a file name is not counted
    assert by_name["London%20office%20plan.txt"]["entities"] == {}       # a place is neither counted nor masked
    assert any(o["uri"].endswith("/O***%20B***/case%20notes.txt") for o in report["objects"])
    assert by_name["people.csv"]["entities"]["EMAIL_ADDRESS"] == 3     # (a first row like this one is data)
    sheet = by_name["contacts.xlsx"]
    assert {e["where"]["column"] for e in sheet["evidence"]} == {"Notes on O*** B***"}
    assert {f["where"]["sheet"] for f in sheet["findings"]} == {"p***@e***.net"}
    (exposed,) = [v for v in report["violations"]
                  if v["rule"] == "security.world_readable" and "O***%20B***" in v["target"]]
    # the world-readable rule's evidence names the object's folders: masked as its URI is
    assert {"mode": "0755", "others": "r-x", "path": "O*** B***"} in exposed["evidence"]["access"]["folders"]
    baseline = tmp_path / "baseline.json"
    res = CliRunner().invoke(main, ["baseline", "create", "--state", str(state), "-o", str(baseline)])
    assert res.exit_code == 0, res.output
    # the baseline made from masked targets still matches the next scan's violations, and that scan re-uses
    # every result (objects kept under tokens are found again by their real URIs)
    with sqlite3.connect(state) as db:
        stored = db.execute("select count(*) from results").fetchone()[0]
    res = CliRunner().invoke(main, [*args[:-1], "-q", "--baseline", str(baseline), "--fail-on", "low"])
    assert res.exit_code == 0, res.output
    with sqlite3.connect(state) as db:
        assert db.execute("select count(*) from results").fetchone()[0] == stored
    pack = tmp_path / "pack.json"
    res = CliRunner().invoke(main, ["subject", "--email", EMAIL, "--state", str(state), "--verify", "-o", str(pack)])
    assert res.exit_code == 0, res.output
    (match,) = json.loads(pack.read_text())["matches"]
    assert match["uri"].endswith("/exports/z***@e***.org.txt")
    assert match["verification"].get("still_holds") is True, match["verification"]          # read again from its real, sealed URI
    named = CliRunner().invoke(main, ["subject", "--name", NAME, "--format", "json", "--state", str(state)])
    # her name is in a note (and its folder's name) and in a column header
    assert {m["uri"].rsplit("/", 1)[-1] for m in json.loads(named.stdout)["matches"]} == {"case%20notes.txt",
                                                                                         "contacts.xlsx"}
    rendered = CliRunner().invoke(main, ["report", "--state", str(state), "--format", "html"])
    outputs = [(tmp_path / f"report.{f}").read_text() for f in formats]
    outputs += [res.output, caplog.text, baseline.read_text(), pack.read_text().replace(EMAIL, ""), rendered.output,
                named.stdout, _stored_text(state)]
    for text in outputs:
        for value in PLANTED:
            assert value not in text
    shown = CliRunner().invoke(main, ["subject", "--email", EMAIL, "--state", str(state), "--show-values",
                                      "--format", "json"])
    assert json.loads(shown.stdout)["matches"][0]["uri"].endswith("/exports/zelda.quist%40example.org.txt")
