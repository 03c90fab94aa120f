"""The JSON report (schema pii-scan/report@1, DESIGN.md): the document every other format renders from."""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

from scanner.model import Finding, ObjectResult, ScanOutcome, Severity, Status

SCHEMA = "pii-scan/report@1"


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat().replace("+00:00", "Z") if dt else None


def _finding(f: Finding) -> dict[str, Any]:
    out = {"entity": f.entity, "score": f.score, "where": dict(f.where), "masked": f.masked, "hash": f.hash}
    if f.value is not None:
        out["value"] = f.value
    return out


def _object(r: ObjectResult) -> dict[str, Any]:
    h = r.holding
    out = {
        "uri": r.ref.uri, "container": r.ref.container, "status": r.status.value, "reason": r.reason,
        "size": r.ref.size, "modified": _iso(r.ref.modified), "type": r.sniffed_type,
        "entities": dict(h.entities), "special_categories": list(h.special_categories), "children": h.children,
        "subjects_estimate": h.subjects_estimate, "findings": [_finding(f) for f in r.findings],
    }
    if h.evidence:
        out["evidence"] = [{"kind": e.kind, "snippet": e.snippet, "where": dict(e.where)} for e in h.evidence]
    if r.sample:
        out["sample"] = dict(r.sample)
    return out


def coverage(results: tuple[ObjectResult, ...]) -> dict[str, Any]:
    """Objects and bytes scanned, skipped and failed, with reasons: honest coverage."""
    out: dict[str, Any] = {"objects": len(results), "bytes": sum(r.ref.size or 0 for r in results)}
    for status in Status:
        chosen = [r for r in results if r.status is status]
        out[status.value] = {"objects": len(chosen), "bytes": sum(r.ref.size or 0 for r in chosen)}
        if status is not Status.SCANNED:
            out[status.value]["reasons"] = dict(sorted(Counter(r.reason or "unknown" for r in chosen).items()))
    out["sampled"] = sum(1 for r in results if r.sample)
    return out


def build_document(outcome: ScanOutcome) -> dict[str, Any]:
    run = outcome.run
    results = outcome.results
    transfer = outcome.extras.get("transfer", {})
    violations = sorted(outcome.violations, key=lambda v: (-v.severity.rank, v.rule, v.target))
    by_sev = Counter(v.severity.value for v in violations)
    entity_totals: Counter = Counter()
    for r in results:
        entity_totals.update(r.holding.entities)
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "run": {"id": run.id, "jurisdiction": run.jurisdiction, "sources": list(run.sources),
                "started": _iso(run.started), "finished": _iso(run.finished)},
        "containers": [
            {"uri": c.uri, "provider": c.provider, "location": c.location, "countries": list(c.countries),
             "transfer": transfer.get(c.uri, {"status": "unknown", "basis": None}),
             "public": c.public, "encrypted": c.encrypted}
            for c in sorted(outcome.containers, key=lambda c: c.uri)
        ],
        "objects": [_object(r) for r in results],
        "violations": [
            {"rule": v.rule, "principle": v.principle, "severity": v.severity.value, "target": v.target,
             "message": v.message, "advice": v.advice, **({"evidence": dict(v.evidence)} if v.evidence else {})}
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
            "source_failures": [{"source": f.source, "reason": f.reason} for f in outcome.source_failures],
        },
    }
    for key in ("risk", "suppressions", "warnings"):
        if key in outcome.extras:
            doc[key] = outcome.extras[key]
    return doc


def render_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
