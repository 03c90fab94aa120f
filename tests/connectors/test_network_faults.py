"""Issue 17 item 4 beyond S3: GCS (gcp-storage-emulator) and Azure Blob (Azurite) behind the loopback fault proxy
(tests/connectors/faults.py): a stalled or dropped read fails that one object with 'connection failed' within the
timeouts, the others scan, and the run is incomplete (exit 3) without --strict; the timeouts and attempts come
from PII_SCAN_* or scan.network (as for S3)."""
from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from scanner.cli import main

from .faults import behind_proxy, seed, statuses

FILES = {key: f"content of {key} mail someone@example.org".encode() for key in ("ok.txt", "flaky.txt", "good.txt")}


@pytest.mark.parametrize("kind", ["gs", "az"])
def test_a_stalled_or_dropping_endpoint_fails_its_objects_and_the_run_as_incomplete(kind, request, tmp_path,
                                                                                     monkeypatch):
    server = seed(request, kind, f"{kind}-faulty", FILES)
    with behind_proxy(kind, f"{kind}-faulty", server, monkeypatch) as store:
        store.stall("ok.txt")                 # its answer never comes
        store.drop("flaky.txt")               # the endpoint dies
        res, doc, elapsed = store.scan(tmp_path)
    assert elapsed < 30
    assert res.exit_code == 3, res.output
    status = statuses(doc)
    assert status["ok.txt"][0] == "failed" and "connection failed" in status["ok.txt"][1]
    assert status["flaky.txt"][0] == "failed" and "connection failed" in status["flaky.txt"][1]
    assert status["good.txt"] == ("scanned", None)
    (failure,) = doc["summary"]["source_failures"]
    assert failure["source"] == store.source and failure["reason"].startswith("2 object(s) not read")


def test_an_smb_server_that_never_answers_is_a_connection_failure_within_the_connect_timeout(
        smb_env, tmp_path, monkeypatch):
    import socket

    monkeypatch.setenv("PII_SCAN_CONNECT_TIMEOUT", "1")
    with socket.socket() as silent:            # accepts TCP connections (the backlog) but never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        port = silent.getsockname()[1]
        out = tmp_path / "r.json"
        started = time.monotonic()
        res = CliRunner().invoke(main, ["scan", f"smb://127.0.0.1:{port}/open", "-q", "--workers", "1",
                                        "--state", str(tmp_path / "s.db"), "-o", str(out)])
        elapsed = time.monotonic() - started
    assert elapsed < 20                       # smbprotocol's default is 60 s per connection
    assert res.exit_code == 3, res.output
    (failure,) = json.loads(out.read_text())["summary"]["source_failures"]
    assert "connection failed" in failure["reason"]


def test_scan_network_in_the_config_file_bounds_a_stall_and_the_environment_overrides_it(request, tmp_path,
                                                                                          monkeypatch):
    server = seed(request, "az", "az-faulty-config", FILES)
    cfg = tmp_path / "c.yaml"
    cfg.write_text("scan:\n  network: {connect_timeout: 1, read_timeout: 1, attempts: 1}\n")
    with behind_proxy("az", "az-faulty-config", server, monkeypatch, connect=None, read=None, attempts=None) as store:
        store.stall("ok.txt")
        res, doc, elapsed = store.scan(tmp_path, "--config", str(cfg))
    assert elapsed < 30
    assert res.exit_code == 3, res.output
    status = statuses(doc)
    assert status["ok.txt"][0] == "failed" and "connection failed" in status["ok.txt"][1]
    assert status["good.txt"] == ("scanned", None)


def test_the_environment_overrides_scan_network(monkeypatch):
    from scanner.config import load_config
    from scanner.connectors.base import NetworkLimits

    monkeypatch.setenv("PII_SCAN_READ_TIMEOUT", "7")
    monkeypatch.delenv("PII_SCAN_CONNECT_TIMEOUT", raising=False)
    monkeypatch.delenv("PII_SCAN_NETWORK_ATTEMPTS", raising=False)
    base = NetworkLimits(connect=2.0, read=3.0, attempts=2)
    assert NetworkLimits.from_env(base) == NetworkLimits(connect=2.0, read=7.0, attempts=2)
    assert load_config(None).scan.network is None


@pytest.mark.parametrize("network", ["{read_timeout: 0}", "{attempts: 1.5}", "{connect_timeout: soon}",
                                     "{retries: 3}", "7"])
def test_a_bad_scan_network_is_a_config_error_in_one_line(tmp_path, network):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"scan:\n  network: {network}\n")
    res = CliRunner().invoke(main, ["scan", str(tmp_path / "nowhere"), "-q", "--config", str(cfg),
                                    "--state", str(tmp_path / "s.db")])
    assert res.exit_code == 2, res.output
    assert "scan.network" in res.output and len(res.output.strip().splitlines()) == 1
    assert not (tmp_path / "s.db").exists()
