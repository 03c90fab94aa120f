"""Where objects are scanned: in this process, in a local process pool, or on a Dask cluster.

The unit of work is a ``Task``: a batch of ObjectRefs from one source. Whatever runs it re-creates the
connector from the source URL and options (live clients are never pickled) and builds the Worker (the
detector loads spaCy) once per process. Remote reads are overlapped with detection by a small thread pool
that prefetches the next objects into spooled temporary files. The small objects of a task get their NER in
one model call (scanner.batch). Every executor keeps a bounded number of tasks in flight, so memory stays flat
however large the estate.
"""
from __future__ import annotations

import concurrent.futures as cf
import hashlib
import logging
import multiprocessing
import os
import pickle
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable, Iterator, Protocol

from scanner.config import ScanSettings
from scanner.connectors import open_source
from scanner.connectors.base import Connector, ConnectorOptions, Deadline
from scanner.errors import ObjectError, UsageError
from scanner.model import ObjectRef, ObjectResult, Status
from scanner.batch import scan_objects
from scanner.pipeline import Opener, Worker, read_chunks, scan_stream
from scanner.privacy import Hasher

if TYPE_CHECKING:                 # NOTE: the scan's main process never loads Presidio or spaCy
    from detectors.engine import Detector, DetectorSettings

log = logging.getLogger("pii_scan")

PREFETCH_SCHEMES = frozenset({"s3", "gs", "az"})   # HTTP SDKs whose clients are thread-safe
FETCH_THREADS = 4
SPOOL_BYTES = 8 * 1024 * 1024                        # a prefetched object spills to disk above this
WORKER_MEMORY = 400 * 1024 * 1024                    # what one worker process holds (spaCy, detector, a batch)
WATCHDOG_POLL_S = 1.0                                # how often the main process looks for stuck batches
MAIN_PID_VAR = "PII_SCAN_MAIN_PID"                   # the process a forkserver must not outlive
WATCHDOG_GRACE_MIN = 5                               # seconds a batch gets beyond its objects' budgets, at least

Unit = list[ObjectResult]                            # a top-level object's result, then its members'


@dataclass(frozen=True)
class Task:
    """A batch of objects of one source, scanned together by one worker process."""

    source: str
    options: ConnectorOptions
    refs: tuple[ObjectRef, ...]


@dataclass(frozen=True)
class WorkerSpec:
    """Everything a process needs to build its Worker. Shipped to workers, so it carries the secret:
    keyed hashes must agree across machines (use tls:// for Dask outside a trusted network)."""

    settings: ScanSettings
    secret: bytes = field(repr=False)
    sample_bytes: int | None = None
    # NOTE: a Worker built already (tests, `subject --verify`) is used as it is in this process; it is never
    # shipped: a spec with one is scanned inline (see scan.run_scan), and pickling drops it
    prebuilt: Worker | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, worker: Worker, sample_bytes: int | None = None) -> WorkerSpec:
        """The spec of a Worker built already: ``build()`` gives it back (with the sample limit applied)."""
        return cls(worker.settings, worker.hasher.key, sample_bytes, worker)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "prebuilt": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def key(self) -> str:
        return hashlib.sha256(pickle.dumps((self.settings, self.secret, self.sample_bytes))).hexdigest()

    def limited(self, settings: ScanSettings) -> ScanSettings:
        """``settings`` with --sample-bytes applied: the one place the sample limit becomes a read limit."""
        if not self.sample_bytes:
            return settings
        limits = replace(settings.limits, max_object_bytes=min(settings.limits.max_object_bytes, self.sample_bytes))
        return replace(settings, limits=limits)

    def build(self) -> Worker:
        if self.prebuilt is not None:
            w = self.prebuilt
            return Worker(self.limited(w.settings), w.detector, w.hasher)
        return build_worker(self.limited(self.settings), self.secret)


def build_worker(settings: ScanSettings, secret: bytes) -> Worker:
    """A Worker: the detector (loads spaCy, ~1 s; built already when this process forked from a forkserver
    that built it for the same detector settings) and the keyed hasher."""
    from detectors.engine import Detector
    from detectors.nlp import ModelMissing
    from scanner.privacy import Hasher

    wanted = _detector_settings(settings)
    detector = _PREBUILT.get(repr(wanted))
    if detector is None:
        try:
            detector = Detector(wanted)
        except ModelMissing as exc:
            raise UsageError(str(exc)) from None
    return Worker(settings=settings, detector=detector, hasher=Hasher(secret))


