"""pii-scan detect: one JSON line per finding with exact character offsets into the decoded text."""
from __future__ import annotations

import json

from click.testing import CliRunner

from scanner.cli import main

TEXT = ("Référence: dossier de Zoë\n"             # non-ASCII before the findings: offsets are characters
        "Email: jane.doe@example.org\n"
        "NHS number 943 476 5919, NI number AB123456C.\n")


def _detect(path, *extra):
    result = CliRunner().invoke(main, ["detect", str(path), *extra])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_offsets_are_exact_character_offsets(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(TEXT, encoding="utf-8")
    rows = _detect(path, "--show-values")
    by_entity = {r["entity"]: r for r in rows}
    for entity, value in [("EMAIL_ADDRESS", "jane.doe@example.org"), ("UK_NHS", "943 476 5919"),
                          ("UK_NINO", "AB123456C")]:
        r = by_entity[entity]
        assert TEXT[r["start"]:r["end"]] == value == r["value"]
        assert set(r) == {"entity", "start", "end", "score", "masked", "value"}


def test_no_values_without_show_values(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["detect", str(path)])
    assert "jane.doe@example.org" not in result.output and "943 476 5919" not in result.output
    assert "j***@e***.org" in result.output


def test_stdin_and_utf16(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes(TEXT.encode("utf-16"))
    rows = _detect(path)
    assert any(r["entity"] == "EMAIL_ADDRESS" and TEXT[r["start"]:r["end"]] == "jane.doe@example.org" for r in rows)
    result = CliRunner().invoke(main, ["detect", "-"], input=TEXT)
    assert any(json.loads(x)["entity"] == "UK_NHS" for x in result.output.splitlines())


def test_missing_file_is_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["detect", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_pdf_docx_xlsx_give_findings_with_offsets_into_the_extracted_text_and_the_segment(tmp_path):
    """Issue 19 item 9: the same extractors as scan; each line names its segment (page, sheet, column, part)."""
    from tests.extract.fixtures import EMAIL, IBAN, NHS, docx_bytes, pdf_bytes, xlsx_bytes

    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(pdf_bytes(["Cover page", f"Write to {EMAIL} about NHS number {NHS}."]))
    rows = _detect(pdf, "--show-values")
    email = next(r for r in rows if r["entity"] == "EMAIL_ADDRESS")
    assert email["value"] == EMAIL and email["segment"]["page"] == 2
    assert email["end"] - email["start"] == len(EMAIL)
    assert any(r["entity"] == "UK_NHS" and r["segment"]["page"] == 2 for r in rows)

    docx = tmp_path / "case.docx"
    docx.write_bytes(docx_bytes())
    rows = _detect(docx)
    assert {"EMAIL_ADDRESS", "UK_NHS"} <= {r["entity"] for r in rows}
    assert all(r["segment"] for r in rows) and "value" not in rows[0]

    xlsx = tmp_path / "staff.xlsx"
    xlsx.write_bytes(xlsx_bytes())
    rows = _detect(xlsx, "--show-values")
    iban = next(r for r in rows if r["value"] == IBAN)
    assert iban["segment"].get("sheet") == "Donors" or "Donors" in json.dumps(iban["segment"])


def test_a_type_that_is_not_text_exits_2_saying_so(tmp_path):
    from tests.extract.fixtures import EMAIL, zip_bytes

    path = tmp_path / "bundle.zip"
    path.write_bytes(zip_bytes({"a.txt": f"mail {EMAIL}\n".encode()}))
    result = CliRunner().invoke(main, ["detect", str(path)])
    assert result.exit_code == 2
    assert "zip content is not text" in result.stderr and EMAIL not in result.output


def test_the_cli_holds_blas_to_one_thread_before_a_command_runs(tmp_path, monkeypatch):
    """`detect` (and a scan with --workers 1) runs NER in the CLI's own process: BLAS gets no thread pool there
    either (executors.SINGLE_THREAD_ENV), set before the command loads numpy; a value the user set is kept."""
    import os

    from scanner.executors import SINGLE_THREAD_ENV

    path = tmp_path / "t.txt"
    path.write_text(TEXT, encoding="utf-8")
    for var in SINGLE_THREAD_ENV:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "3")
    assert _detect(path)
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1" and os.environ["OMP_NUM_THREADS"] == "1"
    assert os.environ["MKL_NUM_THREADS"] == "3"
