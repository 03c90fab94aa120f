"""The pii-scan command line: options become requests to scanner.app, results and errors become exit codes.

Nothing else lives here: no library logic, and one place (``handle_errors``) that maps errors and results to exits.
"""
from __future__ import annotations

import functools
import json
import logging
import sys
import traceback
from collections.abc import Callable
from typing import Any

import click

from scanner import app
from scanner.errors import EXIT_INCOMPLETE, EXIT_INTERNAL, EXIT_OK, ScannerError, as_scanner_error


def _octal_mode(ctx: click.Context, param: click.Parameter, value: str | None) -> int:
    try:
        return app.parse_output_mode(value)
    except ScannerError as exc:
        raise click.BadParameter(str(exc).split(": ", 1)[-1]) from None


_output_mode_option = click.option("--output-mode", "output_mode", default=None, metavar="MODE",
                                   callback=_octal_mode, help="File mode of written outputs, octal [default: 600].")


def _stdout_reader_gone() -> bool:
    """Whether stdout is a pipe whose reader has closed it (``pii-scan detect big.txt | head -1``): the write
    end of such a pipe polls as an error. Then stdout is pointed at /dev/null, so that the interpreter's last
    flush at exit raises nothing more."""
    import os
    import select

    if not hasattr(select, "poll"):
        return False
    try:
        fd = sys.stdout.fileno()
        poller = select.poll()
        poller.register(fd, 0)
        gone = any(event & select.POLLERR for _, event in poller.poll(0))
        if gone:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, fd)
            os.close(devnull)
        return gone
    except (OSError, ValueError):              # no real file descriptor (a test runner's capture)
        return False


def exit_status(exc: BaseException) -> tuple[int, str]:
    """THE mapping of an error to (exit code, the one line on stderr; none when there is nothing to say)."""
    if isinstance(exc, KeyboardInterrupt):
        return 130, "pii-scan: interrupted"
    if isinstance(exc, BrokenPipeError) and _stdout_reader_gone():
        return EXIT_INCOMPLETE, ""             # the reader stopped reading: what it did not read is incomplete
    mapped = as_scanner_error(exc)
    if mapped is not None:
        return mapped.exit_code, f"pii-scan: error: {mapped}"
    if logging.getLogger("pii_scan").isEnabledFor(logging.DEBUG):
        traceback.print_exc(file=sys.stderr)
    return EXIT_INTERNAL, (f"pii-scan: internal error: {exc.__class__.__name__} "
                           "(a bug; run again with -vv for the traceback and report it)")


