"""Subject search reaches every row of a large table, not only the rows sampled for classification."""
from __future__ import annotations

import json

import pytest

from click.testing import CliRunner

from scanner.cli import main


def _rows(n: int, planted_at: int) -> str:
    lines = ["donor_id,name,email,date_of_birth"]
    for i in range(1, n + 1):
        if i == planted_at:
            lines.append(f"{i},Margaret Ellison,m.ellison@example.net,02/03/1951")
        else:
            lines.append(f"{i},Donor {i:05d},donor{i}@example.org,01/01/1960")
    return "\n".join(lines) + "\n"


def _scan_and_search(share, state, *search_args: str):
    """Scan ``share`` (its first object holds 5,000 e-mail addresses), then search for the planted person."""
    scan = CliRunner().invoke(main, ["scan", str(share), "--state", str(state), "-q", "--workers", "1",
                                     "--format", "json"])
    assert scan.exit_code == 0, scan.output
    assert json.loads(scan.output)["objects"][0]["entities"]["EMAIL_ADDRESS"] == 5000
    return CliRunner().invoke(main, ["subject", "--state", str(state), "--email", "M.Ellison@example.net",
                                     *search_args, "--format", "json"])


def test_person_deep_in_a_large_csv_is_found_and_located(tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    (share / "donors.csv").write_text(_rows(5000, planted_at=4321))
    (share / "gifts.jsonl").write_text("\n".join(json.dumps({"email": f"donor{i}@example.org"}) for i in range(3000))
                                       + "\n" + json.dumps({"email": "m.ellison@example.net"}) + "\n")
    result = _scan_and_search(share, tmp_path / "state.db", "--verify")
    assert result.exit_code == 0, result.output
    matches = {m["uri"].rsplit("/", 1)[-1]: m for m in json.loads(result.output)["matches"]}
    assert set(matches) == {"donors.csv", "gifts.jsonl"}
    assert matches["donors.csv"]["strength"] == "strong"
    located = matches["donors.csv"]["verification"]["locations"]
    assert [loc["where"]["line"] for loc in located] == [4322]          # header is line 1
    assert "m.ellison@example.net" not in result.output.lower()


def _records(n: int, planted_at: int) -> list[dict]:
    return [{"donor_id": i, "name": "Margaret Ellison" if i == planted_at else f"Donor {i:05d}",
             "email": "m.ellison@example.net" if i == planted_at else f"donor{i}@example.org"}
            for i in range(1, n + 1)]


def _write_parquet(path, records):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(records), path, row_group_size=1000)


def _write_arrow(path, records):
    import pyarrow as pa

    table = pa.Table.from_pylist(records)
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        for batch in table.to_batches(max_chunksize=1000):
            writer.write_batch(batch)


def _write_avro(path, records):
    import fastavro

    schema = {"type": "record", "name": "Donor", "fields": [
        {"name": "donor_id", "type": "long"}, {"name": "name", "type": "string"}, {"name": "email", "type": "string"}]}
    with open(path, "wb") as out:
        fastavro.writer(out, fastavro.parse_schema(schema), records)


def _write_sqlite(path, records):
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE donors (donor_id INTEGER, name TEXT, email TEXT)")
        db.executemany("INSERT INTO donors VALUES (:donor_id, :name, :email)", records)
    db.close()


@pytest.mark.parametrize("name, write", [("donors.parquet", _write_parquet), ("donors.arrow", _write_arrow),
                                         ("donors.avro", _write_avro), ("donors.sqlite", _write_sqlite)])
def test_person_deep_in_a_columnar_file_or_database_is_found(tmp_path, name, write):
    """Parquet, Arrow, Avro and SQLite index every value of an identifier column too (up to the limit)."""
    share = tmp_path / "share"
    share.mkdir()
    write(share / name, _records(5000, planted_at=4321))
    result = _scan_and_search(share, tmp_path / "state.db")
    assert result.exit_code == 0, result.output
    assert [m["uri"].rsplit("/", 1)[-1] for m in json.loads(result.output)["matches"]] == [name]


def test_a_name_written_surname_first_is_found_by_the_name_as_people_say_it(tmp_path):
    """An export's "Surname, Given" name column and a record's "Patient: Surname, Given" line are both found by a
    search for "Given Surname" (and the value itself is in no output)."""
    share = tmp_path / "share"
    share.mkdir()
    surnames = ["Abbot", "Brindle", "Calloway", "Dunmore", "Everly", "Fairweather", "Grantham", "Hollis"]
    rows = ["ref,name,town"] + [f"{i},\"{surnames[i % 8]}, Pat\",Leeds" for i in range(1, 40)]
    rows.insert(17, '17,"Okonkwo-Hale, Grace",Leeds')
    (share / "export.csv").write_text("\n".join(rows) + "\n")
    (share / "ward-note.txt").write_text("Ward 4 handover\nPatient: Okonkwo-Hale, Grace\nSeen by the night team.\n")
    state = tmp_path / "state.db"
    scan = CliRunner().invoke(main, ["scan", str(share), "--state", str(state), "-q", "--workers", "1",
                                     "--format", "json"])
    assert scan.exit_code == 0, scan.output
    result = CliRunner().invoke(main, ["subject", "--state", str(state), "--name", "Grace Okonkwo-Hale",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    found = {m["uri"].rsplit("/", 1)[-1] for m in json.loads(result.stdout)["matches"]}
    assert found == {"export.csv", "ward-note.txt"}
    assert "okonkwo" not in (scan.output + result.output).lower()


def test_a_form_s_surname_in_capitals_is_found_by_the_name_as_people_say_it(tmp_path):
    """A form's "Full name: KOWALSKA, Anna Maria   Date of birth: …" line is found by a search for "Anna Maria
    Kowalska", and a name before the form's next field ends there ("Forename(s): Seamus Patrick   Nationality:")."""
    share = tmp_path / "share"
    share.mkdir()
    (share / "form-a.txt").write_text("Application form\nFull name: KOWALSKA, Anna Maria   Date of birth: 12/03/1987\n"
                                      "Signed and dated.\n")
    (share / "form-b.txt").write_text("Application form\nSurname: Brannagh   Forename(s): Seamus Patrick   "
                                      "Nationality: Irish\n")
    state = tmp_path / "state.db"
    scan = CliRunner().invoke(main, ["scan", str(share), "--state", str(state), "-q", "--workers", "1",
                                     "--format", "json"])
    assert scan.exit_code == 0, scan.output
    for name, file in (("Anna Maria Kowalska", "form-a.txt"), ("Seamus Patrick", "form-b.txt")):
        result = CliRunner().invoke(main, ["subject", "--state", str(state), "--name", name, "--format", "json"])
        assert result.exit_code == 0, result.output
        assert {m["uri"].rsplit("/", 1)[-1] for m in json.loads(result.stdout)["matches"]} == {file}
        assert "kowalska" not in (scan.output + result.output).lower()
