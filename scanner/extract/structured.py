"""JSON and JSONL: values grouped by key path; repeated paths become columns, single ones fields."""
from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from typing import IO, Any, Iterator

from scanner.errors import ObjectError
from scanner.extract import ExtractContext
from scanner.extract.tables import name_pair
from scanner.extract.text import decoded_chunks
from scanner.model import Segment, SegmentKind

MAX_JSON_CHARS = 64 * 1024 * 1024
# NOTE: a key is written into key paths (reports, packs, the store) only when it looks like a field name;
# any other key (an e-mail, a number, a name with a space) may itself be personal data: the path shows "*"
# and the keys themselves are analysed as the values of "<path>.{key}"
FIELD_NAME = re.compile(r"@?[A-Za-z_][A-Za-z0-9_\-]{0,63}")
KEYS = "{key}"
FULL_NAME = "full_name"         # the column name of a record's first and last name read as one


@functools.lru_cache(maxsize=4096)
def _record_name_pair(keys: tuple[str, ...]) -> tuple[int, int] | None:
    """tables.name_pair of a record's keys, worked out once per set of keys (an array's records share theirs)."""
    return name_pair(keys)


def path_part(key: str) -> str:
    """How an object key appears in a key path: itself if it looks like a field name, else ``*``."""
    return key if FIELD_NAME.fullmatch(key) else "*"


class _Paths:
    """Collects up to ``sample`` values per key path (list indices folded to [])."""

    def __init__(self, sample: int, max_depth: int, keep: int = 0):
        self.values: dict[str, list[str]] = defaultdict(list)
        self.indexed: dict[str, list[str]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)
        self.sample = sample
        self.keep = keep
        self.max_depth = max_depth
        self.names: dict[str, str] = {}           # a key path's column name when it is not the path's last key

    def add(self, node: Any, path: str = "$", depth: int = 0) -> None:
        stack = [(node, path, depth)]
        while stack:                              # NOTE: iterative: hostile nesting must not hit recursion limits
            node, path, depth = stack.pop()
            if depth > self.max_depth:
                raise ObjectError(f"JSON nested deeper than {self.max_depth} levels")
            if isinstance(node, dict):
                items = list(node.items())
                pair = _record_name_pair(tuple(str(k) for k in node)) if len(node) > 1 else None
                if pair is not None and all(isinstance(items[i][1], str) for i in pair):
                    # a record's first and last name: one PERSON, "Given Family" (as a table's two columns)
                    given, family = (items[i] for i in pair)
                    joined = f"{given[1]} {family[1]}".strip()
                    items = [kv for i, kv in enumerate(items) if i not in pair]
                    stack.append((joined, f"{path}.{path_part(given[0])}+{path_part(family[0])}", depth + 1))
                    self.names.setdefault(stack[-1][1], FULL_NAME)
                stack.extend((v, f"{path}.{path_part(k)}", depth + 1) for k, v in reversed(items))
                stack.extend((k, f"{path}.{KEYS}", depth + 1) for k in reversed(node) if path_part(k) == "*")
            elif isinstance(node, list):
                stack.extend((v, f"{path}[]", depth + 1) for v in reversed(node))
            elif node is not None and not isinstance(node, bool):
                self.counts[path] += 1
                if len(self.values[path]) < self.sample:
                    self.values[path].append(str(node))
                if self.counts[path] <= self.keep:
                    self.indexed[path].append(str(node))

    def segments(self) -> Iterator[Segment]:
        for path in self.values:                  # insertion order: document order
            values, count = self.values[path], self.counts[path]
            name = self.names.get(path) or path.rsplit(".", 1)[-1].rstrip("[]") or path
            if count > 1 and ("[]" in path or ".*" in path or path.endswith(KEYS)):
                yield Segment(SegmentKind.COLUMN, name=name, values=tuple(values), rows=count,
                              where={"key_path": path}, index_values=tuple(self.indexed.get(path, ())))
            else:
                for v in values:
                    yield Segment(SegmentKind.FIELD, name=name, text=v, where={"key_path": path})


def _parse(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise ObjectError(f"{what} nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise ObjectError(f"invalid {what}: {exc.msg} at line {exc.lineno}") from None
    except ValueError:                            # e.g. an integer over sys.get_int_max_str_digits()
        raise ObjectError(f"invalid {what}: a value cannot be converted (number too long?)") from None


def extract_json(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    parts, size = [], 0
    for piece in decoded_chunks(stream, ctx):
        size += len(piece)
        if size > MAX_JSON_CHARS:
            raise ObjectError(f"JSON document larger than {MAX_JSON_CHARS // (1024 * 1024)} MB")
        parts.append(piece)
    doc = _parse("".join(parts).lstrip("\ufeff"), "JSON")
    paths = _Paths(ctx.limits.table_sample_rows, ctx.limits.json_max_depth, ctx.limits.table_index_rows)
    paths.add(doc)
    yield from paths.segments()


def extract_jsonl(stream: IO[bytes], ctx: ExtractContext) -> Iterator[Segment]:
    paths = _Paths(ctx.limits.table_sample_rows, ctx.limits.json_max_depth, ctx.limits.table_index_rows)
    pending, bad = "", 0
    for piece in decoded_chunks(stream, ctx):
        pending += piece
        *lines, pending = pending.split("\n")
        for line in lines:
            bad += _add_line(paths, line)
    bad += _add_line(paths, pending)
    if bad and not paths.counts:
        raise ObjectError(f"invalid JSON Lines: {bad} unparseable lines")
    yield from paths.segments()


def _add_line(paths: _Paths, line: str) -> int:
    line = line.strip().lstrip("\ufeff")
    if not line:
        return 0
    try:
        paths.add(json.loads(line), "$[]")
        return 0
    except (ValueError, RecursionError):
        return 1
