"""pii-scan detect --jsonl (batch, every finding) and --explain."""
from __future__ import annotations

import json

from click.testing import CliRunner

from detectors.batch import BadRecord, detect_jsonl
from scanner.cli import main

RECORDS = [
    {"id": 1, "text": "Email jo@charity.org.uk, NHS number 943 476 5919."},
    {"id": "b", "text": "Sarah Jenkins lives at 14 Oakfield Road, Leeds LS6 2AB."},
    {"id": None, "text": ""},
]


def test_jsonl_round_trip_with_exact_offsets(tmp_path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["detect", "--jsonl", str(path)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["id"] for o in out] == [1, "b", None]
    for row in out:
        for span in row["spans"]:
            assert set(span) == {"start", "end", "entity", "score"}
    found = {(RECORDS[i]["text"][s["start"]:s["end"]], s["entity"]) for i, o in enumerate(out) for s in o["spans"]}
    assert {("jo@charity.org.uk", "EMAIL_ADDRESS"), ("943 476 5919", "UK_NHS"), ("Sarah Jenkins", "PERSON"),
            ("14 Oakfield Road, Leeds LS6 2AB", "LOCATION")} <= found
    assert "jo@charity" not in json.dumps([o["spans"] for o in out])


def test_jsonl_reports_every_finding_no_budget(detector) -> None:
    text = "Sarah Jenkins met Tom Baker in Leeds.\n" * 300
    (row,) = detect_jsonl(detector, [json.dumps({"id": 1, "text": text})])
    assert sum(s["entity"] == "PERSON" for s in row["spans"]) == 600


def test_jsonl_bad_line_is_a_usage_error(tmp_path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": 1, "text": "ok"}\n{"id": 2}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["detect", "--jsonl", str(path)])
    assert result.exit_code == 2 and "line 2" in result.output
    try:
        list(detect_jsonl(None, ["not json"]))
    except BadRecord as exc:
        assert "line 1" in str(exc)
    else:
        raise AssertionError("no error")


def test_explain_shows_why(tmp_path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("NHS number 943 476 5919\nRef 943 476 5918\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["detect", "--explain", str(path)])
    rows = [json.loads(x) for x in result.output.splitlines()]
    assert len(rows) == 1 and rows[0]["entity"] == "UK_NHS"
    assert "nhs_grouped" in rows[0]["explanation"] and "context 'nhs" in rows[0]["explanation"]
    assert "943 476 5919" not in result.output
