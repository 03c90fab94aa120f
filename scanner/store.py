"""The store: one embedded SQLite file of runs, object results, the subject index and violations.

Results are kept once and *linked* into runs: an unchanged object re-uses its last result (no read, no
copy), a resumed run keeps what it committed before it was killed, and every run stays loadable as a
ScanOutcome for re-rendering. No raw found value is kept unless the run was scanned with --show-values
(then its example findings carry them, and `report`/`diff` still drop them): findings carry masks and
keyed hashes, the subject index only (kind, keyed hash).
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import json
import os
import socket
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, ClassVar, Iterable, Iterator, Mapping, Sequence

import orjson

from scanner.errors import UsageError
from scanner.model import (Container, Evidence, Finding, Holding, ObjectRef, ObjectResult, RunInfo, ScanOutcome,
                           Severity, SourceFailure, Status, Violation, holding_digest)
from scanner.object_names import OWN_FACTS, SHOWN_FACTS, SHOWN_KEY, SHOWN_URI
from scanner.privacy import Sealer, data_dir

SCHEMA_VERSION = 6
SEALED = "sealed"               # ObjectRef.facts key in the store: the real URI and key, sealed (Store._stored)

# Each entry migrates the schema from version i to i+1; append, never edit.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL,                 -- running | complete
        jurisdiction TEXT NOT NULL,
        sources TEXT NOT NULL,                -- JSON list
        settings TEXT NOT NULL,               -- JSON
        fingerprint TEXT NOT NULL,            -- what a result depends on (detection, limits, sampling, secret)
        resume_key TEXT NOT NULL,             -- fingerprint + sources + --full: a killed run with it resumes
        host TEXT, pid INTEGER,
        source_failures TEXT NOT NULL DEFAULT '[]',
        extras TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX runs_resume ON runs(resume_key, status);
    CREATE TABLE containers (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        uri TEXT NOT NULL,
        data TEXT NOT NULL,                   -- JSON of the Container
        PRIMARY KEY (run_id, uri)
    );
    CREATE TABLE results (
        id INTEGER PRIMARY KEY,
        unit INTEGER,                         -- id of the top-level object's result (itself for top level)
        uri TEXT NOT NULL,
        container TEXT NOT NULL,
        key TEXT NOT NULL,
        size INTEGER, modified TEXT, etag TEXT,
        status TEXT NOT NULL, reason TEXT,
        content_hash TEXT, sniffed_type TEXT, bytes_read INTEGER NOT NULL DEFAULT 0,
        facts TEXT NOT NULL, holding TEXT NOT NULL, findings TEXT NOT NULL, sample TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        run_id TEXT NOT NULL                  -- the run that read it
    );
    CREATE INDEX results_lookup ON results(uri, fingerprint);
    CREATE INDEX results_unit ON results(unit);
    CREATE TABLE run_objects (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        root TEXT NOT NULL,                   -- uri of the top-level object this result belongs to
        uri TEXT NOT NULL,
        result_id INTEGER NOT NULL REFERENCES results(id),
        PRIMARY KEY (run_id, uri)
    );
    CREATE INDEX run_objects_root ON run_objects(run_id, root);
    CREATE TABLE subject_index (
        result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX subject_index_hash ON subject_index(hash, kind);
    CREATE INDEX subject_index_result ON subject_index(result_id);
    CREATE TABLE violations (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        rule TEXT NOT NULL, principle TEXT NOT NULL, severity TEXT NOT NULL, target TEXT NOT NULL,
        message TEXT NOT NULL, advice TEXT NOT NULL, evidence TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
    );
    """,
    """
    CREATE INDEX run_objects_result ON run_objects(result_id);
    CREATE INDEX run_objects_uri ON run_objects(uri);
    CREATE TABLE subject_audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        who TEXT NOT NULL,                    -- OS user and host that ran the search
        reference TEXT,                       -- the request's own reference (e.g. a DSAR case number)
        kinds TEXT NOT NULL,                  -- JSON list of identifier kinds given, never values
        query TEXT NOT NULL,                  -- keyed hash of the normalised identifiers
        matches INTEGER NOT NULL,
        verified INTEGER NOT NULL DEFAULT 0
    );
    """,
    # NOTE: results.digest holds holding_digest(), so a report needs no subject index in memory. No SQL
    # comment inside: SQLite copies an added column's text into the stored CREATE TABLE.
    "ALTER TABLE results ADD COLUMN digest TEXT",
    # NOTE: the subject index is most of a big store: keyed hashes are kept as 16 raw bytes, not 32 hex
    # characters, and identifier kinds as small numbers (the 16x benchmark share's store: 423 -> 265 MB).
    """
    CREATE TABLE index_kinds (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
    INSERT INTO index_kinds (name) SELECT DISTINCT kind FROM subject_index ORDER BY kind;
    CREATE TABLE subject_index_packed (
        result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
        kind INTEGER NOT NULL,
        hash BLOB NOT NULL
    );
    INSERT INTO subject_index_packed
        SELECT s.result_id, k.id, pii_pack(s.hash) FROM subject_index s JOIN index_kinds k ON k.name = s.kind;
    DROP TABLE subject_index;
    ALTER TABLE subject_index_packed RENAME TO subject_index
    """,
    # NOTE: who is bulk-loading the subject index (its indexes dropped), so another process opening the
    # store leaves the indexes to that scan instead of building them under its feet
    "CREATE TABLE bulk_load (run_id TEXT NOT NULL, host TEXT, pid INTEGER)",
    # NOTE: store-wide facts; 'secret_id' is a keyed tag of the installation secret the hashes were made with
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)

