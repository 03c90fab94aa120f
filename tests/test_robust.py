"""Issue 17 items 14, 15, 17: one line and exit 2 for a broken environment, exit 4 for a bug, one object's
trouble (an exception anywhere, a time budget spent) never ends the scan."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.executors import WorkerSpec
from scanner.cli import main


def _cli(*args: str, home: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PII_SCAN_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "scanner.cli", *args], env=env, check=False, capture_output=True,
                          text=True, timeout=timeout)


def _one_line_exit_2(proc: subprocess.CompletedProcess, needle: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], proc.stderr


@pytest.fixture
def src(tmp_path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("mail zelda.quist@example.org\n")
    return tmp_path / "src"


def test_a_home_that_is_a_file_or_a_secret_that_is_a_folder(tmp_path, src):
    (tmp_path / "homefile").write_text("")
    _one_line_exit_2(_cli("scan", str(src), "-q", "--workers", "1", home=tmp_path / "homefile"), "Not a directory")
    (tmp_path / "h" / "secret.key").mkdir(parents=True)
    _one_line_exit_2(_cli("scan", str(src), "-q", "--workers", "1", home=tmp_path / "h"), "Is a directory")


def test_a_store_with_garbage_pages(tmp_path, src):
    state = tmp_path / "s.db"
    assert _cli("scan", str(src), "-q", "--workers", "1", "--state", str(state), home=tmp_path / "h").returncode == 0
    data = bytearray(state.read_bytes())
    data[4096:] = os.urandom(len(data) - 4096)
    state.write_bytes(bytes(data))
    for wal in tmp_path.glob("s.db-*"):
        wal.unlink()
    _one_line_exit_2(_cli("scan", str(src), "-q", "--workers", "1", "--state", str(state), home=tmp_path / "h"),
                     "state store")


@pytest.fixture
def tmpfs(tmp_path):
    """A small tmpfs mounted for the test (needs CAP_SYS_ADMIN; skipped without it)."""
    mounted = []

    def mount(size: str, *opts: str) -> Path:
        where = tmp_path / f"mnt-{uuid.uuid4().hex[:6]}"
        where.mkdir()
        opt = ",".join((f"size={size}", *opts))
        if not shutil.which("mount") or subprocess.run(["mount", "-t", "tmpfs", "-o", opt, "tmpfs", str(where)],
                                                       check=False, capture_output=True).returncode:
            pytest.skip("cannot mount a tmpfs here")
        mounted.append(where)
        return where

    yield mount
    for where in mounted:
        subprocess.run(["umount", "-l", str(where)], check=False, capture_output=True)


def test_a_read_only_or_full_home_and_a_full_disk_under_the_store(tmp_path, src, tmpfs):
    ro = tmpfs("1m", "ro")
    _one_line_exit_2(_cli("scan", str(src), "-q", "--workers", "1", home=ro / "h"), "Read-only file system")
    full = tmpfs("64k")
    (full / "pad").write_bytes(b"\0" * 60_000)
    proc = _cli("scan", str(src), "-q", "--workers", "1", home=full / "h")
    _one_line_exit_2(proc, "full" if "full" in proc.stderr else "No space left")
    many = tmp_path / "many"
    many.mkdir()
    for i in range(300):
        (many / f"f{i}.txt").write_text(f"mail zelda{i}.quist@example.org or call 07700 900{100 + i}\n")
    small = tmpfs("400k")
    _one_line_exit_2(_cli("scan", str(many), "-q", "--workers", "1", "--state", str(small / "s.db"),
                          home=tmp_path / "h"), "disk is full")


def test_a_bug_in_one_objects_handling_fails_that_object_only(worker, tmp_path, monkeypatch):
    from scanner import pipeline
    from scanner.scan import ScanJob, run_scan

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "bad.txt").write_text("mail zelda.quist@example.org\n")
    (tmp_path / "src" / "good.txt").write_text("mail bob.hartley@example.org\n")
    real = pipeline.sniff

    def sniff(head, name):
        if name.endswith("bad.txt"):
            raise ValueError("a bug outside the extractor's guard")
        return real(head, name)

    monkeypatch.setattr(pipeline, "sniff", sniff)
    outcome = run_scan(ScanJob((str(tmp_path / "src"),), WorkerSpec.of(worker)))
    by_name = {r.ref.key.rsplit("/", 1)[-1]: r for r in outcome.results}
    assert by_name["bad.txt"].status.value == "failed" and by_name["bad.txt"].reason == "internal error (ValueError)"
    assert by_name["good.txt"].status.value == "scanned"


def test_an_internal_error_exits_4_with_one_line_and_the_traceback_only_under_vv(tmp_path, src, monkeypatch):
    from scanner.reports import model

    def broken(result):
        raise RuntimeError("a bug")

    monkeypatch.setattr(model, "report_object", broken)
    args = ["scan", str(src), "-q", "--workers", "1", "--state", str(tmp_path / "s.db")]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 4, res.output
    assert res.output.strip().splitlines() == [
        "pii-scan: internal error: RuntimeError (a bug; run again with -vv for the traceback and report it)"]
    res = CliRunner().invoke(main, [a for a in args if a != "-q"] + ["-vv"])
    assert res.exit_code == 4 and "Traceback" in res.output


def test_a_sparse_xlsx_fails_with_time_limit_and_the_scan_goes_on(tmp_path):
    import openpyxl

    (tmp_path / "src").mkdir()
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Name"
    wb.active["XFD1048576"] = "zelda.quist@example.org"
    wb.save(tmp_path / "src" / "sparse.xlsx")
    (tmp_path / "src" / "good.txt").write_text("mail bob.hartley@example.org\n")
    cfg = tmp_path / "c.yaml"
    cfg.write_text("scan:\n  limits:\n    object_seconds: 2\n")
    out = tmp_path / "r.json"
    res = CliRunner().invoke(main, ["scan", str(tmp_path / "src"), "-q", "--workers", "1", "--config", str(cfg),
                                    "--state", str(tmp_path / "s.db"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    objects = {o["uri"].rsplit("/", 1)[-1]: o for o in json.loads(out.read_text())["objects"]}
    assert objects["sparse.xlsx"]["status"] == "failed"
    assert objects["sparse.xlsx"]["reason"].startswith("time limit")
    assert objects["good.txt"]["status"] == "scanned"


def test_a_bug_storing_one_objects_results_fails_that_object_only(worker, tmp_path, monkeypatch):
    from scanner.scan import ScanJob, run_scan
    from scanner.store import Store

    (tmp_path / "src").mkdir()
    for name in ("a.txt", "bad.txt", "c.txt"):
        (tmp_path / "src" / name).write_text("mail bob.hartley@example.org\n")
    real = Store.add_units

    def add_units(self, run_id, fingerprint, units):
        if any(r.ref.key.endswith("bad.txt") and r.status.value == "scanned" for u in units for r in u):
            raise UnicodeEncodeError("utf-8", "x", 0, 1, "a bug")
        return real(self, run_id, fingerprint, units)

    monkeypatch.setattr(Store, "add_units", add_units)
    outcome = run_scan(ScanJob((str(tmp_path / "src"),), WorkerSpec.of(worker)))
    by_name = {r.ref.key.rsplit("/", 1)[-1]: r for r in outcome.results}
    assert by_name["bad.txt"].status.value == "failed"
    assert by_name["bad.txt"].reason == "internal error (UnicodeEncodeError)"
    assert by_name["a.txt"].status.value == by_name["c.txt"].status.value == "scanned"


def test_environment_failures_map_to_one_line_errors_and_bugs_do_not():
    import errno
    import sqlite3

    from scanner.errors import as_scanner_error

    assert "damaged" in str(as_scanner_error(sqlite3.DatabaseError("database disk image is malformed")))
    assert "disk is full" in str(as_scanner_error(sqlite3.OperationalError("database or disk is full")))
    assert "No space left" in str(as_scanner_error(OSError(errno.ENOSPC, "No space left on device", "/x")))
    assert as_scanner_error(sqlite3.ProgrammingError("Incorrect number of bindings")) is None
    assert as_scanner_error(KeyError("x")) is None
