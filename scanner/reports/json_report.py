"""The JSON report (schema pii-scan/report@1, DESIGN.md "report contract"): one renderer of the typed Report, and
the reader that turns a JSON report file back into a Report."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

import orjson

from scanner.model import Evidence, Finding, ScanOutcome, Severity, SourceFailure
from scanner.reports.model import (
    SCHEMA,
    BaselineComparison,
    Completeness,
    Report,
    ReportContainer,
    ReportObject,
    ReportRun,
    ReportViolation,
    Summary,
    canonical,
)

__all__ = ["SCHEMA", "build_document", "canonical", "parse_document", "render", "to_document", "write_json"]


def render(report: Report, out: IO[str]) -> None:
    """The JSON renderer: streamed piece by piece (each object encoded as it is written), so a large estate's
    report is never one string nor one document in memory."""
    write_json(to_document(report, objects=Items(object_document(o) for o in report.objects)), out)


class Items:
    """A JSON list written item by item as the items are produced (write_json): the report's objects."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


def build_document(outcome: ScanOutcome) -> dict[str, Any]:
    """The JSON document of ``outcome``'s report (what `scan -o report.json` writes)."""
    return to_document(Report.from_outcome(outcome))


# -- Report → document ---------------------------------------------------------------------------------------------


def _finding(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {"entity": f.entity, "score": f.score, "where": f.where, "masked": f.masked,
                           "hash": f.hash}
    if f.value is not None:
        out["value"] = f.value
    return out


def object_document(o: ReportObject) -> dict[str, Any]:
    out: dict[str, Any] = {
        "uri": o.uri, "container": o.container, "status": o.status, "reason": o.reason, "size": o.size,
        "modified": o.modified, "type": o.type, "entities": dict(o.entities),
        "special_categories": list(o.special_categories), "children": o.children,
        "subjects_estimate": o.subjects_estimate, "findings": [_finding(f) for f in o.findings], "digest": o.digest,
    }
    if o.evidence:
        out["evidence"] = [{"kind": e.kind, "snippet": e.snippet, "where": e.where} for e in o.evidence]
    if o.sample:
        out["sample"] = o.sample
    return out


def _violation(v: ReportViolation) -> dict[str, Any]:
    out: dict[str, Any] = {"rule": v.rule, "principle": v.principle, "severity": v.severity.value,
                           "target": v.target, "message": v.message, "advice": v.advice}
    if v.evidence:
        out["evidence"] = v.evidence
    if v.baseline is not None:
        out["key"] = v.key
        out["baseline"] = v.baseline
    return out


def to_document(report: Report, objects: Any = None) -> dict[str, Any]:
    """The report as the JSON format writes it; keys in the contract's order. ``objects`` stands in for the
    list of objects (the JSON renderer streams them)."""
    run, s = report.run, report.summary
    summary: dict[str, Any] = {
        "objects": s.objects,
        "with_personal_data": s.with_personal_data,
        "entities": dict(s.entities),
        "special_categories": list(s.special_categories),
        "children": s.children,
        "violations": dict(report.violations_by_severity),
        "coverage": s.coverage,
        "complete": report.complete,
        "completeness": {"status": s.completeness.status, "why": s.completeness.why},
        "source_failures": [{"source": f.source, "reason": f.reason} for f in report.source_failures],
    }
    if report.baseline is not None:
        b = report.baseline
        summary["baseline"] = {"new": dict(b.new), "unchanged": b.unchanged, "absent": [dict(e) for e in b.absent]}
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "run": {"id": run.id, "jurisdiction": run.jurisdiction, "sources": list(run.sources),
                "started": run.started, "finished": run.finished},
        "containers": [
            {"uri": c.uri, "provider": c.provider, "location": c.location, "countries": list(c.countries),
             "transfer": c.transfer, "public": c.public, "encrypted": c.encrypted}
            for c in report.containers
        ],
        "objects": [object_document(o) for o in report.objects] if objects is None else objects,
        "violations": [_violation(v) for v in report.violations],
        "summary": summary,
    }
    for key, value in (("risk", report.risk), ("suppressions", report.suppressions),
                       ("warnings", None if report.warnings is None else list(report.warnings)),
                       ("allowlist", report.allowlist)):
        if value is not None:
            doc[key] = value
    return doc


# -- document → Report -----------------------------------------------------------------------------------------------


