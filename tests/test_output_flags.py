"""Issue 19 item 11: every command that writes a result takes -o FILE (format from the extension) and --format,
and says where it wrote."""
from __future__ import annotations

import json
import stat

from click.testing import CliRunner

from scanner.cli import main


def test_locations_o_writes_json_from_the_extension_and_says_where(tmp_path):
    (tmp_path / "share").mkdir()
    out = tmp_path / "where.json"
    result = CliRunner().invoke(main, ["locations", str(tmp_path / "share"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["schema"] == "pii-scan/locations@1" and len(doc["containers"]) == 1
    assert result.stdout == ""
    assert result.stderr.strip() == f"pii-scan: wrote {out}"
    assert stat.S_IMODE(out.stat().st_mode) & 0o077 == 0


def test_locations_o_console_text_and_explicit_format_wins(tmp_path):
    (tmp_path / "share").mkdir()
    txt, forced = tmp_path / "where.txt", tmp_path / "where.out"
    assert CliRunner().invoke(main, ["locations", str(tmp_path / "share"), "-o", str(txt)]).exit_code == 0
    assert not txt.read_text().lstrip().startswith("{")
    res = CliRunner().invoke(main, ["locations", str(tmp_path / "share"), "-o", str(forced), "--format", "json"])
    assert res.exit_code == 0, res.output
    json.loads(forced.read_text())


def test_an_extension_the_command_cannot_write_exits_2_before_io(tmp_path):
    out = tmp_path / "where.sarif"
    result = CliRunner().invoke(main, ["locations", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 2
    assert "writes console, json" in result.stderr and not out.exists()


def test_subject_format_from_the_extension(tmp_path):
    out = tmp_path / "pack.html"
    result = CliRunner().invoke(main, ["subject", "--state", str(tmp_path / "s.db"), "--email", "h.jones@example.org",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "<html" in out.read_text().lower()
    assert f"wrote {out}" in result.stderr
