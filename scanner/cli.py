"""The pii-scan command line: parses options and calls the library. Errors become exits in one place."""
from __future__ import annotations

import contextlib
import functools
import io
import json
import logging
import sys
import traceback
from pathlib import Path
from typing import Any, Callable

import click
from rich.console import Console

from scanner.errors import (
    EXIT_FINDINGS,
    EXIT_INCOMPLETE,
    EXIT_INTERNAL,
    EXIT_OK,
    ScannerError,
    UsageError,
    as_scanner_error,
)
from scanner.model import Severity, Status
from scanner.reports import Format
from scanner.reports.views import console_text

SEVERITIES = [s.value for s in Severity]
REPORT_FORMATS = [f.value for f in Format]      # in the Enum's order, which is the order --help shows


def _octal_mode(ctx: click.Context, param: click.Parameter, value: str | None) -> int:
    from scanner.reports import OUTPUT_MODE, parse_output_mode

    try:
        return OUTPUT_MODE if value is None else parse_output_mode(value)
    except ScannerError as exc:
        raise click.BadParameter(str(exc).split(": ", 1)[-1]) from None


_output_mode_option = click.option("--output-mode", "output_mode", default=None, metavar="MODE",
                                   callback=_octal_mode, help="File mode of written outputs, octal [default: 600].")


