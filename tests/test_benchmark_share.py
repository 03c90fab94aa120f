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
