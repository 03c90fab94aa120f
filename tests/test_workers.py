"""Issue 17 items 19, 20: worker processes are capped by CPUs and memory, and die with the scan."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from scanner import executors


@pytest.mark.parametrize("requested, force, cpus, memory_gb, expected", [
    (16, False, 2, 64, 2),          # 16 workers on 2 CPUs only compete
    (16, True, 2, 64, 16),          # unless forced
    (4, False, 8, 1, 2),            # memory for 2 workers of 400 MB
    (None, False, 4, 64, 4),        # the default: one per CPU
    (None, False, 4, 0, 1),         # never fewer than one
    (1, False, 4, 64, 1),
])
def test_workers_are_capped_by_cpus_and_memory(monkeypatch, requested, force, cpus, memory_gb, expected):
    monkeypatch.setattr(executors, "usable_cpus", lambda: cpus)
    monkeypatch.setattr(executors, "available_memory", lambda: int(memory_gb * 1024 ** 3) if memory_gb else 10)
    assert executors.capped_workers(requested, force) == expected


def _workers_of(proc: psutil.Process) -> list[psutil.Process]:
    return [c for c in proc.children(recursive=True) if "multiprocessing" in " ".join(c.cmdline())]


def test_workers_exit_when_the_main_process_is_killed(tmp_path):
    (tmp_path / "src").mkdir()
    for i in range(40):
        (tmp_path / "src" / f"f{i}.txt").write_text(f"Write to person{i}@example.org about the visit.\n" * 200)
    env = {**os.environ, "PII_SCAN_HOME": str(tmp_path / "home")}
    main = subprocess.Popen([sys.executable, "-m", "scanner.cli", "scan", str(tmp_path / "src"), "--workers", "2",
                             "--workers-force", "-q", "--state", str(tmp_path / "s.db"), "-o", str(tmp_path / "r.json")],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(main.pid)
    deadline = time.monotonic() + 60
    workers: list[psutil.Process] = []
    while len(workers) < 2 and time.monotonic() < deadline and main.poll() is None:
        workers = _workers_of(parent)
        time.sleep(0.05)
    everyone = parent.children(recursive=True)
    assert len(workers) >= 2, "the pool never started"      # the workers (and the resource tracker)
    os.kill(main.pid, signal.SIGKILL)
    main.wait()
    _gone, alive = psutil.wait_procs(everyone, timeout=10)
    for p in alive:
        p.kill()
    assert alive == [], [p.cmdline() for p in alive]
