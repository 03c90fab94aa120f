"""Done-when check for issue 15: a folder of UK case notes, referral letters, payroll PDFs and spreadsheets,
with identifiers planted in ordinary sentences, is scanned; every planted phone, IBAN, NINO, NHS number and
date of birth is found (asked back through subject search), the spreadsheet's first and last names count as
one person each, and no planted value appears in any output."""
from __future__ import annotations

import datetime as dt
import io
import json
import random
import sqlite3

import pytest
from click.testing import CliRunner

from detectors import checksums
from scanner.cli import main
from tests.extract.fixtures import pdf_bytes

RNG = random.Random(15)


def _nhs() -> str:
    while True:
        digits = "4" + "".join(RNG.choice("0123456789") for _ in range(9))
        if checksums.nhs_mod11(digits) and not checksums.plausible_ddmmyy(digits[:6]):
            return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def _nino() -> str:
    while True:
        value = (RNG.choice("ABCEGHJKLMNPRSTWXYZ") + RNG.choice("ABCEGHJKLMNPRSTWXYZ")
                 + "".join(RNG.choice("0123456789") for _ in range(6)) + RNG.choice("ABCD"))
        if checksums.nino_valid(value):
            return f"{value[:2]} {value[2:4]} {value[4:6]} {value[6:8]} {value[8]}"


def _iban() -> str:
    bban = "WEST" + "".join(RNG.choice("0123456789") for _ in range(14))
    check = 98 - int("".join(str(int(c, 36)) for c in bban + "GB00")) % 97
    raw = f"GB{check:02d}{bban}"
    assert checksums.iban_valid(raw)
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


# Ofcom's drama ranges for geographic numbers are valid numbers; 07700 900xxx is only possible (needs a phone word)
_PHONES = iter(f"{area} {RNG.randrange(1000):03d}" if area.startswith("07700") else f"{area}{RNG.randrange(1000):03d}"
               for area in ["0151 496 0", "0113 496 0", "0161 496 0", "020 7946 0", "0117 496 0", "07700 900",
                            "0121 496 0", "0141 496 0", "07700 900"])


def _planted() -> dict:
    return {
        "note1": {"nhs": _nhs(), "phone": next(_PHONES), "dob": "14 July 2012"},
        "note2": {"nhs": _nhs(), "phone": next(_PHONES), "dob": "02/11/2009"},
        "letter": {"nino": _nino(), "phone": next(_PHONES), "dob": "3 March 1987", "nhs": _nhs()},
        "payroll": {"nino": _nino(), "iban": _iban(), "phone": next(_PHONES)},
        "payroll2": {"nino": _nino(), "iban": _iban(), "phone": next(_PHONES)},
        "sheet": [{"first": "Ifeoma", "last": "Okonkwo-Hale", "dob": dt.date(1990, 5, 17), "nino": _nino(),
                   "phone": next(_PHONES), "iban": _iban()},
                  {"first": "Radoslaw", "last": "Wisniewski", "dob": dt.date(2011, 1, 9), "nino": _nino(),
                   "phone": next(_PHONES), "iban": _iban()}],
    }


def _build(share, p: dict) -> None:
    n1, n2, letter = p["note1"], p["note2"], p["letter"]
    (share / "case_notes").mkdir()
    (share / "case_notes" / "visit-0412.txt").write_text(
        "Home visit, Tuesday afternoon. Kayden was in good spirits and showed me his drawings.\n"
        f"NHS number {n1['nhs']}. Mum can be reached on {n1['phone']}.\n"
        f"Kayden was born on {n1['dob']} and started at the primary school in September.\n\n"
        "On 3 March 2024 the family moved to the flat above the bakery.\n")
    (share / "case_notes" / "visit-0419.txt").write_text(
        f"Spoke to Nana on the phone. She said the GP has his NHS number as {n2['nhs']} and that she is "
        f"the best person to ring, on {n2['phone']}, after school. His date of birth is {n2['dob']}; "
        "he is 15 and worried about exams.\n")
    import docx

    doc = docx.Document()
    for para in ("Dear Dr Adeyemi,",
                 f"Re: Mr Tomasz Nowak, date of birth {letter['dob']}, NHS number {letter['nhs']}.",
                 "I am writing to refer Mr Nowak to your service following our assessment last week.",
                 (f"His National Insurance number is {letter['nino']} and he prefers to be called on "
                  f"{letter['phone']} (mobile) in the mornings."),
                 "Yours sincerely,", "Hannah Price, Support Worker"):
        doc.add_paragraph(para)
    buf = io.BytesIO()
    doc.save(buf)
    (share / "referrals").mkdir()
    (share / "referrals" / "referral-nowak.docx").write_bytes(buf.getvalue())
    (share / "payroll").mkdir()
    for name, pay in (("march", p["payroll"]), ("april", p["payroll2"])):
        (share / "payroll" / f"payslip-{name}.pdf").write_bytes(pdf_bytes([
            "Payroll letter - private and confidential",
            f"Your National Insurance number is {pay['nino']}.",
            f"This month's salary will be paid to IBAN {pay['iban']}.",
            f"Questions? Call the payroll team on {pay['phone']}.",
        ]))
    _sheet(share, p["sheet"])