# The tables that tell a pii-scan store from any other SQLite file.
_OWN_TABLES = {"schema_version", "runs", "results"}

def pack(digest: str) -> bytearray | str:
    """A keyed hash as stored in the subject index: lower-case hex as raw bytes (anything else as is)."""
    try:
        raw = bytearray.fromhex(digest)
    except ValueError:
        return digest
    # NOTE: the round trip keeps only canonical hex ("AB", "a b" stay text); cheaper than a regex per row.
    # A bytearray, not bytes: sqlite3 binds it directly, while it runs bytes through its adapter lookup
    # (twice the cost of an insert, millions of times on a large estate).
    return raw if raw and raw.hex() == digest else digest


def unpack(value: bytes | bytearray | str) -> str:
    return value if isinstance(value, str) else value.hex()


def default_path() -> Path:
    return data_dir() / "state.db"


def _loads(text: str | bytes) -> Any:
    # NOTE: orjson is several times json's speed (a re-scan loads every result); what it refuses (NaN, which
    # json.dumps writes) goes to json. It reads integers exactly up to 64 bits: all we store (sizes, counts,
    # offsets, inode numbers) fit.
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _started(text: str) -> datetime:
    """runs.started (NOT NULL)."""
    return datetime.fromisoformat(text)


def _row_id(cur: sqlite3.Cursor) -> int:
    """The rowid the INSERT just run on ``cur`` gave (sqlite3 says None only before any INSERT)."""
    if cur.lastrowid is None:
        raise sqlite3.InterfaceError("no row id after an INSERT")
    return cur.lastrowid


@dataclass(frozen=True)
class RunRow:
    """A run as listed by ``Store.runs()``."""

    id: str
    started: datetime
    finished: datetime | None
    status: str
    sources: tuple[str, ...]
    objects: int


