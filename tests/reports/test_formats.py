"""Every format resolves to a renderer; each renders the sample document without leaking raw values."""
from __future__ import annotations

import csv
import io

import pytest

from scanner.errors import UsageError
from scanner.reports import EXTENSIONS, RENDERERS, Format, format_for_path, render
from scanner.reports.model import Report
from tests.reports.helpers import HOSTILE, RAW, sample_outcome


@pytest.fixture
def doc(tmp_path):
    return Report.from_outcome(sample_outcome(tmp_path / "share"))


def test_every_format_has_a_renderer():
    assert set(RENDERERS) == set(Format)
    assert set(EXTENSIONS.values()) <= set(Format)


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_renders_and_never_shows_raw_values(doc, fmt):
    out = render(fmt, doc)
    assert out.strip()
    if fmt is not Format.JSON:       # JSON carries `value` only because the sample was made with --show-values
        for raw in RAW:
            assert raw not in out


@pytest.mark.parametrize("name, fmt", [("r.json", Format.JSON), ("r.sarif", Format.SARIF),
                                       ("r.sarif.json", Format.SARIF), ("R.CSV", Format.CSV), ("r.md", Format.MARKDOWN),
                                       ("out/r.html", Format.HTML)])
def test_format_from_extension(name, fmt):
    assert format_for_path(name) is fmt


def test_unknown_extension_is_a_usage_error():
    with pytest.raises(UsageError, match="extension"):
        format_for_path("report.pdf")


def test_csv_one_row_per_object_and_entity_and_no_formulas(doc):
    rows = list(csv.DictReader(io.StringIO(render(Format.CSV, doc))))
    staff = [r for r in rows if r["object"].endswith("hr/staff.csv")]
    assert sorted(r["entity"] for r in staff) == ["EMAIL_ADDRESS", "PERSON"]
    assert {r["status"] for r in rows} == {"scanned", "skipped", "failed"}
    failed = next(r for r in rows if r["status"] == "failed")
    assert failed["reason"] == "permission denied" and failed["entity"] == ""
    cards = next(r for r in rows if r["entity"] == "CREDIT_CARD")
    assert "security.public_container" in cards["violations"] and cards["worst_severity"] == "critical"
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values() if v)


def test_markdown_summary_escapes_names_and_shows_coverage(tmp_path):
    doc = Report.from_outcome(sample_outcome(tmp_path / "share", failures=True))
    md = render(Format.MARKDOWN, doc)
    assert "INCOMPLETE SCAN" in md
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "| failed | 1 |" in md and "permission denied" in md
    assert "| US | Not adequate |" in md


def test_console_format_renders_to_text(doc):
    assert "Violations" in render(Format.CONSOLE, doc)
    assert HOSTILE in render(Format.CONSOLE, doc)


@pytest.mark.parametrize("fmt", list(Format))
def test_streamed_writing_gives_the_rendered_text(doc, fmt):
    """write() (JSON streamed in pieces, so a large report is never one string) matches render() exactly,
    even when the pieces are flushed every few characters."""
    from scanner.reports import write
    from scanner.reports.json_report import render_json, to_document, write_json

    out = io.StringIO()
    write(fmt, doc, out)
    assert out.getvalue() == render(fmt, doc)
    if fmt is Format.JSON:
        assert out.getvalue() == render_json(to_document(doc))
        tiny = io.StringIO()
        write_json({**to_document(doc), "note": "Zoë ✓"}, tiny, flush_chars=7)
        assert tiny.getvalue() == render_json({**to_document(doc), "note": "Zoë ✓"})


def test_the_json_report_is_json_dumps_indented(doc):
    """The report is encoded by orjson below its top two levels; the text is exactly json's indented dump."""
    import json

    from scanner.reports.json_report import render_json, to_document

    assert render(Format.JSON, doc) == json.dumps(to_document(doc), indent=2, ensure_ascii=False) + "\n"
    odd = {**to_document(doc), "note": "Zoë ✓\u2028",
           "nested": {"a": [{}, [], [[1.5, None, True]], {"k": {"x": "é"}}], "b": {}}}
    assert render_json(odd) == json.dumps(odd, indent=2, ensure_ascii=False) + "\n"


def test_report_files_are_written_atomically(doc, tmp_path):
    from scanner.reports import write_file

    target = tmp_path / "r.json"
    write_file(target, Format.JSON, doc)
    assert target.read_text(encoding="utf-8") == render(Format.JSON, doc)
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]          # no temporary file left behind
    with pytest.raises(UsageError, match=r"cannot write .*missing.*r\.json"):
        write_file(tmp_path / "missing" / "r.json", Format.JSON, doc)