def _detector_settings(settings: ScanSettings) -> DetectorSettings:
    from detectors.engine import DetectorSettings
    from scanner.privacy import data_dir

    return DetectorSettings(overrides=settings.detection.overrides(), cache_dir=str(data_dir() / "cache"))


# NOTE: detectors built in a forkserver before it forks the workers (see prebuild_detector), by the repr of
# their DetectorSettings (a frozen dataclass of plain values)
_PREBUILT: dict[str, Detector] = {}


def prebuild_detector() -> None:
    """In the forkserver of a local pool (scanner.worker_start imports it there): build the detector of the
    default settings once, so every worker forked from it starts with it built instead of importing Presidio
    and spaCy and loading the model, lexicons and gazetteer again (~4 s of CPU per worker). A scan with other
    detection settings builds its own in each worker, as before."""
    import gc

    try:
        from detectors.engine import Detector

        settings = ScanSettings()
        wanted = _detector_settings(settings)
        detector = _PREBUILT[repr(wanted)] = Detector(wanted)
        _warm_up(Worker(settings, detector, Hasher(os.urandom(32))))
        detector.preload()                          # and what the note does not need (foreign phone numbers)
    except Exception as exc:  # noqa: BLE001 - NOTE: the workers then build their own; the forkserver must live
        log.debug("no detector built before forking the workers (%s)", exc.__class__.__name__)
    gc.freeze()          # NOTE: what is built stays out of the collector's way: fewer pages copied in each worker


# -- inside a worker process --------------------------------------------------------------------------------
# NOTE: per-process caches keyed by content, so nothing ever needs busting: a new spec or source builds anew.
_WORKERS: dict[str, Worker] = {}
_CONNECTORS: dict[str, Connector] = {}
_LOCK = threading.Lock()


def _worker_for(spec: WorkerSpec) -> Worker:
    if spec.prebuilt is not None:
        return spec.build()
    key = spec.key()
    with _LOCK:
        if key not in _WORKERS:
            _WORKERS.clear()
            _WORKERS[key] = spec.build()
        return _WORKERS[key]


def _connector_for(source: str, options: ConnectorOptions) -> Connector:
    key = hashlib.sha256(pickle.dumps((source, options))).hexdigest()
    with _LOCK:
        if key not in _CONNECTORS:
            if len(_CONNECTORS) >= 8:
                for old in _CONNECTORS.values():
                    old.close()
                _CONNECTORS.clear()
            _CONNECTORS[key] = open_source(source, options)
        return _CONNECTORS[key]


def run_task(spec: WorkerSpec, task: Task) -> list[Unit]:
    """Scan one batch in a worker process; never raises for a bad object (each ends scanned, skipped or
    failed)."""
    return scan_task(_worker_for(spec), task, spec.sample_bytes)


def scan_task(worker: Worker, task: Task, sample_bytes: int | None = None) -> list[Unit]:
    connector = _connector_for(task.source, task.options)
    opened: Iterable[tuple[ObjectRef, Opener, Deadline | None]]
    if connector.scheme in PREFETCH_SCHEMES and len(task.refs) > 1:
        opened = _prefetched(connector, task.refs, worker)
    else:
        opened = ((ref, connector, None) for ref in task.refs)
    return [_mark_sample(unit, sample_bytes) for unit in scan_objects(opened, worker)]


def _mark_sample(unit: Unit, sample_bytes: int | None) -> Unit:
    """Record a --sample-bytes cut as what it is: a deliberate sample of the object's first bytes."""
    if not sample_bytes:
        return unit
    return [replace(r, sample={"method": "first_bytes", "bytes": sample_bytes, "size": r.ref.size})
            if r.sample.get("truncated_at") == sample_bytes else r for r in unit]


class _Fetched:
    """A connector stand-in whose open() hands back an object already read by a fetch thread."""

    def __init__(self, stream: IO[bytes] | None, error: BaseException | None, deadline: Deadline | None = None):
        self._stream, self._error = stream, error
        self.deadline = deadline            # the object's budget began when its fetch did

    def open(self, ref: ObjectRef, deadline: Deadline | None = None) -> IO[bytes]:
        if self._error is not None:
            raise self._error
        assert self._stream is not None
        return self._stream


