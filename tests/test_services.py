"""The shared fixtures themselves: the offline guard and the Dask cluster."""
from __future__ import annotations

import os
import socket

import pytest

from tests.services import GUARD, NetworkBlocked, is_loopback


@pytest.mark.parametrize("host,loopback", [("127.0.0.1", True), ("::1", True), ("localhost", True),
                                           ("127.8.9.10", True), ("192.0.2.1", False), ("example.org", False),
                                           ("169.254.169.254", False)])
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_no_network_blocks_and_records_outside_connects(no_network):
    with socket.socket() as sock, pytest.raises(NetworkBlocked):
        sock.connect(("192.0.2.1", 9))          # TEST-NET-1: the hook raises before any packet
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("example.org", 443)
    assert no_network.attempts == ["socket.connect '192.0.2.1'", "socket.getaddrinfo 'example.org'"]
    no_network.attempts.clear()     # expected here; any left would fail the test at teardown


def test_no_network_allows_loopback(no_network):
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen()
        with socket.create_connection(srv.getsockname(), timeout=1):
            pass
    assert no_network.attempts == []


def test_guard_is_off_outside_the_fixture():
    assert GUARD.active is False


def _pid(_):
    import time
    time.sleep(0.05)
    return os.getpid()


@pytest.mark.xdist_group("dask")                # with tests/test_dask.py: one cluster per run under xdist
def test_dask_cluster_has_two_worker_processes(dask_cluster):
    distributed = pytest.importorskip("distributed")
    with distributed.Client(dask_cluster, timeout=30) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        pids = set(client.gather(client.map(_pid, range(40))))
    assert len(pids) == 2 and os.getpid() not in pids
    assert dask_cluster.startswith("tcp://127.0.0.1:")


@pytest.mark.parametrize("ci,outcome", [("true", pytest.fail.Exception), ("", pytest.skip.Exception)])
def test_missing_server_fails_under_ci_and_skips_elsewhere(monkeypatch, ci, outcome):
    from tests.services import unavailable

    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="smbd not installed"):
        unavailable("smbd not installed")
