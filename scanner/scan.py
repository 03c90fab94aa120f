"""One scan: sources → containers → objects → (skip unchanged) → executor → store → ScanOutcome.

Results are committed to the store as each batch comes back, so a scan killed at any moment loses only
the work in flight: the next run with the same sources and settings resumes the killed run. The outcome's
results are always read back from the store, sorted by uri (on each pass: never all held), so they are the
same whatever the executor, the number of workers or the interruptions.
"""
from __future__ import annotations

import hashlib
import hmac
import importlib.metadata
import itertools
import json
import logging
import sqlite3
import uuid
from collections import deque
from dataclasses import asdict, dataclass, replace
from datetime import datetime, UTC
from typing import Callable, Iterable, Iterator

from detectors import RULES_VERSION
from scanner.config import ScanSettings
from scanner.connectors import open_source
from scanner.connectors.base import CONNECTION_FAILED, Connector, ConnectorOptions
from scanner.errors import ScannerError, SourceError, UsageError
from scanner.executors import Executor, Task, Unit, WorkerSpec, make_executor
from scanner.model import NOT_SAMPLED, Container, ObjectRef, ObjectResult, RunInfo, ScanOutcome, SourceFailure, Status
from scanner.object_names import shown_uri
from scanner.pipeline import enumerate_objects
from scanner.progress import NoProgress, Progress
from scanner.spool import run_spool
from scanner.store import Store, StoredResults

log = logging.getLogger("pii_scan")

# NOTE: tasks are cut by bytes: a task of small objects holds hundreds (per-task costs, a round trip to a
# worker and a store transaction, are spread over them), a large object goes alone (the workers stay balanced)
# A task ends when its objects add up to this many bytes (or batch_objects). NOTE: 1 MB made the whole
# 0.95 MB prose benchmark share one task, read by one worker while the other waited; 512 tiny files are
# ~256 KB, so small-file tasks are as large as before.
BATCH_BYTES = 256 * 1024
# NOTE: a listing's last few tasks (Executor.tail_tasks: as many as the pool holds at once) are cut again at this
# size: the scan ends when its slowest worker does, and a last task of 256 KB of prose is ~0.35 s of one worker's
# CPU while the others wait (the 0.95 MB prose benchmark share: ~0.15 s of its ~1.7 s past start-up)
TAIL_BATCH_BYTES = 64 * 1024
LINK_BATCH = 1000                    # unchanged objects are linked into the run this many at a time

Judge = Callable[[ScanOutcome], ScanOutcome]


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Sampling:
    """--sample-bytes: read only the first N bytes of each object; --sample-objects: scan only PCT % of the
    objects of each container, chosen by a hash of the uri (the same objects on every run)."""

    bytes: int | None = None
    objects_pct: float | None = None

    def __post_init__(self) -> None:
        if self.bytes is not None and self.bytes <= 0:
            raise UsageError("--sample-bytes must be a positive number of bytes")
        if self.objects_pct is not None and not 0 < self.objects_pct <= 100:
            raise UsageError("--sample-objects must be a percentage in (0, 100]")

    def chosen(self, uri: str) -> bool:
        if self.objects_pct is None or self.objects_pct >= 100:
            return True
        draw = int.from_bytes(hashlib.sha256(uri.encode("utf-8", "surrogateescape")).digest()[:8], "big")
        return draw / 2 ** 64 * 100 < self.objects_pct

    def not_chosen(self, ref: ObjectRef) -> ObjectRef:
        """``ref`` marked to be recorded as skipped, not read. A worker records it: it masks what the object's
        name holds (the main process has no detector to read names with)."""
        return replace(ref, facts={**ref.facts, "skip": f"not in the {self.objects_pct:g}% object sample",
                                   NOT_SAMPLED: {"method": "objects", "percent": self.objects_pct}})


def scan_fingerprint(settings: ScanSettings, secret: bytes, sampling: Sampling) -> str:
    """What a stored result depends on: a result read under another fingerprint is never re-used."""
    try:
        version = importlib.metadata.version("pii-scan")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    data = {"version": version, "rules": RULES_VERSION, "detection": settings.detection.overrides(),
            "limits": asdict(settings.limits),
            "show_values": settings.show_values, "full_counts": settings.full_counts,
            "examples": settings.examples_per_entity, "sample_bytes": sampling.bytes,
            # NOTE: a keyed tag, not the secret: a new secret changes every hash, so nothing is re-used
            "secret": hmac.new(secret, b"fingerprint", hashlib.sha256).hexdigest()[:16]}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:24]


