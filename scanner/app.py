"""The front door: what each command does, as typed requests in and typed results out.

``scanner.cli`` only turns options into these requests and results into an exit code; everything else (loading
the config, opening the store, running the scan, judging, writing reports) happens here or below. A failure is
a ScannerError (errors.py), whose ``exit_code`` the CLI maps in one place.
"""
from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from scanner.errors import EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, UsageError
from scanner.model import ObjectResult, ScanOutcome, Severity
from scanner.reports import OUTPUT_MODE, Format
from scanner.reports.model import Report, ReportObject, report_object

SEVERITIES = tuple(s.value for s in Severity)        # the option choices, in order
REPORT_FORMATS = tuple(f.value for f in Format)      # in the Enum's order, which is the order --help shows

# -- requests ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Connection:
    """How sources are reached (the connector options a command line gives)."""

    profile: str | None = None
    endpoint_url: str | None = None
    project: str | None = None
    follow_symlinks: bool = False


@dataclass(frozen=True)
class Outputs:
    """Report files to write (format from each extension) and their file mode."""

    paths: tuple[str, ...] = ()
    mode: int = OUTPUT_MODE


@dataclass(frozen=True)
class ScanRequest:
    sources: tuple[str, ...]
    config_path: str | None = None
    jurisdiction: str | None = None
    exclude: tuple[str, ...] = ()
    show_values: bool = False
    full_counts: bool = False
    connection: Connection = Connection()
    workers: int | None = None
    workers_force: bool = False
    executor: str = "local"
    state_path: str | None = None
    full: bool = False
    sample_bytes: int | None = None
    sample_objects: float | None = None
    outputs: Outputs = Outputs()
    baseline_path: str | None = None
    quiet: bool = False


@dataclass(frozen=True)
class ReportRequest:
    run_id: str | None = None
    state_path: str | None = None
    outputs: Outputs = Outputs()
    baseline_path: str | None = None


@dataclass(frozen=True)
class SubjectRequest:
    identifiers: dict[str, tuple[str, ...]] = field(default_factory=dict)   # entity → values given
    ids: tuple[str, ...] = ()                                                # KIND=VALUE
    reference: str | None = None
    verify: bool = False
    state_path: str | None = None
    show_values: bool = False           # objects' raw URIs, also where their names hold personal data


@dataclass(frozen=True)
class LocationsRequest:
    sources: tuple[str, ...]
    config_path: str | None = None
    jurisdiction: str | None = None
    connection: Connection = Connection()


# -- results -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScanResult:
    outcome: ScanOutcome
    report: Report                         # built once; marked against the baseline when one was given

    def exit_code(self, fail_on: Severity | None, strict: bool) -> int:
        """3 incomplete (a source unreadable, or ``strict`` and an object failed), else 1 at ``fail_on``, else 0."""
        return exit_code(self.outcome, self.report, fail_on, strict)


def single_thread_blas() -> None:
    """Hold BLAS to one thread in this process and those it starts (executors.SINGLE_THREAD_ENV): call before
    anything loads numpy (the CLI does, before any command)."""
    from scanner.executors import single_thread_blas as hold

    hold()


def exit_code(outcome: ScanOutcome, report: Report, fail_on: Severity | None, strict: bool) -> int:
    if outcome.source_failures or (strict and report.failed_objects):     # (counted as the report's objects were)
        return EXIT_INCOMPLETE
    return EXIT_FINDINGS if report.fails_on(fail_on) else EXIT_OK


# -- scan --------------------------------------------------------------------------------------------------------


def discovered(req: ScanRequest, enabled: bool = True) -> tuple[ScanRequest, list[str]]:
    """The request with a .pii-scan.yaml / .pii-baseline.json found from the current folder up to the repository
    root (scanner.discovery) filling --config / --baseline when not given, and the lines naming what was found."""
    from scanner.discovery import discover

    config_path, baseline_path, notes = discover(req.config_path, req.baseline_path, enabled)
    return replace(req, config_path=config_path, baseline_path=baseline_path), notes