def _fetch(connector: Connector, ref: ObjectRef, limit: int, seconds: float) -> _Fetched:
    if "error" in ref.facts or "skip" in ref.facts:
        return _Fetched(None, None)
    deadline = Deadline.after(seconds)
    try:
        with connector.open(ref, deadline) as raw:
            spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
            for chunk in read_chunks(raw, limit + 1):   # one byte more, so the pipeline sees the object was cut
                spool.write(chunk)
        spool.seek(0)
        return _Fetched(spool, None, deadline)
    except ObjectError as exc:
        return _Fetched(None, exc, deadline)
    except OSError as exc:
        return _Fetched(None, ObjectError(f"read error ({exc.strerror or exc.__class__.__name__})"), deadline)
    except Exception as exc:  # noqa: BLE001 - scan_object turns it into a failed result naming the class
        return _Fetched(None, exc, deadline)


def _prefetched(connector: Connector, refs: tuple[ObjectRef, ...],
                worker: Worker) -> Iterator[tuple[ObjectRef, _Fetched, Deadline | None]]:
    """``refs`` in order, each with its bytes read (or its read's error), while up to FETCH_THREADS later objects
    are being downloaded: (ref, an opener of what was read, the deadline that began with its fetch)."""
    limit, seconds = worker.settings.limits.max_object_bytes, worker.settings.limits.object_seconds
    with cf.ThreadPoolExecutor(FETCH_THREADS, thread_name_prefix="pii-scan-fetch") as pool:
        ahead: deque[tuple[ObjectRef, cf.Future[_Fetched]]] = deque()
        todo = iter(refs)

        def top_up() -> None:
            while len(ahead) <= FETCH_THREADS:
                ref = next(todo, None)
                if ref is None:
                    return
                ahead.append((ref, pool.submit(_fetch, connector, ref, limit, seconds)))

        top_up()
        while ahead:
            ref, fut = ahead.popleft()
            top_up()
            fetched = fut.result()
            yield ref, fetched, fetched.deadline


# -- executors ------------------------------------------------------------------------------------------------
class Executor(Protocol):
    """Runs tasks, yielding each with its results as it completes; at most ``max_in_flight`` at once."""

    batch_objects: int                 # objects per task that suits this executor
    # a listing's last this many tasks are cut smaller (scan.TAIL_BATCH_BYTES), so the workers finish together
    tail_tasks: int = 0

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, list[Unit]]]: ...

    def close(self) -> None: ...

    def abort(self) -> None:
        """Stop at once (an interrupt): what was committed stays. Executors without workers of their own close."""
        self.close()


def failed_units(task: Task, reason: str) -> list[Unit]:
    return [[ObjectResult(ref, Status.FAILED, reason)] for ref in task.refs]


class InlineExecutor(Executor):
    """Scan in this process, one task at a time (``--workers 1``); the Worker is built on first use."""

    batch_objects = 4                   # in this process: small transactions, so a kill loses little

    def __init__(self, spec: WorkerSpec):
        self.spec = spec

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, list[Unit]]]:
        worker: Worker | None = None
        for task in tasks:
            worker = worker or _worker_for(self.spec)
            yield task, scan_task(worker, task, self.spec.sample_bytes)

    def close(self) -> None:
        pass


def _worker_error(fut: Any, exc: BaseException) -> str:
    return f"worker error ({exc.__class__.__name__})"


_BATCH, _ALONE, _RECORD = "batch", "alone", "record"     # a task as sent, one object retried, a failure recorded