def handle_errors(func: Callable) -> Callable:
    """Turn ScannerError (and click's own usage errors) into one line on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ScannerError as exc:
            click.echo(f"pii-scan: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("pii-scan: interrupted", err=True)
            sys.exit(130)
        except (click.ClickException, click.exceptions.Exit):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place a library failure becomes an exit
            mapped = as_scanner_error(exc)
            if mapped is not None:
                click.echo(f"pii-scan: error: {mapped}", err=True)
                sys.exit(mapped.exit_code)
            if logging.getLogger("pii_scan").isEnabledFor(logging.DEBUG):
                traceback.print_exc(file=sys.stderr)
            click.echo(f"pii-scan: internal error: {exc.__class__.__name__} "
                       "(a bug; run again with -vv for the traceback and report it)", err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    logging.basicConfig(level=level, format="pii-scan: %(levelname)s: %(message)s", stream=sys.stderr, force=True)
    for noisy in ("presidio-analyzer", "botocore", "urllib3", "azure", "google", "smbprotocol", "distributed",
                  "tldextract", "filelock"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="pii-scan")
def main() -> None:
    """Find personal data in file shares and cloud buckets and judge where it is held."""


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="console", show_default=True,
              help="What to print on stdout.")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False),
              help="Write a report to this file, in the format its extension names (.json .sarif .csv .md .html); "
                   "repeatable.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Only violations not in this baseline count toward --fail-on (see `pii-scan baseline create`).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Your policy/config YAML.")
@click.option("--jurisdiction", type=click.Choice(["uk", "eu"]), default=None, help="Adequacy regime (default uk).")
@click.option("--exclude", multiple=True, help="Glob of object paths to leave out (repeatable).")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Exit 1 when a violation at or above this severity is found.")
@click.option("--strict", is_flag=True, help="Exit 3 when any object failed to be read.")
@click.option("--show-values", is_flag=True, help="Include raw values in the report (never by default).")
@click.option("--profile", help="AWS profile for s3:// sources.")
@click.option("--endpoint-url", help="S3-compatible endpoint URL.")
@click.option("--project", help="GCP project for gs:// (every bucket of the project).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes scanning in parallel (default: CPU count; 1 scans in this process).")
@click.option("--executor", default="local", show_default=True, metavar="local|dask://HOST:PORT",
              help="Where objects are scanned: a local process pool, or an existing Dask cluster.")
@click.option("--state", "state_path", type=click.Path(dir_okay=False),
              help="The state store (SQLite) for incremental and resumed scans [default: in the data directory].")
@click.option("--full", is_flag=True, help="Read every object again, even those unchanged since the last scan.")
@click.option("--full-counts", is_flag=True,
              help="Count every name and place (no per-object NER budget); slower on big text files.")
@click.option("--sample-bytes", type=click.IntRange(min=1), default=None, metavar="N",
              help="Read only the first N bytes of each object (recorded per object in the report).")
@click.option("--sample-objects", type=click.FloatRange(min=0, max=100, min_open=True), default=None, metavar="PCT",
              help="Scan only PCT%% of the objects, chosen by a hash of the uri (the same ones on every run).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr (no progress).")
@click.option("-v", "--verbose", count=True, help="More detail on stderr (-vv for debug).")
@click.option("--workers-force", is_flag=True, help="Start --workers processes even beyond the CPUs or memory.")
@_output_mode_option
@handle_errors
def scan(sources: tuple[str, ...], fmt: str, outputs: tuple[str, ...], config_path: str | None,
         jurisdiction: str | None, exclude: tuple[str, ...], fail_on: str | None, strict: bool, show_values: bool,
         profile: str | None, endpoint_url: str | None, project: str | None, workers: int | None, executor: str,
         state_path: str | None, full: bool, sample_bytes: int | None, sample_objects: float | None, quiet: bool,
         verbose: int, full_counts: bool, baseline_path: str | None, output_mode: int,
         workers_force: bool) -> None:
    """Discover personal data in SOURCES (paths, file://, smb://, s3://, gs://, az://) and judge it."""
    from scanner.config import load_config
    from scanner.connectors.base import ConnectorOptions
    from scanner.reports.console import render_console
    from dataclasses import replace

    from scanner.baseline import annotate, apply_allowlist, new_violations
    from scanner.reports import check_writable, format_for_path, write, write_file
    from scanner.reports.json_report import build_document
    from scanner.scan import run_scan

    _setup_logging(verbose, quiet)
    config = load_config(config_path, jurisdiction=jurisdiction, exclude=exclude or None,
                         show_values=show_values or None, full_counts=full_counts or None)
    settings = config.scan
    targets = [(Path(p), format_for_path(p)) for p in outputs]
    for path, _ in targets:
        check_writable(path)                       # before the scan: a bad -o never costs a scan
    options = ConnectorOptions(profile=profile, endpoint_url=endpoint_url, project=project)
    from scanner.executors import WorkerSpec, capped_workers, dask_address
    from scanner.judge import judge
    from scanner.privacy import load_or_create_secret
    from scanner.progress import make_progress
    from scanner.scan import Sampling
    from scanner.store import Store

    if executor != "local":
        dask_address(executor)                     # a bad --executor is a usage error before any work
    sampling = Sampling(bytes=sample_bytes, objects_pct=sample_objects)
    spec = WorkerSpec(settings, load_or_create_secret(), sample_bytes)   # each process builds its own Worker
    allow = config.allowlist
    baseline = _load_baseline(baseline_path, spec.secret) if baseline_path else None
    with Store(state_path) as store:
        outcome = run_scan(sources, settings, spec, options, make_progress(quiet), store=store, executor=executor,
                           workers=capped_workers(workers, workers_force) if executor == "local" else workers,
                           full=full, sampling=sampling,
                           judge=lambda o: judge(apply_allowlist(o, allow), config.policy, settings.jurisdiction),
                           load_index=bool(allow))
    doc = build_document(outcome)
    if baseline is not None:
        doc = annotate(doc, baseline)
    for path, out_fmt in targets:
        write_file(path, out_fmt, doc, output_mode)
    if fmt != "console":
        write(fmt, doc, sys.stdout)
    else:
        render_console(doc, Console(soft_wrap=False, width=max(100, Console().width)), verbosity=verbose)
    counted = replace(outcome, violations=new_violations(outcome.violations, doc, baseline))
    sys.exit(exit_code(counted, fail_on, strict))


def exit_code(outcome, fail_on: str | None, strict: bool) -> int:
    """3 incomplete (a source unreadable, or --strict and an object failed), else 1 at --fail-on, else 0."""
    if outcome.source_failures or (strict and any(r.status is Status.FAILED for r in outcome.results)):
        return EXIT_INCOMPLETE
    from scanner.policy.engine import severity_at_least

    if fail_on and severity_at_least(outcome.violations, Severity(fail_on)):
        return EXIT_FINDINGS
    return EXIT_OK


@main.command()
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--show-values", is_flag=True, help="Add the raw matched text to each line.")
@click.option("--jsonl", is_flag=True,
              help='FILE holds JSON lines {"id": ..., "text": ...}; write {"id": ..., "spans": [...]} per line.')
@click.option("--explain", is_flag=True, help="Say why each match scored what it did (pattern, checks, context).")
@handle_errors
def detect(file: str, show_values: bool, jsonl: bool, explain: bool) -> None:
    """Findings in one text FILE (or - for stdin), one JSON object a line, with exact character offsets.

    Every finding is reported: no sampling, no NER budget."""
    from detectors.engine import Detector
    from scanner.extract.sniff import text_encoding
    from scanner.privacy import mask

    _setup_logging(0, False)
    data = sys.stdin.buffer.read() if file == "-" else _read_bytes(file)
    encoding = text_encoding(data[:65536]) or "utf-8"
    text = data.decode(encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    detector = Detector()
    if jsonl:
        from detectors.batch import BadRecord, detect_jsonl

        try:
            for record in detect_jsonl(detector, text.splitlines(), explain=explain, show_values=show_values):
                click.echo(json.dumps(record, ensure_ascii=False))
        except BadRecord as exc:
            raise UsageError(f"{file}: {exc}") from None
        return
    for d in detector.analyze(text, explain=explain):
        row = {"entity": d.entity, "start": d.start, "end": d.end, "score": d.score, "masked": mask(d.entity, d.text)}
        if show_values:
            row["value"] = d.text
        if explain:
            row["explanation"] = d.explanation
        click.echo(json.dumps(row, ensure_ascii=False))


@main.command()
@click.argument("sources", nargs=-1)
@click.option("--check-data", is_flag=True,
              help="List cloud region names the installed SDKs know but our location tables do not (no SOURCE).")
@click.option("--format", "fmt", type=click.Choice(["console", "json"]), default="console", show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Your policy/config YAML.")
@click.option("--jurisdiction", type=click.Choice(["uk", "eu"]), default=None, help="Adequacy regime (default uk).")
@click.option("--profile", help="AWS profile for s3:// sources.")
@click.option("--endpoint-url", help="S3-compatible endpoint URL.")
@click.option("--project", help="GCP project for gs:// (every bucket of the project).")
@handle_errors
def locations(sources: tuple[str, ...], check_data: bool, fmt: str, config_path: str | None,
              jurisdiction: str | None, profile: str | None, endpoint_url: str | None, project: str | None) -> None:
    """Where SOURCES keep data and its transfer status, from container facts only (no content is read)."""
    from rich.table import Table

    if check_data:
        from scanner import location_check

        checks = location_check.check_data()
        click.echo(json.dumps({"schema": "pii-scan/location-check@1", "providers": [c.as_dict() for c in checks]},
                              indent=2) if fmt == "json" else "\n".join(location_check.check_lines(checks)))
        sys.exit(EXIT_OK)
    if not sources:
        raise UsageError("locations: give at least one SOURCE (or --check-data)")
    from scanner.config import load_config
    from scanner.connectors.base import ConnectorOptions
    from scanner.locate import locate, locations_document

    _setup_logging(0, False)
    config = load_config(config_path, jurisdiction=jurisdiction)
    result = locate(sources, config, ConnectorOptions(profile=profile, endpoint_url=endpoint_url, project=project))
    doc = locations_document(result)
    if fmt == "json":
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        table = Table(title=f"Storage locations ({doc['jurisdiction'].upper()} adequacy)")
        for col in ("container", "provider", "location", "countries", "transfer", "public", "encrypted"):
            table.add_column(col, overflow="fold")
        yes_no = {True: "yes", False: "no", None: "unknown"}
        for c in doc["containers"]:
            table.add_row(console_text(c["uri"]), c["provider"], console_text(c["location"] or "-"),
                          ", ".join(c["countries"]) or "unknown",
                          c["transfer"]["status"], yes_no[c["public"]], yes_no[c["encrypted"]])
        console = Console(soft_wrap=False, width=max(100, Console().width))
        console.print(table)
        for f in doc["source_failures"]:
            console.print(f"[bold red]INCOMPLETE[/]: {console_text(f['source'])}: {console_text(f['reason'])}")
    sys.exit(EXIT_INCOMPLETE if result.failures else EXIT_OK)


def _read_bytes(file: str) -> bytes:
    try:
        return Path(file).read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{file}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{file}: cannot read ({exc.strerror or exc.__class__.__name__})") from None



# -- reports, diffs and baselines of stored runs ----------------------------------------------------------------

def _load_baseline(path: str, secret: bytes) -> dict:
    from scanner.baseline import key_id, load_baseline

    return load_baseline(path, key_id(secret))


def _stored_document(store, run_id: str | None) -> dict:
    """A stored run (default: the latest complete one) as a report document, as its scan rendered it."""
    from scanner.baseline import reapply_allowlist
    from scanner.reports.json_report import build_document

    run_id = run_id or store.latest_run()
    if run_id is None:
        raise UsageError(f"no completed run in {store.path}; run `pii-scan scan` first")
    outcome = store.load_outcome(run_id)
    if (outcome.extras.get("allowlist") or {}).get("rules"):
        outcome = store.load_outcome(run_id, with_index=True)    # a value allowlist needs every keyed hash
    # NOTE: a run scanned with --show-values keeps its raw values in the store; re-rendering it (report,
    # diff) does not show them again
    return build_document(reapply_allowlist(without_values(outcome)))


def without_values(outcome):
    """The outcome with every finding's raw ``value`` dropped (masks and keyed hashes kept)."""
    from dataclasses import replace

    return replace(outcome, results=tuple(
        replace(r, findings=tuple(replace(f, value=None) for f in r.findings))
        if any(f.value is not None for f in r.findings) else r for r in outcome.results))


def _read_report(path: str) -> dict:
    """A JSON report file written by `pii-scan scan -o` or `report -o`."""
    from scanner.reports.json_report import SCHEMA

    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not a readable JSON report ({exc.__class__.__name__})") from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise UsageError(f"{path}: not a pii-scan JSON report (schema {SCHEMA})")
    return doc


def _report_document(store_path: str | None, run_id: str | None, from_report: str | None) -> dict:
    if from_report:
        return _read_report(from_report)
    from scanner.store import Store

    with Store(store_path) as store:
        return _stored_document(store, run_id)


_state_option = click.option("--state", "state_path", type=click.Path(dir_okay=False),
                             help="The state store (SQLite) [default: in the data directory].")


@main.command()
@click.argument("run_id", metavar="[RUN]", required=False)
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default=None,
              help="Format on stdout [default: console, or from the extension of -o].")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False),
              help="Write to this file, in the format its extension names (.json .sarif .csv .md .html); repeatable.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Mark each violation new or unchanged against this baseline.")