def scan(req: ScanRequest) -> ScanResult:
    """Validate everything (config, outputs, baseline, executor) before any I/O, scan, judge, write the reports."""
    from scanner.baseline import apply_allowlist
    from scanner.config import load_config
    from scanner.exclude import excludes_for
    from scanner.executors import WorkerSpec, capped_workers, dask_address
    from scanner.judge import judge
    from scanner.privacy import load_or_create_secret
    from scanner.progress import make_progress
    from scanner.reports import check_writable, format_for_path
    from scanner.scan import Sampling, ScanJob, run_scan
    from scanner.store import Store

    config = load_config(req.config_path, jurisdiction=req.jurisdiction, exclude=req.exclude or None,
                         show_values=req.show_values or None, full_counts=req.full_counts or None)
    settings = config.scan
    targets = [(Path(p), format_for_path(p)) for p in req.outputs.paths]
    for path, _ in targets:
        check_writable(path)                       # before the scan: a bad -o never costs a scan
    if req.executor != "local":
        dask_address(req.executor)                 # a bad --executor is a usage error before any work
    sampling = Sampling(bytes=req.sample_bytes, objects_pct=req.sample_objects)
    spec = WorkerSpec(settings, load_or_create_secret())   # each process builds its own Worker (run_scan: sampling)
    baseline = _load_baseline(req.baseline_path, spec.secret) if req.baseline_path else None
    allow = config.allowlist
    workers = capped_workers(req.workers, req.workers_force) if req.executor == "local" else req.workers
    excludes_for.cache_clear()                     # the hit counts below are this scan's
    with Store(req.state_path) as store:
        job = ScanJob(req.sources, spec, _connector_options(req.connection, settings.network), req.executor, workers,
                      req.full, sampling, load_index=bool(allow))
        outcome = run_scan(job, store, make_progress(req.quiet),
                           judge=lambda o: judge(apply_allowlist(o, allow), config.policy, settings.jurisdiction))
        for pattern in excludes_for(settings.exclude).unmatched(req.exclude):
            logging.getLogger("pii-scan").warning("--exclude %r matched nothing (gitignore semantics: a bare name "
                                                  "matches at any depth, a/b is anchored to the source root)", pattern)
        # NOTE: the outcome's results stay in the store (scan.run_scan): the report reads them on each pass, through
        # this store while it is open and by opening its file again later (rendering on the terminal)
        report = Report.from_outcome(outcome, baseline)
        _write_outputs(targets, report, req.outputs.mode)
    return ScanResult(outcome, report)


def _connector_options(c: Connection, network: Any = None) -> Any:
    from scanner.connectors.base import ConnectorOptions

    return ConnectorOptions(profile=c.profile, endpoint_url=c.endpoint_url, project=c.project, network=network,
                            extra={"follow_symlinks": True} if c.follow_symlinks else {})


def _write_outputs(targets: list[tuple[Path, Format]], report: Report, mode: int) -> None:
    from scanner.reports import write_file

    for path, fmt in targets:
        write_file(path, fmt, report, mode)


def _load_baseline(path: str, secret: bytes) -> dict[str, Any]:
    from scanner.baseline import key_id, load_baseline

    return load_baseline(path, key_id(secret))


# -- rendering on a terminal or a stream -------------------------------------------------------------------------


def render(fmt: Format | str, report: Report, out: IO[str], verbosity: int = 0) -> None:
    """A report document in ``fmt`` on ``out``; the console format is sized to the terminal and shows more
    with each ``-v`` (``verbosity``)."""
    if Format(fmt) is Format.CONSOLE:
        from rich.console import Console

        from scanner.reports.console import render_console

        console = Console(file=out, soft_wrap=False, width=max(100, Console().width))
        render_console(report, console, verbosity=verbosity)
    else:
        from scanner.reports import write

        write(fmt, report, out)


def write_report(fmt: Format | str, report: Report, out: IO[str]) -> None:
    """A report in ``fmt`` on ``out`` as a file holds it (console: 120 columns, no colour)."""
    from scanner.reports import write

    write(fmt, report, out)


# -- stored runs: report, list, diff, baseline ---------------------------------------------------------------------


def report(req: ReportRequest) -> Report:
    """A stored run (default: the latest complete one) as its scan rendered it; -o files written."""
    from scanner.privacy import load_or_create_secret
    from scanner.reports import format_for_path
    from scanner.store import Store

    targets = [(Path(p), format_for_path(p)) for p in req.outputs.paths]
    with Store(req.state_path) as store:
        rep = stored_report(store, req.run_id)
    if req.baseline_path:
        rep = rep.with_baseline(_load_baseline(req.baseline_path, load_or_create_secret()))
    _write_outputs(targets, rep, req.outputs.mode)
    return rep


def list_runs(state_path: str | None) -> list[str]:
    """One line per stored run, newest first."""
    from scanner.store import Store

    with Store(state_path) as store:
        return [f"{r.id}  {r.started.isoformat()}  {r.status:<8}  "
                f"{r.objects:>6} objects  {' '.join(r.sources)}" for r in reversed(store.runs())]


