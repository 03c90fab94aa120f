"""Table cells and columns about people: date cells as dates, first and last name columns as one PERSON."""
import datetime as dt

import pytest

from scanner.extract.tables import name_pair, cell_text


@pytest.mark.parametrize("value, text", [
    (dt.datetime(1990, 5, 17), "1990-05-17"),                  # a spreadsheet date cell (midnight)
    (dt.datetime(1990, 5, 17, 9, 30), "1990-05-17T09:30:00"),  # a real timestamp keeps its time
    (dt.date(2011, 1, 9), "2011-01-09"),
])
def test_date_cells(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize("header, pair", [
    (["First name", "Surname", "DOB"], (0, 1)),
    (["id", "Last_Name", "FirstName"], (2, 1)),
    (["Forename", "Family name"], (0, 1)),
    (["Name", "Surname"], None),            # a full name column needs no partner
    (["First", "Last"], None),              # too vague to be names
    (["First name", "Email"], None),
    (["Vorname", "Nachname", "E-Mail"], (0, 1)),         # the EU/EEA exports' own headers, accents folded
    (["Prénom", "Nom", "Ville"], (0, 1)),
    (["Imię", "Nazwisko"], (0, 1)),
    (["Förnamn", "Efternamn"], (0, 1)),
    (["Nom", "Ville"], None),
])
def test_name_pair(header, pair):
    assert name_pair(header) == pair


def _scan_json(tmp_path, name: str, text: str) -> dict:
    import json

    from click.testing import CliRunner

    from scanner.cli import main

    share = tmp_path / "share"
    share.mkdir(exist_ok=True)
    (share / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(share), "--state", str(tmp_path / "state.db"), "-q",
                                       "--workers", "1", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["objects"][0]


STAFF = ("first_name,last_name,dob,email\n"
         "Aleksandra,Nowak,1990-02-11,a.nowak@example.com\n"
         "José Luis,Ramírez,1988-04-17,jl@example.es\n"
         "Siobhán,Ní Bhriain,1979-09-01,\n")


def test_csv_first_and_last_name_columns_are_one_person_per_row(tmp_path):
    obj = _scan_json(tmp_path, "staff.csv", STAFF)
    persons = [f for f in obj["findings"] if f["entity"] == "PERSON"]
    # one PERSON per row (not one per column), accented names included; the CSV path used to count 2 here
    assert obj["entities"]["PERSON"] == 3
    assert {f["where"]["column"] for f in persons} == {"first_name + last_name"}
    assert sorted(f["where"]["line"] for f in persons) == [2, 3, 4]
    assert [f["masked"] for f in sorted(persons, key=lambda f: f["where"]["line"])][1] == "J*** L*** R***"


def test_a_german_export_s_name_columns_are_one_person_per_row(tmp_path):
    obj = _scan_json(tmp_path, "kunden.csv", "Vorname,Nachname,E-Mail\nKacper,Wójcik,kw@example.pl\n"
                                            "Siobhán,Ní Bhriain,snb@example.ie\nJürgen,Groß,jg@example.de\n")
    assert obj["entities"]["PERSON"] == 3
    assert {f["where"]["column"] for f in obj["findings"] if f["entity"] == "PERSON"} == {"Vorname + Nachname"}


def test_an_account_column_beside_a_sort_code_holds_bank_accounts(tmp_path):
    rows = "Employee No,Sort code,Account\n00417,20-00-00,55779911\n00418,40-47-84,70872490\n"
    obj = _scan_json(tmp_path, "payroll.csv", rows)
    assert obj["entities"].get("UK_BANK_ACCOUNT") == 2
    assert {f["where"]["column"] for f in obj["findings"] if f["entity"] == "UK_BANK_ACCOUNT"} == {"Account"}
    # without a sort code beside it, an "Account" column may be a ledger's: not a bank account
    (tmp_path / "l").mkdir()
    ledger = _scan_json(tmp_path / "l", "ledger.csv", "Account,Amount\n55779911,12.00\n70872490,3.50\n")
    assert "UK_BANK_ACCOUNT" not in ledger["entities"]


def test_csv_full_name_search_finds_the_row(tmp_path):
    import json

    from click.testing import CliRunner

    from scanner.cli import main

    _scan_json(tmp_path, "staff.csv", STAFF)
    found = CliRunner().invoke(main, ["subject", "--state", str(tmp_path / "state.db"), "--name",
                                      "Siobhán Ní Bhriain", "--format", "json"])
    assert found.exit_code == 0, found.output
    assert [m["uri"].rsplit("/", 1)[-1] for m in json.loads(found.stdout)["matches"]] == ["staff.csv"]


def test_a_sparse_column_counts_its_filled_cells_not_every_row(tmp_path):
    rows = "".join(f"{i},{f'user{i}@example.org' if i in (3, 7) else ''},ok\n" for i in range(10))
    obj = _scan_json(tmp_path, "contacts.csv", "id,email,notes\n" + rows)
    assert obj["entities"] == {"EMAIL_ADDRESS": 2}          # was 10: two of ten sampled rows, times ten rows


def test_a_short_csv_row_keeps_the_next_rows_cells_in_their_columns(tmp_path):
    text = "name,email\nAnna Lind\nKarl Berg,karl.berg@example.org\n"      # the first row has no e-mail cell
    obj = _scan_json(tmp_path, "short.csv", text)
    emails = [f for f in obj["findings"] if f["entity"] == "EMAIL_ADDRESS"]
    assert [f["where"]["line"] for f in emails] == [3]


def test_name_cells_in_any_script_are_name_shaped():
    from detectors.engine import name_shaped

    assert all(name_shaped(v) for v in ("Siobhán", "Ní Bhriain", "Łukasz Żak", "Ramírez, José Luis", "O'Brien"))
    assert not any(name_shaped(v) for v in ("van Dijk", "Acme 2000", "hello", "J", "Anna lind"))


def test_a_json_record_s_first_and_last_name_are_one_person(tmp_path):
    import json

    users = [{"id": 1, "first_name": "Siobhán", "last_name": "Ní Bhriain", "email": "s.nb@example.ie"},
             {"id": 2, "first_name": "Karl", "last_name": "Berg", "email": "k.berg@example.se"},
             {"id": 3, "firstName": "Anna", "lastName": "Lind"}]
    obj = _scan_json(tmp_path, "users.json", json.dumps({"users": users}))
    persons = [f for f in obj["findings"] if f["entity"] == "PERSON"]
    assert obj["entities"]["PERSON"] == 3                      # one per record, not one per key
    assert {f["where"]["key_path"] for f in persons} == {"$.users[].first_name+last_name",
                                                         "$.users[].firstName+lastName"}
    assert sorted(f["masked"] for f in persons) == ["A*** L***", "K*** B***", "S*** N*** B***"]


def _write_people_parquet(path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist([{"Forename": "Łukasz", "Surname": "Żak", "city": "Leeds"},
                                         {"Forename": "Grace", "Surname": "Okafor", "city": "York"}]), path)


def _write_people_sqlite(path) -> None:
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE staff (id INTEGER, first_name TEXT, last_name TEXT)")
        db.executemany("INSERT INTO staff VALUES (?, ?, ?)", [(1, "Łukasz", "Żak"), (2, "Grace", "Okafor")])


@pytest.mark.parametrize("name, write", [("people.parquet", _write_people_parquet), ("staff.db", _write_people_sqlite)])
def test_first_and_last_name_columns_of_a_columnar_file_or_database_are_one_person(tmp_path, name, write):
    import json

    from click.testing import CliRunner

    from scanner.cli import main

    share = tmp_path / "share"
    share.mkdir()
    write(share / name)
    result = CliRunner().invoke(main, ["scan", str(share), "--state", str(tmp_path / "s.db"), "-q", "--workers", "1",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    obj = json.loads(result.output)["objects"][0]
    persons = [f for f in obj["findings"] if f["entity"] == "PERSON"]
    assert obj["entities"]["PERSON"] == 2 and sorted(f["masked"] for f in persons) == ["G*** O***", "Ł*** Ż***"]
    assert {f["where"]["column"] for f in persons} in ({"Forename + Surname"}, {"first_name + last_name"})
    found = CliRunner().invoke(main, ["subject", "--state", str(tmp_path / "s.db"), "--name", "Łukasz Żak",
                                      "--format", "json"])
    assert [m["uri"].rsplit("/", 1)[-1] for m in json.loads(found.stdout)["matches"]] == [name]