def parse_document(doc: Mapping[str, Any]) -> Report:
    """A JSON report (written by this version's JSON renderer) as a Report."""
    run = doc.get("run", {})
    s = doc.get("summary", {})
    state = s.get("completeness") or {"status": "complete" if s.get("complete", True) else "incomplete",
                                      "why": None}
    base = s.get("baseline")
    return Report(
        run=ReportRun(run.get("id", ""), run.get("jurisdiction", ""), tuple(run.get("sources", ())),
                      run.get("started"), run.get("finished")),
        containers=tuple(ReportContainer(c["uri"], c.get("provider"), c.get("location"),
                                         tuple(c.get("countries") or ()),
                                         c.get("transfer") or {"status": "unknown", "basis": None},
                                         c.get("public"), c.get("encrypted"))
                         for c in doc.get("containers", ())),
        objects=tuple(_parse_object(o) for o in doc.get("objects", ())),
        violations=tuple(ReportViolation(v["rule"], v.get("principle", ""), Severity(v["severity"]), v["target"],
                                         v.get("message", ""), v.get("advice", ""), v.get("evidence") or {},
                                         v.get("key"), v.get("baseline"))
                         for v in doc.get("violations", ())),
        summary=Summary(objects=s.get("objects", 0), with_personal_data=s.get("with_personal_data", 0),
                        entities=s.get("entities", {}), special_categories=tuple(s.get("special_categories", ())),
                        children=s.get("children", 0), coverage=s.get("coverage", {}),
                        completeness=Completeness(state.get("status", "complete"), state.get("why"))),
        source_failures=tuple(SourceFailure(f["source"], f["reason"]) for f in s.get("source_failures", ())),
        risk=doc.get("risk"), suppressions=doc.get("suppressions"),
        warnings=tuple(doc["warnings"]) if "warnings" in doc else None, allowlist=doc.get("allowlist"),
        baseline=BaselineComparison(base.get("new", {}), base.get("unchanged", 0), tuple(base.get("absent", ())))
        if base is not None else None,
    )


def _parse_object(o: Mapping[str, Any]) -> ReportObject:
    return ReportObject(
        uri=o["uri"], container=o.get("container") or "", status=o.get("status", "scanned"), reason=o.get("reason"),
        size=o.get("size"), modified=o.get("modified"), type=o.get("type"), entities=o.get("entities") or {},
        special_categories=tuple(o.get("special_categories") or ()), children=bool(o.get("children")),
        subjects_estimate=o.get("subjects_estimate") or 0,
        findings=tuple(Finding(f["entity"], f.get("score", 0.0), f.get("where") or {}, f.get("masked", ""),
                                     f.get("hash", ""), f.get("value")) for f in o.get("findings", ())),
        digest=o.get("digest"),
        evidence=tuple(Evidence(e["kind"], e.get("snippet", ""), e.get("where") or {})
                       for e in o.get("evidence", ())),
        sample=o.get("sample") or {},
    )


# -- writing -----------------------------------------------------------------------------------------------------


def render_json(doc: Mapping[str, Any]) -> str:
    return "".join(_pieces(doc, 0)) + "\n"


def write_json(doc: Mapping[str, Any], stream: IO[str], flush_chars: int = 1 << 16, walk: int = 2) -> None:
    """render_json() written piece by piece (each object of the report one piece), so a large estate's report
    is never one string in memory. The document is walked ``walk`` levels deep (where its Items may lie); what
    lies deeper is encoded whole."""
    buf: list[str] = []
    size = 0
    for chunk in _pieces(doc, 0, walk):
        buf.append(chunk)
        size += len(chunk)
        if size >= flush_chars:
            stream.write("".join(buf))
            buf, size = [], 0
    buf.append("\n")
    stream.write("".join(buf))


def _pieces(value: Any, depth: int, walk: int = 2) -> Iterator[str]:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` in pieces: the report and its top-level lists (the
    first ``walk`` levels) are walked here, what lies deeper is encoded by orjson (its indented output is json's)
    and re-indented."""
    if isinstance(value, Items):
        value = _peeked(value.items)
    if depth < walk and value and isinstance(value, (dict, list, _Peeked)):
        pad = "\n" + "  " * (depth + 1)
        opened = False
        if isinstance(value, dict):
            yield "{"
            for key, item in value.items():
                yield ("," if opened else "") + pad + _encode(key, 0) + ": "
                opened = True
                yield from _pieces(item, depth + 1, walk)
            yield "\n" + "  " * depth + "}"
        else:
            yield "["
            for item in value:
                yield ("," if opened else "") + pad
                opened = True
                yield from _pieces(item, depth + 1, walk)
            yield "\n" + "  " * depth + "]"
    else:
        yield _encode(value, depth)


class _Peeked:
    """An iterator that knows whether it is empty (an empty list is written ``[]``, as json does)."""

    def __init__(self, first: list[Any], rest: Iterator[Any]) -> None:
        self.first, self.rest = first, rest

    def __bool__(self) -> bool:
        return bool(self.first)

    def __iter__(self) -> Iterator[Any]:
        yield from self.first
        yield from self.rest


def _peeked(items: Iterable[Any]) -> _Peeked | list[Any]:
    it = iter(items)
    first = next(it, _EMPTY)
    return [] if first is _EMPTY else _Peeked([first], it)


_EMPTY = object()


def _encode(value: Any, depth: int) -> str:
    text = orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
    return text.replace("\n", "\n" + "  " * depth) if depth and "\n" in text else text