class _Committer:
    """Writes results to the store as they arrive; unchanged objects are linked in batches."""

    def __init__(self, store: Store, run_id: str, fingerprint: str, progress: Progress):
        self.store, self.run_id, self.fingerprint, self.progress = store, run_id, fingerprint, progress
        self.links: list[tuple[str, int]] = []
        self.link_bytes = 0

    def add(self, units: list[Unit], fingerprint: str | None = None) -> None:
        fingerprint = self.fingerprint if fingerprint is None else fingerprint
        left_out = [u for u in units if u[0].sample.get("method") == "objects"]
        if left_out and fingerprint:
            # NOTE: an object left out of an --sample-objects sample is never re-used (the fingerprint does not
            # hold the sample's percentage): the next scan decides afresh whether to read it
            self.add(left_out, fingerprint="")
            units = [u for u in units if u[0].sample.get("method") != "objects"]
            if not units:
                return
        try:
            self.store.add_units(self.run_id, fingerprint, units)
        except Exception as exc:
            if isinstance(exc, (sqlite3.Error, OSError)):
                raise                             # the store itself failed: the run cannot go on
            # NOTE: a bug with one object's results (the batch was rolled back) must not end the scan
            for unit in units:
                self._add_alone(unit, fingerprint)
        self.progress.done(len(units), sum(u[0].ref.size or 0 for u in units))

    def _add_alone(self, unit: Unit, fingerprint: str) -> None:
        try:
            self.store.add_units(self.run_id, fingerprint, [unit])
        except (sqlite3.Error, OSError):
            raise
        except Exception as exc:  # noqa: BLE001 - recorded on the object, the scan goes on
            log.warning("cannot store the results of %s (%s); recorded as failed", shown_uri(unit[0].ref),
                        exc.__class__.__name__)
            failed = ObjectResult(unit[0].ref, Status.FAILED, f"internal error ({exc.__class__.__name__})")
            self.store.add_units(self.run_id, fingerprint, [[failed]])

    def link(self, ref: ObjectRef, unit: int) -> None:
        self.links.append((ref.uri, unit))
        self.link_bytes += ref.size or 0
        if len(self.links) >= LINK_BATCH:
            self.flush()

    def flush(self) -> None:
        if self.links:
            self.store.link_units(self.run_id, self.links)
            self.progress.done(len(self.links), self.link_bytes, reused=True)
            self.links, self.link_bytes = [], 0


@dataclass
class _Plan:
    """What the task generator needs and what it learns while listing."""

    sources: tuple[str, ...]
    settings: ScanSettings
    options: ConnectorOptions | None
    sampling: Sampling
    full: bool
    fingerprint: str
    done: set[str]                  # top-level objects a resumed run already has
    seen: set[str] | None           # top-level objects listed in this pass (only tracked when resuming)
    batch_objects: int
    batch_bytes: int
    tail_tasks: int                 # the listing's last this many tasks are cut at TAIL_BATCH_BYTES
    containers: dict[str, Container]
    failures: list[SourceFailure]


def _tasks(plan: _Plan, store: Store, committer: _Committer, progress: Progress) -> Iterator[Task]:
    """List every source; yield batches of objects that must be read; handle the rest on the way."""
    for raw in plan.sources:
        try:
            connector = open_source(raw, plan.options)
        except SourceError as exc:
            plan.failures.append(SourceFailure.of(raw, exc))
            continue
        options = plan.options or ConnectorOptions()
        held: deque[tuple[ObjectRef, ...]] = deque()    # batches not yet sent: the listing may end after them
        for refs in _cut(_to_read(raw, connector, plan, store, committer, progress), plan.batch_objects,
                         plan.batch_bytes):
            held.append(refs)
            if len(held) > plan.tail_tasks:
                yield Task(raw, options, held.popleft())
        for refs in _cut(itertools.chain.from_iterable(held), plan.batch_objects,
                         TAIL_BATCH_BYTES if plan.tail_tasks else plan.batch_bytes):
            yield Task(raw, options, refs)
    progress.listed()


def _to_read(raw: str, connector: Connector, plan: _Plan, store: Store, committer: _Committer,
             progress: Progress) -> Iterator[ObjectRef]:
    """The objects of one source that must be read, as its listing goes; the others handled on the way (done in a
    resumed run, not sampled, unchanged since the last scan). A listing that breaks is the source's failure."""
    try:
        for container in connector.containers():
            if container.uri not in plan.containers:
                plan.containers[container.uri] = container
                store.save_containers(committer.run_id, [container])
            for ref in enumerate_objects(connector, container, plan.settings):
                progress.found(1, ref.size or 0)
                if ref.facts.get("listing") == "incomplete":        # the listing broke: objects are missing
                    plan.failures.append(SourceFailure(container.uri, f"listing incomplete ({ref.facts['error']})"))
                kept_as = store.stored_uris(ref.uri)        # (a token where its names hold personal data)
                if plan.seen is not None:
                    plan.seen.update(kept_as)
                if not plan.done.isdisjoint(kept_as):
                    progress.done(1, ref.size or 0, reused=True)
                    continue
                if not plan.sampling.chosen(ref.uri):
                    yield plan.sampling.not_chosen(ref)
                    continue
                unit = None if plan.full else store.previous_unit(ref, plan.fingerprint, kept_as)
                if unit is not None:
                    committer.link(ref, unit)
                    continue
                yield ref
    except SourceError as exc:
        plan.failures.append(SourceFailure.of(raw, exc))
    finally:
        connector.close()