@click.option("--list", "list_runs", is_flag=True, help="List the stored runs instead.")
@_state_option
@_output_mode_option
@handle_errors
def report(run_id: str | None, fmt: str | None, outputs: tuple[str, ...], baseline_path: str | None,
           list_runs: bool, state_path: str | None, output_mode: int) -> None:
    """Re-render a stored run (default: the latest complete one) in any format."""
    from scanner.baseline import annotate
    from scanner.privacy import load_or_create_secret
    from scanner.reports import format_for_path, write, write_file
    from scanner.store import Store

    with Store(state_path) as store:
        if list_runs:
            for r in reversed(store.runs()):
                click.echo(f"{r.id}  {r.started.isoformat() if r.started else '?'}  {r.status:<8}  "
                           f"{r.objects:>6} objects  {' '.join(r.sources)}")
            return
        targets = [(Path(p), format_for_path(p)) for p in outputs]
        doc = _stored_document(store, run_id)
    if baseline_path:
        doc = annotate(doc, _load_baseline(baseline_path, load_or_create_secret()))
    for path, out_fmt in targets:
        write_file(path, out_fmt, doc, output_mode)
    if fmt or not targets:
        write(fmt or "console", doc, sys.stdout)


@main.command()
@click.argument("run_a")
@click.argument("run_b")
@click.option("--format", "fmt", type=click.Choice(["console", "json", "md"]), default="console", show_default=True)
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Exit 1 when RUN_B has a new or worsened violation at or above this severity.")
@_state_option
@handle_errors
def diff(run_a: str, run_b: str, fmt: str, fail_on: str | None, state_path: str | None) -> None:
    """New, removed and changed holdings and violations from RUN_A to RUN_B (run ids, or JSON report files)."""
    from scanner.reports.diff import diff_documents, render_diff_markdown, render_diff_text
    from scanner.store import Store

    refs = (run_a, run_b)
    is_file = [ref.endswith(".json") and Path(ref).exists() for ref in refs]       # else a run id in the store
    with contextlib.ExitStack() as stack:
        store = None if all(is_file) else stack.enter_context(Store(state_path))      # opened once, if at all
        a, b = (_read_report(ref) if f else _stored_document(store, ref) for ref, f in zip(refs, is_file))
    result = diff_documents(a, b)
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    elif fmt == "md":
        click.echo(render_diff_markdown(result), nl=False)
    else:
        click.echo(render_diff_text(result), nl=False)
    worse = result["violations"]["new"] + [c["after"] for c in result["violations"]["changed"]]
    if fail_on and any(Severity(v["severity"]).rank >= Severity(fail_on).rank for v in worse):
        sys.exit(EXIT_FINDINGS)


