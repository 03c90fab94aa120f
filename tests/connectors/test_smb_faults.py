"""Issue 17 item 4 for SMB: a server that stops answering after the session is set up (a TCP proxy in front of
the test smbd holds the first READ or QUERY_DIRECTORY) ends the read or the listing within the read timeout, or
the object's deadline, as a connection failure; the stalled connection is dropped and the next object is read
on a fresh one. smbprotocol alone would wait for ever."""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

import pytest

from scanner.connectors import open_source
from scanner.connectors.base import Deadline
from scanner.errors import ObjectError

from .conftest import write_tree
from .faults import SMB2_QUERY_DIRECTORY, SMB2_READ, SMBStallProxy

FILES = {"a.txt": b"mail a.person@example.org\n", "b.txt": b"mail b.person@example.org\n"}
SLACK = 2.5          # seconds past the timeout: smbprotocol waits in whole seconds, then the connection is dropped


@pytest.fixture(scope="module")
def smb_stall_share(smb_server):
    write_tree(smb_server.shares["open"] / "stall", FILES, smb_server.user)
    return smb_server


def bounded(fn: Callable[[], Any], seconds: float = 15) -> tuple[Any, BaseException | None, float]:
    """``fn()`` in a thread: (its result, what it raised, seconds taken); fails the test if it is still waiting
    after ``seconds`` (a read without a timeout never returns while the proxy holds its request)."""
    box: dict[str, Any] = {}

    def run() -> None:
        started = time.monotonic()
        try:
            box["result"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["error"] = exc
        box["elapsed"] = time.monotonic() - started

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s"
    return box.get("result"), box.get("error"), box["elapsed"]


def read(conn, ref, deadline: Deadline | None = None) -> bytes:
    with (conn.open(ref, deadline) if deadline else conn.open(ref)) as fh:
        return fh.read()


@pytest.mark.parametrize("read_timeout,deadline", [(1, None), (30, 1.5)], ids=["read-timeout", "deadline"])
def test_a_stalled_smb_read_fails_in_time_and_the_next_object_reconnects(smb_stall_share, smb_env, monkeypatch,
                                                                          read_timeout, deadline):
    monkeypatch.setenv("PII_SCAN_READ_TIMEOUT", str(read_timeout))
    monkeypatch.setenv("PII_SCAN_CONNECT_TIMEOUT", "2")
    with SMBStallProxy(smb_stall_share.port, SMB2_READ) as proxy:
        conn = open_source(f"smb://127.0.0.1:{proxy.port}/open/stall")
        try:
            (container,) = conn.containers()
            refs = {r.key: r for r in conn.objects(container)}
            _, error, elapsed = bounded(lambda: read(conn, refs["stall/a.txt"],
                                                     Deadline.after(deadline) if deadline else None))
            assert proxy.stalled.is_set()
            data, later, _ = bounded(lambda: read(conn, refs["stall/b.txt"]))
        finally:
            bounded(conn.close)          # logging off waits for answers too
    assert elapsed < (deadline or read_timeout) + SLACK
    assert isinstance(error, (OSError, ObjectError)), error
    assert "connection failed" in (getattr(error, "reason", None) or str(error))
    assert later is None and data == FILES["b.txt"]


def test_a_stalled_smb_listing_ends_in_time_as_incomplete(smb_stall_share, smb_env, monkeypatch):
    monkeypatch.setenv("PII_SCAN_READ_TIMEOUT", "1")
    monkeypatch.setenv("PII_SCAN_CONNECT_TIMEOUT", "2")
    with SMBStallProxy(smb_stall_share.port, SMB2_QUERY_DIRECTORY) as proxy:
        conn = open_source(f"smb://127.0.0.1:{proxy.port}/open/stall")
        try:
            (container,) = conn.containers()
            refs, error, elapsed = bounded(lambda: list(conn.objects(container)))
        finally:
            bounded(conn.close)          # logging off waits for answers too
    assert proxy.stalled.is_set() and error is None
    assert elapsed < 1 + SLACK
    (ref,) = refs
    assert ref.facts.get("listing") == "incomplete" and "connection failed" in ref.facts["error"]
