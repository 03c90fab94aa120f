"""--executor dask://: batches go to a real Dask cluster (scheduler + 2 workers on 127.0.0.1, started by the
``dask_cluster`` fixture in tests/services.py) and the report is the same as a local scan's."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.config import build_settings
from scanner.errors import UsageError
from scanner.executors import DaskExecutor, WorkerSpec
from scanner.reports.json_report import build_document
from scanner.scan import ScanJob, run_scan
from scanner.store import Store

SECRET = b"fedcba9876543210" * 4
pytestmark = pytest.mark.xdist_group("dask")       # one Dask cluster per run under xdist (tests/conftest.py)


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("PII_SCAN_HOME", str(tmp_path / "home"))


def make_share(root: Path) -> Path:
    root.mkdir()
    for i in range(10):
        (root / f"letter{i}.txt").write_text(f"Dear Ms Patel,\nplease reply to anita.patel{i}@example.org.\n")
    (root / "staff.csv").write_text("name,ni_number\nJohn Smith,QQ123456C\nJane Doe,QQ654321C\n")
    (root / "log.jsonl").write_text('{"user": "sam@example.com", "ip": "203.0.113.9"}\n')
    return root


def report(outcome) -> dict:
    doc = build_document(outcome)
    doc.pop("run")
    return doc


def test_dask_executor_gives_the_same_report_as_local(dask_cluster, tmp_path):
    share = make_share(tmp_path / "share")
    settings = build_settings()
    spec = WorkerSpec(settings, SECRET)
    local = run_scan(ScanJob((str(share),), spec, workers=1))
    host_port = dask_cluster.removeprefix("tcp://")
    distributed = run_scan(ScanJob((str(share),), spec, executor=f"dask://{host_port}"),
                           store=Store(tmp_path / "d.db"))
    assert report(distributed) == report(local)
    assert report(local)["summary"]["with_personal_data"] >= 11


def test_cli_with_dask_executor_and_incremental_rescan(dask_cluster, tmp_path):
    share = make_share(tmp_path / "share")
    env = dict(os.environ, PII_SCAN_HOME=str(tmp_path / "home"), PYTHONPATH=str(Path(__file__).parent.parent))
    state = tmp_path / "state.db"
    cmd = [sys.executable, "-m", "scanner.cli", "scan", str(share), "--state", str(state), "--format", "json", "-q",
           "--executor", "dask://" + dask_cluster.removeprefix("tcp://")]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    second = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    a, b = json.loads(first.stdout), json.loads(second.stdout)
    assert a["run"]["id"] != b["run"]["id"]
    a.pop("run"), b.pop("run")
    assert a == b
    with Store(state) as store:
        assert store.db.execute("SELECT count(DISTINCT run_id) FROM results").fetchone()[0] == 1   # nothing re-read


def test_unreachable_scheduler_is_a_usage_error():
    spec = WorkerSpec(build_settings(), SECRET)
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler"):
        DaskExecutor(spec, "tcp://127.0.0.1:9", timeout=1)
