"""Issue 17 item 4: the per-object deadline (scan.limits.object_seconds) reaches the connectors' reads. A read
that stalls ends soon after the object's deadline, not after the (much longer) read timeout and its retries,
even in a prefetch thread, which the worker's timer signal never reaches; the object fails with the reason
and the others are scanned."""
from __future__ import annotations

import dataclasses
import time

import pytest

from scanner.connectors.base import ConnectorOptions, Deadline
from scanner.errors import ObjectError
from scanner.executors import Task, scan_task

from .faults import KINDS, behind_proxy, seed

FILES = {key: f"content of {key} mail someone@example.org".encode() for key in ("ok.txt", "stalled.txt", "good.txt")}
SLACK = 2.0            # seconds past the deadline: one wait cut to it, rounding, a connection's close


@pytest.mark.parametrize("kind", KINDS)
def test_a_stalled_read_ends_at_the_objects_deadline_not_the_read_timeout(kind, request, monkeypatch):
    server = seed(request, kind, "deadline-read", FILES)
    with behind_proxy(kind, "deadline-read", server, monkeypatch, read=30, attempts=3) as store:
        with store.connected() as (conn, container):
            refs = {r.key: r for r in conn.objects(container)}
            store.stall("stalled.txt")
            started = time.monotonic()
            with pytest.raises((ObjectError, OSError)) as failure:
                with conn.open(refs["stalled.txt"], Deadline.after(1.5)) as fh:
                    fh.read()
            elapsed = time.monotonic() - started
            with conn.open(refs["good.txt"], Deadline.after(5)) as fh:      # the connector still works
                assert fh.read() == FILES["good.txt"]
    assert elapsed < 1.5 + SLACK          # the read timeout (30 s) x 3 attempts would be 90 s
    reason = getattr(failure.value, "reason", None) or str(failure.value)
    assert "time limit" in reason or "connection failed" in reason


@pytest.mark.parametrize("kind", KINDS)
def test_a_batch_with_a_stalled_object_fails_it_at_object_seconds_and_scans_the_rest(kind, request, monkeypatch,
                                                                                     worker):
    server = seed(request, kind, "deadline-batch", FILES)
    limits = dataclasses.replace(worker.settings.limits, object_seconds=2)
    worker = dataclasses.replace(worker, settings=dataclasses.replace(worker.settings, limits=limits))
    with behind_proxy(kind, "deadline-batch", server, monkeypatch, read=20, attempts=1) as store:
        with store.connected() as (conn, container):
            refs = tuple(sorted(conn.objects(container), key=lambda r: r.key))
        store.stall("stalled.txt")
        started = time.monotonic()
        # NOTE: three objects in one batch: they are read by prefetch threads, where no timer signal reaches
        units = scan_task(worker, Task(store.source, ConnectorOptions(), refs))
        elapsed = time.monotonic() - started
    status = {unit[0].ref.key: (unit[0].status.value, unit[0].reason) for unit in units}
    assert status["stalled.txt"][0] == "failed"
    assert "time limit (2 s)" in status["stalled.txt"][1] or "connection failed" in status["stalled.txt"][1]
    assert status["ok.txt"] == status["good.txt"] == ("scanned", None)
    assert elapsed < 2 + SLACK + 2           # the read timeout alone would take 20 s