def _drive(tasks: Iterable[Task], submit: Callable[[Task], Any], wait_first: Callable[[set[Any]], set[Any]],
           max_in_flight: int, retry_alone: Callable[[BaseException], bool],
           describe: Callable[[Any, BaseException], str] = _worker_error) -> Iterator[tuple[Task, list[Unit]]]:
    """The bounded loop shared by pools: keep up to ``max_in_flight`` futures, yield as they finish.

    A task of several objects that fails as a whole is retried one object at a time, each alone in flight
    (a single object too when ``retry_alone(exc)`` says so: its worker died); only an object that fails on
    its own is recorded as failed. A worker records it, given the reason and nothing to read, so that what its
    name holds is masked (this process has no detector); only if that fails too is it recorded here."""
    source = iter(tasks)
    inflight: dict[Any, tuple[Task, str]] = {}
    isolate: deque[tuple[Task, str]] = deque()
    exhausted = False
    while True:
        if isolate:
            if not inflight:
                task, stage = isolate.popleft()
                inflight[submit(task)] = (task, stage)
        else:
            while not exhausted and len(inflight) < max_in_flight:
                following = next(source, None)
                if following is None:
                    exhausted = True
                    break
                inflight[submit(following)] = (following, _BATCH)
        if not inflight:
            return
        for fut in wait_first(set(inflight)):
            task, stage = inflight.pop(fut)
            try:
                units = fut.result()
            except Exception as exc:  # noqa: BLE001 - a dead worker must not stop the scan
                # NOTE: any failure of a batch of several (not only a dead worker) is retried object by object:
                # one object's failure (a RecursionError pickling its results, say) never fails another's
                if stage == _BATCH and (retry_alone(exc) or len(task.refs) > 1):
                    isolate.extend((replace(task, refs=(ref,)), _ALONE) for ref in task.refs)
                elif stage != _RECORD:
                    reason = describe(fut, exc)
                    isolate.append((replace(task, refs=tuple(replace(r, facts={**r.facts, "error": reason})
                                                             for r in task.refs)), _RECORD))
                else:
                    # NOTE: the container, not the object: its name was not read and may hold personal data
                    log.warning("worker error on %s in %s (%s)", f"{len(task.refs)} object(s)",
                                task.refs[0].container, exc.__class__.__name__)
                    yield task, failed_units(task, str(task.refs[0].facts["error"]))
                continue
            yield task, units


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:                    # NOTE: not on macOS or Windows
        return os.cpu_count() or 1