def _sheet(share, rows: list[dict]) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["First name", "Surname", "Date of birth", "NI number", "Mobile", "IBAN"])
    for r in rows:
        ws.append([r["first"], r["last"], r["dob"], r["nino"], r["phone"], r["iban"]])
    given = ["Aisha", "Bronwen", "Callum", "Dragana", "Eoin", "Fatima", "Gareth", "Hui", "Iwona", "Jamal",
             "Kerry", "Luca"]
    family = ["Begum", "Cadwallader", "Docherty", "Eze", "Fitzgerald", "Gallagher", "Horvat", "Iqbal", "Jones",
              "Kowalska", "Lindqvist", "McAllister"]
    for i in range(12):                      # more staff, so the columns are sampled like a real sheet
        ws.append([given[i], family[i], dt.date(1970 + i, 1 + i % 12, 1 + i), "", "", ""])
    (share / "staff").mkdir()
    wb.save(share / "staff" / "volunteers.xlsx")


def _raw_values(p: dict) -> set[str]:
    out = set()
    for value in p.values():
        for item in (value if isinstance(value, list) else [value]):
            for field, v in item.items():
                if field in ("first", "last"):
                    continue
                text = v.isoformat() if isinstance(v, dt.date) else v
                out |= {text, text.replace(" ", "")}
    return out


@pytest.fixture(scope="module")
def planted_home(tmp_path_factory):
    return tmp_path_factory.mktemp("planted-home")


@pytest.fixture(autouse=True)
def _same_home(pii_home, planted_home, monkeypatch):
    """One home (and so one hashing secret) for the scan and every search of this module."""
    monkeypatch.setenv("PII_SCAN_HOME", str(planted_home))


@pytest.fixture(scope="module")
def scanned(tmp_path_factory, planted_home):
    import os

    os.environ["PII_SCAN_HOME"] = str(planted_home)     # NOTE: module scope cannot use monkeypatch; _same_home resets
    root = tmp_path_factory.mktemp("planted")
    share = root / "share"
    share.mkdir()
    planted = _planted()
    _build(share, planted)
    state = root / "state.db"
    report = root / "report.json"
    runner = CliRunner()
    result = runner.invoke(main, ["scan", str(share), "--state", str(state), "-q", "--workers", "1",
                                  "--format", "json", "-o", str(report)])
    assert result.exit_code == 0, result.output
    return planted, state, json.loads(report.read_text()), [result.output, report.read_text()], root


def _subject(state, *args: str) -> dict:
    result = CliRunner().invoke(main, ["subject", "--state", str(state), *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _files(found: dict) -> set[str]:
    return {m["uri"].rsplit("/", 1)[-1] for m in found["matches"]}


CASES = [("note1", "visit-0412.txt"), ("note2", "visit-0419.txt"), ("letter", "referral-nowak.docx"),
         ("payroll", "payslip-march.pdf"), ("payroll2", "payslip-april.pdf")]
OPTION = {"nhs": "--nhs", "nino": "--nino", "phone": "--phone", "dob": "--dob"}


@pytest.mark.parametrize("key, file", CASES)
def test_every_planted_identifier_in_prose_is_found(scanned, key, file):
    planted, state, *_ = scanned
    for field, value in planted[key].items():
        args = ["--id", f"IBAN_CODE={value}"] if field == "iban" else [OPTION[field], value]
        assert file in _files(_subject(state, *args)), (key, field)


def test_every_planted_identifier_in_the_spreadsheet_is_found(scanned):
    planted, state, report, *_ = scanned
    for row in planted["sheet"]:
        for field in ("nino", "phone", "dob"):
            value = row[field].isoformat() if field == "dob" else row[field]
            assert "volunteers.xlsx" in _files(_subject(state, OPTION[field], value)), field
        assert "volunteers.xlsx" in _files(_subject(state, "--id", f"IBAN_CODE={row['iban']}"))
        # first name and surname columns: one person, findable by the full name
        assert "volunteers.xlsx" in _files(_subject(state, "--name", f"{row['first']} {row['last']}"))
    sheet = next(o for o in report["objects"] if o["uri"].endswith("volunteers.xlsx"))
    assert sheet["entities"]["DATE_OF_BIRTH"] == 14
    assert sheet["entities"]["PERSON"] == 14                     # not 28: first + last name is one person


def test_birth_context_does_not_reach_the_next_paragraph(scanned):
    _, state, *_ = scanned
    assert "visit-0412.txt" not in _files(_subject(state, "--dob", "2024-03-03"))


def test_children_are_flagged(scanned):
    _, _, report, *_ = scanned
    children = {o["uri"].rsplit("/", 1)[-1] for o in report["objects"] if o.get("children")}
    assert {"visit-0412.txt", "visit-0419.txt", "volunteers.xlsx"} <= children


def test_no_planted_value_leaks_to_any_output(scanned):
    planted, state, _report, outputs, _root = scanned
    texts = list(outputs)
    texts.append(CliRunner().invoke(main, ["report", "--state", str(state), "--format", "html"]).output)
    texts.append(json.dumps(_subject(state, "--nhs", planted["note1"]["nhs"], "--verify")))
    with sqlite3.connect(state) as db:
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
            texts.append(repr(db.execute(f"SELECT * FROM {table}").fetchall()))
    blob = "\n".join(texts)
    for value in _raw_values(planted):
        assert value not in blob
