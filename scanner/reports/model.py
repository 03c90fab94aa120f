"""The typed report: built once, from a scan's outcome, a stored run or a JSON report file, with the facts every
format derives from it defined here once: whether an object holds personal data, completeness, what counts toward
``--fail-on``, the order of violations and of severities.

Renderers (scanner.reports), baselines (scanner.baseline) and diff (scanner.reports.diff) read a Report; none
of them works on the JSON document, which is what the JSON renderer writes (``to_document``, schema
pii-scan/report@1, DESIGN.md "report contract").
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, UTC
from functools import cached_property
from typing import Any, Protocol

from scanner.object_names import shown_uri
from scanner.model import (
    SEVERITY_ORDER,
    Evidence,
    Finding,
    ObjectResult,
    Results,
    ScanOutcome,
    Severity,
    SourceFailure,
    Status,
    Violation,
    holding_digest,
    personal_data,
    violation_order,
)

__all__ = ["Report", "SEVERITY_ORDER", "SCHEMA", "ReportObject", "ReportViolation", "ReportContainer",
           "BaselineComparison", "canonical", "worst"]

SCHEMA = "pii-scan/report@1"
_SCALARS = frozenset({str, int, float, bool, type(None)})
_UNKNOWN_TRANSFER: Mapping[str, Any] = {"status": "unknown", "basis": None}
_HOLE = "\x00objects\x00"          # stands for the objects in the document the run-id digest encodes


def canonical(value: Any) -> Any:
    """Mappings with sorted keys and sets as sorted lists, all the way down: order that carries no meaning
    must not depend on dict or set iteration order."""
    if type(value) in _SCALARS:                # NOTE: most leaves; isinstance(x, Mapping) is slow
        return value
    if type(value) is dict and all(type(k) is str for k in value):
        return {k: v if type(v) in _SCALARS else canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, Mapping):
        return {str(k): canonical(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, (set, frozenset)):
        return sorted(canonical(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    return value


def iso(dt: datetime | None) -> str | None:
    return dt.isoformat().replace("+00:00", "Z") if dt else None


class Shared:
    """Equal values as one object: ``share(x)`` is ``x``, or an equal value shared before. For the read-only
    values a report holds many times over (a violation's rule, message and advice, and its canonical evidence:
    the same folders, counts and categories), so that thousands of violations do not hold thousands of copies."""

    def __init__(self) -> None:
        self._memo: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        kind = type(value)
        if kind is str:
            key: Any = value
        elif kind is dict:
            value = {self(k): self(v) for k, v in value.items()}
            key = ("\x00dict", *((k, _part(v)) for k, v in value.items()))
        elif kind is list:
            value = [self(v) for v in value]
            key = ("\x00list", *map(_part, value))
        else:
            return value
        try:
            return self._memo.setdefault(key, value)
        except TypeError:                 # an unhashable leaf: not shared
            return value


def _part(value: Any) -> Any:
    """A shared part by identity (the memo keeps it alive, so its id is not reused), any other leaf by value."""
    return id(value) if type(value) in (str, dict, list) else (type(value), value)


# -- the parts ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRun:
    id: str
    jurisdiction: str
    sources: tuple[str, ...]
    started: str | None
    finished: str | None


@dataclass(frozen=True)
class ReportContainer:
    uri: str
    provider: str | None
    location: str | None
    countries: tuple[str, ...]
    transfer: Mapping[str, Any]          # status (domestic|adequate|partial|not_adequate|unknown), basis, …
    public: bool | None
    encrypted: bool | None

    @property
    def transfer_status(self) -> str:
        return str(self.transfer.get("status") or "unknown")


@dataclass(frozen=True)
class ReportObject:
    uri: str
    container: str
    status: str                          # scanned | skipped | failed
    reason: str | None
    size: int | None
    modified: str | None
    type: str | None
    entities: Mapping[str, int]
    special_categories: tuple[str, ...]
    children: bool
    subjects_estimate: int
    findings: tuple[Finding, ...]           # where-mappings canonical
    digest: str | None
    evidence: tuple[Evidence, ...] = ()
    sample: Mapping[str, Any] = field(default_factory=dict)

    @property
    def has_personal(self) -> bool:
        """THE rule (scanner.model.personal_data): an entity, a special category or a sign of children."""
        return personal_data(self.entities, self.special_categories, self.children)

    @property
    def cuts(self) -> Mapping[str, Any]:
        """Where a limit (or the NER budget) stopped the reading before the end: read in part."""
        return self.sample.get("cuts") or {}


@dataclass(frozen=True)
class ReportViolation(Violation):
    """A violation as a report holds it: once compared with a baseline, with its key and state."""

    key: str | None = None               # set when compared with a baseline
    baseline: str | None = None          # new | unchanged, when compared with a baseline

    @property
    def counts_toward_fail_on(self) -> bool:
        """A violation counts toward --fail-on unless a baseline marked it unchanged."""
        return self.baseline != "unchanged"


@dataclass(frozen=True)
class BaselineComparison:
    """What comparing with a baseline found: new violations by severity, how many were unchanged, and the
    baseline entries that no longer occur (fixed, or their evidence changed)."""

    new: Mapping[str, int]
    unchanged: int
    absent: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class Completeness:
    """complete | partial (some objects failed) | incomplete (a named source could not be read at all)."""

    status: str
    why: str | None

    @classmethod
    def of(cls, failed_objects: int, source_failures: int) -> Completeness:
        if source_failures:
            return cls("incomplete", f"{source_failures} source(s) could not be read")
        if failed_objects:
            return cls("partial", f"{failed_objects} object(s) could not be read")
        return cls("complete", None)


@dataclass(frozen=True)
class Summary:
    """The aggregates of a report, worked out in one pass over its objects (Tally) or read back from a file."""

    objects: int
    with_personal_data: int
    entities: Mapping[str, int]
    special_categories: tuple[str, ...]
    children: int
    coverage: Mapping[str, Any]
    completeness: Completeness


class Tally:
    """Aggregates over objects as they stream past (one object at a time): the report's summary and coverage."""

    def __init__(self, targets: Collection[str] | None = None) -> None:
        self.targets = targets              # the violations' targets (None: not given): the objects among them are noted
        self.target_index: dict[str, tuple[str, str | None]] = {}
        self.shown: dict[str, str] = {}     # raw URI -> shown URI of the targets whose names hold personal data
        self.places: defaultdict[str, Place] = defaultdict(Place)
        self.cut = 0
        self.objects = self.personal = self.children = self.bytes = self.sampled = self.bytes_read = 0
        self.entities: Counter[str] = Counter()
        self.special: set[str] = set()
        self.by_status = {s.value: [0, 0] for s in Status}
        self.reasons = {s.value: Counter[str]() for s in Status if s is not Status.SCANNED}
        self.reason_bytes = {s.value: Counter[str]() for s in Status if s is not Status.SCANNED}

    def add(self, o: ReportObject, bytes_read: int = 0, raw_uri: str | None = None) -> None:
        """Count ``o``; ``raw_uri``: its result's URI when ``o`` shows it masked (scanner.object_names)."""
        size = o.size or 0
        self.objects += 1
        self.bytes += size
        self.personal += o.has_personal
        self.children += bool(o.children)
        self.entities.update(o.entities)
        self.special.update(o.special_categories)
        self.by_status[o.status][0] += 1
        self.by_status[o.status][1] += size
        if o.status != Status.SCANNED.value:
            self.reasons[o.status][o.reason or "unknown"] += 1
            self.reason_bytes[o.status][o.reason or "unknown"] += size
        self.sampled += bool(o.sample)
        self.bytes_read += bytes_read
        raw = o.uri if raw_uri is None else raw_uri
        if self.targets is not None and raw in self.targets:
            self.target_index[o.uri] = (o.container, o.digest)
            if raw != o.uri:
                self.shown[raw] = o.uri
        if o.has_personal:
            self.places[o.container or ""].add(o)
        self.cut += bool(o.cuts)

    def summary(self, source_failures: int) -> Summary:
        cov: dict[str, Any] = {"objects": self.objects, "bytes": self.bytes}
        for status in Status:
            n, size = self.by_status[status.value]
            cov[status.value] = {"objects": n, "bytes": size}
            if status is not Status.SCANNED:
                cov[status.value]["reasons"] = dict(sorted(self.reasons[status.value].items()))
                cov[status.value]["reason_bytes"] = dict(sorted(self.reason_bytes[status.value].items()))
        cov["sampled"] = self.sampled
        cov["bytes_read"] = self.bytes_read
        return Summary(objects=self.objects, with_personal_data=self.personal,
                       entities=dict(sorted(self.entities.items())), special_categories=tuple(sorted(self.special)),
                       children=self.children, coverage=cov,
                       completeness=Completeness.of(self.by_status[Status.FAILED.value][0], source_failures))


