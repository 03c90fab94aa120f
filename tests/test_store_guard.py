"""Issue 17 items 5 and 6: a store is never mixed with another installation secret, and a file that is
not a pii-scan store is refused (exit 2, one line) and never overwritten."""
from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.errors import UsageError
from scanner.store import Store


@pytest.mark.parametrize("content", [b"", b"\x00garbage, not a database\n" * 200])
def test_a_file_that_is_not_a_store_is_refused_and_kept(tmp_path, content):
    path = tmp_path / "state.db"
    path.write_bytes(content)
    (tmp_path / "share").mkdir()
    (tmp_path / "share" / "a.txt").write_text("nothing here\n")
    result = CliRunner().invoke(main, ["scan", str(tmp_path / "share"), "-q", "--state", str(path)])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "not a pii-scan state store" in lines[0] and "Traceback" not in result.output
    assert path.read_bytes() == content          # never overwritten


def test_another_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (x TEXT)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(UsageError, match="not a pii-scan state store"):
        Store(path)
    assert path.read_bytes() == before


def test_a_new_store_appears_whole_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "state.db"
    Store(path).close()
    Store(path).close()             # opened again: it is a store
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("state.db")) == []


def test_hashes_made_under_another_secret_are_not_mixed(tmp_path, pii_home):
    share = tmp_path / "share"
    share.mkdir()
    (share / "a.txt").write_text("Contact zelda.fitz@example.org about the referral.\n")
    state = str(tmp_path / "state.db")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(share), "-q", "--state", state, "--format", "json", "--workers", "1"]).exit_code == 0
    found = runner.invoke(main, ["subject", "--email", "zelda.fitz@example.org", "--state", state, "--format", "json"])
    assert found.exit_code == 0 and "a.txt" in found.output
    (pii_home / "secret.key").unlink()           # the secret deleted: a new one is made on the next run
    for args in (["subject", "--email", "zelda.fitz@example.org"], ["scan", str(share), "-q"]):
        result = runner.invoke(main, [*args, "--state", state])
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "another installation secret" in lines[0]
        assert "secret.key" in lines[0] and "--state" in lines[0]
    db = sqlite3.connect(state)
    stored = db.execute("SELECT value FROM meta WHERE key = 'secret_id'").fetchone()[0]
    assert stored not in (pii_home / "secret.key").read_text()      # a keyed tag, not the secret
