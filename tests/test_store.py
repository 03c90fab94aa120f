"""The SQLite store: schema, file mode, round-trips, unchanged-object look-up, resume and history."""
from __future__ import annotations

import math

import os
import sqlite3
import stat
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, UTC

import pytest

from scanner.errors import UsageError
from scanner.model import (Container, Evidence, Finding, Holding, ObjectRef, ObjectResult, RunInfo, ScanOutcome,
                           Severity, SourceFailure, Status, Violation, holding_digest)
from scanner.store import SCHEMA_VERSION, Store

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
CONTAINER = Container(uri="file:///share", provider="file", location="host1", location_type="on-prem",
                      countries=("GB",), public=None, encrypted=None, facts={"host": "host1"})


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("PII_SCAN_HOME", str(tmp_path / "home"))


def ref(name: str, etag: str = "e1", size: int = 10) -> ObjectRef:
    return ObjectRef(uri=f"file:///share/{name}", container=CONTAINER.uri, key=name, size=size, modified=T0,
                     etag=etag, facts={"owner": "alice", "world_readable": True})


def scanned(name: str, etag: str = "e1") -> ObjectResult:
    finding = Finding(entity="EMAIL_ADDRESS", score=0.95, where={"line": 3}, masked="j***@e***.org", hash="h" * 32)
    holding = Holding(entities={"EMAIL_ADDRESS": 2, "PERSON": 1}, special_categories=("health",), children=True,
                      subjects_estimate=2, evidence=(Evidence("health", "d*** of a***", {"line": 4}),))
    return ObjectResult(ref(name, etag), Status.SCANNED, holding=holding, findings=(finding,), content_hash="c" * 32,
                        sniffed_type="text", index=(("EMAIL_ADDRESS", "h" * 32), ("PERSON", "p" * 32)), bytes_read=10)


def new_run(store: Store, run_id: str = "run1", key: str = "k") -> RunInfo:
    run, resumed = store.begin_run(RunInfo(id=run_id, jurisdiction="uk", sources=("/share",), started=T0), "fp", key)
    assert not resumed
    return run


def test_new_store_is_private_wal_and_versioned(tmp_path):
    path = tmp_path / "dir" / "state.db"
    with Store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_default_path_is_under_the_data_directory(tmp_path):
    with Store() as store:
        assert store.path == tmp_path / "home" / "state.db"


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "state.db"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    db.commit()
    db.close()
    with pytest.raises(UsageError, match="newer pii-scan"):
        Store(path)


def test_outcome_round_trips_and_is_sorted_by_uri(tmp_path):
    with Store(tmp_path / "s.db") as store:
        run = new_run(store)
        store.save_containers(run.id, [CONTAINER])
        member = ObjectResult(ObjectRef(uri="file:///share/a.zip!/x.txt", container=CONTAINER.uri, key="a.zip!/x.txt",
                                        size=3, modified=T0, etag="e1", facts={"parent": "file:///share/a.zip"}),
                              Status.SKIPPED, "empty")
        zipped = ObjectResult(ref("a.zip"), Status.SCANNED, sniffed_type="zip", sample={"truncated_at": 5})
        store.add_units(run.id, "fp", [[scanned("b.txt")], [zipped, member]])
        violation = Violation(rule="security.world_readable", principle="security", severity=Severity.HIGH,
                              target="file:///share/b.txt", message="m", advice="a", evidence={"n": 1})
        outcome = store.load_outcome(run.id)
        store.finish_run(ScanOutcome(run=RunInfo(**{**outcome.run.__dict__, "finished": T0}),
                                     containers=(CONTAINER,), results=outcome.results, violations=(violation,),
                                     source_failures=(SourceFailure("s3://gone", "no such bucket"),),
                                     warnings=("w",)))
        loaded = store.load_outcome(run.id, with_index=True)
        light = store.load_outcome(run.id)
    assert [r.ref.uri for r in loaded.results] == ["file:///share/a.zip", "file:///share/a.zip!/x.txt",
                                                   "file:///share/b.txt"]
    assert loaded.results[2] == scanned("b.txt")
    # by default the (large) subject index stays in the store; the holding digest reports need comes along
    assert light.results[2].index == () and light.results[2].digest == holding_digest(scanned("b.txt"))
    assert holding_digest(light.results[2]) == holding_digest(loaded.results[2]) is not None
    assert loaded.results[0] == zipped and loaded.results[1] == member
    assert loaded.containers == (CONTAINER,)
    assert loaded.violations == (violation,)
    assert loaded.source_failures == (SourceFailure("s3://gone", "no such bucket"),)
    assert loaded.warnings == ("w",) and loaded.risk is None and loaded.allowlist is None
    assert loaded.run.finished == T0 and loaded.run.sources == ("/share",)


