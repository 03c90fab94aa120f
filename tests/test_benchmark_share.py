"""The benchmark's generated share is reproducible and exercises detection both ways (see benchmarks/)."""
from __future__ import annotations

import hashlib

from benchmarks.generate import generate
from detectors.fastpath import PhonePass


def _digest(root) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_and_phone_numbers_that_do_and_do_not_validate(tmp_path):
    files, size = generate(tmp_path / "a", 0.3, seed=3)
    generate(tmp_path / "b", 0.3, seed=3)
    assert files > 10 and size >= 0.3 * 1024 * 1024
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    text = "\n".join(p.read_text() for p in (tmp_path / "a").rglob("*.csv"))
    assert PhonePass().candidates(text)               # Ofcom's geographic drama numbers are valid numbers
    assert "07700 900" in text                        # and its mobile drama range is not: both kinds occur


def test_small_files_share_is_reproducible_nested_and_200_to_800_bytes(tmp_path):
    from benchmarks.shares import small_share

    files, size = small_share(tmp_path / "a", 250, seed=5)
    small_share(tmp_path / "b", 250, seed=5)
    paths = [p for p in (tmp_path / "a").rglob("*") if p.is_file()]
    assert files == len(paths) == 250 and size == sum(p.stat().st_size for p in paths)
    assert all(200 <= p.stat().st_size <= 801 for p in paths)
    assert all(len(p.relative_to(tmp_path / "a").parts) == 4 for p in paths)     # three folder levels
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_measure_reports_peak_rss_and_a_smaller_pss_of_a_process_tree_with_forked_children():
    import sys

    from benchmarks.run import measure

    # a parent that touches 64 MB, then forks two children that only sleep: their pages are shared, so PSS
    # counts the 64 MB about once and RSS about three times
    code = ("import os, time\nb = bytearray(64 * 1024 * 1024)\nfor i in range(0, len(b), 4096): b[i] = 1\n"
            "kids = []\nfor _ in range(2):\n    pid = os.fork()\n    if pid == 0:\n        time.sleep(1.0); os._exit(0)\n"
            "    kids.append(pid)\nfor pid in kids: os.waitpid(pid, 0)\nprint('ok')\n")
    got = measure([sys.executable, "-c", code], {})
    assert got.stdout.strip() == "ok"
    assert got.peak > 3 * 60e6                      # three processes, each mapping the 64 MB
    assert got.peak_pss is not None and 60e6 < got.peak_pss < 0.6 * got.peak