# -- the report --------------------------------------------------------------------------------------------------


class Objects(Protocol):
    """A report's objects, sorted by uri: a tuple, or a stored run's results read again on each pass (a scan's,
    ResultObjects over its store; a re-rendered run's, scanner.app.StoredObjects), so that a large estate's report
    never holds them all."""

    def __iter__(self) -> Iterator[ReportObject]: ...

    def __len__(self) -> int: ...


@dataclass(frozen=True)
class Report:
    run: ReportRun
    containers: tuple[ReportContainer, ...]
    objects: Objects                                 # sorted by uri; iterate, do not index
    violations: tuple[ReportViolation, ...]          # in the one order, scanner.model.violation_order
    summary: Summary
    source_failures: tuple[SourceFailure, ...] = ()
    risk: Mapping[str, Any] | None = None            # organisation and per-container risk scores
    suppressions: Mapping[str, Any] | None = None    # applied, unused and expired suppressions
    warnings: tuple[str, ...] | None = None
    allowlist: Mapping[str, Any] | None = None       # what the allowlist removed, and its rules
    baseline: BaselineComparison | None = None       # set when compared with a baseline
    # what the pass that adds up the summary noted of the objects (None: not noted, as in a report read from a
    # file): read through target_objects, places() and cut_count()
    noted: Noted | None = field(default=None, compare=False, repr=False)

    # -- building ----------------------------------------------------------------------------------------------

    @classmethod
    def from_outcome(cls, outcome: ScanOutcome, baseline: Mapping[str, Any] | None = None) -> Report:
        """The report of a scan (or of a stored run's outcome), marked against ``baseline`` when given. A scan's
        results are a view of its store (in uri order), read again on each pass and never all held (issue 16 item
        4); results held in a tuple are sorted here."""
        results = outcome.results
        if isinstance(results, Sequence):
            results = tuple(sorted(results, key=lambda r: r.ref.uri))
        objects = ResultObjects(results)
        tally = Tally({v.target for v in outcome.violations})
        for r in objects.results:
            tally.add(report_object(r), r.bytes_read, r.ref.uri)
        return cls.assemble(outcome, objects, tally, baseline)

    @classmethod
    def assemble(cls, outcome: ScanOutcome, objects: Objects, tally: Tally,
                 baseline: Mapping[str, Any] | None = None) -> Report:
        """The report of ``outcome`` with its ``objects`` (sorted by uri, aggregated in ``tally``) given apart,
        so that they can be streamed from a store rather than held as results."""
        run = outcome.run
        transfer = outcome.transfer
        share = Shared()          # NOTE: a report holds its violations; most repeat their texts and evidence
        report = cls(
            run=ReportRun(run.id, run.jurisdiction, tuple(run.sources), iso(run.started), iso(run.finished)),
            containers=tuple(
                ReportContainer(c.uri, c.provider, c.location, tuple(c.countries),
                                canonical(transfer.get(c.uri, _UNKNOWN_TRANSFER)), c.public, c.encrypted)
                for c in sorted(outcome.containers, key=lambda c: c.uri)),
            objects=objects,
            violations=tuple(sorted((_shown_violation(v, tally.shown, share) for v in outcome.violations),
                                    key=violation_order)),
            summary=tally.summary(len(outcome.source_failures)),
            source_failures=tuple(sorted(outcome.source_failures, key=lambda f: (f.source, f.reason))),
            risk=canonical(outcome.risk) if outcome.risk is not None else None,
            suppressions=canonical(outcome.suppressions) if outcome.suppressions is not None else None,
            warnings=tuple(outcome.warnings) if outcome.warnings is not None else None,
            allowlist=canonical(outcome.allowlist) if outcome.allowlist is not None else None,
            noted=(Noted(objects, frozenset(tally.shown.get(t, t) for t in tally.targets), tally.target_index,
                         dict(tally.places), tally.cut)
                   if tally.targets is not None else None),
        )
        report = report.reproducible(inputs=run.settings)
        if baseline is not None:
            report = report.with_baseline(baseline)
        return report

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> Report:
        """A report read back (a JSON report file)."""
        from scanner.reports.json_report import parse_document

        return parse_document(doc)

    def with_baseline(self, baseline: Mapping[str, Any]) -> Report:
        """This report with each violation marked new or unchanged against ``baseline`` (scanner.baseline)."""
        from scanner.baseline import annotate

        return annotate(self, baseline)

    def reproducible(self, inputs: Mapping[str, Any] | None = None,
                     environ: Mapping[str, str] | None = None) -> Report:
        """The reproducible-builds convention: with SOURCE_DATE_EPOCH set, run.started/finished are pinned to it
        and run.id is a digest of the inputs and results, so two scans of the same input are byte-identical."""
        epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
        if not epoch:
            return self
        try:
            when = datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError):
            return self                # NOTE: a malformed value is ignored, as reproducible-builds.org advises
        from scanner.reports.json_report import object_document, to_document

        pinned = replace(self, run=replace(self.run, id="", started=iso(when), finished=iso(when)))
        # the digest of the whole document as sorted, compact JSON; its objects are encoded one at a time
        dump = functools.partial(json.dumps, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
        head, tail = dump({**to_document(pinned, objects=_HOLE), "inputs": canonical(inputs or {})}).split(
            dump(_HOLE), 1)
        sha = hashlib.sha256(head.encode("utf-8", "surrogateescape") + b"[")
        for i, o in enumerate(pinned.objects):
            sha.update((b"," if i else b"") + dump(object_document(o)).encode("utf-8", "surrogateescape"))
        sha.update(b"]" + tail.encode("utf-8", "surrogateescape"))
        return replace(pinned, run=replace(pinned.run, id="r" + sha.hexdigest()[:11]))

    # -- derived facts, defined once ---------------------------------------------------------------------------

    @property
    def personal(self) -> Iterator[ReportObject]:
        """The objects holding personal data (a new pass over the objects each time)."""
        return (o for o in self.objects if o.has_personal)

    @cached_property
    def counting(self) -> tuple[ReportViolation, ...]:
        """The violations that count toward --fail-on: all, or only the new ones when a baseline was applied."""
        return tuple(v for v in self.violations if v.counts_toward_fail_on)

    def fails_on(self, threshold: Severity | None) -> bool:
        """Whether a counting violation is at or above ``threshold``."""
        return threshold is not None and any(v.severity.rank >= threshold.rank for v in self.counting)

    @property
    def worst_counting(self) -> Severity | None:
        """The severity of the most severe violation that counts toward --fail-on."""
        return worst(self.counting)

    @cached_property
    def violations_by_severity(self) -> Mapping[str, int]:
        """Violations per severity, most severe first (every severity, zero included)."""
        counts = Counter(v.severity.value for v in self.violations)
        return {s: counts.get(s, 0) for s in SEVERITY_ORDER}

    @property
    def failed_objects(self) -> int:
        """How many objects could not be read (what --strict fails on)."""
        return int(self.summary.coverage.get("failed", {}).get("objects", 0))

    @property
    def complete(self) -> bool:
        """Every named source could be read (objects may still have failed: see completeness)."""
        return not self.source_failures

    @cached_property
    def completeness(self) -> dict[str, Any]:
        """complete / partial / incomplete (and why), with the objects scanned out of the total and that as a
        percentage."""
        cov = self.summary.coverage
        total = cov.get("objects", 0)
        scanned = cov.get("scanned", {}).get("objects", 0)
        return {"status": self.summary.completeness.status, "why": self.summary.completeness.why,
                "scanned": scanned, "total": total, "percent": round(100 * scanned / total) if total else 100}

    @cached_property
    def by_target(self) -> Mapping[str, tuple[ReportViolation, ...]]:
        """Violations by their target (an object or a container URI), in violation order."""
        out: dict[str, list[ReportViolation]] = {}
        for v in self.violations:
            out.setdefault(v.target, []).append(v)
        return {k: tuple(v) for k, v in out.items()}

    def objects_with_status(self, status: str) -> Iterator[ReportObject]:
        return (o for o in self.objects if o.status == status)

    @cached_property
    def targets(self) -> frozenset[str]:
        """The objects and containers the violations are about."""
        return frozenset(v.target for v in self.violations)

    @property
    def target_objects(self) -> Mapping[str, tuple[str, str | None]]:
        """uri -> (container, holding digest) of each object a violation is about: from what the summary's pass
        noted when it holds for these objects and violations, else from a pass over the objects (a store's
        objects are read again on each pass)."""
        noted = self._noted()
        if noted is not None and self.targets <= noted.targets:
            return noted.entries
        targets = self.targets
        return {o.uri: (o.container, o.digest) for o in self.objects if o.uri in targets}

    def places(self) -> Mapping[str, Place]:
        """The objects with personal data added up per location (container URI)."""
        noted = self._noted()
        if noted is not None:
            return noted.places
        places: defaultdict[str, Place] = defaultdict(Place)
        for o in self.personal:
            places[o.container or ""].add(o)
        return places

    def cut_count(self) -> int:
        """How many objects were read in part (a limit or the NER budget stopped before the end)."""
        noted = self._noted()
        return noted.cut if noted is not None else sum(1 for o in self.objects if o.cuts)

    def _noted(self) -> Noted | None:
        """What the summary's pass noted, if it was noted of these objects (a replaced report works it out again)."""
        return self.noted if self.noted is not None and self.noted.objects is self.objects else None


LARGEST_PER_PLACE = 3        # the objects holding the most people, named per location


@dataclass
class Place:
    """What one location's objects with personal data hold, added up object by object (the objects are not kept)."""

    objects: int = 0
    people: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    special: set[str] = field(default_factory=set)
    children: int = 0
    largest: list[tuple[int, str, str]] = field(default_factory=list)   # (-people, uri, container), the top few

    def add(self, o: ReportObject) -> None:
        self.objects += 1
        self.people += o.subjects_estimate
        self.entities.update(o.entities)
        self.special.update(o.special_categories)
        self.children += bool(o.children)
        self.largest.append((-o.subjects_estimate, o.uri, o.container))
        if len(self.largest) > LARGEST_PER_PLACE:
            self.largest.sort()
            del self.largest[LARGEST_PER_PLACE:]


@dataclass(frozen=True)
class Noted:
    """What Tally noted while it read ``objects``: of the objects among ``targets``, uri -> (container, digest);
    the objects with personal data added up per location; how many objects were read in part."""

    objects: Objects = field(compare=False)
    targets: frozenset[str]
    entries: Mapping[str, tuple[str, str | None]]
    places: Mapping[str, Place]
    cut: int


@dataclass(frozen=True)
class ResultObjects:
    """A scan's results as report objects, made on each pass rather than held beside the results."""

    results: Results                              # sorted by uri: a tuple, or a view of the scan's store

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self) -> Iterator[ReportObject]:
        return map(report_object, self.results)


