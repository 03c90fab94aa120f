"""Issue 17 item 16: a file replaced by a FIFO after listing does not hang the scan, and Ctrl-C stops a
scan within 2 s keeping what was committed. Real FIFOs, real processes, real signals."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import psutil

RACE = """
import os, sys
from pathlib import Path
from scanner.config import build_settings
from scanner.connectors import open_source
from scanner.pipeline import scan_object
from scanner.executors import build_worker
from scanner.privacy import load_or_create_secret

root = Path(sys.argv[1])
conn = open_source(str(root))
refs = [r for c in conn.containers() for r in conn.objects(c)]
victim = root / "victim.txt"
victim.unlink()
os.mkfifo(victim)                       # replaced after listing; nobody ever writes to it
worker = build_worker(build_settings(), load_or_create_secret())
for ref in refs:
    res = scan_object(conn, ref, worker)[0]
    print(ref.key.rsplit("/", 1)[-1], res.status.value, res.reason)
"""


def test_a_file_replaced_by_a_fifo_after_listing_fails_without_hanging(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "victim.txt").write_text("mail zelda.quist@example.org\n")
    (src / "other.txt").write_text("mail bob.hartley@example.org\n")
    env = {**os.environ, "PII_SCAN_HOME": str(tmp_path / "home")}
    proc = subprocess.run([sys.executable, "-c", RACE, str(src)], env=env, check=False, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines())
    assert lines["victim.txt"].startswith("failed not a regular file")
    assert lines["other.txt"].startswith("scanned")


def _committed(state) -> int:
    try:
        with sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=0.2) as db:
            return db.execute("select count(*) from results").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_ctrl_c_stops_the_scan_within_2_seconds_keeping_what_was_committed(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    prose = "The visit went well and the family asked about support at school next term. " * 300
    for i in range(300):
        (src / f"f{i}.txt").write_text(f"{prose}Contact Zelda Quist at zelda{i}@example.org.\n")
    state = tmp_path / "s.db"
    env = {**os.environ, "PII_SCAN_HOME": str(tmp_path / "home")}
    scan = subprocess.Popen([sys.executable, "-m", "scanner.cli", "scan", str(src), "--workers", "2", "-q",
                             "--state", str(state), "--format", "json"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 90
    while _committed(state) == 0 and time.monotonic() < deadline and scan.poll() is None:
        time.sleep(0.1)
    seen = _committed(state)
    assert seen > 0 and scan.poll() is None, "nothing committed before the scan ended"
    family = psutil.Process(scan.pid).children(recursive=True)
    start = time.monotonic()
    os.killpg(scan.pid, signal.SIGINT)                  # what a terminal's Ctrl-C does: the whole group
    try:
        scan.wait(timeout=10)
    finally:
        if scan.poll() is None:
            os.killpg(scan.pid, signal.SIGKILL)
    assert time.monotonic() - start < 2
    stderr = scan.stderr.read()
    assert scan.returncode == 130 and "Traceback" not in stderr, stderr
    assert _committed(state) >= seen
    _gone, alive = psutil.wait_procs(family, timeout=5)
    assert alive == []
