"""enumerate → filter → read → sniff → extract → detect → aggregate (→ judge → store, in scan.py).

``scan_object`` is the unit of work an executor runs; it never raises for a bad object: every object
ends scanned, skipped or failed with a reason.
"""
from __future__ import annotations

import contextlib
import hmac
import io
import logging
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, BinaryIO, Protocol

if TYPE_CHECKING:                 # NOTE: the worker processes load it, not the scan's main process
    from detectors.protocol import Detector
from scanner.analysis import HoldingBuilder, analyse_segment
from scanner.config import ScanSettings
from scanner.connectors.base import Connector, Deadline
from scanner.errors import ObjectError, SkipObject
from scanner.extract import ExtractContext, Member, extractor_for, sniff
from scanner.extract.sniff import Sniffed
from scanner.model import NOT_SAMPLED, Container, ObjectRef, ObjectResult, Status, shown_name
from scanner.object_names import ObjectNames, shown_uri
from scanner.privacy import Hasher

log = logging.getLogger("pii_scan")


@dataclass
class Worker:
    """What one process needs to scan objects: built once per process (the detector loads spaCy)."""

    settings: ScanSettings
    detector: Detector
    hasher: Hasher
    names: ObjectNames = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.names = ObjectNames(self.detector)

    def named(self, ref: ObjectRef) -> ObjectRef:
        """``ref`` with the URI outputs show when its names hold personal data (scanner.object_names)."""
        return self.names.named(ref, self.settings.show_values)


class Opener(Protocol):
    """What scan_object needs of a connector: a Connector is one, and so is an object a fetch thread read ahead."""

    def open(self, ref: ObjectRef, deadline: Deadline | None = None) -> IO[bytes]: ...


class CountingReader(io.RawIOBase, BinaryIO):
    """A read-only stream that stops at ``limit`` bytes, counts them and feeds a keyed content hash. A file
    object (BinaryIO, through io.RawIOBase) as extractors take, though they only read()."""

    def __init__(self, raw: IO[bytes], limit: int, digest: hmac.HMAC):
        super().__init__()
        self._raw, self._limit, self._digest = raw, limit, digest
        self.count = 0
        self.truncated = False
        self._peeked = b""

    def content_hash(self) -> str:
        """The keyed hash of the bytes read so far (of the whole object once it is read to its end)."""
        return self._digest.hexdigest()[:32]

    def peek(self, n: int) -> bytes:
        while len(self._peeked) < n:
            more = self._read_raw(n - len(self._peeked))
            if not more:
                break
            self._peeked += more
        return self._peeked[:n]

    def _read_raw(self, n: int) -> bytes:
        room = self._limit - self.count
        if room <= 0:
            if self._raw.read(1):
                self.truncated = True
            return b""
        data = self._raw.read(min(n, room) if n >= 0 else room)
        self.count += len(data)
        self._digest.update(data)
        return data

    def read(self, n: int | None = -1) -> bytes:
        n = -1 if n is None else n
        if self._peeked:
            if n < 0:
                data, self._peeked = self._peeked + self._read_raw(-1), b""
                return data
            data, self._peeked = self._peeked[:n], self._peeked[n:]
            if len(data) < n:
                data += self._read_raw(n - len(data))
            return data
        return self._read_raw(n)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def drain(self) -> None:
        """Read to the end (within the limit) so the content hash covers the whole object."""
        while self.read(1 << 20):
            pass


def excluded(ref: ObjectRef, patterns: tuple[str, ...]) -> bool:
    """Whether ``patterns`` (gitignore semantics, see scanner.exclude) leave ``ref`` out."""
    from scanner.exclude import excludes_for

    return bool(patterns) and excludes_for(patterns)(ref)


