"""Issue 17, done when: a hostile tree scanned with --workers 2 ends with every object accounted for, no raw
value in any output, no traceback, no leftover process or temporary file, and the right exit code."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time

import openpyxl
import psutil

from tests.test_nested_limits import nested_zip

PLANTED = ["zelda.quist@example.org", "harold.pike@example.org", "943 476 5919", "9434765919",
           "ann.lee@example.org", "sqlite.person@example.org", "deep.person@example.org", "Zelda Quist"]


def build_tree(root) -> None:
    root.mkdir()
    (root / "users.json").write_text(json.dumps(
        {"users": {"zelda.quist@example.org": {"nhs": "943 476 5919"}, "harold.pike@example.org": {"nhs": "x"}}}))
    (root / "people.csv").write_text("Zelda Quist,Harold Pike,London\nBob Hartley,Anne Lee,Leeds\n"
                                     "Mary Jones,Tom Brown,York\n")
    (root / "contacts.csv").write_text("Zelda Quist,ann.lee@example.org\nBob Hartley,bob.h@example.org\n"
                                       "Ann Lee,ann.l@example.org\n")
    with sqlite3.connect(root / "people.sqlite") as db:
        db.execute("create table t (email text)")
        db.executemany("insert into t values (?)", [("sqlite.person@example.org",)] * 20)
    db.close()
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Name"
    wb.active["XFD1048576"] = "zelda.quist@example.org"
    wb.save(root / "sparse.xlsx")
    (root / "bomb.zip").write_bytes(nested_zip(8, 3))
    (root / "deep.json").write_text("[" * 1200 + '"deep.person@example.org"' + "]" * 1200)
    (root / "empty.txt").write_text("")
    (root / "binary.bin").write_bytes(bytes(range(256)) * 64)
    os.mkfifo(root / "pipe.txt")
    (root / "notes.txt").write_text("Call Zelda Quist on her NHS number 943 476 5919.\n")


def test_a_hostile_tree(tmp_path):
    src, home, tmp = tmp_path / "src", tmp_path / "home", tmp_path / "tmp"
    build_tree(src)
    tmp.mkdir()
    cfg = tmp_path / "c.yaml"
    cfg.write_text("scan:\n  limits:\n    object_seconds: 4\n    archive_max_members: 40\n")
    outs = [tmp_path / f"report.{ext}" for ext in ("json", "csv", "md", "sarif")]
    env = {**os.environ, "PII_SCAN_HOME": str(home), "TMPDIR": str(tmp)}
    cmd = [sys.executable, "-m", "scanner.cli", "scan", str(src), "--workers", "2", "--workers-force", "--strict",
           "--config", str(cfg), "--state", str(tmp_path / "s.db"), *[x for o in outs for x in ("-o", str(o))]]
    scan = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    family: set[psutil.Process] = set()
    peak_rss = 0
    while scan.poll() is None:                          # NOTE: who it started, to check none outlives it
        try:
            main = psutil.Process(scan.pid)
            family.update(main.children(recursive=True))
            peak_rss = max(peak_rss, *(p.memory_info().rss for p in (main, *family) if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    stdout, stderr = scan.communicate(timeout=300)
    assert "Traceback" not in stderr and "Traceback" not in stdout, stderr
    doc = json.loads(outs[0].read_text())
    objects = {o["uri"].removeprefix(src.as_uri() + "/"): o for o in doc["objects"]}
    for name in ("users.json", "people.csv", "contacts.csv", "people.sqlite", "sparse.xlsx", "bomb.zip",
                 "deep.json", "empty.txt", "binary.bin", "notes.txt", "pipe.txt"):
        assert name in objects, name
    for uri, o in objects.items():
        assert o["status"] in {"scanned", "skipped", "failed"}, uri
        assert o["status"] == "scanned" or o["reason"], uri
    assert objects["sparse.xlsx"]["status"] == "failed" and objects["sparse.xlsx"]["reason"].startswith("time limit")
    assert objects["bomb.zip"]["status"] == "failed" and "members in all" in objects["bomb.zip"]["reason"]
    assert len(objects) < 60
    assert 0 < peak_rss < 1024 ** 3
    assert objects["pipe.txt"]["status"] == "skipped" and objects["pipe.txt"]["reason"] == "not a regular file (FIFO)"
    assert objects["people.sqlite"]["status"] == "scanned" and objects["notes.txt"]["status"] == "scanned"
    assert scan.returncode == 3, stderr                   # --strict: some objects failed
    texts = [stdout, stderr, *(o.read_text() for o in outs),
             *(p.read_bytes().decode("latin-1") for p in tmp_path.glob("s.db*"))]
    for value in PLANTED:
        for text in texts:
            assert value not in text, value
    _gone, alive = psutil.wait_procs(list(family), timeout=5)
    assert alive == [], [p.pid for p in alive]
    assert list(tmp.iterdir()) == []
    assert list((home / "spool").iterdir()) == []