def test_store_holds_no_raw_values(tmp_path):
    path = tmp_path / "s.db"
    with Store(path) as store:
        run = new_run(store)
        store.add_units(run.id, "fp", [[scanned("b.txt")]])
        kinds = store.db.execute("SELECT k.name, s.hash FROM subject_index s JOIN index_kinds k ON k.id = s.kind "
                                 "ORDER BY k.name").fetchall()
    assert kinds == [("EMAIL_ADDRESS", "h" * 32), ("PERSON", "p" * 32)]
    assert b'"value"' not in path.read_bytes()      # closed: the WAL is checkpointed into the file


def test_unchanged_object_is_found_with_its_members(tmp_path):
    with Store(tmp_path / "s.db") as store:
        first = new_run(store, "run1")
        member = ObjectResult(ObjectRef(uri="file:///share/a.zip!/m", container=CONTAINER.uri, key="a.zip!/m",
                                        etag="e1"), Status.SCANNED)
        store.add_units(first.id, "fp", [[scanned("a.zip"), member], [ObjectResult(ref("bad"), Status.FAILED, "x")]])
        unit = store.previous_unit(ref("a.zip"), "fp")
        assert unit is not None
        assert store.previous_unit(ref("a.zip", etag="e2"), "fp") is None        # changed
        assert store.previous_unit(ref("a.zip", size=11), "fp") is None          # changed
        assert store.previous_unit(ref("a.zip"), "other") is None                # other settings or secret
        assert store.previous_unit(ref("bad"), "fp") is None                     # failures are retried
        assert store.previous_unit(ref("a.zip!/m"), "fp") is None                # only top-level objects
        second = new_run(store, "run2", key="k2")
        assert store.link_units(second.id, [("file:///share/a.zip", unit)]) == 2
        assert [r.ref.uri for r in store.load_outcome(second.id).results] == ["file:///share/a.zip",
                                                                              "file:///share/a.zip!/m"]
        assert store.db.execute("SELECT count(*) FROM results").fetchone()[0] == 3   # linked, not copied


def test_a_killed_run_is_resumed_and_a_live_one_is_not(tmp_path):
    path = tmp_path / "s.db"
    with Store(path) as store:
        run = new_run(store, "killed")
        store.add_units(run.id, "fp", [[scanned("a.txt")]])
    # Pretend the run belongs to a process that has since died, and another to a live process.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    db = sqlite3.connect(path)
    db.execute("UPDATE runs SET pid = ?", (int(dead.stdout),))
    db.commit()
    with Store(path) as store:
        resumed, was_resumed = store.begin_run(RunInfo(id="new", jurisdiction="uk", sources=("/share",), started=T0),
                                               "fp", "k")
        assert was_resumed and resumed.id == "killed"
        assert store.done_roots("killed") == {"file:///share/a.txt"}
    db.execute("UPDATE runs SET pid = ?", (os.getppid(),))     # alive: a concurrent scan, never taken over
    db.commit()
    db.close()
    with Store(path) as store:
        other, was_resumed = store.begin_run(RunInfo(id="new", jurisdiction="uk", sources=("/share",), started=T0),
                                             "fp", "k")
        assert not was_resumed and other.id == "new"