def worst(violations: Iterable[ReportViolation]) -> Severity | None:
    """The most severe of ``violations``' severities (None if there are none)."""
    return max((v.severity for v in violations), key=lambda s: s.rank, default=None)


def _shown_violation(v: Violation, shown: Mapping[str, str], share: Shared) -> ReportViolation:
    """``v`` as the report shows it: about its target's shown URI. (Its evidence comes from the facts the store
    keeps, whose names are masked already: scanner.object_names, Store._stored.)"""
    return ReportViolation(share(v.rule), share(v.principle), v.severity, shown.get(v.target, v.target),
                           share(v.message), share(v.advice), share(canonical(v.evidence)) if v.evidence else {})


def report_object(r: ObjectResult) -> ReportObject:
    """One result as the report shows it (entities sorted, where-mappings canonical)."""
    h = r.holding
    return ReportObject(
        uri=shown_uri(r.ref), container=r.ref.container, status=r.status.value, reason=r.reason, size=r.ref.size,
        modified=iso(r.ref.modified), type=r.sniffed_type, entities=dict(sorted(h.entities.items())),
        special_categories=tuple(sorted(h.special_categories)), children=h.children,
        subjects_estimate=h.subjects_estimate,
        findings=tuple(replace(f, where=canonical(f.where)) for f in r.findings),
        digest=holding_digest(r),
        evidence=tuple(replace(e, where=canonical(e.where)) for e in h.evidence),
        sample=canonical(r.sample) if r.sample else {},
    )
