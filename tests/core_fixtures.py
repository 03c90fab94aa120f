"""Fixtures shared by the core tests: an isolated home (secret, store), one detector per session."""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from tests.corpus import Share, build_share


@pytest.fixture(scope="session")
def pattern_cache(tmp_path_factory) -> Path:
    """One compiled-pattern cache folder for the session (``<home>/cache``: hyperscan databases, named by what
    they were compiled from, so a stale or foreign file is compiled again, never used)."""
    return tmp_path_factory.mktemp("pattern-cache")


@pytest.fixture(autouse=True)
def pii_home(tmp_path_factory, monkeypatch, pattern_cache) -> Path:
    """Every test gets its own PII_SCAN_HOME: the secret and default store never touch the real home.

    Its ``cache`` folder is the session's: every worker a scan builds would otherwise compile the pattern
    database again (~0.8 s of CPU each, hundreds of times a run). Tests of the cache itself use their own folder
    (tests/detectors/test_fastpath_batch.py)."""
    home = tmp_path_factory.mktemp("pii-home")
    (home / "cache").symlink_to(pattern_cache, target_is_directory=True)
    monkeypatch.setenv("PII_SCAN_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def detector():
    from detectors.engine import Detector

    return Detector()


@pytest.fixture
def ner_names(detector, monkeypatch):
    """The session detector with the given-name rule off, so names are left to NER (tests of NER's budget)."""
    import dataclasses

    monkeypatch.setattr(detector, "_names", dataclasses.replace(detector._names, given=frozenset()))
    return detector


@pytest.fixture
def worker(detector, pii_home):
    from scanner.config import build_settings
    from scanner.pipeline import Worker
    from scanner.privacy import Hasher, load_or_create_secret

    return Worker(settings=build_settings(), detector=detector, hasher=Hasher(load_or_create_secret()))


@pytest.fixture
def share(tmp_path) -> Share:
    return build_share(tmp_path / "share")


@pytest.fixture(scope="session")
def pii_scan_exe() -> str:
    """The installed console script (proves the entry point works, not just the module)."""
    exe = Path(sys.executable).parent / "pii-scan"
    found = str(exe) if exe.exists() else shutil.which("pii-scan")
    if not found:
        pytest.fail("the pii-scan console script is not installed: pip install -e .")
    return found


PROGRESS_LINE = re.compile(r"^pii-scan: [\d,]+/[\d,]+\+? objects, .*objects/s$")
WROTE_LINE = re.compile(r"^pii-scan: wrote \S+$")  # issue 19 item 11: a command says where it wrote


def assert_clean_stderr(stderr: str) -> None:
    """stderr may carry plain progress lines (not a TTY) and where a result was written, nothing else: no
    warning, no traceback."""
    other = [ln for ln in stderr.splitlines()
             if ln.strip() and not PROGRESS_LINE.match(ln) and not WROTE_LINE.match(ln)]
    assert other == [], other
