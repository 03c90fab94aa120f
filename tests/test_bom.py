"""Issue 17 item 2b: a byte-order mark that lies (FF FE before 8-bit text) does not hide the text."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.extract.sniff import text_encoding

LINE = "Referral for Zoë Kent, e-mail zoe.kent@example.org, seen on Tuesday.\n"


@pytest.mark.parametrize("body", [LINE.encode("latin-1"), LINE.encode("utf-8")])
def test_a_stray_utf16_bom_before_8bit_text_is_read_as_the_text(tmp_path, body):
    src = tmp_path / "src"
    src.mkdir()
    (src / "notes.txt").write_bytes(b"\xff\xfe" + body * 40)
    out = tmp_path / "r.json"
    res = CliRunner().invoke(main, ["scan", str(src), "-q", "--state", str(tmp_path / "s.db"), "-o", str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output
    (obj,) = json.loads(out.read_text())["objects"]
    assert obj["status"] == "scanned" and obj["entities"].get("EMAIL_ADDRESS") == 40


@pytest.mark.parametrize("text", [LINE, "中文文本，联系人张伟，电子邮件地址在下面。我们的办公室在北京市朝阳区。",
                                  "Привет, это письмо для Зои Кент."])
def test_real_utf16_keeps_its_bom(text):
    assert text_encoding(b"\xff\xfe" + text.encode("utf-16-le") * 3) == "utf-16"
    assert text_encoding(b"\xfe\xff" + text.encode("utf-16-be") * 3) == "utf-16"
