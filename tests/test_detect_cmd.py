"""pii-scan detect: one JSON line per finding with exact character offsets into the decoded text."""
from __future__ import annotations

import json

from click.testing import CliRunner

from scanner.cli import main

TEXT = ("Référence: dossier de Zoë\n"             # non-ASCII before the findings: offsets are characters
        "Email: jane.doe@example.org\n"
        "NHS number 943 476 5919, NI number AB123456C.\n")


def _detect(path, *extra):
    result = CliRunner().invoke(main, ["detect", str(path), *extra])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_offsets_are_exact_character_offsets(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(TEXT, encoding="utf-8")
    rows = _detect(path, "--show-values")
    by_entity = {r["entity"]: r for r in rows}
    for entity, value in [("EMAIL_ADDRESS", "jane.doe@example.org"), ("UK_NHS", "943 476 5919"),
                          ("UK_NINO", "AB123456C")]:
        r = by_entity[entity]
        assert TEXT[r["start"]:r["end"]] == value == r["value"]
        assert set(r) == {"entity", "start", "end", "score", "masked", "value"}


def test_no_values_without_show_values(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["detect", str(path)])
    assert "jane.doe@example.org" not in result.output and "943 476 5919" not in result.output
    assert "j***@e***.org" in result.output


def test_stdin_and_utf16(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes(TEXT.encode("utf-16"))
    rows = _detect(path)
    assert any(r["entity"] == "EMAIL_ADDRESS" and TEXT[r["start"]:r["end"]] == "jane.doe@example.org" for r in rows)
    result = CliRunner().invoke(main, ["detect", "-"], input=TEXT)
    assert any(json.loads(x)["entity"] == "UK_NHS" for x in result.output.splitlines())


def test_missing_file_is_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["detect", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "no such file" in result.output
