"""--exclude and scan.exclude with gitignore semantics (the ``pathspec`` library), as gitleaks and semgrep users
expect: a bare name (``media``, ``mailing_list_full.csv``) matches at any depth; a pattern with a slash
(``media/*``) is anchored to the source root; a trailing slash (``media/``) matches folders only; ``!`` re-includes.

Patterns are matched against each object's key (its path within the scanned root, or its bucket key), and also
against the key under the root folder's own name, so ``share/media/*`` works when ``share`` is scanned. A pattern
holding ``://`` is a glob on the whole URI (``s3://bucket/tmp/*``).
"""
from __future__ import annotations

import fnmatch
import functools
import posixpath
from collections import Counter
from urllib.parse import unquote

import pathspec

from scanner.model import ObjectRef


class Excludes:
    """The compiled patterns of one scan, counting which of them matched something (to warn about the rest)."""

    def __init__(self, patterns: tuple[str, ...]):
        self.patterns = patterns
        paths = [p for p in patterns if "://" not in p]
        self._spec = pathspec.GitIgnoreSpec.from_lines(paths)
        self._uri_globs = tuple(p for p in patterns if "://" in p)
        self._each = [(p, pathspec.GitIgnoreSpec.from_lines([p])) for p in paths]
        self.hits: Counter[str] = Counter()

    def __call__(self, ref: ObjectRef) -> bool:
        """Whether ``ref`` is left out."""
        names = _names(ref)
        out = any(self._spec.match_file(n) for n in names)
        for glob in self._uri_globs:
            if fnmatch.fnmatchcase(ref.uri, glob):
                self.hits[glob] += 1
                out = True
        if out:
            for pattern, spec in self._each:
                if not pattern.startswith("!") and any(spec.match_file(n) for n in names):
                    self.hits[pattern] += 1
        return out

    def unmatched(self, given: tuple[str, ...]) -> list[str]:
        """The patterns in ``given`` that left nothing out."""
        return [p for p in dict.fromkeys(given) if not p.startswith("!") and not self.hits[p]]


def _names(ref: ObjectRef) -> tuple[str, ...]:
    key = ref.key.lstrip("/")
    root = posixpath.basename(unquote(ref.container.rstrip("/").split("://", 1)[-1])) if ref.container else ""
    return (key, f"{root}/{key}") if root else (key,)


@functools.lru_cache(maxsize=8)
def excludes_for(patterns: tuple[str, ...]) -> Excludes:
    """One Excludes per pattern set (its hit counts are the scan's: clear the cache before a new scan)."""
    return Excludes(patterns)