class TimeLimit(BaseException):
    """An object's time budget ran out. A BaseException: extractors' ``except Exception`` must not eat it."""


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise TimeLimit in this thread after ``seconds`` (only in a process's main thread, where signals are
    delivered: worker processes and --workers 1; a Dask worker thread runs unbounded)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TimeLimit

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))     # NOTE: 0 would disarm the timer
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def scan_object(connector: Opener, ref: ObjectRef, worker: Worker,
                deadline: Deadline | None = None) -> list[ObjectResult]:
    """The object's result, followed by one result per archive/e-mail member found inside it. Never raises:
    an object that takes longer than ``limits.object_seconds`` (or past ``deadline``, when its budget began
    earlier: a prefetched read) or hits a bug anywhere in its handling ends failed, with the reason, and the
    scan goes on. The connector's reads get the deadline too: the timer signal cannot stop a read blocked in
    another thread."""
    deadline = deadline or Deadline.after(worker.settings.limits.object_seconds)
    ref = worker.named(ref)
    try:
        with time_budget(deadline.left()):
            return _scan_object(connector, ref, worker, deadline)
    except TimeLimit:
        return [ObjectResult(ref, Status.FAILED, deadline.reason)]
    except Exception as exc:  # noqa: BLE001 - NOTE: one object's failure never ends the scan
        log.warning("internal error on %s (%s); recorded as failed", shown_uri(ref), exc.__class__.__name__)
        return [ObjectResult(ref, Status.FAILED, f"internal error ({exc.__class__.__name__})")]


def _scan_object(connector: Opener, ref: ObjectRef, worker: Worker, deadline: Deadline) -> list[ObjectResult]:
    if "error" in ref.facts:
        return [ObjectResult(ref, Status.FAILED, str(ref.facts["error"]))]
    if "skip" in ref.facts:
        return [ObjectResult(ref, Status.SKIPPED, str(ref.facts["skip"]), sample=dict(ref.facts.get(NOT_SAMPLED) or {}))]
    try:
        raw = connector.open(ref, deadline)
    except ObjectError as exc:
        return [ObjectResult(ref, Status.FAILED, exc.reason)]
    except Exception as exc:  # noqa: BLE001 - a connector bug must not stop the scan; the reason names it
        log.debug("open failed for %s: %s", shown_uri(ref), exc.__class__.__name__)
        return [ObjectResult(ref, Status.FAILED, f"cannot open ({exc.__class__.__name__})")]
    return scan_stream(raw, ref, worker, depth=0)


@dataclass
class Tree:
    """What a top-level object and everything nested in it may still hand out: members and expanded bytes
    (the per-archive limits alone let archives nested three deep multiply into a million objects)."""

    members: int
    bytes: int


def scan_stream(raw: IO[bytes], ref: ObjectRef, worker: Worker, depth: int,
                tree: Tree | None = None) -> list[ObjectResult]:
    tree = tree or Tree(worker.settings.limits.archive_max_members, worker.settings.limits.archive_max_total_bytes)
    try:
        with raw:
            return _scan_stream(raw, ref, worker, depth, tree)
    except OSError as exc:
        return [ObjectResult(ref, Status.FAILED, f"read error ({exc.strerror or exc.__class__.__name__})")]


def open_extraction(raw: IO[bytes], ref: ObjectRef, worker: Worker,
                    depth: int) -> tuple[CountingReader, Sniffed, ExtractContext]:
    """An object's stream counted and hashed as it is read, what its first bytes say it is, and the context its
    extractor runs in (also for scanner.batch, which extracts small objects ahead of their scans)."""
    limits = worker.settings.limits
    reader = CountingReader(raw, limits.max_object_bytes, worker.hasher.content())
    sniffed = sniff(reader.peek(limits.sniff_bytes), ref.key)
    return reader, sniffed, ExtractContext(name=ref.key, limits=limits, encoding=sniffed.encoding, depth=depth)


def read_chunks(stream: IO[bytes], limit: int, size: int = 1 << 20) -> Iterator[bytes]:
    """``stream``'s bytes in chunks of at most ``size``, ``limit`` in all: fewer only at its end (a network
    stream may return less than asked per read)."""
    left = limit
    while left > 0:
        chunk = stream.read(min(left, size))
        if not chunk:
            return
        yield chunk
        left -= len(chunk)


