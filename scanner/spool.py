"""A private per-run folder for temporary copies of objects (SQLite, XLS, MSG, prefetched downloads).

Random-access formats are read from a temporary copy, which holds the object's raw personal data. The copies
live in ``<data dir>/spool/<pid>-<random>/`` (0700) instead of the shared /tmp: the run's processes get it
as their temporary directory (``tempfile.tempdir`` here, ``TMPDIR`` for the worker processes and any tool
they start). The folder is removed when the run ends; a run killed with SIGKILL leaves it behind, and the
next run removes it (a live run holds an flock on its folder's ``.lock``, so only dead runs' folders go).
"""
from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from scanner.errors import UsageError

log = logging.getLogger("pii_scan")
LOCK = ".lock"
UNLOCKED_GRACE_S = 60          # a folder without its lock yet may belong to a run just starting


def spool_root() -> Path:
    from scanner.privacy import data_dir

    return data_dir() / "spool"


def sweep(root: Path) -> int:
    """Remove the folders of runs that are no longer alive; the number removed."""
    removed = 0
    for folder in root.iterdir() if root.is_dir() else ():
        if not folder.is_dir() or folder.is_symlink():
            continue
        try:
            fd = os.open(folder / LOCK, os.O_RDWR | os.O_NOFOLLOW)
        except FileNotFoundError:
            if time.time() - folder.stat().st_mtime < UNLOCKED_GRACE_S:
                continue
            fd = -1
        except OSError:
            continue
        try:
            if fd >= 0:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue                        # a live run's folder
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
        finally:
            if fd >= 0:
                os.close(fd)
    return removed


@contextlib.contextmanager
def run_spool() -> Iterator[Path]:
    """This run's private temporary folder, the process's (and its future children's) temp dir meanwhile."""
    root = spool_root()
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(root, 0o700)
        gone = sweep(root)
        folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))      # 0700
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise UsageError(f"cannot create the temporary folder under {root}: "
                         f"{exc.strerror or exc.__class__.__name__} (set PII_SCAN_HOME to a writable folder)") from None
    if gone:
        log.info("removed %d temporary folder(s) left by interrupted runs", gone)
    fcntl.flock(fd, fcntl.LOCK_EX)
    saved = tempfile.tempdir, os.environ.get("TMPDIR")
    _outer.append(tempfile.gettempdir())
    tempfile.tempdir = str(folder)
    os.environ["TMPDIR"] = str(folder)
    try:
        yield folder
    finally:
        _outer.pop()
        tempfile.tempdir = saved[0]
        if saved[1] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved[1]
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)


def process_temp_dir() -> str:
    """multiprocessing's temporary folder (only the socket of the forkserver local workers fork from), made on
    first use where temporary files went before any run's folder took the place (a socket path must be short,
    and the forkserver serves every later scan of this process: it outlives a run's folder)."""
    import multiprocessing.util

    saved = tempfile.tempdir
    if _outer:
        tempfile.tempdir = _outer[0]
    try:
        return multiprocessing.util.get_temp_dir()
    finally:
        tempfile.tempdir = saved


_outer: list[str] = []          # the temporary folder before each run's own folder took its place (a stack)