def handle_errors(func: Callable[..., int | None]) -> Callable[..., None]:
    """Run a command; its returned exit code, or its error's, is the process's exit (the only sys.exit)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            code = func(*args, **kwargs) or EXIT_OK
        except (click.ClickException, click.exceptions.Exit):
            raise
        except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - the one place a failure becomes an exit
            code, line = exit_status(exc)
            if line:
                click.echo(line, err=True)
        sys.exit(code)

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
    # NOTE: before any command loads numpy: `detect` and a scan with --workers 1 run the NER model in this process
    # (see executors.SINGLE_THREAD_ENV; `detect --jsonl` on GUM dev: ~8% less CPU)
    app.single_thread_blas()


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(app.REPORT_FORMATS), default="console", show_default=True,
              help="What to print on stdout.")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False),
              help="Write a report to this file, in the format its extension names (.json .sarif .csv .md .html); "
                   "repeatable.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Only violations not in this baseline count toward --fail-on (see `pii-scan baseline create`).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Your policy/config YAML [default: .pii-scan.yaml or pii-scan.yaml from here up to the repo root].")
@click.option("--no-config", is_flag=True,
              help="Do not look for .pii-scan.yaml / .pii-baseline.json (only --config / --baseline are used).")
@click.option("--jurisdiction", type=click.Choice(["uk", "eu"]), default=None, help="Adequacy regime (default uk).")
@click.option("--exclude", multiple=True,
              help="Leave out paths matching this gitignore-style pattern: a bare name at any depth, a/b from the "
                   "source root, a trailing / for folders (repeatable).")
@click.option("--fail-on", type=click.Choice(app.SEVERITIES), default=None,
              help="Exit 1 when a violation at or above this severity is found.")
@click.option("--strict", is_flag=True, help="Exit 3 when any object failed to be read.")
@click.option("--show-values", is_flag=True, help="Include raw values in the report (never by default).")
@click.option("--profile", help="AWS profile for s3:// sources.")
@click.option("--endpoint-url", help="S3-compatible endpoint URL.")
@click.option("--project", help="GCP project for gs:// (every bucket of the project).")
@click.option("--follow-symlinks", is_flag=True,
              help="Follow symbolic links in local sources (a folder already scanned is not entered again).")
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
              help="Scan only PCT percent of the objects, chosen by a hash of the uri (the same ones on every run).")
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
         workers_force: bool, no_config: bool, follow_symlinks: bool) -> int:
    """Discover personal data in SOURCES (paths, file://, smb://, s3://, gs://, az://) and judge it."""
    _setup_logging(verbose, quiet)
    request, found = app.discovered(app.ScanRequest(
        sources=sources, config_path=config_path, jurisdiction=jurisdiction, exclude=exclude,
        show_values=show_values, full_counts=full_counts,
        connection=app.Connection(profile=profile, endpoint_url=endpoint_url, project=project,
                                  follow_symlinks=follow_symlinks),
        workers=workers, workers_force=workers_force, executor=executor, state_path=state_path, full=full,
        sample_bytes=sample_bytes, sample_objects=sample_objects, outputs=app.Outputs(outputs, output_mode),
        baseline_path=baseline_path, quiet=quiet), enabled=not no_config)
    if not quiet:
        for line in found:                             # the run header names the files found, not given
            click.echo(f"pii-scan: {line}", err=True)
    result = app.scan(request)
    app.render(fmt, result.report, sys.stdout, verbosity=verbose)
    for failure in result.outcome.source_failures:      # also in the report; said where a user looks first
        click.echo(f"pii-scan: error: {failure.source}: {failure.reason}", err=True)
    if not quiet:
        for path in outputs:
            click.echo(f"pii-scan: wrote {path}", err=True)
    return result.exit_code(app.Severity(fail_on) if fail_on else None, strict)


@main.command()
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--show-values", is_flag=True, help="Add the raw matched text to each line.")
@click.option("--jsonl", is_flag=True,
              help='FILE holds JSON lines {"id": ..., "text": ...}; write {"id": ..., "spans": [...]} per line.')
@click.option("--explain", is_flag=True, help="Say why each match scored what it did (pattern, checks, context).")
@handle_errors
def detect(file: str, show_values: bool, jsonl: bool, explain: bool) -> int:
    """Findings in one text FILE or document (PDF, DOCX, XLSX, …; - for stdin), one JSON object a line, with exact
    character offsets (into the extracted text of a document, whose segment each line names).

    Every finding is reported: no sampling, no NER budget."""
    _setup_logging(0, False)
    data = app.read_input(file, sys.stdin.buffer)
    for row in app.detect(data, file, jsonl=jsonl, explain=explain, show_values=show_values):
        click.echo(json.dumps(row, ensure_ascii=False))
    return EXIT_OK


@main.command()
@click.argument("sources", nargs=-1)
@click.option("--check-data", is_flag=True,
              help="List cloud region names the installed SDKs know but our location tables do not (no SOURCE).")
@click.option("--format", "fmt", type=click.Choice(["console", "json"]), default=None,
              help="Output format [default: from -o's extension, else console].")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the result to FILE (format from its extension: .json, .txt).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Your policy/config YAML.")
@click.option("--jurisdiction", type=click.Choice(["uk", "eu"]), default=None, help="Adequacy regime (default uk).")
@click.option("--profile", help="AWS profile for s3:// sources.")
@click.option("--endpoint-url", help="S3-compatible endpoint URL.")
@click.option("--project", help="GCP project for gs:// (every bucket of the project).")
@handle_errors
def locations(sources: tuple[str, ...], check_data: bool, fmt: str | None, output: str | None,
              config_path: str | None, jurisdiction: str | None, profile: str | None, endpoint_url: str | None,
              project: str | None) -> int:
    """Where SOURCES keep data and its transfer status, from container facts only (no content is read)."""
    _setup_logging(0, False)
    fmt = app.output_format(output, fmt, ("console", "json"))
    if check_data:
        _emit(app.check_location_data(fmt), output)
        return EXIT_OK
    result = app.locations(app.LocationsRequest(sources, config_path, jurisdiction,
                                                app.Connection(profile, endpoint_url, project)))
    _emit(result.render(fmt), output)
    return result.exit_code()


def _emit(text: str, output: str | None) -> None:
    """A command's result on stdout, or written to ``output`` (private to the owner) and said where."""
    if output:
        app.write_text(output, text)
        click.echo(f"pii-scan: wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


# -- reports, diffs and baselines of stored runs ----------------------------------------------------------------

_state_option = click.option("--state", "state_path", type=click.Path(dir_okay=False),
                             help="The state store (SQLite) [default: in the data directory].")


@main.command()
@click.argument("run_id", metavar="[RUN]", required=False)
@click.option("--format", "fmt", type=click.Choice(app.REPORT_FORMATS), default=None,
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
           list_runs: bool, state_path: str | None, output_mode: int) -> int:
    """Re-render a stored run (default: the latest complete one) in any format."""
    if list_runs:
        for line in app.list_runs(state_path):
            click.echo(line)
        return EXIT_OK
    report = app.report(app.ReportRequest(run_id, state_path, app.Outputs(outputs, output_mode), baseline_path))
    if fmt or not outputs:
        app.write_report(fmt or "console", report, sys.stdout)
    for path in outputs:
        click.echo(f"pii-scan: wrote {path}", err=True)
    return EXIT_OK


@main.command()
@click.argument("run_a")
@click.argument("run_b")
@click.option("--format", "fmt", type=click.Choice(["console", "json", "md"]), default=None,
              help="Output format [default: from -o's extension, else console].")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the diff to FILE (format from its extension: .json, .md, .txt).")
@click.option("--fail-on", type=click.Choice(app.SEVERITIES), default=None,
              help="Exit 1 when RUN_B has a new or worsened violation at or above this severity.")
@_state_option
@handle_errors
def diff(run_a: str, run_b: str, fmt: str | None, output: str | None, fail_on: str | None,
         state_path: str | None) -> int:
    """New, removed and changed holdings and violations from RUN_A to RUN_B (run ids, or JSON report files)."""
    fmt = app.output_format(output, fmt, ("console", "json", "md"))
    result = app.diff(run_a, run_b, state_path)
    _emit(result.render(fmt), output)
    return result.exit_code(app.Severity(fail_on) if fail_on else None)


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
@click.option("--format", "fmt", type=click.Choice(["console", "json", "html"]), default=None,
              help="Output format [default: from -o's extension, else console].")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the pack to FILE (format from its extension: .json, .html, .txt).")
@click.option("--audit", "show_audit", is_flag=True, help="List the audit log of subject searches instead.")
@click.option("--show-values", is_flag=True,
              help="Show objects' URIs as they are, even where their names hold personal data (masked by default).")
@_state_option
@handle_errors
def subject(email: tuple[str, ...], name: tuple[str, ...], dob: tuple[str, ...], nhs: tuple[str, ...],
            nino: tuple[str, ...], phone: tuple[str, ...], ids: tuple[str, ...], reference: str | None, verify: bool,
            fmt: str | None, output: str | None, show_audit: bool, show_values: bool, state_path: str | None) -> int:
    """Every stored object holding data about one person, ranked by strength of match (subject access)."""
    _setup_logging(0, False)
    fmt = app.output_format(output, fmt, ("console", "json", "html"))
    if show_audit:
        _emit(app.subject_audit(state_path, fmt), output)
        return EXIT_OK
    given = {"EMAIL_ADDRESS": email, "PERSON": name, "DATE_OF_BIRTH": dob, "UK_NHS": nhs, "UK_NINO": nino,
             "PHONE_NUMBER": phone}
    if warning := app.weak_evidence_warning(given):
        click.echo(f"pii-scan: warning: {warning}", err=True)
    result = app.subject(app.SubjectRequest(given, ids, reference, verify, state_path, show_values))
    _emit(result.render(fmt), output)
    return EXIT_OK


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
                    output_mode: int) -> int:
    """Write a baseline of every violation in a run (default: the latest) or a JSON report."""
    count = app.create_baseline(run_id, output, from_report, state_path, output_mode)
    click.echo(f"pii-scan: baseline of {count} violation(s) written to {output}", err=True)
    return EXIT_OK


if __name__ == "__main__":
    main()
