"""NER batched across a task's small objects (scanner.batch): the same results as scanning each object alone,
one model call for many objects, and nothing one object does ahead of its scan can fail another."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from scanner import batch
from scanner.batch import scan_objects
from scanner.connectors import open_source
from scanner.connectors.base import ConnectorOptions
from scanner.errors import ObjectError
from scanner.executors import Task, _prefetched, scan_task
from scanner.model import ObjectRef, Status
from scanner.pipeline import scan_object

FIRST = ["Grace", "Tom", "Amelia", "Priya", "Daniel", "Ruth", "Kwame", "Lena", "Oscar", "Hannah", "Idris", "Maya"]
LAST = ["Okafor", "Baker", "Thornton", "Patel", "Hughes", "Lindqvist", "Mensah", "Farrow", "Whitlock", "Adeyemi"]
PLACES = ["Leeds", "Truro", "Lisbon", "Dundee", "Bristol", "Nairobi"]


def tweet(i: int) -> str:
    """A short post naming someone and a place: one object each, all different (no piece cached from another)."""
    first, last, place = FIRST[i % len(FIRST)], LAST[i % len(LAST)], PLACES[i % len(PLACES)]
    return f"lovely afternoon with {first} {last} walking round {place} again, post number {i} today\n"


def long_note() -> str:
    """~6 KB of prose naming three people in its first 1,000 chars: NER's budget stops after the first piece."""
    head = ("Case note. Spoke with Grace Okafor and her brother Tom Okafor at the office; "
            "Amelia Thornton from the housing team joined by phone.\n")
    filler = "The tenant asked again about the repairs to the kitchen and the damp in the back bedroom.\n"
    later = "Later that week Priya Patel from Dundee called about the same flat.\n"
    return head + filler * 30 + later + filler * 30


@pytest.fixture
def share(tmp_path: Path) -> Path:
    root = tmp_path / "share"
    root.mkdir()
    for i in range(12):
        (root / f"t{i:02d}.txt").write_text(tweet(i))
    (root / "people.json").write_text(json.dumps({"owner": {"name": "Hannah Farrow", "town": "Truro"},
                                                  "notes": ["called Idris Mensah about Lisbon"]}))
    (root / "broken.json").write_text('{"name": "Lena Whitlock", "note": ')       # fails to extract
    (root / "long.txt").write_text(long_note())                                    # over NER's budget
    (root / "big.txt").write_text(tweet(99) * 400)          # not small: scanned alone, between the batches
    (root / "empty.txt").write_text("")
    (root / "gone.txt").write_text(tweet(42))               # deleted after listing
    return root


def refs_of(root: Path) -> tuple[ObjectRef, ...]:
    connector = open_source(str(root), ConnectorOptions())
    return tuple(sorted((r for c in connector.containers() for r in connector.objects(c)), key=lambda r: r.key))


def unbatched(root: Path, refs, worker) -> list:
    connector = open_source(str(root), ConnectorOptions())
    return [scan_object(connector, ref, worker) for ref in refs]


def batched(root: Path, refs, worker) -> list:
    return scan_task(worker, Task(str(root), ConnectorOptions(), refs))


def test_batched_results_are_the_same_as_one_object_at_a_time(share, worker, monkeypatch):
    refs = refs_of(share)
    (share / "gone.txt").unlink()
    monkeypatch.setattr(batch, "BATCH_OBJECTS", 6)                  # several batches, and one cut by big.txt
    worker.detector._ner._cache.clear()
    alone = unbatched(share, refs, worker)
    worker.detector._ner._cache.clear()
    together = batched(share, refs, worker)
    assert [u[0].ref.key for u in together] == [r.key for r in refs]
    by_key = {u[0].ref.key: u[0] for u in together}
    assert by_key["broken.json"].status is Status.FAILED and by_key["gone.txt"].status is Status.FAILED
    assert by_key["long.txt"].sample.get("cuts", {}).get("ner_person_established")       # the budget stopped NER
    assert by_key["people.json"].holding.entities.get("PERSON")
    assert sum(1 for u in together if u[0].holding and u[0].holding.entities.get("PERSON")) >= 12
    assert together == alone


class CountingModel:
    """NerRunner.model, counting its calls and the pieces of each."""

    def __init__(self, model):
        self.model, self.calls = model, []

    def __call__(self, pieces):
        self.calls.append(len(pieces))
        return self.model(pieces)


def counted_model_calls(root: Path, worker, monkeypatch) -> tuple[list, list[int], list, list[int]]:
    """The objects under ``root`` scanned one by one, then as a worker's task: (results, pieces per model call)
    of each, the NER piece cache emptied before each."""
    refs = refs_of(root)
    runner = worker.detector._ner
    counting = CountingModel(runner.model)
    monkeypatch.setattr(runner, "model", counting)
    runner._cache.clear()
    alone = unbatched(root, refs, worker)
    alone_calls = list(counting.calls)
    counting.calls.clear()
    runner._cache.clear()
    together = batched(root, refs, worker)
    return alone, alone_calls, together, list(counting.calls)


def test_one_model_call_for_a_task_of_small_objects(tmp_path, worker, monkeypatch):
    root = tmp_path / "tweets"
    root.mkdir()
    for i in range(20):
        (root / f"t{i:02d}.txt").write_text(tweet(i + 100))
    alone, alone_calls, together, together_calls = counted_model_calls(root, worker, monkeypatch)
    assert len(alone_calls) == 20                          # one model call per object, one at a time
    assert together_calls == [sum(alone_calls)]            # the same pieces, in one call
    assert together == alone