def available_memory() -> int:
    """Bytes of memory available to new processes (MemAvailable on Linux; free pages elsewhere)."""
    try:
        with open("/proc/meminfo", "rb") as fh:
            for line in fh:
                if line.startswith(b"MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 1 << 40                        # unknown: do not cap by memory


def capped_workers(requested: int | None, force: bool = False) -> int:
    """The number of worker processes to start: ``requested`` (default: the CPU count), at most the CPUs
    and the workers available memory holds, unless ``force``. More processes than CPUs only compete."""
    by_memory = max(1, available_memory() // WORKER_MEMORY)
    cap = min(usable_cpus(), by_memory)
    if requested is None:
        return cap
    if force or requested <= cap:
        return requested
    log.warning("--workers %d capped at %d (%d CPUs, memory for %d workers); --workers-force to insist",
                requested, cap, usable_cpus(), by_memory)
    return cap


WARM_UP_NOTE = ("Dear Jane Smith,\n\nI met Tom Baker in Leeds on 3 March 2021. He has diabetes and a previous "
                "conviction; his son, aged 9, is in Year 4 at school. Call 020 7946 0958 or +44 7700 900123, "
                "e-mail tom.baker@example.org, NHS 943 476 5919.\n")


def _warm_up(worker: Worker) -> None:
    """Scan one made-up note, so what a detector loads on first use (the model's first run, phone metadata,
    compiled patterns) is loaded before the fork: each worker would pay ~0.25 s of CPU for it otherwise."""
    import io

    ref = ObjectRef(uri="memory:///warm-up.txt", container="memory://", key="warm-up.txt")
    scan_stream(io.BytesIO(WARM_UP_NOTE.encode()), ref, worker, depth=0)


def _start_worker(main: int, environ: dict[str, str]) -> None:
    """In a new worker process: the scan's environment as it is now (a forkserver keeps the one it was started
    with, maybe by an earlier scan of this process: data folder, spool folder, credentials), and exit with the
    scan's main process."""
    if dict(os.environ) != environ:
        os.environ.clear()
        os.environ.update(environ)
    tempfile.tempdir = None                  # NOTE: tempfile caches the folder it found first
    _die_with_parent(main)


def _die_with_parent(main: int) -> None:
    """In a worker process: exit when the scan's main process dies, even by SIGKILL (Linux: the kernel sends
    SIGKILL on the parent's death, and a forkserver parent exits with the main process; elsewhere a thread
    watches the main process)."""
    import ctypes
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)     # NOTE: Ctrl-C is the main process's: it stops the workers
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0:          # PR_SET_PDEATHSIG
            if not _alive(main):                                   # died before prctl took effect
                os._exit(1)
            return
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        import time

        while _alive(main):
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="pii-scan-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# A worker process is one core's and runs in one thread: its BLAS (the NER model's matrix products) gets no
# thread pool of its own. Set in the environment the forkserver (or a spawned worker) starts with, so the BLAS
# library reads it when it loads; a value the user set is kept.
# NOTE: not only so BLAS threads do not spin beside the other workers (NerRunner.model holds BLAS to one
# thread while the model runs): OpenBLAS otherwise starts a thread in each worker, and a process with a second
# thread, even an idle one, runs spaCy's NER ~25% slower (2,500 prose-share pieces: 1.13 s of CPU alone,
# 1.49 s beside one sleeping thread; the C runtime and the interpreter take their multi-threaded paths).
SINGLE_THREAD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def single_thread_blas() -> None:
    """SINGLE_THREAD_ENV in this process's environment (a value already set is kept): for the processes it starts,
    and for its own BLAS if it has not loaded yet."""
    for var, value in SINGLE_THREAD_ENV.items():
        os.environ.setdefault(var, value)


def pool_context() -> multiprocessing.context.BaseContext:
    """How worker processes start: from a forkserver where there is one (Linux), which imports the detector
    and builds it once (scanner.worker_start) and forks each worker from itself: no fork of the threaded
    main process, and no worker pays the start-up again. Elsewhere spawned, each building its own. Either way
    with SINGLE_THREAD_ENV."""
    single_thread_blas()
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    from scanner.spool import process_temp_dir

    process_temp_dir()
    ctx = multiprocessing.get_context("forkserver")
    os.environ[MAIN_PID_VAR] = str(os.getpid())         # NOTE: read by scanner.worker_start in the forkserver
    # NOTE: __main__ as with spawn: a script's own patches (tests) are live in the workers
    ctx.set_forkserver_preload(["__main__", "scanner.worker_start"])
    return ctx


class LocalExecutor(Executor):
    """A pool of ``workers`` processes (see pool_context), started on first use."""

    batch_objects = 512                 # at most; a task is cut at scan.BATCH_BYTES first

    def __init__(self, spec: WorkerSpec, workers: int, max_in_flight: int | None = None):
        self.spec = spec
        self.workers = max(1, workers)
        self.max_in_flight = max_in_flight or 2 * self.workers
        self.tail_tasks = self.max_in_flight
        self._pool: cf.ProcessPoolExecutor | None = None
        self._deadlines: dict[cf.Future[list[Unit]], float] = {}
        self._budgets: dict[cf.Future[list[Unit]], float] = {}
        self._overdue: set[cf.Future[list[Unit]]] = set()

    def _budget(self, task: Task) -> float:
        """How long a batch may run before its worker is taken not to come back: every object's budget
        (scan.limits.object_seconds, enforced inside the worker) and as much again for the worker's start."""
        seconds = self.spec.settings.limits.object_seconds
        return seconds * len(task.refs) + max(WATCHDOG_GRACE_MIN, seconds)

    def _submit(self, task: Task) -> cf.Future[list[Unit]]:
        fut = self._submit_now(task)
        self._budgets[fut] = self._budget(task)
        self._deadlines[fut] = time.monotonic() + self._budgets[fut]
        return fut

    def _submit_now(self, task: Task) -> cf.Future[list[Unit]]:
        for _attempt in range(2):
            if self._pool is None:
                self._pool = cf.ProcessPoolExecutor(self.workers, mp_context=pool_context(), initializer=_start_worker,
                                                    initargs=(os.getpid(), dict(os.environ)))
            try:
                return self._pool.submit(run_task, self.spec, task)
            except cf.process.BrokenProcessPool:      # broke before we saw a failed future: start afresh
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
        raise RuntimeError("cannot start worker processes")

    def _retry_alone(self, exc: BaseException) -> bool:
        """A crashed worker breaks the pool: start a new one and retry the batch object by object, so only
        the object that kills a worker ends failed."""
        if isinstance(exc, cf.process.BrokenProcessPool):
            log.warning("a worker process died; retrying its objects one at a time")
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            return True
        return False

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, list[Unit]]]:
        def wait_first(futs: set[cf.Future[list[Unit]]]) -> set[cf.Future[list[Unit]]]:
            now = time.monotonic()
            for fut in futs:           # NOTE: a batch's clock starts when it runs, not while it waits its turn
                if not fut.running() and fut in self._deadlines:
                    self._deadlines[fut] = now + self._budgets[fut]
            done = cf.wait(futs, timeout=WATCHDOG_POLL_S, return_when=cf.FIRST_COMPLETED).done
            if not done:
                self._replace_stuck(futs)
            for fut in done:
                self._deadlines.pop(fut, None)
                self._budgets.pop(fut, None)
            return done

        yield from _drive(tasks, self._submit, wait_first, self.max_in_flight, self._retry_alone, self._describe)

    def _replace_stuck(self, futs: set[cf.Future[list[Unit]]]) -> None:
        """A batch past its budget is stuck where the worker's own timer cannot reach (C code ignoring
        signals): kill the workers; the pool is started afresh and the batch retried object by object."""
        now = time.monotonic()
        stuck = {f for f in futs if self._deadlines.get(f, now + 1) < now}
        if stuck and self._pool is not None:
            log.warning("a worker did not come back within its time budget; replacing the workers")
            self._overdue |= stuck
            for proc in list(getattr(self._pool, "_processes", {}).values()):
                proc.kill()

    def _describe(self, fut: Any, exc: BaseException) -> str:
        if fut in self._overdue:
            return "time limit (the worker did not come back and was replaced)"
        return _worker_error(fut, exc)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def abort(self) -> None:
        """Stop now (Ctrl-C): the workers are killed, their unfinished batches dropped (never committed)."""
        if self._pool is not None:
            for proc in list(getattr(self._pool, "_processes", {}).values()):
                proc.kill()
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def dask_address(executor: str) -> str:
    """``dask://host:port`` (or tcp://, tls://) → the scheduler address dask.distributed expects."""
    if executor.startswith("dask://"):
        return "tcp://" + executor.removeprefix("dask://")
    if executor.startswith(("tcp://", "tls://")):
        return executor
    raise UsageError(f"--executor {executor!r}: expected local or dask://HOST:PORT")