def test_runs_are_kept_as_history(tmp_path):
    with Store(tmp_path / "s.db") as store:
        for i in range(3):
            run = new_run(store, f"run{i}", key=f"k{i}")
            store.add_units(run.id, "fp", [[scanned(f"f{i}.txt")]])
            if i < 2:
                outcome = store.load_outcome(run.id)
                store.finish_run(outcome)
        rows = store.runs()
        assert [(r.id, r.status, r.objects) for r in rows] == [("run0", "complete", 1), ("run1", "complete", 1),
                                                               ("run2", "running", 1)]
        assert store.latest_run() == "run1"
        assert store.subject("EMAIL_ADDRESS", "h" * 32, "run0") == ["file:///share/f0.txt"]
        with pytest.raises(UsageError, match="no run"):
            store.load_outcome("nope")


def test_rows_written_before_digests_were_stored_get_theirs_from_the_index(tmp_path):
    with Store(tmp_path / "s.db") as store:
        run = new_run(store)
        store.add_units(run.id, "fp", [[scanned("b.txt")]])
        store.db.execute("UPDATE results SET digest = NULL")          # as a schema-2 store left them
        [result] = store.load_outcome(run.id).results
    assert result.index == () and result.digest == holding_digest(scanned("b.txt"))


def _indexes(path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                                         "tbl_name = 'subject_index'")}


def test_a_first_scan_loads_the_subject_index_in_bulk_and_a_killed_one_gets_its_indexes_back(tmp_path):
    path = tmp_path / "s.db"
    wanted = {"subject_index_hash", "subject_index_result"}
    with Store(path) as store:
        assert _indexes(path) == wanted
        assert store.begin_bulk("run1") is True           # empty: indexes dropped for the load
        assert _indexes(path) == set()
        run = new_run(store)
        store.add_units(run.id, "fp", [[replace(scanned("a.csv"), index=(("EMAIL_ADDRESS", "ab" * 16),))]])
    # the process died before end_bulk(): opening the store builds the indexes again
    with Store(path) as store:
        assert _indexes(path) == wanted
        assert store.subject("EMAIL_ADDRESS", "ab" * 16, run_id=run.id) == ["file:///share/a.csv"]
        assert store.begin_bulk("run2") is False          # rows already there: an incremental run keeps indexes
        assert _indexes(path) == wanted


def test_only_canonical_hex_is_packed():
    from scanner.store import pack, unpack

    assert pack("00ff" * 8) == bytes.fromhex("00ff" * 8) and unpack(pack("00ff" * 8)) == "00ff" * 8
    for text in ("", "ABCD", "ab cd", "abc", "not-hex", "ab\n"):        # kept as text, and read back the same
        assert pack(text) == text and unpack(pack(text)) == text