@main.command()
@click.option("--email", multiple=True, help="E-mail address (repeatable, as are all identifiers).")
@click.option("--name", multiple=True, help="Full name as written, e.g. 'Daniel Hughes'.")
@click.option("--dob", multiple=True, help="Date of birth (2011-05-12, 12/05/2011, 12 May 2011).")
@click.option("--nhs", multiple=True, help="NHS number.")
@click.option("--nino", multiple=True, help="National Insurance number.")
@click.option("--phone", multiple=True, help="Phone number (UK national or +CC).")
@click.option("--id", "ids", multiple=True, metavar="KIND=VALUE", help="Another identifier, e.g. IE_PPSN=1234567TW.")
@click.option("--reference", help="The request's own reference (e.g. DSAR-2026-014), recorded in the audit log.")
@click.option("--verify", is_flag=True, help="Re-read each matched object to confirm the match and say where it is.")
@click.option("--format", "fmt", type=click.Choice(["console", "json", "html"]), default="console",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the pack (format from --format).")
@click.option("--audit", "show_audit", is_flag=True, help="List the audit log of subject searches instead.")
@_state_option
@handle_errors
def subject(email, name, dob, nhs, nino, phone, ids, reference, verify, fmt, output, show_audit,
            state_path) -> None:
    """Every stored object holding data about one person, ranked by strength of match (subject access)."""
    import getpass
    import socket
    from datetime import datetime, timezone

    from scanner.privacy import Hasher, load_or_create_secret
    from scanner.store import Store
    from scanner.subject import SubjectQuery, document, parse_ids, query_digest, search

    _setup_logging(0, False)
    with Store(state_path) as store:
        if show_audit:
            _print_audit(store.subject_audit(), fmt)
            return
        given = {"EMAIL_ADDRESS": email, "PERSON": name, "DATE_OF_BIRTH": dob, "UK_NHS": nhs, "UK_NINO": nino,
                 "PHONE_NUMBER": phone}
        for kind, values in parse_ids(ids).items():
            given[kind] = (*given.get(kind, ()), *values)
        secret = load_or_create_secret()
        store.check_secret(secret)
        hasher = Hasher(secret)
        query = SubjectQuery.build({k: v for k, v in given.items() if v}, hasher)
        matches = search(store, query)
        if verify and matches:
            from scanner.config import build_settings
            from scanner.executors import build_worker
            from scanner.subject_verify import verify as verify_matches

            matches = verify_matches(matches, query, build_worker(build_settings(), secret), store)
        now = datetime.now(timezone.utc).replace(microsecond=0)
        who = f"{getpass.getuser()}@{socket.gethostname()}"
        audit_id = store.audit_subject(now, who, reference, query.kinds, query_digest(query, hasher), len(matches),
                                       verify)
    doc = document(query, matches, generated=now.isoformat().replace("+00:00", "Z"), audit_id=audit_id,
                   reference=reference, verified=verify)
    if fmt == "json":
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "html":
        from scanner.reports.html import render_subject_html

        text = render_subject_html(doc)
    else:
        text = _subject_console(doc)
    if output:
        from scanner.reports import atomic_text

        # NOTE: a pack is the owner's only (also when it replaces a file): it says where one person's data is
        with atomic_text(output) as out:
            out.write(text)
    else:
        click.echo(text, nl=False)


def _subject_console(doc: dict) -> str:
    from rich.table import Table

    console = Console(record=True, soft_wrap=False, width=max(100, Console().width), file=io.StringIO())
    table = Table(title=f"Subject access search: {doc['summary']['objects']} object(s)")
    cols = ["strength", "object", "country", "modified", "matched", "other data", "notes"]
    for col in cols + (["verified now"] if doc["verified"] else []):
        table.add_column(col, overflow="fold")
    for m in doc["matches"]:
        row = [f"{m['strength']} ({m['score']})", console_text(m["uri"]), ", ".join(m["country"]) or "unknown",
               m["modified"] or "-", ", ".join(m["matched"]), ", ".join(m["other_categories"]) or "-",
               console_text("; ".join(m["notes"]) or "-")]
        if doc["verified"]:
            row.append(_verification_text(m["verification"]))
        table.add_row(*row)
    console.print(table)
    console.print(f"audit entry {doc['audit_id']}; identifiers given: {', '.join(doc['identifiers_given'])}")
    for line in doc["limits"]:
        console.print(f"- {line}")
    return console.export_text()


def _verification_text(v: dict) -> str:
    if v.get("still_holds") is None:
        return v.get("error", "unknown")
    if not v["still_holds"]:
        return "no longer holds it"
    places = ["{} at {}".format(loc["entity"], ", ".join(f"{k} {val}" for k, val in loc["where"].items()))
              for loc in v["locations"]]
    return "yes: " + "; ".join(places) if places else "yes"


def _print_audit(rows: list[dict], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        click.echo(f"{r['id']:>4}  {r['at']}  {r['who']}  ref={r['reference'] or '-'}  kinds={','.join(r['kinds'])}  "
                   f"matches={r['matches']}{'  verified' if r['verified'] else ''}  query={r['query']}")


@main.group()
def baseline() -> None:
    """Accept today's violations so that CI fails only on new ones."""


@baseline.command("create")
@click.argument("run_id", metavar="[RUN]", required=False)
@click.option("-o", "--output", default=".pii-baseline.json", show_default=True, type=click.Path(dir_okay=False),
              help="Where to write the baseline.")
@click.option("--from", "from_report", type=click.Path(dir_okay=False),
              help="Take the violations from this JSON report instead of a stored run.")
@_state_option
@_output_mode_option
@handle_errors
def baseline_create(run_id: str | None, output: str, from_report: str | None, state_path: str | None,
                    output_mode: int) -> None:
    """Write a baseline of every violation in a run (default: the latest) or a JSON report."""
    from scanner.baseline import create_baseline, dump_baseline, key_id
    from scanner.privacy import load_or_create_secret
    from scanner.reports import atomic_text

    doc = _report_document(state_path, run_id, from_report)
    data = create_baseline(doc, key_id(load_or_create_secret()))
    with atomic_text(output, output_mode) as out:
        out.write(dump_baseline(data))
    click.echo(f"pii-scan: baseline of {len(data['entries'])} violation(s) written to {output}", err=True)


if __name__ == "__main__":
    main()
