"""Frozen value types that flow through the pipeline (see DESIGN.md, data flow)."""
from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterator, Mapping, Protocol

# The subject-index kind of capitalised word runs from prose NER did not read (past the per-object budget):
# hashed like PERSON, searched by a name search, but not a detection, so not part of what an object holds.
NAME_RUNS = "PERSON_RUN"
# ObjectRef.facts key of an object left out of an --sample-objects sample: the sample's description, which the
# object's (skipped) result carries
NOT_SAMPLED = "not_sampled"


class Status(str, enum.Enum):
    SCANNED = "scanned"
    SKIPPED = "skipped"
    FAILED = "failed"


class SegmentKind(str, enum.Enum):
    PROSE = "prose"     # free text; offsets are meaningful; NER applies
    COLUMN = "column"   # a table column: header name + sampled cell values
    FIELD = "field"     # one structured value with a key path (JSON, XML attributes)


@dataclass(frozen=True)
class Container:
    """A bucket, share or local root, with the facts a transfer check needs."""

    uri: str
    provider: str                        # file | smb | s3 | gcs | azure
    location: str | None = None          # provider's own location code (eu-west-2, EUROPE-WEST2, uksouth, host)
    location_type: str | None = None     # region | dual-region | multi-region | on-prem
    countries: tuple[str, ...] = ()      # ISO 3166-1 alpha-2, filled by scanner.locations
    public: bool | None = None           # None = could not be determined
    encrypted: bool | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)  # provider-specific extras (versioning, kms key, …)


@dataclass(frozen=True)
class ObjectRef:
    """One object (file, blob, archive member) inside a container."""

    uri: str
    container: str                       # Container.uri
    key: str                             # path inside the container
    size: int | None = None
    modified: datetime | None = None     # tz-aware UTC
    etag: str | None = None              # change token: etag, generation or mtime_ns+size
    facts: Mapping[str, Any] = field(default_factory=dict)  # owner, mode, world_readable, …


@dataclass(frozen=True)
class Segment:
    """A unit of extracted content handed to the detector.

    PROSE: ``text`` with ``where`` giving the base location (page, sheet, member, line offset).
    COLUMN: ``name`` is the header, ``values`` a sample of cells, ``rows`` the total row count.
    FIELD: ``name`` is the key path, ``text`` the value.
    """

    kind: SegmentKind
    text: str = ""
    name: str | None = None
    values: tuple[str, ...] = ()
    rows: int | None = None
    where: Mapping[str, Any] = field(default_factory=dict)
    index_values: tuple[str, ...] = ()   # COLUMN: every value up to limits.table_index_rows, for the subject index


@dataclass(frozen=True)
class Finding:
    """One detected value, never holding the raw value: a mask and a keyed hash."""

    entity: str
    score: float
    where: Mapping[str, Any]
    masked: str
    hash: str
    value: str | None = None             # only with --show-values


@dataclass(frozen=True)
class Evidence:
    """Why an object is flagged special-category or children's data (masked snippet + where)."""

    kind: str                            # health, religion, …, children
    snippet: str
    where: Mapping[str, Any]


@dataclass(frozen=True)
class Holding:
    """Aggregate of one object's findings."""

    entities: Mapping[str, int] = field(default_factory=dict)
    special_categories: tuple[str, ...] = ()
    children: bool = False
    subjects_estimate: int = 0
    evidence: tuple[Evidence, ...] = ()

    @property
    def has_personal_data(self) -> bool:
        return personal_data(self.entities, self.special_categories, self.children)


def personal_data(entities: Any, special_categories: Any, children: Any) -> bool:
    """THE rule for "holds personal data": an entity, a special category or a sign of children (a Holding and a
    report object both ask it)."""
    return bool(entities or special_categories or children)


@dataclass(frozen=True)
class ObjectResult:
    ref: ObjectRef
    status: Status
    reason: str | None = None
    holding: Holding = field(default_factory=Holding)
    findings: tuple[Finding, ...] = ()
    content_hash: str | None = None      # keyed hash of the bytes, for duplicate detection
    sniffed_type: str | None = None
    sample: Mapping[str, Any] = field(default_factory=dict)  # what part was read when sampling
    index: tuple[tuple[str, str], ...] = ()  # (identifier kind, keyed hash) for subject search; no raw values
    bytes_read: int = 0
    # holding_digest() as stored, so a report needs no index in memory; not part of equality
    digest: str | None = field(default=None, compare=False)


