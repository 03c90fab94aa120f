"""Issue 19 item 2: `subject` refuses an identifier that cannot be what its option says (a search for it
would answer "we hold nothing" falsely), naming the kind and never echoing the value; --name alone warns."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from scanner.cli import main


@pytest.mark.parametrize("option, value, kind", [
    ("--nhs", "1234567890", "NHS number"),          # bad check digit
    ("--dob", "1986-13-45", "date"),
    ("--dob", "yesterday", "date"),
    ("--dob", "12/05/2099", "date of birth"),       # in the future
    ("--nino", "XX123", "National Insurance number"),
    ("--email", "harriet", "e-mail address"),
    ("--phone", "12", "phone number"),
])
def test_invalid_identifier_exits_2_naming_the_kind_not_the_value(tmp_path, option, value, kind):
    state = tmp_path / "state.db"
    result = CliRunner().invoke(main, ["subject", "--state", str(state), option, value])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert option in lines[0] and kind in lines[0]
    assert value not in result.output
    assert not state.exists()                      # refused before any I/O


def test_valid_identifiers_search_and_name_alone_warns(tmp_path):
    state = tmp_path / "state.db"
    ok = CliRunner().invoke(main, ["subject", "--state", str(state), "--nhs", "943 476 5919", "--dob", "12 May 2011",
                                   "--nino", "ab 12 34 56 c", "--email", "h.jones@example.org",
                                   "--phone", "020 7946 0018", "--format", "json"])
    assert ok.exit_code == 0, ok.output
    assert "weak evidence" not in ok.stderr
    named = CliRunner().invoke(main, ["subject", "--state", str(state), "--name", "Harriet Jones",
                                      "--format", "json"])
    assert named.exit_code == 0, named.output
    assert "--name alone is weak evidence" in named.stderr
    assert "Harriet Jones" not in named.stderr


def test_subject_output_file_is_confirmed(tmp_path):
    out = tmp_path / "pack.json"
    result = CliRunner().invoke(main, ["subject", "--state", str(tmp_path / "s.db"), "--email", "h.jones@example.org",
                                       "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("{")
    assert f"wrote {out}" in result.stderr