class DaskExecutor(Executor):
    """Batches of objects sent to an existing dask.distributed cluster; same results as local."""

    batch_objects = 512

    def __init__(self, spec: WorkerSpec, address: str, max_in_flight: int | None = None, timeout: float = 30):
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--executor dask:// needs dask.distributed: pip install 'pii-scan[dask]'") from None
        self.address = address
        self.spec = spec
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {address} ({exc.__class__.__name__})") from None
        threads = sum(self.client.nthreads().values()) or 1
        self.max_in_flight = max_in_flight or 2 * threads
        self.tail_tasks = self.max_in_flight
        self._spec_future = None
        self._completed: Any = None

    def _submit(self, task: Task) -> Any:
        if self._spec_future is None:
            self._spec_future = self.client.scatter(self.spec, broadcast=True, hash=False)
        fut = self.client.submit(run_task, self._spec_future, task, pure=False, retries=1)
        self._completed.add(fut)
        return fut

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, list[Unit]]]:
        from distributed import as_completed

        # NOTE: our own client is not the process-wide default one, so completion is tracked on its loop
        self._completed = as_completed(loop=self.client.loop)

        def wait_first(futs: set[Any]) -> set[Any]:
            return {next(self._completed)}

        # NOTE: Dask already retries a task whose worker died (retries=1, then KilledWorker)
        yield from _drive(tasks, self._submit, wait_first, self.max_in_flight, lambda exc: False)

    def close(self) -> None:
        self.client.close()


def make_executor(executor: str, spec: WorkerSpec, workers: int | None) -> Executor:
    """``local`` (a process pool of ``workers``, default CPU count; 1 runs in this process) or dask://."""
    if executor == "local":
        workers = workers or capped_workers(None)
        return InlineExecutor(spec) if workers == 1 else LocalExecutor(spec, workers)
    return DaskExecutor(spec, dask_address(executor))
