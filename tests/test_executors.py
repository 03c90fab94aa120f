"""Executors, incremental scans, sampling and progress.

A stub detector (e-mail addresses by regex) keeps the pure-logic tests fast; one test runs the real
detector in a real process pool and checks it gives the same report as scanning in this process.
"""
from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from detectors.engine import ColumnResult, Detection
from detectors.segments import SegmentAnalyser
from scanner.config import ScanSettings, build_settings
from scanner.connectors.base import ConnectorOptions
from scanner.batch import scan_objects
from scanner.errors import ObjectError, UsageError
from scanner.executors import InlineExecutor, LocalExecutor, Task, WorkerSpec, _prefetched, dask_address, make_executor
from scanner.model import ObjectRef, Status
from scanner.object_names import shown_uri
from scanner.pipeline import Worker
from scanner.privacy import Hasher
from scanner.progress import NoProgress, PlainProgress, make_progress
from scanner.reports.json_report import build_document
from scanner.scan import Sampling, ScanJob, run_scan
from scanner.store import Store

SECRET = b"0123456789abcdef" * 4
EMAIL = re.compile(r"[\w.]+@[\w.]+\.\w+")


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("PII_SCAN_HOME", str(tmp_path / "home"))


class StubDetector(SegmentAnalyser):
    """E-mail addresses by regex; ``CRASH`` in a text kills the process (a worker dying mid-object)."""

    def analyze(self, text: str, *, ner: bool = True, context: str | None = None) -> list[Detection]:
        if "CRASH" in text:
            os._exit(13)
        return [Detection("EMAIL_ADDRESS", m.start(), m.end(), 1.0, m.group()) for m in EMAIL.finditer(text)]

    def classify_column(self, name: str, values) -> ColumnResult:
        return ColumnResult(None, 0.0, 0, len(values))


@dataclass(frozen=True)
class StubSpec(WorkerSpec):
    """A picklable WorkerSpec whose Worker uses the stub detector."""

    secret: bytes = field(default=SECRET, repr=False)

    def key(self) -> str:
        return "stub " + repr((self.settings, self.sample_bytes))

    def build(self) -> Worker:
        return Worker(self.limited(self.settings), StubDetector(), Hasher(self.secret))


def stub_worker(settings: ScanSettings | None = None) -> Worker:
    return Worker(settings or ScanSettings(), StubDetector(), Hasher(SECRET))


def make_share(root: Path, n: int = 12) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"letter{i:02d}.txt").write_text(f"Dear client {i},\nwrite to person{i}@example.org today.\n" * 3)
    (root / "empty.txt").write_text("")
    return root


def report(outcome) -> dict:
    doc = build_document(outcome)
    doc.pop("run")
    return doc


def test_pool_with_real_detector_gives_the_same_report_as_this_process(tmp_path):
    share = make_share(tmp_path / "share", 6)
    (share / "case.txt").write_text("Case notes: John Smith (NHS 943 476 5919) phoned from 07700 900123.\n")
    settings = build_settings()
    spec = WorkerSpec(settings, SECRET)
    inline = run_scan(ScanJob((str(share),), spec, workers=1))
    pooled = run_scan(ScanJob((str(share),), spec, workers=2), store=Store(tmp_path / "s.db"))
    assert report(pooled) == report(inline)
    assert report(inline)["summary"]["with_personal_data"] >= 7


def test_local_pool_keeps_in_flight_work_bounded(tmp_path):
    share = make_share(tmp_path / "share", 12)
    refs = [ObjectRef(uri=p.as_uri(), container="c", key=p.name, facts={"path": str(p)})
            for p in sorted(share.iterdir())]
    pulled, done = [0], [0]
    peak = [0]

    def tasks():
        for ref in refs:
            pulled[0] += 1
            peak[0] = max(peak[0], pulled[0] - done[0])
            yield Task(str(share), ConnectorOptions(), (ref,))

    ex = LocalExecutor(StubSpec(ScanSettings()), workers=2, max_in_flight=3)
    try:
        results = []
        for _task, units in ex.run(tasks()):
            done[0] += 1
            results.extend(units)
    finally:
        ex.close()
    assert len(results) == len(refs) and peak[0] <= 3


