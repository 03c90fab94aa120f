"""Subject search finds a person named deep in a case file, past the point where NER stopped reading."""
from __future__ import annotations

import json

from click.testing import CliRunner

from scanner.cli import main

FIRST = ["Amelia", "Oliver", "Priya", "Tomasz", "Grace", "Callum"]
LAST = ["Okafor", "Brennan", "Kowalski", "Nakamura", "Lindqvist", "Achebe", "Hughes", "Patel"]


def test_a_name_on_line_45_of_a_case_file_is_found_and_located(tmp_path, monkeypatch):
    from detectors.names import NameRules

    # NOTE: names left to NER (the given-name rule would find these anywhere): this is about NER's budget
    monkeypatch.setattr(NameRules, "given_names", lambda self, text: [])
    lines = [f"0{i % 9 + 1}/03/2024 - Spoke with {FIRST[i % 6]} {LAST[i // 6]} about the grant."
             for i in range(48)]
    lines[44] = "09/04/2024 - Spoke with Margaret Ellison about the grant."
    share = tmp_path / "share"
    share.mkdir()
    (share / "casework.txt").write_text("\n".join(lines) + "\n")
    state = str(tmp_path / "state.db")
    scan = CliRunner().invoke(main, ["scan", str(share), "--state", state, "-q", "--workers", "1",
                                     "--format", "json"])
    assert scan.exit_code == 0, scan.output
    persons = json.loads(scan.output)["objects"][0]["entities"]["PERSON"]
    assert 3 <= persons < 20                       # NER stopped once the file was known to name people
    found = CliRunner().invoke(main, ["subject", "--state", state, "--name", "margaret  ELLISON", "--verify",
                                      "--format", "json"])
    assert found.exit_code == 0, found.output
    (match,) = json.loads(found.stdout)["matches"]
    assert match["uri"].endswith("/casework.txt") and match["strength"] == "possible"
    assert any("past the scan's NER budget" in note for note in match["notes"])
    assert [loc["where"]["line"] for loc in match["verification"]["locations"]] == [45]
    assert "ellison" not in found.output.lower() and "ellison" not in scan.output.lower()
    missing = CliRunner().invoke(main, ["subject", "--state", state, "--name", "Margaret Okafor", "--format", "json"])
    assert missing.exit_code == 0 and json.loads(missing.stdout)["matches"] == []
    assert "weak evidence" in missing.stderr           # --name alone is said to be weak evidence (issue 19 item 2)