@dataclass(frozen=True)
class StoredObjects:
    """A stored run's objects as its report shows them, read from the store on each pass and never all held
    (issue 16 item 4): raw values dropped, the run's allowlist applied again."""

    path: Path
    run_id: str
    count: int
    allowlist: Mapping[str, Any] | None = None      # the rules the run was scanned with
    store: Any = None                                # an open Store to read through (kept open while used), or
                                                     # None: each pass opens ``path``

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[ReportObject]:
        for r in self.results():
            yield report_object(r)

    def results(self) -> Iterator[ObjectResult]:
        from scanner.baseline import filter_result, recorded_allowlist
        from scanner.store import Store

        allow = recorded_allowlist(self.allowlist)
        with contextlib.nullcontext(self.store) if self.store is not None else Store(self.path) as store:
            # NOTE: a value allowlist needs every keyed hash
            for r in store.iter_results(self.run_id, with_index=bool(allow)):
                r = without_values(r)
                yield filter_result(r, allow)[0] if allow else r


def stored_report(store: Any, run_id: str | None, shared: bool = False) -> Report:
    """A stored run (default: the latest complete one) as a Report, as its scan rendered it. Its objects stay in
    the store: the summary is added up in one pass, and each rendering reads them again (StoredObjects), through
    ``store`` when ``shared`` (the caller keeps it open while the report is used), else opening it each time."""
    from scanner.reports.model import Tally

    run_id = run_id or store.latest_run()
    if run_id is None:
        raise UsageError(f"no completed run in {store.path}; run `pii-scan scan` first")
    outcome = store.load_outcome(run_id, with_results=False)
    objects = StoredObjects(store.path, run_id, store.count_results(run_id), outcome.allowlist_rules,
                            store if shared else None)
    tally = Tally({v.target for v in outcome.violations})
    for r in objects.results():
        tally.add(report_object(r), r.bytes_read, r.ref.uri)
    return Report.assemble(outcome, objects, tally)


def without_values(r: ObjectResult) -> ObjectResult:
    """A result with every finding's raw ``value`` dropped (masks and keyed hashes kept). NOTE: a run scanned
    with --show-values keeps its raw values in the store; re-rendering it (report, diff) does not show them."""
    if all(f.value is None for f in r.findings):
        return r
    return replace(r, findings=tuple(replace(f, value=None) for f in r.findings))


def read_report(path: str) -> Report:
    """A JSON report file written by `pii-scan scan -o` or `report -o`."""
    from scanner.reports.json_report import SCHEMA

    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not a readable JSON report ({exc.__class__.__name__})") from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise UsageError(f"{path}: not a pii-scan JSON report (schema {SCHEMA})")
    return Report.from_document(doc)


@dataclass(frozen=True)
class DiffResult:
    document: dict[str, Any]

    def worse(self) -> list[dict[str, Any]]:
        """New violations and the new state of changed ones."""
        v = self.document["violations"]
        return [*v["new"], *(c["after"] for c in v["changed"])]

    def exit_code(self, fail_on: Severity | None) -> int:
        if fail_on and any(Severity(v["severity"]).rank >= fail_on.rank for v in self.worse()):
            return EXIT_FINDINGS
        return EXIT_OK

    def render(self, fmt: str) -> str:
        from scanner.reports.diff import render_diff_markdown, render_diff_text

        if fmt == "json":
            return json.dumps(self.document, indent=2, ensure_ascii=False) + "\n"
        return render_diff_markdown(self.document) if fmt == "md" else render_diff_text(self.document)


def diff(run_a: str, run_b: str, state_path: str | None) -> DiffResult:
    """New, removed and changed holdings and violations from A to B (run ids, or JSON report files)."""
    from scanner.reports.diff import diff_reports
    from scanner.store import Store

    refs = (run_a, run_b)
    is_file = [ref.endswith(".json") and Path(ref).exists() for ref in refs]       # else a run id in the store
    with contextlib.ExitStack() as stack:
        store = None if all(is_file) else stack.enter_context(Store(state_path))      # opened once, if at all
        a, b = (read_report(ref) if f else stored_report(store, ref, shared=True)
                for ref, f in zip(refs, is_file, strict=True))
        return DiffResult(diff_reports(a, b))


def create_baseline(run_id: str | None, output: str, from_report: str | None, state_path: str | None,
                    mode: int = OUTPUT_MODE) -> int:
    """Write a baseline of every violation in a run (default: the latest) or a JSON report; how many."""
    from scanner.baseline import create_baseline as build
    from scanner.baseline import dump_baseline, key_id
    from scanner.privacy import load_or_create_secret
    from scanner.reports import atomic_text
    from scanner.store import Store

    if from_report:
        rep = read_report(from_report)
    else:
        with Store(state_path) as store:
            rep = stored_report(store, run_id)
    data = build(rep, key_id(load_or_create_secret()))
    with atomic_text(output, mode) as out:
        out.write(dump_baseline(data))
    return len(data["entries"])