def test_a_worker_that_dies_fails_only_its_object(tmp_path):
    share = make_share(tmp_path / "share", 5)
    (share / "letter02.txt").write_text("CRASH\n")
    outcome = run_scan(ScanJob((str(share),), StubSpec(ScanSettings()), workers=2))
    by_name = {r.ref.key: r for r in outcome.results}
    assert by_name["letter02.txt"].status is Status.FAILED
    assert "BrokenProcessPool" in by_name["letter02.txt"].reason
    assert all(r.status is not Status.FAILED for k, r in by_name.items() if k != "letter02.txt")
    assert len(by_name) == 6


def test_an_object_that_kills_its_worker_is_recorded_by_a_worker_so_its_name_is_masked(tmp_path, caplog):
    share = make_share(tmp_path / "share", 3)
    (share / "dora.lind@example.org.txt").write_text("CRASH\n")
    # reading this one's name kills the worker too: it is recorded here, failed, with its reason
    (share / "CRASH ed@example.org.txt").write_text("hello\n")
    with caplog.at_level(logging.DEBUG, logger="pii_scan"):
        outcome = run_scan(ScanJob((str(share),), StubSpec(ScanSettings()), workers=2))
    by_name = {r.ref.key: r for r in outcome.results}
    dora = by_name["d***@e***.org.txt"]              # (results are read back from the store: names masked)
    assert dora.status is Status.FAILED and "BrokenProcessPool" in dora.reason
    assert shown_uri(dora.ref).endswith("/d***@e***.org.txt")
    ed = by_name["CRASH ed@example.org.txt"]
    assert ed.status is Status.FAILED and "BrokenProcessPool" in ed.reason
    assert sum(r.status is Status.SCANNED for r in by_name.values()) == 3 and len(by_name) == 6
    assert "dora" not in caplog.text and "CRASH ed" not in caplog.text


def test_objects_left_out_of_the_sample_are_recorded_by_a_worker_and_never_re_used(tmp_path):
    share = make_share(tmp_path / "share", 6)
    (share / "dora.lind@example.org.txt").write_text("hello\n")
    store = Store(tmp_path / "s.db")
    sampled = run_scan(ScanJob((str(share),), WorkerSpec.of(stub_worker()), sampling=Sampling(objects_pct=0.001)),
                       store=store)
    left_out = [r for r in sampled.results if r.sample.get("method") == "objects"]
    assert len(left_out) >= 6 and all(r.status is Status.SKIPPED for r in left_out)
    (dora,) = [r for r in sampled.results if r.ref.key == "d***@e***.org.txt"]
    assert shown_uri(dora.ref).endswith("/d***@e***.org.txt")
    assert "dora" not in json.dumps(build_document(sampled))
    full = run_scan(ScanJob((str(share),), WorkerSpec.of(stub_worker())), store=store)
    assert all(r.status is Status.SCANNED for r in full.results if r.ref.key != "empty.txt")


def test_unchanged_objects_are_not_read_again_and_changed_ones_are(tmp_path):
    share = make_share(tmp_path / "share", 4)
    store = Store(tmp_path / "s.db")
    first = run_scan(ScanJob((str(share),), WorkerSpec.of(stub_worker())), store=store)
    (share / "letter01.txt").write_text("now new@example.com\n")
    os.utime(share / "letter01.txt", ns=(1, 1))
    second = run_scan(ScanJob((str(share),), WorkerSpec.of(stub_worker())), store=store)
    read_by = dict(store.db.execute("SELECT uri, run_id FROM results WHERE uri LIKE '%letter%'").fetchall())
    assert read_by[(share / "letter01.txt").as_uri()] == second.run.id
    assert read_by[(share / "letter00.txt").as_uri()] == first.run.id
    assert store.db.execute("SELECT count(*) FROM results").fetchone()[0] == len(first.results) + 1
    changed = next(o for o in report(second)["objects"] if o["uri"].endswith("letter01.txt"))
    assert changed["entities"] == {"EMAIL_ADDRESS": 1}
    full = run_scan(ScanJob((str(share),), WorkerSpec.of(stub_worker()), full=True), store=store)
    assert {r[0] for r in store.db.execute("SELECT run_id FROM results WHERE uri LIKE '%letter03%'")} == {
        first.run.id, full.run.id}
    assert report(full) == report(second)
    assert [r.status for r in store.runs()] == ["complete"] * 3


