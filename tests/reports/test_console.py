"""The console summary at a glance (issue 19 item 5): grouped by rule and location with counts, the top risks with
their advice, failed objects by name with -v, the full tables with -v, and -vv showing more again."""
from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from scanner.reports.console import render_console
from scanner.reports.model import Report
from tests.reports.helpers import HOSTILE, RAW, sample_outcome


def _render(report: Report, verbosity: int) -> str:
    out = io.StringIO()
    # NOTE: wide enough that a row naming the share under pytest-xdist's longer temporary path (popen-gwN/) is
    # not wrapped onto a second line, which the row counts below would count twice
    render_console(report, Console(file=out, width=240, soft_wrap=False, no_color=True, highlight=False),
                   verbosity=verbosity)
    return out.getvalue()


@pytest.fixture()
def doc(tmp_path):
    return Report.from_outcome(sample_outcome(tmp_path / "share", failures=True, extra_violation=True))


def test_default_summary_groups_by_rule_and_location_and_shows_top_risks_with_advice(doc):
    text = _render(doc, 0)
    table = text.split("Violations by rule and location", 1)[1].split("Top risks", 1)[0]
    rows = [r for r in table.splitlines() if "│" in r and "worst" not in r]
    # five violations, five (rule, location) pairs: per-file targets are counted under their location
    assert len(rows) == 5 and sum("s3://cxk-backup " in r for r in rows) == 3
    assert re.search(r"CRITICAL\s*│\s*security\.public_container\s*│\s*s3://cxk-backup\s*│\s*1\s*│\s*~1", table)
    top = text.split("Top risks", 1)[1]
    assert " 1. CRITICAL Public container" in top and "what to do: Block public access now." in top
    assert top.count("what to do:") == 5
    assert HOSTILE in text                                    # names are shown (escaped for the terminal)
    # no per-violation table and no per-object table by default; failed objects counted, not named
    assert "Objects with personal data" not in text and "\nViolations\n" not in text
    assert "locked.txt" not in text and "1 failed object(s): -v names them" in text
    assert "failed: 1 × permission denied" in text


def test_v_adds_failed_objects_by_name_and_the_full_tables(doc):
    quiet, verbose = _render(doc, 0), _render(doc, 1)
    assert "Failed objects" in verbose and re.search(r"locked\.txt: permission denied", verbose)
    assert "Objects with personal data" in verbose and "Violations" in verbose.split("Personal data found", 1)[1]
    for v in doc.violations:
        assert v.rule in verbose
    assert "logo.bin" not in verbose                          # skipped objects by name only with -vv
    assert len(verbose.splitlines()) > len(quiet.splitlines())


def test_vv_adds_skipped_objects_and_each_finding_masked(doc):
    verbose, very = _render(doc, 1), _render(doc, 2)
    assert "Skipped objects" in very and "logo.bin: binary file" in very
    assert "EMAIL_ADDRESS j***@e***.org (column 16, line 2)" in very
    assert "************1111" in very
    assert len(very.splitlines()) > len(verbose.splitlines())
    for raw in RAW:
        assert raw not in very                                # masked values only, never the value


def test_default_summary_stays_short_on_many_files(tmp_path):
    """52 files with one finding each: one grouped row, not 52."""
    from dataclasses import replace

    from scanner.model import Severity, Violation

    outcome = sample_outcome(tmp_path / "share")
    local = outcome.containers[0].uri
    many = tuple(Violation("retention.exceeded", "p", Severity.MEDIUM, f"{local}/hr/old{i}.csv", "Kept too long",
                           "Delete it.", {"subjects_estimate": 1}) for i in range(52))
    doc = Report.from_outcome(replace(outcome, violations=outcome.violations + many))
    text = _render(doc, 0)
    assert len(text.splitlines()) < 60
    assert re.search(r"retention\.exceeded\s*│\s*\S+share\s*│\s*52\s*│\s*~52", text)
    assert "52 files: Kept too long" in text
    assert len(_render(doc, 1).splitlines()) > len(text.splitlines()) + 52


def test_scan_command_passes_v_and_vv_to_the_summary(tmp_path):
    from click.testing import CliRunner

    from scanner.cli import main

    share = tmp_path / "share"
    share.mkdir(mode=0o700)
    (share / "staff.csv").write_text("name,email\nJane Whitfield,jane.whitfield@example.org\n")
    (share / "logo.bin").write_bytes(bytes(range(256)) * 4)
    outputs = {}
    for flags in ((), ("-v",), ("-vv",)):
        result = CliRunner().invoke(main, ["scan", str(share), "-q", "--workers", "1", *flags],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        outputs[flags] = result.stdout
    quiet, verbose, very = outputs[()], outputs[("-v",)], outputs[("-vv",)]
    assert "Objects with personal data" not in quiet and "Objects with personal data" in verbose
    assert "logo.bin" not in verbose and "Skipped objects" in very and "logo.bin" in very
    assert "EMAIL_ADDRESS j***" in very and "jane.whitfield@example.org" not in very
