"""Subject search reaches every row of a large table, not only the rows sampled for classification."""
from __future__ import annotations

import json

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


def test_person_deep_in_a_large_csv_is_found_and_located(tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    (share / "donors.csv").write_text(_rows(5000, planted_at=4321))
    (share / "gifts.jsonl").write_text("\n".join(json.dumps({"email": f"donor{i}@example.org"}) for i in range(3000))
                                       + "\n" + json.dumps({"email": "m.ellison@example.net"}) + "\n")
    state = tmp_path / "state.db"
    scan = CliRunner().invoke(main, ["scan", str(share), "--state", str(state), "-q", "--workers", "1",
                                     "--format", "json"])
    assert scan.exit_code == 0, scan.output
    assert json.loads(scan.output)["objects"][0]["entities"]["EMAIL_ADDRESS"] == 5000
    result = CliRunner().invoke(main, ["subject", "--state", str(state), "--email", "M.Ellison@example.net",
                                       "--verify", "--format", "json"])
    assert result.exit_code == 0, result.output
    matches = {m["uri"].rsplit("/", 1)[-1]: m for m in json.loads(result.output)["matches"]}
    assert set(matches) == {"donors.csv", "gifts.jsonl"}
    assert matches["donors.csv"]["strength"] == "strong"
    located = matches["donors.csv"]["verification"]["locations"]
    assert [loc["where"]["line"] for loc in located] == [4322]          # header is line 1
    assert "m.ellison@example.net" not in result.output.lower()
