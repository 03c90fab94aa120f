"""Every format of a fixed, hand-built report against checked-in golden files (tests/reports/golden/), and the same
report read back from its JSON file rendering byte-identically to the one built from the scan's outcome.

The golden files were written by the renderers as they were before the typed Report (issue 18 item 3): a change to
any of them shows here as a readable diff. Regenerate on purpose with PII_SCAN_UPDATE_GOLDEN=1.
"""
from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from rich.console import Console

from scanner.baseline import create_baseline, dump_baseline
from scanner.reports import Format, render
from scanner.reports.console import render_console
from scanner.reports.diff import diff_reports, render_diff_markdown, render_diff_text
from scanner.reports.model import Report
from scanner.reports.sarif import _version
from tests.reports.helpers import sample_outcome

GOLDEN = Path(__file__).with_name("golden")
ROOT = Path("/srv/share")            # never read: the sample outcome is built by hand
EXT = {Format.CONSOLE: "txt", Format.JSON: "json", Format.SARIF: "sarif", Format.CSV: "csv", Format.MARKDOWN: "md",
       Format.HTML: "html"}


@pytest.fixture(autouse=True)
def _not_reproducible(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def _check(name: str, text: str) -> None:
    text = text.replace(f'"{_version()}"', '"VERSION"')          # the installed version, in SARIF
    path = GOLDEN / name
    if os.environ.get("PII_SCAN_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def _verbose(report: Report) -> str:
    buf = io.StringIO()
    render_console(report, Console(file=buf, width=120, soft_wrap=False, no_color=True, highlight=False), verbosity=2)
    return buf.getvalue()


def _reports() -> dict[str, Report]:
    first = sample_outcome(ROOT)
    later = sample_outcome(ROOT, failures=True, extra_violation=True)
    baseline = create_baseline(Report.from_outcome(first), "k1")
    return {"sample": Report.from_outcome(first), "baselined": Report.from_outcome(later, baseline)}


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_matches_its_golden_file(fmt):
    for name, report in _reports().items():
        _check(f"{name}.{EXT[fmt]}", render(fmt, report))


def test_verbose_console_baseline_and_diff_match_their_golden_files():
    reports = _reports()
    for name, report in reports.items():
        _check(f"{name}-vv.txt", _verbose(report))
    _check("baseline.json", dump_baseline(create_baseline(reports["sample"], "k1")))
    d = diff_reports(reports["sample"], Report.from_outcome(sample_outcome(ROOT, failures=True, extra_violation=True)))
    _check("diff.txt", render_diff_text(d))
    _check("diff.md", render_diff_markdown(d))
    _check("diff.json", json.dumps(d, indent=2, ensure_ascii=False) + "\n")


@pytest.mark.parametrize("fmt", list(Format))
def test_a_report_read_back_from_its_json_renders_as_the_scan_did(fmt):
    """Two code paths to one Report: built from the outcome, and parsed from the JSON file it wrote."""
    for report in _reports().values():
        read = Report.from_document(json.loads(render(Format.JSON, report)))
        assert render(fmt, read) == render(fmt, report)
        assert _verbose(read) == _verbose(report)
