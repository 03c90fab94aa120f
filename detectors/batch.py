"""Batch detection for evaluators and pipelines: JSON lines {"id", "text"} in, {"id", "spans"} out.

Every finding, no sampling and no NER budget; NER is batched across records."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterable, Iterator

if TYPE_CHECKING:
    from detectors.engine import Detector

BATCH_RECORDS = 64


class BadRecord(ValueError):
    """An input line is not a JSON object with a string "text" (the message names the line)."""


def _parse(number: int, line: str) -> tuple[object, str]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadRecord(f"line {number}: not JSON ({exc.msg})") from None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise BadRecord(f'line {number}: expected an object with a string "text"')
    return record.get("id"), record["text"]


def detect_jsonl(detector: Detector, lines: Iterable[str], *, explain: bool = False,
                 show_values: bool = False) -> Iterator[dict[str, Any]]:
    """One output record per non-blank input line, in input order."""
    pending: list[tuple[object, str]] = []

    def flush() -> Iterator[dict[str, Any]]:
        results = detector.analyze_many([t for _, t in pending], explain=explain)
        for (rid, _text), found in zip(pending, results, strict=True):
            spans: list[dict[str, Any]] = []
            for d in found:
                span: dict[str, Any] = {"start": d.start, "end": d.end, "entity": d.entity, "score": d.score}
                if explain:
                    span["explanation"] = d.explanation
                if show_values:
                    span["value"] = d.text
                spans.append(span)
            yield {"id": rid, "spans": spans}
        pending.clear()

    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        pending.append(_parse(number, line))
        if len(pending) >= BATCH_RECORDS:
            yield from flush()
    if pending:
        yield from flush()
