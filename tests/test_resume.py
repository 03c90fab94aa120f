"""kill -9 in the middle of `pii-scan scan`, run it again: the same report as a scan never interrupted,
with nothing lost and nothing read twice."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

PII_SCAN = [sys.executable, "-m", "scanner.cli"]
FILES = 240         # NOTE: enough that a scan of them is still running when 8 are committed, however fast


def make_share(root: Path) -> Path:
    root.mkdir()
    for i in range(FILES):
        (root / f"case{i:02d}.txt").write_text(
            f"Case note {i}. Spoke with Mary Jones{i} about her referral.\n"
            f"Her e-mail is mary.jones{i}@example.org and her phone 07700 900{i:03d}.\n"
            "She asked us to call back next week about the support plan.\n" * 3)
    (root / "donors.csv").write_text("name,email\nAnn Lee,ann@example.org\nBob Roe,bob@example.org\n")
    return root


def scan_cmd(share: Path, state: Path, out: Path, *extra: str) -> list[str]:
    return [*PII_SCAN, "scan", str(share), "--state", str(state), "-o", str(out), "--format", "json", "-q", *extra]


def committed(state: Path) -> int:
    if not state.exists():
        return 0
    try:
        with sqlite3.connect(state, timeout=1) as db:
            return db.execute("SELECT count(*) FROM run_objects").fetchone()[0]
    except sqlite3.OperationalError:      # schema not created yet
        return 0


def comparable(path: Path) -> dict:
    doc = json.loads(path.read_text())
    doc.pop("run")
    return doc


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    return dict(os.environ, PII_SCAN_HOME=str(tmp_path / "home"), PYTHONPATH=str(Path(__file__).parent.parent))


def test_sigkill_mid_scan_then_rerun_gives_the_uninterrupted_report(tmp_path, env):
    share = make_share(tmp_path / "share")
    reference = tmp_path / "reference.json"
    done = subprocess.run(scan_cmd(share, tmp_path / "ref.db", reference, "--workers", "2"), env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

    state, out = tmp_path / "state.db", tmp_path / "resumed.json"
    proc = subprocess.Popen(scan_cmd(share, state, tmp_path / "killed.json", "--workers", "1"), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while committed(state) < 8 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, "the scan finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert not (tmp_path / "killed.json").exists()
    before = committed(state)
    assert 0 < before < FILES + 1

    again = subprocess.run(scan_cmd(share, state, out, "--workers", "1"), env=env, capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 0, again.stderr
    assert comparable(out) == comparable(reference)

    with sqlite3.connect(state) as db:
        runs = db.execute("SELECT id, status FROM runs").fetchall()
        reads = db.execute("SELECT count(*), count(DISTINCT uri) FROM results").fetchone()
    assert len(runs) == 1 and runs[0][1] == "complete"          # the killed run was resumed, not restarted
    assert json.loads(out.read_text())["run"]["id"] == runs[0][0]
    assert reads == (FILES + 1, FILES + 1)                      # every object read and stored exactly once
