"""Issue 17 item 9: temporary copies of objects live in a private per-run folder, never in the shared /tmp,
and a run killed with SIGKILL while one exists leaves it only there, for the next run to remove."""
from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys

from scanner.spool import run_spool, spool_root, sweep

# NOTE: the scan kills itself (SIGKILL) the moment the SQLite extractor opens its temporary copy
KILLER = """
import os, sys, types
import scanner.extract.sqlite as ext
real = ext.sqlite3
def connect(target, *a, **k):
    if "immutable=1" in str(target):
        os.kill(os.getpid(), 9)
    return real.connect(target, *a, **k)
ext.sqlite3 = types.SimpleNamespace(connect=connect, Error=real.Error, DatabaseError=real.DatabaseError)
from scanner.cli import main
sys.argv = ["pii-scan", *sys.argv[1:]]
main()
"""


def _planted_db(path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("create table people (name text, email text)")
        db.executemany("insert into people values (?, ?)",
                       [(f"Person {i}", f"zelda.quist{i}@example.org") for i in range(50)])
    db.close()


def test_a_killed_scan_leaves_its_copy_only_in_the_private_folder_and_the_next_run_removes_it(tmp_path):
    (tmp_path / "src").mkdir()
    _planted_db(tmp_path / "src" / "people.sqlite")
    shared_tmp, home = tmp_path / "tmp", tmp_path / "home"
    shared_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(shared_tmp), "PII_SCAN_HOME": str(home)}
    args = [str(tmp_path / "src"), "--workers", "1", "-q", "--state", str(tmp_path / "s.db"), "--format", "json"]
    proc = subprocess.run([sys.executable, "-c", KILLER, "scan", *args], env=env, check=False, capture_output=True,
                          timeout=120)
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    assert list(shared_tmp.iterdir()) == []                       # nothing in the shared temporary folder
    left = [p for p in (home / "spool").rglob("*") if p.is_file() and p.name != ".lock"]
    assert left and all(b"zelda.quist" in p.read_bytes() for p in left)       # the copy, where only we can read it
    assert stat.S_IMODE((home / "spool").stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o700 for p in (home / "spool").iterdir())
    proc = subprocess.run([sys.executable, "-m", "scanner.cli", "scan", *args], env=env, check=False,
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert list((home / "spool").iterdir()) == [] and list(shared_tmp.iterdir()) == []


def test_a_live_runs_folder_is_kept_by_the_sweep(tmp_path):
    with run_spool() as mine:
        assert mine.parent == spool_root()
        assert sweep(spool_root()) == 0 and mine.is_dir()
        import tempfile

        assert tempfile.gettempdir() == str(mine) and os.environ["TMPDIR"] == str(mine)
    assert not mine.exists()