# -- detect ------------------------------------------------------------------------------------------------------


def detect(data: bytes, name: str, *, jsonl: bool, explain: bool, show_values: bool) -> Iterator[dict[str, Any]]:
    """Findings in one text, or per JSON line, as the rows `pii-scan detect` prints (all of them: no budget)."""
    from detectors.engine import Detector
    from scanner.extract.sniff import text_encoding
    from scanner.privacy import mask

    detector = Detector()
    kind = _document_kind(data, name) if not jsonl else None
    if kind is not None:
        yield from _detect_document(detector, data, name, kind, explain=explain, show_values=show_values)
        return
    encoding = text_encoding(data[:65536]) or "utf-8"
    text = data.decode(encoding, errors="replace").removeprefix("\ufeff")
    if jsonl:
        from detectors.batch import BadRecord, detect_jsonl

        try:
            yield from detect_jsonl(detector, text.splitlines(), explain=explain, show_values=show_values)
        except BadRecord as exc:
            raise UsageError(f"{name}: {exc}") from None
        return
    for d in detector.analyze(text, explain=explain):
        row: dict[str, Any] = {"entity": d.entity, "start": d.start, "end": d.end, "score": d.score,
                               "masked": mask(d.entity, d.text)}
        if show_values:
            row["value"] = d.text
        if explain:
            row["explanation"] = d.explanation
        yield row


# What `detect` reads as plain text (offsets into the file's own text) and as documents (offsets into the text an
# extractor gives, the segment named on each line): the same extractors as `scan`
_TEXT_KINDS = frozenset({"text", "csv", "tsv", "json", "jsonl", "xml", "html", "empty"})
_DOCUMENT_KINDS = frozenset({"pdf", "docx", "pptx", "odt", "xlsx", "xls", "ods", "eml", "msg"})


def _document_kind(data: bytes, name: str) -> str | None:
    """None for text; the kind for a document `detect` extracts; a usage error for anything else."""
    from scanner.extract.sniff import sniff

    kind = sniff(data[:65536], name).kind
    if kind in _TEXT_KINDS:
        return None
    if kind in _DOCUMENT_KINDS:
        return kind
    raise UsageError(f"{name}: {kind} content is not text and not a document detect reads "
                     f"({', '.join(sorted(_DOCUMENT_KINDS))}); use `pii-scan scan` for archives, tables and images")


def _detect_document(detector: Any, data: bytes, name: str, kind: str, *, explain: bool,
                     show_values: bool) -> Iterator[dict[str, Any]]:
    import io

    from scanner.extract import ExtractContext, Member, extractor_for
    from scanner.model import SegmentKind
    from scanner.privacy import mask

    def texts(seg: Any) -> Iterator[tuple[dict[str, Any], str]]:
        where = dict(seg.where)
        if seg.kind is SegmentKind.COLUMN:
            for i, value in enumerate(seg.index_values or seg.values):
                yield {**where, "column": seg.name, "value": i}, value
        elif seg.kind is SegmentKind.FIELD:
            yield {**where, "field": seg.name}, seg.text
        else:
            yield where, seg.text

    ctx = ExtractContext(name=Path(name).name)
    for seg in extractor_for(kind)(io.BytesIO(data), ctx):
        if isinstance(seg, Member):          # an attachment or embedded file: `scan` reads those as objects
            continue
        for where, text in texts(seg):
            for d in detector.analyze(text, explain=explain):
                row: dict[str, Any] = {"entity": d.entity, "start": d.start, "end": d.end, "score": d.score,
                                       "masked": mask(d.entity, d.text), "segment": where}
                if show_values:
                    row["value"] = d.text
                if explain:
                    row["explanation"] = d.explanation
                yield row


def read_input(file: str, stdin: IO[bytes]) -> bytes:
    """The bytes of FILE, or of ``stdin`` for ``-``; a usage error naming the file if it cannot be read."""
    if file == "-":
        return stdin.read()
    try:
        return Path(file).read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{file}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{file}: cannot read ({exc.strerror or exc.__class__.__name__})") from None


# -- locations ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocationsResult:
    document: dict[str, Any]
    incomplete: bool

    def exit_code(self) -> int:
        return EXIT_INCOMPLETE if self.incomplete else EXIT_OK

    def render(self, fmt: str) -> str:
        if fmt == "json":
            return json.dumps(self.document, indent=2, ensure_ascii=False) + "\n"
        from scanner.reports.console import render_locations

        return render_locations(self.document)


