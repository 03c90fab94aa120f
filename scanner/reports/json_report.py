"""The JSON report (schema pii-scan/report@1, DESIGN.md): the document every other format renders from."""
from __future__ import annotations

import hashlib
import json
import operator
import os
from collections import Counter, abc
from datetime import datetime, timezone
from typing import IO, Any, Iterator, Mapping

import orjson

from scanner.model import (
    Finding,
    ObjectResult,
    ScanOutcome,
    Severity,
    Status,
    holding_digest,
    violation_order,
)

SCHEMA = "pii-scan/report@1"


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat().replace("+00:00", "Z") if dt else None


_SCALARS = frozenset({str, int, float, bool, type(None)})
_first = operator.itemgetter(0)


def canonical(value: Any) -> Any:
    """Mappings with sorted keys and sets as sorted lists, all the way down: order that carries no meaning
    must not depend on dict or set iteration order."""
    if type(value) in _SCALARS:                # NOTE: most leaves; isinstance(x, Mapping) is slow
        return value
    if type(value) is dict:
        items = sorted(value.items(), key=_first) if all(type(k) is str for k in value) else None
        if items is not None:
            return {k: v if type(v) in _SCALARS else canonical(v) for k, v in items}
    if isinstance(value, abc.Mapping):
        return {str(k): canonical(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, (set, frozenset)):
        return sorted(canonical(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    return value


def _finding(f: Finding) -> dict[str, Any]:
    out = {"entity": f.entity, "score": f.score, "where": canonical(f.where), "masked": f.masked, "hash": f.hash}
    if f.value is not None:
        out["value"] = f.value
    return out




def _object(r: ObjectResult) -> dict[str, Any]:
    h = r.holding
    out = {
        "uri": r.ref.uri, "container": r.ref.container, "status": r.status.value, "reason": r.reason,
        "size": r.ref.size, "modified": _iso(r.ref.modified), "type": r.sniffed_type,
        "entities": dict(sorted(h.entities.items())), "special_categories": sorted(h.special_categories),
        "children": h.children, "subjects_estimate": h.subjects_estimate, "findings": [_finding(f) for f in r.findings],
        "digest": holding_digest(r),
    }
    if h.evidence:
        out["evidence"] = [{"kind": e.kind, "snippet": e.snippet, "where": canonical(e.where)} for e in h.evidence]
    if r.sample:
        out["sample"] = canonical(r.sample)
    return out


def coverage(results: tuple[ObjectResult, ...]) -> dict[str, Any]:
    """Objects and bytes scanned, skipped and failed out of the total, with reasons: honest coverage."""
    out: dict[str, Any] = {"objects": len(results), "bytes": sum(r.ref.size or 0 for r in results)}
    for status in Status:
        chosen = [r for r in results if r.status is status]
        out[status.value] = {"objects": len(chosen), "bytes": sum(r.ref.size or 0 for r in chosen)}
        if status is not Status.SCANNED:
            out[status.value]["reasons"] = dict(sorted(Counter(r.reason or "unknown" for r in chosen).items()))
            by_bytes: Counter = Counter()
            for r in chosen:
                by_bytes[r.reason or "unknown"] += r.ref.size or 0
            out[status.value]["reason_bytes"] = dict(sorted(by_bytes.items()))
    out["sampled"] = sum(1 for r in results if r.sample)
    out["bytes_read"] = sum(r.bytes_read for r in results)
    return out


def completeness(outcome: ScanOutcome) -> dict[str, Any]:
    """complete | partial (some objects failed) | incomplete (a named source could not be read at all)."""
    failed = sum(1 for r in outcome.results if r.status is Status.FAILED)
    if outcome.source_failures:
        return {"status": "incomplete", "why": f"{len(outcome.source_failures)} source(s) could not be read"}
    if failed:
        return {"status": "partial", "why": f"{failed} object(s) could not be read"}
    return {"status": "complete", "why": None}


def build_document(outcome: ScanOutcome) -> dict[str, Any]:
    run = outcome.run
    results = tuple(sorted(outcome.results, key=lambda r: r.ref.uri))
    transfer = outcome.extras.get("transfer", {})
    violations = sorted(outcome.violations, key=violation_order)
    by_sev = Counter(v.severity.value for v in violations)
    entity_totals: Counter = Counter()
    for r in results:
        entity_totals.update(r.holding.entities)
    state = completeness(outcome)
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "run": {"id": run.id, "jurisdiction": run.jurisdiction, "sources": list(run.sources),
                "started": _iso(run.started), "finished": _iso(run.finished)},
        "containers": [
            {"uri": c.uri, "provider": c.provider, "location": c.location, "countries": list(c.countries),
             "transfer": canonical(transfer.get(c.uri, {"status": "unknown", "basis": None})),
             "public": c.public, "encrypted": c.encrypted}
            for c in sorted(outcome.containers, key=lambda c: c.uri)
        ],
        "objects": [_object(r) for r in results],
        "violations": [
            {"rule": v.rule, "principle": v.principle, "severity": v.severity.value, "target": v.target,
             "message": v.message, "advice": v.advice, **({"evidence": canonical(v.evidence)} if v.evidence else {})}
            for v in violations
        ],
        "summary": {
            "objects": len(results),
            "with_personal_data": sum(1 for r in results if r.holding.has_personal_data),
            "entities": dict(sorted(entity_totals.items())),
            "special_categories": sorted({c for r in results for c in r.holding.special_categories}),
            "children": sum(1 for r in results if r.holding.children),
            "violations": {s.value: by_sev.get(s.value, 0) for s in reversed(Severity)},
            "coverage": coverage(results),
            "complete": not outcome.source_failures,
            "completeness": state,
            "source_failures": [{"source": f.source, "reason": f.reason}
                                for f in sorted(outcome.source_failures, key=lambda f: (f.source, f.reason))],
        },
    }
    for key in ("risk", "suppressions", "warnings", "allowlist"):
        if key in outcome.extras:
            doc[key] = canonical(outcome.extras[key])
    return reproducible(doc, inputs=run.settings)


def reproducible(doc: dict[str, Any], inputs: Mapping[str, Any] | None = None,
                 environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The reproducible-builds convention: with SOURCE_DATE_EPOCH set, run.started/finished are pinned to it
    and run.id is a digest of the inputs and results, so two scans of the same input are byte-identical."""
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return doc
    try:
        when = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        return doc                     # NOTE: a malformed value is ignored, as reproducible-builds.org advises
    run = {**doc["run"], "id": "", "started": _iso(when), "finished": _iso(when)}
    body = json.dumps({**doc, "run": run, "inputs": canonical(inputs or {})}, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"), default=str)
    run["id"] = "r" + hashlib.sha256(body.encode("utf-8", "surrogateescape")).hexdigest()[:11]
    return {**doc, "run": run}


def render_json(doc: Mapping[str, Any]) -> str:
    return "".join(_pieces(doc, 0)) + "\n"


def write_json(doc: Mapping[str, Any], stream: IO[str], flush_chars: int = 1 << 16) -> None:
    """render_json() written piece by piece (each object of the report one piece), so a large estate's report
    is never one string in memory."""
    buf: list[str] = []
    size = 0
    for chunk in _pieces(doc, 0):
        buf.append(chunk)
        size += len(chunk)
        if size >= flush_chars:
            stream.write("".join(buf))
            buf, size = [], 0
    buf.append("\n")
    stream.write("".join(buf))


def _pieces(value: Any, depth: int) -> Iterator[str]:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` in pieces: the report and its top-level lists are
    walked here, what lies deeper is encoded by orjson (its indented output is json's) and re-indented."""
    if depth < 2 and value and isinstance(value, (dict, list)):
        pad = "\n" + "  " * (depth + 1)
        opened = False
        if isinstance(value, dict):
            yield "{"
            for key, item in value.items():
                yield ("," if opened else "") + pad + _encode(key, 0) + ": "
                opened = True
                yield from _pieces(item, depth + 1)
            yield "\n" + "  " * depth + "}"
        else:
            yield "["
            for item in value:
                yield ("," if opened else "") + pad
                opened = True
                yield from _pieces(item, depth + 1)
            yield "\n" + "  " * depth + "]"
    else:
        yield _encode(value, depth)


def _encode(value: Any, depth: int) -> str:
    text = orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
    return text.replace("\n", "\n" + "  " * depth) if depth and "\n" in text else text
