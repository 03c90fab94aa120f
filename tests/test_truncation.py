"""Issue 17 item 2: an object read only in part is never reported as read whole: every cut is recorded on the
object (its sample says which limit stopped the reading and where) and counted in coverage."""
from __future__ import annotations

import json

from click.testing import CliRunner

from scanner.cli import main
from scanner.config import Limits


def _scan(tmp_path, limits: str) -> tuple[int, dict]:
    cfg, out = tmp_path / "c.yaml", tmp_path / "r.json"
    cfg.write_text(f"scan:\n  limits:\n{limits}")
    res = CliRunner().invoke(main, ["scan", str(tmp_path / "src"), "-q", "--config", str(cfg),
                                    "--state", str(tmp_path / "s.db"), "-o", str(out), "--workers", "1"])
    return res.exit_code, json.loads(out.read_text())


def test_text_past_max_text_chars_is_recorded_as_a_cut(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "long.txt").write_text("x" * 300_000 + " mail late.person@example.org\n")     # one long line
    (src / "short.txt").write_text("mail early.person@example.org\n")
    code, doc = _scan(tmp_path, "    max_text_chars: 100000\n")
    assert code == 0
    objs = {o["uri"].rsplit("/", 1)[-1]: o for o in doc["objects"]}
    assert objs["long.txt"]["sample"]["cuts"]["max_text_chars"] == 100000
    assert "sample" not in objs["short.txt"]
    assert doc["summary"]["coverage"]["sampled"] == 1


def test_pdf_pages_past_the_limit_are_recorded_as_a_cut(tmp_path):
    from pypdf import PdfWriter

    src = tmp_path / "src"
    src.mkdir()
    writer = PdfWriter()
    for _ in range(4):
        writer.add_blank_page(width=200, height=200)
    with open(src / "pages.pdf", "wb") as fh:
        writer.write(fh)
    _code, doc = _scan(tmp_path, "    pdf_max_pages: 2\n")
    (obj,) = doc["objects"]
    assert obj["sample"]["cuts"] == {"pdf_max_pages": 2}


def test_within_max_object_bytes_the_text_is_read_whole_by_default():
    limits = Limits()
    assert limits.max_text_chars >= limits.max_object_bytes


def _letters(src) -> None:
    src.mkdir()
    names = ["Margaret Thompson", "Oliver Bennett", "Charlotte Hughes", "William Davies"]
    lines = [f"Dear {names[i % 4]}, thank you for your letter of last week about the meeting.\n" for i in range(400)]
    (src / "letters.txt").write_text("".join(lines) + "Reply to late.person@example.org please.\n")
    (src / "short.txt").write_text("mail early.person@example.org\n")


def test_the_ner_budget_stopping_early_is_recorded_as_a_cut(tmp_path):
    _letters(tmp_path / "src")
    code, doc = _scan(tmp_path, "    max_object_bytes: 1000000\n")
    assert code == 0
    objs = {o["uri"].rsplit("/", 1)[-1]: o for o in doc["objects"]}
    cuts = objs["letters.txt"]["sample"]["cuts"]
    assert set(cuts) == {"ner_person_established"}
    assert 0 < cuts["ner_person_established"] < 400 * 70       # NER read the first piece(s) only
    assert objs["letters.txt"]["entities"]["EMAIL_ADDRESS"] == 1   # identifiers: the whole text
    assert "sample" not in objs["short.txt"]
    assert doc["summary"]["coverage"]["sampled"] == 1


def test_full_counts_has_no_ner_cut(tmp_path):
    _letters(tmp_path / "src")
    cfg, out = tmp_path / "c.yaml", tmp_path / "r.json"
    cfg.write_text("scan: {}\n")
    res = CliRunner().invoke(main, ["scan", str(tmp_path / "src"), "-q", "--full-counts", "--config", str(cfg),
                                    "--state", str(tmp_path / "s.db"), "-o", str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert all("sample" not in o for o in doc["objects"])
    assert doc["summary"]["coverage"]["sampled"] == 0
