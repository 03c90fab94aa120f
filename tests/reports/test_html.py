"""The HTML report: self-contained, autoescaped, accessible, and really rendered by headless Chromium."""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib

import pytest

from scanner.reports.html import render_html
from scanner.reports.model import Report
from tests.reports.helpers import HOSTILE, RAW, sample_outcome
from tests.services import unavailable


@pytest.fixture
def html(tmp_path):
    return render_html(Report.from_outcome(sample_outcome(tmp_path / "share", failures=True)))


def test_hostile_file_name_is_escaped(html):
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.txt" in html


def test_self_contained_no_network_no_scripts(html):
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert "@import" not in html and "url(http" not in html
    assert "<svg" in html and "<style>" in html
    assert "default-src 'none'" in html            # and the page forbids loading anything if a name slips through


def test_first_screen_and_accessibility(html):
    glance = html[:html.index('id="locations"')]
    for text in ("INCOMPLETE SCAN", "Not adequate", "Domestic", ">US<", ">GB<", "children's data",
                 "special-category", "public locations", "Top risks", "Block public access now."):
        assert text in glance, text
    assert html.count("<caption>") >= 4 and "<h1>" in html and 'lang="en-GB"' in html
    assert 'role="img"' in html and "<desc" in html
    # colour is never the only signal: severities carry their word, statuses their label and a pattern
    assert ">CRITICAL<" in html and 'url(#p-not_adequate)' in html


def test_no_raw_values(html):
    for raw in RAW:
        assert raw not in html


def test_print_styles(html):
    assert "@media print" in html


# -- rendered by a real browser -------------------------------------------------------------------------------

def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


def _png_rgb(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA PNG (Chromium's screenshots) into rows of pixels, stdlib only."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        ftype, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, [bytes(r[i:i + 3]) for r in rows for i in range(0, stride, bpp)]


def test_renders_in_headless_chromium(html, tmp_path):
    exe = _chromium()
    if exe is None:
        unavailable("chromium not installed (apt-get install chromium; .ci/install-services.sh on CI)")
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    shot = tmp_path / "shot.png"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars"]
    subprocess.run([exe, *flags, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri()],
                   capture_output=True, timeout=120, check=False)
    assert shot.exists() and shot.stat().st_size > 10_000, "no screenshot written"
    width, height, pixels = _png_rgb(shot.read_bytes())
    assert (width, height) == (1280, 2000)
    ink = sum(1 for p in pixels if p != b"\xff\xff\xff")
    assert ink / len(pixels) > 0.03, "the page rendered (almost) blank"
    assert len(set(pixels)) > 50, "too few colours for a rendered report"
    # the bar chart's red (not adequate) must be on the first screen (top 1000 px)
    first = pixels[:1280 * 1000]
    assert b"\xb9\x1c\x1c" in set(first)
    dom = subprocess.run([exe, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    for text in ("Personal data report", "At a glance", "INCOMPLETE SCAN", "Not adequate", "Top risks",
                 "Public container holding personal data", "&lt;script&gt;alert(1)&lt;/script&gt;.txt"):
        assert text in dom.stdout, text
    assert HOSTILE not in dom.stdout
