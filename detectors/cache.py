"""Files the detector keeps in the data directory's cache folder to start faster (the compiled pattern database,
the world gazetteer's table, the country names): named by a digest of what they were built from, written atomically and readable
by their owner only. Losing one, or finding it unreadable, only costs the time to build it again."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cache_key(*parts: object) -> str:
    """A short digest of what a cached file is built from (package versions, inputs, the code's own version)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def source_digest(path: str | Path) -> str:
    """The digest of a module's source: a cached table built by changed code is another file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def cached_json(cache_dir: str | Path | None, stem: str, key_parts: tuple[object, ...], build: Callable[[], Any],
                valid: Callable[[Any], bool]) -> Any:
    """A JSON table kept in ``cache_dir`` as ``stem-KEY.json`` (KEY: cache_key of ``key_parts``): read back when it
    parses and ``valid`` says it has the right shape, else ``build()`` and written (when a folder is given)."""
    name = f"{stem}-{cache_key(*key_parts)}.json"
    cached = read_cached(cache_dir, name)
    if cached is not None:
        try:
            data = json.loads(cached)
        except ValueError:
            data = None                     # a damaged file: built again below
        if data is not None and valid(data):
            return data
    data = build()
    if cache_dir:
        write_private(Path(cache_dir) / name, json.dumps(data, ensure_ascii=False).encode())
    return data


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