def test_sample_bytes_reads_only_the_head_and_says_so(tmp_path):
    share = make_share(tmp_path / "share", 2)
    outcome = run_scan(ScanJob((str(share),), WorkerSpec.of(stub_worker()), sampling=Sampling(bytes=20)))
    letter = next(r for r in outcome.results if r.ref.key == "letter00.txt")
    assert letter.sample == {"method": "first_bytes", "bytes": 20, "size": letter.ref.size}
    assert letter.bytes_read == 20 and letter.holding.entities == {}      # the address is beyond byte 20
    assert report(outcome)["summary"]["coverage"]["sampled"] == 2


def test_sample_objects_is_deterministic_and_counted(tmp_path):
    share = make_share(tmp_path / "share", 40)
    sampling = Sampling(objects_pct=25)
    a = run_scan(ScanJob((str(share),), WorkerSpec.of(stub_worker()), sampling=sampling))
    b = run_scan(ScanJob((str(share),), WorkerSpec.of(stub_worker()), sampling=sampling),
                 store=Store(tmp_path / "s.db"))
    chosen = [r.ref.key for r in a.results if r.status is Status.SCANNED]
    assert chosen == [r.ref.key for r in b.results if r.status is Status.SCANNED]
    assert 3 <= len(chosen) <= 20
    left_out = [r for r in a.results if r.reason == "not in the 25% object sample"]
    empty = [r for r in a.results if r.reason == "empty"]
    assert len(a.results) == 41 and len(left_out) + len(chosen) + len(empty) == 41
    assert all(r.sample == {"method": "objects", "percent": 25} for r in left_out)
    with pytest.raises(UsageError):
        Sampling(objects_pct=0)


class FakeRemote:
    """A remote connector stand-in (pure logic: fetch order, errors and the read limit)."""

    scheme = "s3"

    def open(self, ref: ObjectRef, deadline=None):
        if ref.key == "denied":
            raise ObjectError("access denied")
        return io.BytesIO(f"{ref.key}: mail {ref.key}@example.org\n".encode() * 50)


def test_prefetch_keeps_order_errors_and_limits():
    refs = tuple(ObjectRef(uri=f"s3://b/{k}", container="s3://b", key=k) for k in ["a", "denied", "c", "d", "e", "f"])
    settings = build_settings()
    worker = stub_worker(settings)
    units = list(scan_objects(_prefetched(FakeRemote(), refs, worker), worker))
    assert [u[0].ref.key for u in units] == ["a", "denied", "c", "d", "e", "f"]
    assert units[1][0].status is Status.FAILED and units[1][0].reason == "access denied"
    assert units[0][0].holding.entities == {"EMAIL_ADDRESS": 50}
    small = stub_worker(ScanSettings(limits=settings.limits.__class__(max_object_bytes=100)))
    units = list(scan_objects(_prefetched(FakeRemote(), refs[:2], small), small))
    cut = units[0][0]
    assert cut.sample == {"truncated_at": 100} and cut.bytes_read == 100


def test_executor_choice():
    spec = StubSpec(ScanSettings())
    assert isinstance(make_executor("local", spec, 1), InlineExecutor)
    assert isinstance(make_executor("local", spec, 3), LocalExecutor)
    assert dask_address("dask://127.0.0.1:8786") == "tcp://127.0.0.1:8786"
    with pytest.raises(UsageError, match="dask://HOST:PORT"):
        dask_address("ray://x")


def test_progress_modes():
    assert isinstance(make_progress(True), NoProgress)
    out = io.StringIO()
    progress = make_progress(False, out, every=0)
    assert isinstance(progress, PlainProgress)
    progress.found(3, 3000)
    progress.done(2, 2000)
    progress.done(1, 1000, reused=True)
    progress.close()
    lines = out.getvalue().splitlines()
    assert lines[-1].startswith("pii-scan: 3/3 objects, 2.9 KB/2.9 KB") and "1 unchanged" in lines[-1]


def test_cli_scan_options(tmp_path):
    from click.testing import CliRunner

    from scanner.cli import main

    share = make_share(tmp_path / "share", 2)
    state = tmp_path / "state.db"
    runner = CliRunner()
    args = ["scan", str(share), "--format", "json", "--workers", "1", "--state", str(state), "-q"]
    first = runner.invoke(main, args + ["--sample-bytes", "30"])
    assert first.exit_code == 0, first.output
    doc = json.loads(first.output)
    assert doc["summary"]["coverage"]["sampled"] == 2
    assert state.exists() and len(Store(state).runs()) == 1
    bad = runner.invoke(main, ["scan", str(share), "--executor", "ray://x", "--state", str(state)])
    assert bad.exit_code == 2 and "dask://HOST:PORT" in bad.output


