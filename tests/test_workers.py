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
    found = []
    for c in _children(proc):
        try:
            if "multiprocessing" in " ".join(c.cmdline()):
                found.append(c)
        except psutil.Error:                 # NOTE: a process that ended meanwhile
            pass
    return found


def _children(proc: psutil.Process) -> list[psutil.Process]:
    """The process tree below ``proc`` (workers fork from a forkserver child), retried when a process in it
    ends while it is listed."""
    for _ in range(20):
        try:
            return proc.children(recursive=True)
        except psutil.NoSuchProcess:
            if not proc.is_running():
                return []
    return []


def test_workers_exit_when_the_main_process_is_killed(tmp_path):
    (tmp_path / "src").mkdir()
    for i in range(40):
        (tmp_path / "src" / f"f{i}.txt").write_text(f"Write to person{i}@example.org about the visit.\n" * 200)
    env = {**os.environ, "PII_SCAN_HOME": str(tmp_path / "home")}
    main = subprocess.Popen([sys.executable, "-m", "scanner.cli", "scan", str(tmp_path / "src"), "--workers", "2",
                             "--workers-force", "-q", "--state", str(tmp_path / "s.db"),
                             "-o", str(tmp_path / "r.json")],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(main.pid)
    deadline = time.monotonic() + 60
    workers: list[psutil.Process] = []
    while len(workers) < 2 and time.monotonic() < deadline and main.poll() is None:
        workers = _workers_of(parent)
        time.sleep(0.05)
    everyone = _children(parent)
    assert len(workers) >= 2, "the pool never started"      # the workers (and the resource tracker)
    os.kill(main.pid, signal.SIGKILL)
    main.wait()
    _gone, alive = psutil.wait_procs(everyone, timeout=10)
    for p in alive:
        p.kill()
    assert alive == [], [p.cmdline() for p in alive]


# NOTE: run as a script: spawned workers import it as __mp_main__, so the patch below is live in them too.
# An object named hang.txt blocks SIGALRM (as C code that never returns to Python would) and sleeps.
STUCK = """
import signal, sys, time
import scanner.extract.text as text

real = text.extract_text


def extract_text(stream, ctx):
    if ctx.name.endswith("hang.txt"):
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
        time.sleep(600)
    return real(stream, ctx)


text.extract_text = extract_text

if __name__ == "__main__":
    from scanner.cli import main
    sys.argv = ["pii-scan", *sys.argv[1:]]
    main()
"""


def test_a_worker_that_does_not_come_back_is_replaced_and_its_object_fails_with_time_limit(tmp_path):
    import json

    src = tmp_path / "src"
    src.mkdir()
    (src / "hang.txt").write_text("mail zelda.quist@example.org\n")
    (src / "ok.txt").write_text("mail bob.hartley@example.org\n")
    (tmp_path / "stuck.py").write_text(STUCK)
    (tmp_path / "c.yaml").write_text("scan:\n  limits:\n    object_seconds: 1\n")
    env = {**os.environ, "PII_SCAN_HOME": str(tmp_path / "home")}
    proc = subprocess.run([sys.executable, str(tmp_path / "stuck.py"), "scan", str(src), "--workers", "2",
                           "--workers-force", "-q", "--config", str(tmp_path / "c.yaml"), "--state",
                           str(tmp_path / "s.db"), "-o", str(tmp_path / "r.json")],
                          env=env, check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    objects = {o["uri"].rsplit("/", 1)[-1]: o for o in json.loads((tmp_path / "r.json").read_text())["objects"]}
    assert objects["hang.txt"]["status"] == "failed" and objects["hang.txt"]["reason"].startswith("time limit")
    assert objects["ok.txt"]["status"] == "scanned"