def test_hashes_are_stored_packed_and_a_schema_3_store_is_migrated(tmp_path):
    """Keyed hashes are kept as 16 raw bytes and kinds as numbers; a store written by schema 3 (hex text)
    is converted on open and answers the same lookups."""
    digest = "0123456789abcdef" * 2
    path = tmp_path / "old.db"
    with Store(path) as store:
        run = new_run(store)
        store.add_units(run.id, "fp", [[replace(scanned("a.csv"), index=(("EMAIL_ADDRESS", digest),))]])
        assert store.db.execute("SELECT hash FROM subject_index").fetchall() == [(bytes.fromhex(digest),)]
        store.finish_run(ScanOutcome(run=run, containers=(), results=(), violations=()))
        # rewind the file to schema 3: hex text and kind names, as the previous release wrote them
        store.db.executescript("""
            CREATE TABLE old (result_id INTEGER NOT NULL, kind TEXT NOT NULL, hash TEXT NOT NULL);
            INSERT INTO old SELECT s.result_id, k.name, hex(s.hash) FROM subject_index s
                JOIN index_kinds k ON k.id = s.kind;
            UPDATE old SET hash = lower(hash);
            DROP TABLE subject_index; DROP TABLE index_kinds; DROP TABLE bulk_load; DROP TABLE meta;
            ALTER TABLE old RENAME TO subject_index;
            UPDATE schema_version SET version = 3;""")
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT kind, hash FROM subject_index").fetchall() == [("EMAIL_ADDRESS", digest)]
    with Store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION >= 4
        assert store.db.execute("PRAGMA freelist_count").fetchone()[0] == 0     # the old table's pages given back
        assert store.db.execute("SELECT hash FROM subject_index").fetchall() == [(bytes.fromhex(digest),)]
        assert store.subject("EMAIL_ADDRESS", digest, run_id=run.id) == ["file:///share/a.csv"]
        assert next(iter(store.subject_hits([("EMAIL_ADDRESS", digest)]).values()))[2] == {"EMAIL_ADDRESS"}
    assert _indexes(path) == {"subject_index_hash", "subject_index_result"}


def test_another_process_opening_the_store_leaves_a_live_bulk_load_alone(tmp_path):
    """A `subject` or `report` opened while a first scan bulk-loads the index must not build the indexes
    under the scan's feet (holding the write lock); lookups still work, by scanning the table. Once the
    loading process is gone, the next open builds them."""
    path = tmp_path / "s.db"
    loader = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with Store(path) as store:
            run = new_run(store)
            assert store.begin_bulk(run.id) is True
            store.add_units(run.id, "fp", [[replace(scanned("a.csv"), index=(("EMAIL_ADDRESS", "ab" * 16),))]])
            store.db.execute("UPDATE bulk_load SET pid = ?", (loader.pid,))     # as if another process loads
        with Store(path) as other:
            assert _indexes(path) == set()
            assert other.subject("EMAIL_ADDRESS", "ab" * 16, run_id=run.id) == ["file:///share/a.csv"]
    finally:
        loader.kill()
        loader.wait()
    with Store(path):
        assert _indexes(path) == {"subject_index_hash", "subject_index_result"}
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM bulk_load").fetchone()[0] == 0


def test_a_rolled_back_write_does_not_leave_a_stale_kind_number(tmp_path, monkeypatch):
    """A kind first seen in a transaction that rolls back is numbered again next time, so its rows join."""
    import scanner.store as store_module

    digest = "cd" * 16
    real_digest = store_module.holding_digest
    calls = []

    def failing_second_time(result):
        calls.append(result)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_digest(result)

    with Store(tmp_path / "s.db") as store:
        run = new_run(store)
        monkeypatch.setattr(store_module, "holding_digest", failing_second_time)
        first = replace(scanned("a.csv"), index=(("IBAN_CODE", digest),))
        with pytest.raises(OSError):                  # the kind was numbered, then the transaction rolled back
            store.add_units(run.id, "fp", [[first], [replace(scanned("b.csv"))]])
        monkeypatch.setattr(store_module, "holding_digest", real_digest)
        store.add_units(run.id, "fp", [[replace(scanned("c.csv"), index=(("IBAN_CODE", digest),))]])
        assert store.subject("IBAN_CODE", digest, run_id=run.id) == ["file:///share/c.csv"]


def test_stored_json_is_read_back_as_written():
    from scanner.store import _dumps, _loads

    value = {"size": 2**64 - 1, "inode": -2**63, "where": {"line": 3, "sheet": "Zoë ✓"}, "score": 0.85,
             "odd": float("nan")}
    back = _loads(_dumps(value))                   # NaN is refused by orjson and read by json
    assert math.isnan(back.pop("odd")) and back == {k: v for k, v in value.items() if k != "odd"}