def _cut(refs: Iterable[ObjectRef], most_objects: int, most_bytes: int) -> Iterator[tuple[ObjectRef, ...]]:
    """``refs`` in order, in batches ending at ``most_objects`` objects or once they reach ``most_bytes``."""
    batch: list[ObjectRef] = []
    size = 0
    for ref in refs:
        batch.append(ref)
        size += 0 if "skip" in ref.facts else ref.size or 0        # recorded, not read
        if len(batch) >= most_objects or size >= most_bytes:
            yield tuple(batch)
            batch, size = [], 0
    if batch:
        yield tuple(batch)


def _connection_failures(store: Store, run_id: str) -> list[SourceFailure]:
    """One failure per container whose objects failed because its endpoint did (dead, stalled, dropping):
    the run is incomplete (exit 3) whatever --strict says; per-object reasons (access denied) are not."""
    counts = store.failed_containers(run_id, CONNECTION_FAILED)       # counted in the store: results stay there
    return [SourceFailure(uri, f"{n} object(s) not read: {CONNECTION_FAILED} (endpoint unreachable or stalled)")
            for uri, n in sorted(counts.items())]


@dataclass(frozen=True)
class ScanJob:
    """What one scan reads and how: the sources, the WorkerSpec each process builds its Worker from (its
    settings are the scan's), where the objects are scanned, and what is re-read or sampled."""

    sources: tuple[str, ...]
    spec: WorkerSpec
    options: ConnectorOptions | None = None
    executor: str = "local"               # "local" or dask://HOST:PORT
    workers: int | None = 1
    full: bool = False                    # read every object again, even those unchanged since the last scan
    sampling: Sampling = Sampling()
    load_index: bool = False              # the outcome carries each object's subject-index rows (an allowlist needs them)

    @property
    def settings(self) -> ScanSettings:
        return self.spec.settings


def run_scan(job: ScanJob, store: Store | None = None, progress: Progress | None = None,
             judge: Judge | None = None) -> ScanOutcome:
    """Scan ``job.sources`` and return the outcome (also kept in ``store``; an in-memory one if None). Its results
    are a view of the run in ``store`` (StoredResults), read again on each pass.

    Each process builds its own Worker from ``job.spec``, only if something needs reading (a spec of a Worker built
    already, ``WorkerSpec.of``, is scanned in this process with one worker). ``judge`` (the policy engine) turns
    results into violations before the run is marked complete.
    """
    settings, sampling = job.settings, job.sampling
    progress = progress or NoProgress()
    store = store if store is not None else Store(":memory:")
    spec = replace(job.spec, sample_bytes=sampling.bytes)     # the one place --sample-bytes reaches the workers
    secret = spec.secret
    store.check_secret(secret)
    fingerprint = scan_fingerprint(settings, secret, sampling)
    run_settings = {"full": job.full, "exclude": list(settings.exclude), "sample_bytes": sampling.bytes,
                    "sample_objects": sampling.objects_pct, "config": settings.source_name}
    resume_key = hashlib.sha256(json.dumps([fingerprint, job.sources, run_settings, settings.jurisdiction],
                                           default=str).encode()).hexdigest()[:24]
    run, resumed = store.begin_run(RunInfo(id=uuid.uuid4().hex[:12], jurisdiction=settings.jurisdiction,
                                           sources=job.sources, started=utcnow(), settings=run_settings),
                                   fingerprint, resume_key)
    committer = _Committer(store, run.id, fingerprint, progress)
    with run_spool():
        ex = _executor(spec, job.executor, job.workers)
        plan = _Plan(job.sources, settings, job.options, sampling, job.full, fingerprint,
                     done=store.done_roots(run.id) if resumed else set(), seen=set() if resumed else None,
                     batch_objects=ex.batch_objects, batch_bytes=BATCH_BYTES, tail_tasks=ex.tail_tasks,
                     containers={}, failures=[])
        bulk = not resumed and store.begin_bulk(run.id)
        try:
            for _task, units in ex.run(_tasks(plan, store, committer, progress)):
                committer.add(units)
            committer.flush()
        except KeyboardInterrupt:
            ex.abort()                                # what was committed stays; the run stays resumable
            raise
        finally:
            ex.close()
            progress.close()
            if bulk:
                store.end_bulk()
    if plan.seen is not None:
        store.forget_roots(run.id, plan.seen)
    # NOTE: the results stay in the store: the outcome's are read from it on each pass (judging, each report), so
    # a scan of millions of objects never holds them all (issue 16 item 4)
    outcome = store.load_outcome(run.id, with_results=False)
    results = StoredResults(store, run.id, store.count_results(run.id), with_index=job.load_index)
    failures = (*plan.failures, *_connection_failures(store, run.id))
    outcome = replace(outcome, run=replace(outcome.run, finished=utcnow()), results=results,
                      source_failures=failures)
    if judge is not None:
        outcome = judge(outcome)
    store.finish_run(outcome)
    return outcome


def _executor(spec: WorkerSpec, executor: str, workers: int | None) -> Executor:
    if spec.prebuilt is not None and executor == "local" and (workers or 0) <= 1:
        from scanner.executors import InlineExecutor

        return InlineExecutor(spec)                  # a Worker built already is used here, as it is
    return make_executor(executor, spec, workers)


__all__ = ["run_scan", "ScanJob", "Sampling", "scan_fingerprint", "ScannerError"]