class Store:
    """One SQLite file (WAL, mode 0600). Not shared between threads; one per process."""

    def __init__(self, path: str | Path | None = None):
        memory = str(path) == ":memory:"      # a throw-away store: no incremental state between runs
        self.memory, self.closed = memory, False
        self._kinds: dict[str, int] = {}
        # NOTE: set by check_secret(): what keeps objects whose names hold personal data as tokens and sealed URIs
        self.sealer: Sealer | None = None
        self.path = Path(path) if path else default_path()
        try:
            if not memory:
                self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                if not self.path.exists():
                    self._create(self.path)
                self._check_is_store(self.path)
                os.chmod(self.path, 0o600)
            self.db = self._connect(":memory:" if memory else self.path)
            self._migrate()
            if self._indexes_owed() and not self._bulk_loading():
                self.end_bulk()
        except sqlite3.DatabaseError as exc:
            raise UsageError(f"{self.path}: cannot open the state store ({exc})") from None
        except OSError as exc:
            raise UsageError(f"{self.path}: cannot open the state store ({exc.strerror or exc})") from None
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if not memory and side.exists():
                os.chmod(side, 0o600)

    @staticmethod
    def _connect(path: str | Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
        db.create_function("pii_pack", 1, pack, deterministic=True)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        return db

    def _create(self, path: Path) -> None:
        """A new store, built beside ``path`` and linked into place whole: a file at ``path`` is always a
        store (a kill mid-creation leaves no empty file that would later be refused)."""
        tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        try:
            self.db = self._connect(tmp)
            self._migrate()
            self.db.execute("PRAGMA journal_mode=DELETE")      # folds the WAL back into the one file
            self.db.close()
            try:
                os.link(tmp, path)      # NOTE: link, not rename: a concurrent first run must not replace a store
            except FileExistsError:
                pass
        finally:
            for name in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
                name.unlink(missing_ok=True)

    def _check_is_store(self, path: Path) -> None:
        """Refuse (exit 2, never overwrite) a file that exists but is not a pii-scan store."""
        hint = "move it away or name another file with --state"
        if path.is_file() and path.stat().st_size == 0:
            raise UsageError(f"{path}: is empty, not a pii-scan state store (its runs and audit log are not "
                             f"there); {hint}")
        uri = f"{path.resolve().as_uri()}?mode=ro"
        try:
            with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=30)) as db:
                tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise UsageError(f"{path}: not a pii-scan state store ({exc}); {hint}") from None
        if not _OWN_TABLES <= tables:
            raise UsageError(f"{path}: an SQLite file but not a pii-scan state store; {hint}")

    def check_secret(self, secret: bytes) -> None:
        """Bind the store to the installation secret (by a keyed tag, never the secret itself), or refuse
        (exit 2) a secret other than the one its hashes were made with: mixing them would lose matches."""
        secret_id = hmac.new(secret, b"pii-scan store key id", hashlib.sha256).hexdigest()[:16]
        self.sealer = Sealer(secret)
        with self._tx():
            row = self.db.execute("SELECT value FROM meta WHERE key = 'secret_id'").fetchone()
            if row is None:
                self.db.execute("INSERT INTO meta VALUES ('secret_id', ?)", (secret_id,))
                return
        if row[0] != secret_id:
            raise UsageError(f"{self.path}: its hashes were made under another installation secret (secret.key "
                             f"was deleted or changed); restore the old {data_dir() / 'secret.key'} (from a "
                             f"backup), or start a new store with --state NEW_FILE")

    def close(self) -> None:
        self.db.close()
        self.closed = True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ------------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = self.db.execute("SELECT version FROM schema_version").fetchone()
            version = row[0] if row else 0
            if version > SCHEMA_VERSION:
                raise UsageError(f"{self.path}: written by a newer pii-scan (schema {version}); upgrade pii-scan")
            for script in MIGRATIONS[version:]:
                for statement in script.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
            if row is None:
                self.db.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
            else:
                self.db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        if 0 < version < 4:
            self.db.execute("VACUUM")      # give back the pages of the unpacked subject index, once

    # -- the subject index's own indexes ---------------------------------------------------------------------
    # NOTE: a first scan writes millions of subject_index rows in random hash order; keeping the two indexes
    # up to date row by row costs ~10x building them once at the end (measured: 9 s against 0.7 s for 716k
    # rows), so a bulk load drops them and end_bulk() (also run on open, after a kill) builds them again.
    _INDEXES: ClassVar[dict[str, str]] = {"subject_index_hash": "subject_index(hash, kind)", "subject_index_result": "subject_index(result_id)"}

    def _kind_id(self, name: str) -> int:
        """The number standing for an identifier kind in subject_index (added on first use)."""
        kind = self._kinds.get(name)
        if kind is None:
            self.db.execute("INSERT OR IGNORE INTO index_kinds (name) VALUES (?)", (name,))
            kind = self.db.execute("SELECT id FROM index_kinds WHERE name = ?", (name,)).fetchone()[0]
            self._kinds[name] = kind
        return kind

    def begin_bulk(self, run_id: str) -> bool:
        """Drop the subject index's indexes if the table is empty (a first scan into this store): returns
        whether it did. Lookups still work meanwhile, by scanning the table."""
        if self.db.execute("SELECT 1 FROM subject_index LIMIT 1").fetchone() is not None:
            return False
        with self._tx():
            for name in self._INDEXES:
                self.db.execute(f"DROP INDEX IF EXISTS {name}")
            self.db.execute("INSERT INTO bulk_load VALUES (?, ?, ?)", (run_id, socket.gethostname(), os.getpid()))
        return True

    def end_bulk(self) -> None:
        """Build the subject index's indexes (if missing) and end any bulk load."""
        with self._tx():
            for name, columns in self._INDEXES.items():
                self.db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")
            self.db.execute("DELETE FROM bulk_load")

    def _indexes_owed(self) -> bool:
        """Whether a bulk load left the subject index without its indexes (or left its marker behind)."""
        names = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                                                "tbl_name = 'subject_index'")}
        return (not set(self._INDEXES) <= names
                or self.db.execute("SELECT 1 FROM bulk_load LIMIT 1").fetchone() is not None)

    def _bulk_loading(self) -> bool:
        """Whether a live scan in another process is bulk-loading the subject index."""
        return any(_alive(host, pid) for host, pid in self.db.execute("SELECT host, pid FROM bulk_load"))

    def schema_version(self) -> int:
        version: int = self.db.execute("SELECT version FROM schema_version").fetchone()[0]
        return version

    # -- runs --------------------------------------------------------------------------------------------
    def begin_run(self, run: RunInfo, fingerprint: str, resume_key: str) -> tuple[RunInfo, bool]:
        """Start ``run``, or resume the newest unfinished run with the same ``resume_key`` whose process is
        gone (killed). Returns the run to use and whether it is a resumed one."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for row in self.db.execute("SELECT id, started, host, pid FROM runs WHERE resume_key = ? AND "
                                       "status = 'running' ORDER BY started DESC", (resume_key,)).fetchall():
                if not _alive(row[2], row[3]):
                    self.db.execute("UPDATE runs SET host = ?, pid = ? WHERE id = ?",
                                    (socket.gethostname(), os.getpid(), row[0]))
                    self.db.execute("COMMIT")
                    return RunInfo(id=row[0], jurisdiction=run.jurisdiction, sources=run.sources,
                                   started=_started(row[1]), settings=run.settings), True
            self.db.execute(
                "INSERT INTO runs (id, started, status, jurisdiction, sources, settings, fingerprint, resume_key, "
                "host, pid) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)",
                (run.id, _iso(run.started), run.jurisdiction, _dumps(list(run.sources)), _dumps(dict(run.settings)),
                 fingerprint, resume_key, socket.gethostname(), os.getpid()))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return run, False

    def finish_run(self, outcome: ScanOutcome) -> None:
        """Record violations, extras and source failures, and mark the run complete."""
        run = outcome.run
        with self._tx():
            self.db.executemany("INSERT OR REPLACE INTO containers VALUES (?, ?, ?)",
                                [(run.id, c.uri, _dumps(_container_dict(c))) for c in outcome.containers])
            self.db.execute("DELETE FROM violations WHERE run_id = ?", (run.id,))
            self.db.executemany(
                "INSERT INTO violations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(run.id, i, v.rule, v.principle, v.severity.value, v.target, v.message, v.advice,
                  _dumps(dict(v.evidence))) for i, v in enumerate(outcome.violations)])
            self.db.execute(
                "UPDATE runs SET status = 'complete', finished = ?, source_failures = ?, extras = ?, pid = NULL "
                "WHERE id = ?",
                (_iso(run.finished), _dumps([asdict(f) for f in outcome.source_failures]),
                 _dumps(_extras(outcome)), run.id))

    def runs(self) -> list[RunRow]:
        rows = self.db.execute(
            "SELECT r.id, r.started, r.finished, r.status, r.sources, "
            "(SELECT count(*) FROM run_objects o WHERE o.run_id = r.id) FROM runs r ORDER BY r.started, r.rowid")
        return [RunRow(id=r[0], started=_started(r[1]), finished=_dt(r[2]), status=r[3], sources=tuple(_loads(r[4])),
                       objects=r[5]) for r in rows]

    def latest_run(self, complete_only: bool = True) -> str | None:
        where = "WHERE status = 'complete'" if complete_only else ""
        row = self.db.execute(f"SELECT id FROM runs {where} ORDER BY started DESC, rowid DESC LIMIT 1").fetchone()
        return row[0] if row else None

    # -- containers and results --------------------------------------------------------------------------
    def save_containers(self, run_id: str, containers: Iterable[Container]) -> None:
        with self._tx():
            self.db.executemany("INSERT OR REPLACE INTO containers VALUES (?, ?, ?)",
                                [(run_id, c.uri, _dumps(_container_dict(c))) for c in containers])

    def done_roots(self, run_id: str) -> set[str]:
        """Top-level objects this run already has results for (when resuming)."""
        return {r[0] for r in self.db.execute("SELECT DISTINCT root FROM run_objects WHERE run_id = ?", (run_id,))}

    def previous_unit(self, ref: ObjectRef, fingerprint: str, kept_as: tuple[str, str] | None = None) -> int | None:
        """The last usable result of an unchanged object: same uri, size and etag (or mtime without an
        etag), read with the same fingerprint, and not failed (a failure may be transient)."""
        if ref.etag is None and ref.modified is None:
            return None
        row = self.db.execute(
            "SELECT id FROM results WHERE uri IN (?, ?) AND fingerprint = ? AND unit = id AND size IS ? "
            "AND etag IS ? AND modified IS ? AND status != 'failed' ORDER BY id DESC LIMIT 1",
            (*(kept_as or self.stored_uris(ref.uri)), fingerprint, ref.size, ref.etag, _iso(ref.modified))).fetchone()
        return row[0] if row else None

    def link_units(self, run_id: str, units: Sequence[tuple[str, int]]) -> int:
        """Put earlier results (a top-level object and its members) into this run. Returns results linked."""
        with self._tx():
            # NOTE: the root as the unit's result keeps it (a token when its names hold personal data)
            cur = self.db.executemany("INSERT OR REPLACE INTO run_objects SELECT ?, (SELECT uri FROM results "
                                      "WHERE id = ?), uri, id FROM results WHERE unit = ?",
                                      [(run_id, unit, unit) for _, unit in units])
            return cur.rowcount

    def add_units(self, run_id: str, fingerprint: str, units: Sequence[Sequence[ObjectResult]]) -> None:
        """Commit freshly read results in one transaction: each unit is a top-level object's result followed
        by its members' results."""
        results: list[tuple[Any, ...]] = []
        links: list[tuple[str, str, str, int]] = []
        index_rows: list[tuple[int, int, bytearray | str]] = []
        # NOTE: foreign keys unchecked while inserting (every parent row is written just before its children in
        # this transaction): the check was a lookup per subject-index row, millions on a large estate
        with self._tx(check_foreign_keys=False):
            # NOTE: ids given here (the write lock is held: no other writer), so a unit's id is known before its
            # row is written and all rows go in three executemany calls instead of three statements per object
            rid = self.db.execute("SELECT coalesce(max(id), 0) FROM results").fetchone()[0]
            for unit in units:
                stored = [self._stored(result) for result in unit]
                root = stored[0].ref.uri
                unit_id = rid + 1
                for result in stored:
                    rid += 1
                    results.append((rid, unit_id, *_result_row(result), fingerprint, run_id, holding_digest(result)))
                    links.append((run_id, root, result.ref.uri, rid))
                    if result.index:
                        kinds = {kind: self._kind_id(kind) for kind in {kind for kind, _ in result.index}}
                        index_rows.extend((rid, kinds[kind], pack(digest)) for kind, digest in result.index)
            self.db.executemany(
                "INSERT INTO results (id, unit, uri, container, key, size, modified, etag, status, reason, "
                "content_hash, sniffed_type, bytes_read, facts, holding, findings, sample, fingerprint, run_id, "
                "digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", results)
            self.db.executemany("INSERT OR REPLACE INTO run_objects VALUES (?, ?, ?, ?)", links)
            self.db.executemany("INSERT INTO subject_index VALUES (?, ?, ?)", index_rows)

    # -- objects whose names hold personal data ------------------------------------------------------------
    def _stored(self, r: ObjectResult) -> ObjectResult:
        """``r`` as the store keeps it: an object whose names hold personal data (scanner.object_names) under a
        keyed token for its URI, its key masked, and its real URI and key sealed, so that no output of a scan,
        this file included, spells them."""
        facts = r.ref.facts
        if self.sealer is None or SHOWN_URI not in facts:
            return r
        real = {k: v for k, v in facts.items() if k not in OWN_FACTS}
        sealed = self.sealer.seal(_dumps([r.ref.uri, r.ref.key, real]))
        shown = facts.get(SHOWN_FACTS)
        kept = {k: v for k, v in (shown if isinstance(shown, Mapping) else {}).items() if k != "parent"}
        ref = dataclasses.replace(r.ref, uri=self.sealer.token(r.ref.uri), key=str(facts.get(SHOWN_KEY, "")),
                                  facts={**kept, SHOWN_URI: facts[SHOWN_URI], SHOWN_KEY: facts.get(SHOWN_KEY),
                                         SEALED: sealed})
        return dataclasses.replace(r, ref=ref)

    def stored_uris(self, uri: str) -> tuple[str, str]:
        """The URIs an object may be kept under: its own and (its names holding personal data) its token."""
        return (uri, self.sealer.token(uri)) if self.sealer is not None else (uri, uri)

    def unsealed(self, ref: ObjectRef) -> ObjectRef:
        """A stored reference with its real URI and key (to read the object again), or as it is."""
        sealed = ref.facts.get(SEALED)
        if self.sealer is None or not isinstance(sealed, str):
            return ref
        uri, key, facts = orjson.loads(self.sealer.unseal(sealed))
        shown = {k: ref.facts[k] for k in (SHOWN_URI, SHOWN_KEY) if k in ref.facts}
        return dataclasses.replace(ref, uri=uri, key=key, facts={**facts, **shown})

    def forget_roots(self, run_id: str, keep: set[str]) -> None:
        """Drop a resumed run's results for top-level objects that no longer exist."""
        gone = self.done_roots(run_id) - keep
        with self._tx():
            self.db.executemany("DELETE FROM run_objects WHERE run_id = ? AND root = ?",
                                [(run_id, root) for root in gone])

    # -- reading back ------------------------------------------------------------------------------------
    def load_outcome(self, run_id: str, with_index: bool = False, with_results: bool = True) -> ScanOutcome:
        """Any stored run as a ScanOutcome, results sorted by uri: reports can be rendered again later.

        Each result carries its stored holding digest; its subject index (large: every identifier's keyed
        hash) only ``with_index`` — needed to re-apply a value allowlist, not to render a report. Without
        ``with_results`` the results are left in the store (iter_results streams them)."""
        row = self.db.execute("SELECT id, started, finished, jurisdiction, sources, settings, source_failures, "
                              "extras FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise UsageError(f"no run {run_id!r} in {self.path}")
        run = RunInfo(id=row[0], jurisdiction=row[3], sources=tuple(_loads(row[4])), started=_started(row[1]),
                      finished=_dt(row[2]), settings=_loads(row[5]))
        containers = tuple(_container(_loads(d)) for (d,) in self.db.execute(
            "SELECT data FROM containers WHERE run_id = ? ORDER BY uri", (run_id,)))
        results = tuple(self.iter_results(run_id, with_index)) if with_results else ()
        violations = tuple(
            Violation(rule=v[0], principle=v[1], severity=Severity(v[2]), target=v[3], message=v[4], advice=v[5],
                      evidence=_loads(v[6]))
            for v in self.db.execute("SELECT rule, principle, severity, target, message, advice, evidence "
                                     "FROM violations WHERE run_id = ? ORDER BY seq", (run_id,)))
        failures = tuple(SourceFailure(**f) for f in _loads(row[6]))
        extras = _loads(row[7])
        return ScanOutcome(run=run, containers=containers, results=results, violations=violations,
                           source_failures=failures, transfer=extras.get("transfer", {}), risk=extras.get("risk"),
                           suppressions=extras.get("suppressions"),
                           warnings=tuple(extras["warnings"]) if "warnings" in extras else None,
                           allowlist=extras.get("allowlist"))

    def iter_results(self, run_id: str, with_index: bool = False) -> Iterator[ObjectResult]:
        """A run's results one at a time, sorted by uri, read from the cursor as they are used: a report streams
        them and holds none. ``with_index`` reads each result's subject index with it (a value allowlist needs it).
        """
        cur = self.db.execute(_RESULTS_SQL, (run_id,))
        while rows := cur.fetchmany(256):
            for r in rows:
                if with_index:
                    yield _result_from_row(r, tuple(sorted(self._index_of(r[0]))))
                    continue
                result = _result_from_row(r, ())
                if r[16] is None and result.holding.has_personal_data:
                    # NOTE: written before digests were stored: derive it from the index (without personal data
                    # there is no digest, whatever the index holds: holding_digest)
                    full = dataclasses.replace(result, index=tuple(sorted(self._index_of(r[0]))))
                    result = dataclasses.replace(result, digest=holding_digest(full))
                yield result

    def count_results(self, run_id: str) -> int:
        return int(self.db.execute("SELECT count(*) FROM run_objects WHERE run_id = ?", (run_id,)).fetchone()[0])

    def failed_containers(self, run_id: str, reason_part: str) -> dict[str, int]:
        """How many of a run's objects failed with ``reason_part`` in their reason, per container (a query: the
        results stay in the store)."""
        return dict(self.db.execute(
            "SELECT r.container, count(*) FROM run_objects o JOIN results r ON r.id = o.result_id WHERE o.run_id = ? "
            "AND r.status = ? AND instr(r.reason, ?) > 0 GROUP BY r.container ORDER BY r.container",
            (run_id, Status.FAILED.value, reason_part)))

    def _index_of(self, result_id: int) -> list[tuple[str, str]]:
        return [(kind, unpack(digest)) for kind, digest in self.db.execute(
            "SELECT k.name, s.hash FROM subject_index s JOIN index_kinds k ON k.id = s.kind WHERE s.result_id = ?",
            (result_id,))]

    def subject(self, kind: str | None, digest: str, run_id: str | None = None) -> list[str]:
        """URIs in a run (default: the latest complete one) holding a value with this keyed hash."""
        run_id = run_id or self.latest_run()
        sql = ("SELECT DISTINCT o.uri FROM subject_index s JOIN run_objects o ON o.result_id = s.result_id "
               "JOIN index_kinds k ON k.id = s.kind WHERE o.run_id = ? AND s.hash = ?")
        args: list[Any] = [run_id, pack(digest)]
        if kind:
            sql += " AND k.name = ?"
            args.append(kind)
        return [r[0] for r in self.db.execute(sql + " ORDER BY o.uri", args)]

    # -- subject access ----------------------------------------------------------------------------------
    def subject_hits(self, pairs: Sequence[tuple[str, str]]) -> dict[int, tuple[str, str, set[str]]]:
        """Current results holding any of the (kind, keyed hash) pairs: result id → (uri, run id, matched kinds).

        "Current" is each object's result in the latest completed run that included it, so an object
        re-scanned since no longer answers with what it held before."""
        hits: dict[int, tuple[str, str, set[str]]] = {}
        for kind, digest in pairs:
            for rid, uri, run_id in self.db.execute(
                    "SELECT o.result_id, o.uri, o.run_id FROM subject_index s JOIN index_kinds k ON k.id = s.kind "
                    "JOIN run_objects o ON o.result_id = s.result_id JOIN runs r ON r.id = o.run_id "
                    "WHERE s.hash = ? AND k.name = ? AND r.status = 'complete' AND r.rowid = ("
                    "  SELECT r2.rowid FROM run_objects o2 JOIN runs r2 ON r2.id = o2.run_id "
                    "  WHERE o2.uri = o.uri AND r2.status = 'complete' "
                    "  ORDER BY r2.started DESC, r2.rowid DESC LIMIT 1)", (pack(digest), kind)):
                hits.setdefault(rid, (uri, run_id, set()))[2].add(kind)
        return hits

    def index_kinds(self, result_id: int) -> set[str]:
        return {k for (k,) in self.db.execute("SELECT DISTINCT k.name FROM subject_index s JOIN index_kinds k ON "
                                              "k.id = s.kind WHERE s.result_id = ?", (result_id,))}

    def result(self, result_id: int) -> ObjectResult:
        """One stored result (without its subject index)."""
        row = self.db.execute(
            "SELECT id, uri, container, key, size, modified, etag, status, reason, content_hash, sniffed_type, "
            "bytes_read, facts, holding, findings, sample, digest FROM results WHERE id = ?", (result_id,)).fetchone()
        return _result_from_row(row, ())

    def object_ref(self, run_id: str, uri: str) -> ObjectRef | None:
        """The stored reference of an object in a run (to open it again)."""
        row = self.db.execute("SELECT result_id FROM run_objects WHERE run_id = ? AND uri IN (?, ?)",
                              (run_id, *self.stored_uris(uri))).fetchone()
        return self.unsealed(self.result(row[0]).ref) if row else None

    def container(self, run_id: str, uri: str) -> Container | None:
        row = self.db.execute("SELECT data FROM containers WHERE run_id = ? AND uri = ?", (run_id, uri)).fetchone()
        return _container(_loads(row[0])) if row else None

    def audit_subject(self, at: datetime, who: str, reference: str | None, kinds: Sequence[str], query: str,
                      matches: int, verified: bool) -> int:
        """Record a subject search: such searches are sensitive themselves. Never the identifiers."""
        with self._tx():
            cur = self.db.execute(
                "INSERT INTO subject_audit (at, who, reference, kinds, query, matches, verified) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (_iso(at), who, reference, _dumps(sorted(kinds)), query, matches, int(verified)))
            return _row_id(cur)

    def subject_audit(self) -> list[dict[str, Any]]:
        cols = ("id", "at", "who", "reference", "kinds", "query", "matches", "verified")
        rows = self.db.execute(f"SELECT {', '.join(cols)} FROM subject_audit ORDER BY id")
        return [{**dict(zip(cols, r, strict=True)), "kinds": _loads(r[4]), "verified": bool(r[7])} for r in rows]

    # -- helpers -----------------------------------------------------------------------------------------
    def _tx(self, check_foreign_keys: bool = True) -> _Transaction:
        # NOTE: a rolled-back transaction may have added index kinds: forget the cached numbers
        return _Transaction(self.db, on_rollback=self._kinds.clear, check_foreign_keys=check_foreign_keys)


@dataclass(frozen=True)
class StoredResults:
    """A run's results in uri order, read from the store on each pass and never all held (issue 16 item 4): what a
    scan's ScanOutcome.results is. Iterated after ``store`` was closed, it opens the store's file again."""

    store: Store
    run_id: str
    count: int
    with_index: bool = False          # each result with its subject index (an allowlist needs it)

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[ObjectResult]:
        if not self.store.closed or self.store.memory:      # (a closed in-memory store is gone: sqlite3 says so)
            return self.store.iter_results(self.run_id, self.with_index)
        return self._reopened()

    def _reopened(self) -> Iterator[ObjectResult]:
        with Store(self.store.path) as store:
            yield from store.iter_results(self.run_id, self.with_index)


class _Transaction:
    def __init__(self, db: sqlite3.Connection, on_rollback: Callable[[], None] | None = None,
                 check_foreign_keys: bool = True):
        self.db = db
        self.on_rollback = on_rollback
        self.check_foreign_keys = check_foreign_keys

    def __enter__(self) -> None:
        if not self.check_foreign_keys:
            self.db.execute("PRAGMA foreign_keys=OFF")      # (only outside a transaction does it take effect)
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        try:
            self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")
        finally:
            if not self.check_foreign_keys:
                self.db.execute("PRAGMA foreign_keys=ON")
        if exc_type is not None and self.on_rollback is not None:
            self.on_rollback()


def _alive(host: str | None, pid: int | None) -> bool:
    """Whether the process that owns a running run still exists (only knowable on the same host)."""
    if pid is None or (pid == os.getpid() and host == socket.gethostname()):
        return False         # our own pid: an earlier scan in this process that raised
    if host != socket.gethostname():
        return True          # NOTE: another machine's run: never take it over
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _result_from_row(r: Sequence[Any], index: tuple[tuple[str, str], ...]) -> ObjectResult:
    """A ``results`` row (id, uri, container, key, size, modified, etag, status, reason, content_hash,
    sniffed_type, bytes_read, facts, holding, findings, sample, digest) back into an ObjectResult."""
    ref = ObjectRef(uri=r[1], container=r[2], key=r[3], size=r[4], modified=_dt(r[5]), etag=r[6],
                    facts=_loads(r[12]))
    return ObjectResult(ref=ref, status=Status(r[7]), reason=r[8], holding=_holding(_loads(r[13])),
                        findings=tuple(Finding(**f) for f in _loads(r[14])), content_hash=r[9],
                        sniffed_type=r[10], sample=_loads(r[15]), index=index, bytes_read=r[11],
                        digest=r[16] if len(r) > 16 else None)


def _result_row(r: ObjectResult) -> tuple[object, ...]:
    ref = r.ref
    # NOTE: built by hand: dataclasses.asdict (recursive, deep-copying) was the main process's largest cost
    findings = [{"entity": f.entity, "score": f.score, "where": dict(f.where), "masked": f.masked, "hash": f.hash,
                 **({"value": f.value} if f.value is not None else {})} for f in r.findings]
    return (ref.uri, ref.container, ref.key, ref.size, _iso(ref.modified), ref.etag, r.status.value, r.reason,
            r.content_hash, r.sniffed_type, r.bytes_read, _dumps(dict(ref.facts)), _dumps(_holding_dict(r.holding)),
            _dumps(findings), _dumps(dict(r.sample)))


def _holding_dict(h: Holding) -> dict[str, Any]:
    return {"entities": dict(h.entities), "special_categories": list(h.special_categories), "children": h.children,
            "subjects_estimate": h.subjects_estimate,
            "evidence": [{"kind": e.kind, "snippet": e.snippet, "where": dict(e.where)} for e in h.evidence]}


def _holding(d: Mapping[str, Any]) -> Holding:
    return Holding(entities=d["entities"], special_categories=tuple(d["special_categories"]), children=d["children"],
                   subjects_estimate=d["subjects_estimate"], evidence=tuple(Evidence(**e) for e in d["evidence"]))


_RESULTS_SQL = (
    "SELECT r.id, r.uri, r.container, r.key, r.size, r.modified, r.etag, r.status, r.reason, r.content_hash, "
    "r.sniffed_type, r.bytes_read, r.facts, r.holding, r.findings, r.sample, r.digest FROM run_objects o "
    "JOIN results r ON r.id = o.result_id WHERE o.run_id = ? ORDER BY o.uri")


def _extras(outcome: ScanOutcome) -> dict[str, Any]:
    """What judging and the allowlist added to a run, as the runs.extras column keeps it."""
    fields = (("transfer", outcome.transfer or None), ("risk", outcome.risk), ("suppressions", outcome.suppressions),
              ("warnings", None if outcome.warnings is None else list(outcome.warnings)),
              ("allowlist", outcome.allowlist))
    return {k: v for k, v in fields if v is not None}


def _container_dict(c: Container) -> dict[str, Any]:
    d = asdict(c)
    d["countries"] = list(c.countries)
    d["facts"] = dict(c.facts)
    return d


def _container(d: Mapping[str, Any]) -> Container:
    return Container(**{**d, "countries": tuple(d["countries"])})