def holding_digest(r: ObjectResult) -> str | None:
    """A digest of what an object holds, stable under re-ordering and re-scans: the keyed hashes of every
    indexed identifier (not just the examples shown), the other entity types, special categories and
    children. Baselines key violations on it. None when the object holds no personal data."""
    if r.digest is not None:
        return r.digest
    h = r.holding
    if not h.has_personal_data:
        return None
    held = [(kind, digest) for kind, digest in r.index if kind != NAME_RUNS]
    indexed = {kind for kind, _ in held}
    parts = sorted(f"v:{kind}:{digest}" for kind, digest in held)
    parts += sorted(f"e:{e}" for e in h.entities if e not in indexed)
    parts += sorted(f"s:{c}" for c in h.special_categories) + (["children"] if h.children else [])
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


class Severity(str, enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


# Severities most severe first: the one order reports list them in
SEVERITY_ORDER: tuple[str, ...] = tuple(s.value for s in sorted(Severity, key=lambda s: -s.rank))


@dataclass(frozen=True)
class Violation:
    rule: str
    principle: str
    severity: Severity
    target: str
    message: str
    advice: str
    evidence: Mapping[str, Any] = field(default_factory=dict)


def violation_order(v: Violation) -> tuple[int, str, str, str]:
    """THE order of violations: most severe first, then rule, target and message."""
    return (-v.severity.rank, v.rule, v.target, v.message)


@dataclass(frozen=True)
class SourceFailure:
    """A named source that could not be read at all (exit 3)."""

    source: str
    reason: str

    @classmethod
    def of(cls, source: str, error: BaseException) -> SourceFailure:
        """The failure ``error`` gives, its reason without the source's name when it begins so (every output
        shows the source beside the reason)."""
        reason = str(error)
        return cls(source, reason[len(source) + 2:] if reason.startswith(f"{source}: ") else reason)


@dataclass(frozen=True)
class RunInfo:
    id: str
    jurisdiction: str
    sources: tuple[str, ...]
    started: datetime
    finished: datetime | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)


class Results(Protocol):
    """A scan's object results: a tuple (in any order), or a view that reads them in uri order on each pass
    (scanner.store.StoredResults: a scan's, read from its store, so that a large estate's results are never all
    held, issue 16 item 4). Iterate; do not index."""

    def __iter__(self) -> Iterator[ObjectResult]: ...

    def __len__(self) -> int: ...


@dataclass(frozen=True)
class ScanOutcome:
    """Everything one scan produced, before rendering."""

    run: RunInfo
    containers: tuple[Container, ...]
    results: Results                     # a scan's are read from its store on each pass (Results)
    violations: tuple[Violation, ...] = ()
    source_failures: tuple[SourceFailure, ...] = ()
    # what judging added (scanner.judge): container uri → transfer status and basis; organisation and
    # per-container risk; applied, unused and expired suppressions; warnings (stale lists, …)
    transfer: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    risk: Mapping[str, Any] | None = None
    suppressions: Mapping[str, Any] | None = None
    warnings: tuple[str, ...] | None = None
    # what the allowlist removed and its rules (scanner.baseline.apply_allowlist), to apply it again on re-render
    allowlist: Mapping[str, Any] | None = None

    @property
    def allowlist_rules(self) -> Mapping[str, Any] | None:
        return (self.allowlist or {}).get("rules") or None


def shown_name(name: str) -> str:
    """A name as text every output can hold: bytes that are not UTF-8 (which the OS layer and tarfile
    surrogate-escape) percent-encoded, as in a URI: Latin-1 ``Jos\\xe9 CV.txt`` → ``Jos%E9 CV.txt``."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return "".join(f"%{ord(c) - 0xDC00:02X}" if 0xDC80 <= ord(c) <= 0xDCFF else
                       c.encode("utf-8", "backslashreplace").decode("ascii") if 0xD800 <= ord(c) <= 0xDFFF else c
                       for c in name)