def quiet_note(i: int) -> str:
    """~6 KB naming one person near its start and no one after: its scan reads every piece NER's budget allows
    (1,000, 2,000, then 4,000 chars), each after the last found too few PERSON to stop."""
    lines = "".join(f"the tenant wrote on day {i}.{k} from {PLACES[k % len(PLACES)]} about the damp upstairs\n"
                    for k in range(80))       # a place on every line (NER is run there), never a person
    return f"Note {i}. Spoke with {FIRST[i]} {LAST[i]} at the office about the flat.\n" + lines


def test_later_pieces_are_batched_round_by_round(tmp_path, worker, monkeypatch):
    """An object's later pieces (read while its scan has not found PERSON enough) go through the model with
    the other objects' pieces of the same round: one call per round, not one per object and piece; the same
    results and the same texts through NER as scanning each object alone."""
    root = tmp_path / "notes"
    root.mkdir()
    for i in range(6):
        (root / f"n{i}.txt").write_text(quiet_note(i))
    alone, alone_calls, together, together_calls = counted_model_calls(root, worker, monkeypatch)
    assert len(alone_calls) >= 6 * 3                      # each object: its first piece and two later ones
    assert together == alone
    assert len(together_calls) == 3 and sum(together_calls) == sum(alone_calls)


def test_a_failure_ahead_of_the_scans_changes_nothing(share, worker, monkeypatch):
    refs = refs_of(share)
    alone = unbatched(share, refs, worker)

    def broken(texts):
        raise RuntimeError("model down")

    monkeypatch.setattr(worker.detector, "prime", broken)
    assert batched(share, refs, worker) == alone


def test_an_object_that_grew_after_listing_is_scanned_whole(tmp_path, worker):
    root = tmp_path / "grew"
    root.mkdir()
    for i in range(3):
        (root / f"t{i}.txt").write_text(tweet(i))
    refs = refs_of(root)
    (root / "t1.txt").write_text(tweet(1) * 400)           # now over SMALL_OBJECT_BYTES: not held, read whole
    together = batched(root, refs, worker)
    assert together == unbatched(root, refs, worker)
    assert together[1][0].bytes_read == len(tweet(1)) * 400


class Remote:
    """A remote connector stand-in (its objects are prefetched by fetch threads): tweets, one denied."""

    scheme = "s3"

    def open(self, ref: ObjectRef, deadline=None):
        if ref.key == "denied":
            raise ObjectError("access denied")
        return io.BytesIO(tweet(int(ref.key)).encode())


def test_prefetched_objects_are_batched_too(worker, monkeypatch):
    keys = [str(i + 200) for i in range(8)] + ["denied"]
    refs = tuple(ObjectRef(uri=f"s3://b/{k}", container="s3://b", key=k,
                           size=len(tweet(int(k))) if k.isdigit() else 10) for k in keys)
    runner = worker.detector._ner
    counting = CountingModel(runner.model)
    monkeypatch.setattr(runner, "model", counting)
    runner._cache.clear()
    alone = [scan_object(Remote(), ref, worker) for ref in refs]
    runner._cache.clear()
    counting.calls.clear()
    together = list(scan_objects(_prefetched(Remote(), refs, worker), worker))
    assert len(counting.calls) == 1
    assert together == alone and together[-1][0].reason == "access denied"


class ProtocolOnly:
    """A detector written against detectors.protocol.Detector alone (analyse and min_counts): no batching hooks."""

    def __init__(self, inner):
        self.inner, self.segments = inner, 0

    @property
    def min_counts(self):
        return self.inner.min_counts

    def analyse(self, segment, budget):
        self.segments += 1
        return self.inner.analyse(segment, budget)


def test_a_detector_without_batching_hooks_scans_each_object_alone(share, worker):
    """The batching hooks are an optional Protocol (BatchingDetector): a detector with only the Detector Protocol's
    methods plugs into a worker, and each object is scanned as it would be with the batching detector."""
    from dataclasses import replace

    from detectors.protocol import BatchingDetector, Detector

    refs = refs_of(share)
    (share / "gone.txt").unlink()
    plain = ProtocolOnly(worker.detector)
    assert isinstance(plain, Detector) and not isinstance(plain, BatchingDetector)
    assert isinstance(worker.detector, BatchingDetector)
    worker.detector._ner._cache.clear()
    expected = batched(share, refs, worker)
    worker.detector._ner._cache.clear()
    got = batched(share, refs, replace(worker, detector=plain))
    assert got == expected and plain.segments > 12


def test_priming_reads_only_what_each_objects_own_scan_gives_ner(tmp_path, worker, monkeypatch):
    """Priming runs NER on no text an object's own scan would not: a long note whose first piece establishes PERSON
    is primed with that piece only (the rest was NER'd ahead for nothing before), and the batch costs no more
    model text than scanning each object alone."""
    root = tmp_path / "notes"
    root.mkdir()
    (root / "long.txt").write_text(long_note())
    for i in range(5):
        (root / f"t{i}.txt").write_text(tweet(i + 200))
    refs = refs_of(root)
    detector = worker.detector
    read: list[str] = []
    rules_and_spans = detector._rules_and_spans

    def recording(texts, ner):
        if ner:
            read.extend(texts)
        return rules_and_spans(texts, ner)

    monkeypatch.setattr(detector, "_rules_and_spans", recording)
    detector._ner._cache.clear()
    alone = unbatched(root, refs, worker)
    alone_read = list(read)
    read.clear()
    detector._ner._cache.clear()
    together = batched(root, refs, worker)
    assert together == alone
    assert sorted(read) == sorted(alone_read)             # the same texts through NER, none extra
    assert sum(len(t) for t in read) < len(long_note())   # the long note's later pieces never read