def _scan_stream(raw: IO[bytes], ref: ObjectRef, worker: Worker, depth: int, tree: Tree) -> list[ObjectResult]:
    limits = worker.settings.limits
    reader, sniffed, ctx = open_extraction(raw, ref, worker, depth)
    if sniffed.kind == "empty":
        return [ObjectResult(ref, Status.SKIPPED, "empty", sniffed_type="empty")]
    builder = new_builder(worker)
    children: list[ObjectResult] = []
    names: set[str] = set()              # member paths handed out in this archive, so repeats get their own

    def failed(status: Status, reason: str) -> list[ObjectResult]:
        return [ObjectResult(ref, status, reason, sniffed_type=sniffed.kind, bytes_read=reader.count), *children]

    try:
        extract = extractor_for(sniffed.kind)
        for item in extract(reader, ctx):
            if isinstance(item, Member):
                children.extend(_scan_member(item, ref, worker, depth + 1, tree, names))
            else:
                analyse_segment(worker.detector, builder, item)
        reader.drain()
        builder.add_object_name(worker.names.hits(ref.key))
    except SkipObject as exc:
        return failed(Status.SKIPPED, exc.reason)
    except ObjectError as exc:
        return failed(Status.FAILED, exc.reason)
    except (MemoryError, RecursionError) as exc:
        return failed(Status.FAILED, f"too complex to read ({exc.__class__.__name__})")
    except OSError:
        raise                     # read errors: scan_stream records them as failed with the OS reason
    except Exception as exc:  # noqa: BLE001 - NOTE: a bug in one extractor or library must not end the scan
        log.debug("extracting %s failed: %s", shown_uri(ref), exc.__class__.__name__)
        return failed(Status.FAILED, f"cannot read ({exc.__class__.__name__})")
    sample: dict[str, Any] = {"truncated_at": limits.max_object_bytes} if reader.truncated else {}
    cuts = {**builder.ner_cuts, **ctx.cuts}   # NOTE: the NER budget's stop too: its names are a lower bound
    if cuts:                  # a limit stopped the reading before the end: not read whole, and it says where
        sample["cuts"] = dict(sorted(cuts.items()))
    own = ObjectResult(ref, Status.SCANNED, None, holding=builder.holding(), findings=builder.findings(),
                       content_hash=reader.content_hash() if not reader.truncated else None,
                       sniffed_type=sniffed.kind, sample=sample, index=builder.index(), bytes_read=reader.count)
    return [own, *children]


def new_builder(worker: Worker) -> HoldingBuilder:
    """An object's HoldingBuilder, empty: its ``budget_left()`` is the budget an object starts with."""
    return HoldingBuilder(worker.hasher, worker.settings.show_values, worker.settings.examples_per_entity,
                          full_counts=worker.settings.full_counts, watch=worker.settings.watch, names=worker.names)


def member_path(name: str, taken: set[str]) -> str:
    """A member's path in its URI, unique within its archive: ``%`` and ``!`` percent-encoded (a member named
    ``x.zip!/c.txt`` is not c.txt inside x.zip), and a repeated name (two zip entries ``a.txt``, a newer
    version added by ``tar --append``) gets its ordinal: ``a.txt!2``, which no escaped name can spell."""
    path = shown_name(name.lstrip("/").replace("%", "%25").replace("!", "%21"))
    unique, n = path, 1
    while unique in taken:
        n += 1
        unique = f"{path}!{n}"
    taken.add(unique)
    return unique


def _scan_member(member: Member, parent: ObjectRef, worker: Worker, depth: int, tree: Tree,
                 taken: set[str]) -> list[ObjectResult]:
    limits = worker.settings.limits
    tree.members -= 1
    if tree.members < 0:
        raise ObjectError(f"more than {limits.archive_max_members} members in all, nested archives included "
                          "(the rest were not read)")
    if tree.bytes <= 0:
        raise ObjectError(f"more than {limits.archive_max_total_bytes // (1024 * 1024)} MB expanded in all, "
                          "nested archives included (the rest were not read)")
    path = member_path(member.name, taken)
    ref = worker.named(ObjectRef(uri=f"{parent.uri}!/{path}", container=parent.container,
                                 key=f"{parent.key}!/{path}", size=member.size,
                                 modified=member.modified or parent.modified, etag=parent.etag,
                                 facts={**parent.facts, "parent": parent.uri}))
    if member.error:
        return [ObjectResult(ref, Status.FAILED, member.error)]
    if member.skip:
        return [ObjectResult(ref, Status.SKIPPED, member.skip)]
    if depth > worker.settings.limits.archive_max_depth:
        return [ObjectResult(ref, Status.SKIPPED, f"nested deeper than {worker.settings.limits.archive_max_depth}")]
    if member.open is None:
        return [ObjectResult(ref, Status.FAILED, "no content (extractor error)")]
    try:
        stream = member.open()
    except ObjectError as exc:
        return [ObjectResult(ref, Status.FAILED, exc.reason)]
    results = scan_stream(stream, ref, worker, depth, tree)
    tree.bytes -= results[0].bytes_read or 0
    return results


def enumerate_objects(connector: Connector, container: Container, settings: ScanSettings) -> Iterator[ObjectRef]:
    for ref in connector.objects(container):
        if not excluded(ref, settings.exclude):
            yield ref
