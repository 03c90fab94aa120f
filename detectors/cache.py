"""Files the detector keeps in the data directory's cache folder to start faster (the compiled pattern database,
the world gazetteer's table): named by a digest of what they were built from, written atomically and readable
by their owner only. Losing one, or finding it unreadable, only costs the time to build it again."""
from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path


def cache_key(*parts: object) -> str:
    """A short digest of what a cached file is built from (package versions, inputs, the code's own version)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def read_cached(cache_dir: str | Path | None, name: str) -> bytes | None:
    """The bytes of a cached file, or None (no folder given, no such file, unreadable)."""
    if not cache_dir:
        return None
    try:
        return (Path(cache_dir) / name).read_bytes()
    except OSError:
        return None


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, readable by its owner only; a failure only loses the cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