def test_the_scan_main_process_does_not_load_the_models():
    """Only worker processes need Presidio and spaCy: the main process lists, stores and reports, and stays
    small (about 90 MB less) and quick to start."""
    code = ("import sys, scanner.cli, scanner.scan, scanner.judge, scanner.baseline, scanner.reports.json_report\n"
            "print(sorted(m for m in ('spacy', 'presidio_analyzer', 'detectors.engine', 'thinc') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_new_detection_rules_read_unchanged_objects_again(tmp_path, monkeypatch):
    """Results stored under older rules are not re-used: after an upgrade that changes what is found, an
    incremental scan reads every object again (then re-uses them as usual)."""
    import scanner.scan as scan_module

    share = make_share(tmp_path / "share", 3)
    store = Store(tmp_path / "s.db")
    first = run_scan(ScanJob((str(share),), WorkerSpec.of(stub_worker())), store=store)
    monkeypatch.setattr(scan_module, "RULES_VERSION", scan_module.RULES_VERSION + 1)
    second = run_scan(ScanJob((str(share),), WorkerSpec.of(stub_worker())), store=store)
    third = run_scan(ScanJob((str(share),), WorkerSpec.of(stub_worker())), store=store)
    runs = [r[0] for r in store.db.execute("SELECT run_id FROM results WHERE uri LIKE '%letter01%' ORDER BY id")]
    assert runs == [first.run.id, second.run.id] and third.run.id not in runs


def test_a_prebuilt_worker_is_used_in_process_and_never_shipped():
    import pickle

    built = stub_worker()
    spec = WorkerSpec.of(built, sample_bytes=100)
    worker = spec.build()
    assert worker.detector is built.detector                          # the Worker given, not a new one
    assert worker.settings.limits.max_object_bytes == 100              # --sample-bytes applied once, here
    shipped = pickle.loads(pickle.dumps(spec))
    assert shipped.prebuilt is None and shipped == spec                # a process builds its own


def test_tasks_are_cut_by_bytes_small_objects_share_one_and_large_ones_go_alone(tmp_path, monkeypatch):
    import scanner.scan as scan_mod
    from scanner.executors import run_task

    share = tmp_path / "share"
    share.mkdir()
    for i in range(600):
        (share / f"note{i:03d}.txt").write_text(f"Write to person{i}@example.org. " + "word " * 60 + "\n")
    for name in ("big1.txt", "big2.txt"):
        (share / name).write_text("Write to big@example.org.\n" + "yes no " * (scan_mod.BATCH_BYTES // 7 + 10) + "\n")
    sizes = {p.as_uri(): p.stat().st_size for p in share.iterdir()}
    tasks: list[tuple[int, int]] = []

    class Recording(InlineExecutor):
        batch_objects = LocalExecutor.batch_objects          # the pool's batching, run in this process

        def run(self, todo):
            for task in todo:
                tasks.append((len(task.refs), sum(sizes[r.uri] for r in task.refs)))
                yield task, run_task(self.spec, task)

    monkeypatch.setattr(scan_mod, "make_executor", lambda executor, spec, workers: Recording(spec))
    outcome = run_scan(ScanJob((str(share),), StubSpec(ScanSettings()), workers=2))
    assert len(outcome.results) == 602 and all(r.status is Status.SCANNED for r in outcome.results)
    assert sum(n for n, _ in tasks) == 602
    assert len(tasks) <= 5                                   # 600 × ~330 B: one task, two alone, and a rest or so
    big = [(n, b) for n, b in tasks if b > scan_mod.BATCH_BYTES]
    assert len(big) >= 2 and all(n <= 2 for n, _ in big)     # a large object ends its task at once
    assert max(n for n, _ in tasks) >= 300


def test_a_listings_last_tasks_are_cut_smaller_so_the_workers_finish_together(tmp_path, monkeypatch):
    """A pool's executor (tail_tasks) gets full-size tasks while the listing goes on, then the objects of the
    listing's last tail_tasks tasks again in tasks of TAIL_BATCH_BYTES; one in this process (tail_tasks 0)
    keeps its last task whole. Every object is in exactly one task, in listing order."""
    import scanner.scan as scan_mod
    from scanner.executors import run_task

    share = tmp_path / "share"
    share.mkdir()
    for i in range(100):
        (share / f"note{i:03d}.txt").write_text(f"Write to person{i}@example.org. " + "word " * 4000 + "\n")
    sizes = {p.as_uri(): p.stat().st_size for p in share.iterdir()}

    def tasks_with(tail: int) -> list[list[str]]:
        seen: list[list[str]] = []

        class Recording(InlineExecutor):
            batch_objects = LocalExecutor.batch_objects
            tail_tasks = tail

            def run(self, todo):
                for task in todo:
                    seen.append([r.uri for r in task.refs])
                    yield task, run_task(self.spec, task)

        monkeypatch.setattr(scan_mod, "make_executor", lambda executor, spec, workers: Recording(spec))
        outcome = run_scan(ScanJob((str(share),), StubSpec(ScanSettings()), workers=2))
        assert len(outcome.results) == 100 and all(r.status is Status.SCANNED for r in outcome.results)
        assert [u for t in seen for u in t] == sorted(sizes)           # each object once, in listing order
        return seen

    def size(task: list[str]) -> int:
        return sum(sizes[u] for u in task)

    pooled = tasks_with(4)
    full = [t for t in pooled if size(t) >= scan_mod.BATCH_BYTES]
    assert full and pooled[:len(full)] == full                       # full-size tasks first ...
    tail = pooled[len(full):]
    # ... then the last four (three full and the rest) cut small
    assert sum(map(size, tail)) >= 3 * scan_mod.BATCH_BYTES and len(tail) >= 3 * scan_mod.BATCH_BYTES // 100_000
    assert all(size(t) < scan_mod.TAIL_BATCH_BYTES + 25_000 for t in tail)
    inline = tasks_with(0)
    assert all(size(t) >= scan_mod.BATCH_BYTES for t in inline[:-1]) and len(inline) == len(full) + 4


def _threads_after_matrix_products() -> tuple[str | None, int]:
    """In a worker: its BLAS thread setting, and how many threads the process has once BLAS has run."""
    import numpy

    a = numpy.ones((400, 400), dtype="float32")
    for _ in range(5):
        a = a @ a / 400
    status = Path("/proc/self/status").read_text()
    return os.environ.get("OPENBLAS_NUM_THREADS"), int(re.search(r"Threads:\s+(\d+)", status).group(1))


def test_a_worker_process_runs_in_one_thread_even_after_blas(monkeypatch):
    """Workers start with BLAS held to one thread (SINGLE_THREAD_ENV), so its library starts no thread pool in
    them: a second thread in a process makes spaCy's NER ~25% slower. A value the user set is kept."""
    import concurrent.futures as cf

    from scanner.executors import SINGLE_THREAD_ENV, pool_context

    for var in SINGLE_THREAD_ENV:
        monkeypatch.delenv(var, raising=False)
    with cf.ProcessPoolExecutor(1, mp_context=pool_context()) as pool:
        assert pool.submit(_threads_after_matrix_products).result(timeout=120) == ("1", 1)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    pool_context()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "2"


def test_workers_use_the_detector_built_before_the_fork(monkeypatch):
    """The forkserver builds the default settings' detector once (prebuild_detector); a worker forked from it
    uses that one, and builds its own only for other detection settings."""
    import gc

    import detectors.engine
    from scanner import executors

    built = []

    class Counting:
        def __init__(self, settings):
            built.append(settings)

    monkeypatch.setattr(detectors.engine, "Detector", Counting)
    monkeypatch.setattr(executors, "_PREBUILT", {})
    monkeypatch.setattr(gc, "freeze", lambda: None)
    monkeypatch.setattr(executors, "_die_with_parent", lambda main: None)
    executors.prebuild_detector()
    assert len(built) == 1
    first = executors.build_worker(ScanSettings(), SECRET)
    assert executors.build_worker(ScanSettings(), SECRET).detector is first.detector and len(built) == 1
    from scanner.config import DetectionSettings

    other = replace(ScanSettings(), detection=DetectionSettings(thresholds={"PERSON": 0.9}))
    assert executors.build_worker(other, SECRET).detector is not first.detector and len(built) == 2