def locations(req: LocationsRequest) -> LocationsResult:
    """Where sources keep data and its transfer status, from container facts only (no content is read)."""
    from scanner.config import load_config
    from scanner.locate import locate, locations_document

    if not req.sources:
        raise UsageError("locations: give at least one SOURCE (or --check-data)")
    config = load_config(req.config_path, jurisdiction=req.jurisdiction)
    result = locate(req.sources, config, _connector_options(req.connection, config.scan.network))
    return LocationsResult(locations_document(result), bool(result.failures))


def check_location_data(fmt: str) -> str:
    """Cloud region names the installed SDKs know but our location tables do not."""
    from scanner import location_check

    checks = location_check.check_data()
    if fmt == "json":
        return json.dumps({"schema": "pii-scan/location-check@1", "providers": [c.as_dict() for c in checks]},
                          indent=2) + "\n"
    return "\n".join(location_check.check_lines(checks)) + "\n"


# -- subject access ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectResult:
    document: dict[str, Any]

    def render(self, fmt: str) -> str:
        if fmt == "json":
            return json.dumps(self.document, indent=2, ensure_ascii=False) + "\n"
        if fmt == "html":
            from scanner.reports.html import render_subject_html

            return render_subject_html(self.document)
        from scanner.reports.console import render_subject

        return render_subject(self.document)


def subject(req: SubjectRequest) -> SubjectResult:
    """Every stored object holding data about one person, ranked by strength of match; the search is audited."""
    import getpass
    import socket
    from datetime import UTC, datetime

    from scanner.privacy import Hasher, load_or_create_secret
    from scanner.store import Store
    from scanner.subject import SubjectQuery, document, parse_ids, query_digest, search, validate

    given = dict(req.identifiers)
    for kind, values in parse_ids(req.ids).items():
        given[kind] = (*given.get(kind, ()), *values)
    validate(given)                  # before any I/O: a bad identifier would falsely find nothing
    with Store(req.state_path) as store:
        secret = load_or_create_secret()
        store.check_secret(secret)
        hasher = Hasher(secret)
        query = SubjectQuery.build({k: v for k, v in given.items() if v}, hasher)
        matches = search(store, query)
        if req.verify and matches:
            from scanner.config import build_settings
            from scanner.executors import WorkerSpec
            from scanner.subject_verify import verify as verify_matches

            matches = verify_matches(matches, query, WorkerSpec(build_settings(), secret), store)
        now = datetime.now(UTC).replace(microsecond=0)
        who = f"{getpass.getuser()}@{socket.gethostname()}"
        audit_id = store.audit_subject(now, who, req.reference, query.kinds, query_digest(query, hasher),
                                       len(matches), req.verify)
    return SubjectResult(document(query, matches, generated=now.isoformat().replace("+00:00", "Z"),
                                  audit_id=audit_id, reference=req.reference, verified=req.verify,
                                  show_values=req.show_values))


def subject_audit(state_path: str | None, fmt: str) -> str:
    """The audit log of subject searches."""
    from scanner.store import Store

    with Store(state_path) as store:
        rows = store.subject_audit()
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    return "".join(f"{r['id']:>4}  {r['at']}  {r['who']}  ref={r['reference'] or '-'}  kinds={','.join(r['kinds'])}  "
                   f"matches={r['matches']}{'  verified' if r['verified'] else ''}  query={r['query']}\n"
                   for r in rows)


def output_format(path: str | None, given: str | None, allowed: tuple[str, ...]) -> str:
    """--format if given, else -o FILE's extension, else console (see reports.output_format)."""
    from scanner.reports import output_format as choose

    return choose(path, given, allowed)


def weak_evidence_warning(given: Mapping[str, Sequence[str]]) -> str | None:
    """The warning for a subject search by name alone."""
    from scanner.subject import weak_evidence_warning as warning

    return warning(given)


def write_text(path: str, text: str) -> None:
    """A subject-access pack, written atomically and private to the owner."""
    from scanner.reports import atomic_text

    # NOTE: a pack is the owner's only (also when it replaces a file): it says where one person's data is
    with atomic_text(path) as out:
        out.write(text)


def parse_output_mode(value: str | None) -> int:
    from scanner.reports import parse_output_mode as parse

    return OUTPUT_MODE if value is None else parse(value)


__all__ = ["Connection", "Format", "Outputs", "Severity", "ScanRequest", "ScanResult", "ReportRequest",
           "SubjectRequest",
           "LocationsRequest", "scan", "report", "render", "diff", "subject", "locations"]
