"""A worker's objects scanned in order, with NER batched across the small ones.

One model call per object is what a task of one-tweet files costs most (the model's set-up per call, and
batches of one): about three times the model CPU per MB of the same tweets in one file. So the small objects
of a task are read ahead (they are small: their bytes are held), their segments extracted, and the texts the
detector will give NER run through the model together (``Detector.prime``: their first pieces in one call,
then each later piece a scan goes on to read, round by round, in one call per round); each object is then
scanned as before, and its NER calls find their answers already there. Scanning is unchanged: what an object's budget
would skip is still skipped and recorded, and anything that goes wrong ahead (a read, an extraction, the
model) only means that object's NER is not run ahead; its own scan meets the problem and records it.
"""
from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from detectors.protocol import BatchingDetector
from scanner.connectors.base import Deadline
from scanner.extract import Member, extractor_for
from scanner.model import ObjectRef, ObjectResult, Segment
from scanner.pipeline import (Opener, TimeLimit, Worker, new_builder, open_extraction, read_chunks, scan_object,
                              time_budget)

log = logging.getLogger("pii_scan")

SMALL_OBJECT_BYTES = 16 * 1024      # objects up to this size are read ahead and their NER batched
BATCH_OBJECTS = 256                 # small objects whose NER runs in one model call, at most ...
BATCH_BYTES = 1024 * 1024           # ... and their bytes held, at most
AHEAD_SECONDS = 5.0                 # reading ahead and extracting one object, at most (then it is not batched)
# Types cheap to extract twice (ahead, then in the object's scan) and that yield no members
AHEAD_KINDS = frozenset({"text", "json", "jsonl", "xml", "html"})


class Held:
    """An opener of an object's bytes, read ahead."""

    def __init__(self, data: bytes):
        self.data = data

    def open(self, ref: ObjectRef, deadline: Deadline | None = None) -> IO[bytes]:
        return io.BytesIO(self.data)


@dataclass
class _Ahead:
    ref: ObjectRef
    opener: Opener
    deadline: Deadline | None
    segments: list[Segment] | None = None


def scan_objects(items: Iterable[tuple[ObjectRef, Opener, Deadline | None]], worker: Worker) -> Iterator[list[ObjectResult]]:
    """scan_object() of each (ref, opener, deadline), in order, NER batched across runs of small objects (when the
    detector can batch: else nothing is read ahead)."""
    detector = worker.detector
    if not isinstance(detector, BatchingDetector):
        for ref, opener, deadline in items:
            yield scan_object(opener, ref, worker, deadline)
        return
    pending: list[_Ahead] = []
    held = 0
    for ref, opener, deadline in items:
        ahead = _read_ahead(ref, opener, deadline, worker)
        if not isinstance(ahead.opener, Held):
            yield from _scan_batch(pending, worker, detector)
            pending, held = [], 0
            yield scan_object(ahead.opener, ref, worker, ahead.deadline)
            continue
        pending.append(ahead)
        held += len(ahead.opener.data)
        if len(pending) >= BATCH_OBJECTS or held >= BATCH_BYTES:
            yield from _scan_batch(pending, worker, detector)
            pending, held = [], 0
    yield from _scan_batch(pending, worker, detector)


def _read_ahead(ref: ObjectRef, opener: Opener, deadline: Deadline | None, worker: Worker) -> _Ahead:
    """The object's bytes and segments when it is small and both can be had quickly; else as it came."""
    if "error" in ref.facts or "skip" in ref.facts or ref.size is None or ref.size > SMALL_OBJECT_BYTES:
        return _Ahead(ref, opener, deadline)
    stream: IO[bytes] | None = None
    try:
        with time_budget(AHEAD_SECONDS):
            stream = opener.open(ref, Deadline.after(AHEAD_SECONDS))
            data = b"".join(read_chunks(stream, SMALL_OBJECT_BYTES + 1))
    except (Exception, TimeLimit):  # noqa: BLE001 - NOTE: the object's own scan opens it again and records why
        return _Ahead(ref, _rewound(stream, opener), deadline)
    if len(data) > SMALL_OBJECT_BYTES:            # grew since it was listed: scanned as it comes
        return _Ahead(ref, _rewound(stream, opener), deadline)
    stream.close()
    # NOTE: a fresh time budget for its scan (deadline None): waiting for the batch must not spend it
    return _Ahead(ref, Held(data), None, _segments(ref, data, worker))


class _Rewound:
    """An opener handing back a stream read ahead, rewound to its start."""

    def __init__(self, stream: IO[bytes]):
        self._stream = stream

    def open(self, ref: ObjectRef, deadline: Deadline | None = None) -> IO[bytes]:
        return self._stream


def _rewound(stream: IO[bytes] | None, opener: Opener) -> Opener:
    """``stream`` from its start when it can seek (a prefetched object is opened once), else ``opener``."""
    if stream is None:
        return opener
    try:
        stream.seek(0)
        return _Rewound(stream)
    except (OSError, ValueError):
        stream.close()
        return opener


def _segments(ref: ObjectRef, data: bytes, worker: Worker) -> list[Segment] | None:
    """The object's segments as its scan will extract them, or None (another type, members, or a failure)."""
    try:
        with time_budget(AHEAD_SECONDS):
            reader, sniffed, ctx = open_extraction(io.BytesIO(data), ref, worker, 0)
            if sniffed.kind not in AHEAD_KINDS:
                return None
            out = []
            for item in extractor_for(sniffed.kind)(reader, ctx):
                if isinstance(item, Member):
                    return None
                out.append(item)
            return out
    except (Exception, TimeLimit):  # noqa: BLE001 - NOTE: the object's own scan meets it and records it
        return None


def _scan_batch(batch: list[_Ahead], worker: Worker, detector: BatchingDetector) -> Iterator[list[ObjectResult]]:
    """Prime ``detector`` (the worker's) with the NER texts of ``batch``'s objects, then scan each as before."""
    if not batch:
        return
    budget = new_builder(worker).budget_left()
    try:
        detector.prime([a.segments for a in batch if a.segments], budget)
    except Exception as exc:  # noqa: BLE001 - NOTE: then each object's scan runs its own NER, as unbatched
        log.debug("NER for %d objects ahead of their scans failed (%s)", len(batch), exc.__class__.__name__)
        detector.forget_primed()
    try:
        for a in batch:
            yield scan_object(a.opener, a.ref, worker, a.deadline)
    finally:
        detector.forget_primed()
