"""SARIF 2.1.0 for code-scanning UIs: one rule per policy rule, one result per violation.

Never a raw value: messages come from the policy engine (counts, categories, masks), examples are masked
previews, and partialFingerprints are the baseline key (rule + target + digest of keyed hashes).
"""
from __future__ import annotations

import importlib.metadata
import os
import re
from pathlib import Path, PurePosixPath
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, Mapping
from urllib.parse import quote, unquote, urlparse
from urllib.request import url2pathname

from scanner.baseline import KeyIndex, violation_key
from scanner.reports.json_report import Items, write_json
from scanner.reports.model import Report, ReportObject, ReportViolation

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
# GitHub code scanning reads properties.security-severity (a number as a string) to rank results.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.0", "low": "2.0"}
FINGERPRINT = "piiScanKey/v1"
SRCROOT = "%SRCROOT%"


def _catalogue() -> Mapping[str, Any]:
    try:
        from scanner.policy.rules import RULES
    except ImportError:          # NOTE: reports must still render if the policy package cannot be imported
        return {}
    return RULES


def _name(rule_id: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[._\-]+", rule_id) if part)


def _rule(rule_id: str, catalogue: Mapping[str, Any], fallback: ReportViolation | None = None) -> dict[str, Any]:
    rule = catalogue.get(rule_id)
    if rule is not None:
        principle, severity = rule.principle.value, rule.severity.value
        short, help_text = rule.short, rule.help
    else:
        principle = fallback.principle if fallback else ""
        severity = fallback.severity.value if fallback else "medium"
        short = f"{rule_id} (not in this version's rule catalogue)"
        help_text = (fallback.advice if fallback else "") or short
    markdown = f"**{short}**\n\n{help_text}\n\nPrinciple: *{principle}*." if principle else f"**{short}**\n\n{help_text}"
    return {
        "id": rule_id,
        "name": _name(rule_id),
        "shortDescription": {"text": short},
        "fullDescription": {"text": help_text},
        "help": {"text": f"{help_text} Principle: {principle}." if principle else help_text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVEL.get(severity, "warning")},
        "properties": {"principle": principle, "default-severity": severity,
                       "security-severity": SECURITY_SEVERITY.get(severity, "5.0"),
                       "tags": ["privacy", "pii", rule_id.split(".")[0]]},
    }


def artifact_location(uri: str, base: Path) -> dict[str, Any]:
    """A file path relative to ``base`` (the checkout, for code-scanning UIs) for local files under it;
    the object URI otherwise."""
    if uri.startswith("file://"):
        member = ""
        path_part = uri
        if "!/" in uri:
            path_part, _, member = uri.partition("!/")
        path = Path(url2pathname(unquote(urlparse(path_part).path)))
        try:
            rel = PurePosixPath(*path.relative_to(base).parts).as_posix()
        except ValueError:
            return {"uri": uri}
        if member:
            rel = f"{rel}!/{member}"
        return {"uri": quote(rel, safe="/!"), "uriBaseId": SRCROOT}
    return {"uri": uri}


def _first_line(obj: ReportObject | None) -> dict[str, int] | None:
    lines = []
    for f in obj.findings if obj else ():
        line, col = f.where.get("line"), f.where.get("column")
        if isinstance(line, int) and not isinstance(line, bool) and line >= 1:
            # NOTE: in tables `column` is the column's name, not a character position
            lines.append((line, col if isinstance(col, int) and not isinstance(col, bool) and col >= 1 else 0))
    if not lines:
        return None
    line, col = min(lines)
    return {"startLine": line, **({"startColumn": col} if col else {})}


def _safe_evidence(evidence: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in evidence.items() if k not in ("value", "values", "raw")}


@dataclass(frozen=True)
class _Target:
    """What a result shows of the object a violation is about (a few masks, not the object's findings)."""

    region: dict[str, int] | None
    masked: list[str]
    entities: dict[str, int]


def _targets(report: Report) -> dict[str, _Target]:
    """The objects the violations are about, in one pass over the report's objects (streamed from a store run)."""
    targets = report.targets
    return {o.uri: _Target(_first_line(o), sorted({f.masked for f in o.findings if f.masked})[:5], dict(o.entities))
            for o in report.objects if o.uri in targets}


def _results(report: Report, base: Path, rule_index: Mapping[str, int]) -> Iterator[dict[str, Any]]:
    """One SARIF result per violation, made as it is written."""
    objects = _targets(report)
    index: KeyIndex | None = None            # made on first need (without a baseline: for every violation)
    for v in report.violations:
        obj = objects.get(v.target)
        severity = v.severity.value
        physical: dict[str, Any] = {"artifactLocation": artifact_location(v.target, base)}
        if obj and obj.region:
            physical["region"] = obj.region
        props: dict[str, Any] = {"severity": severity, "principle": v.principle,
                                 "security-severity": SECURITY_SEVERITY.get(severity, "5.0")}
        if obj:
            props["entities"] = obj.entities
            if obj.masked:
                props["maskedExamples"] = obj.masked
        if v.evidence:
            props["evidence"] = _safe_evidence(v.evidence)
        key = v.key
        if not key:
            index = index or KeyIndex.of(report)
            key = violation_key(v.rule, v.target, index)
        result: dict[str, Any] = {
            "ruleId": v.rule, "ruleIndex": rule_index[v.rule], "level": LEVEL.get(severity, "warning"),
            "message": {"text": f"{v.message}. Advice: {v.advice}" if v.advice else v.message},
            "locations": [{"physicalLocation": physical}],
            "partialFingerprints": {FINGERPRINT: key},
            "properties": props,
        }
        if v.baseline in ("new", "unchanged"):
            result["baselineState"] = v.baseline
        yield result


def build_sarif(report: Report, base: Path | None = None) -> dict[str, Any]:
    """The SARIF document as one dict (its results a list)."""
    doc = sarif_document(report, base)
    doc["runs"][0]["results"] = list(doc["runs"][0]["results"].items)
    return doc


def sarif_document(report: Report, base: Path | None = None) -> dict[str, Any]:
    """The SARIF document with its results as Items, made one at a time as write_json writes them (a stored run's
    objects are read from the store, never all held)."""
    base = (base or Path(os.getcwd())).resolve()
    catalogue = _catalogue()
    violations = report.violations
    rule_ids = sorted(set(catalogue) | {v.rule for v in violations})
    first_seen: dict[str, ReportViolation] = {}
    for v in violations:
        first_seen.setdefault(v.rule, v)
    rules = [_rule(r, catalogue, first_seen.get(r)) for r in rule_ids]
    rule_index = {r: i for i, r in enumerate(rule_ids)}
    results = Items(_results(report, base, rule_index))

    state = report.completeness
    notifications = [{"level": "error", "message": {"text": f"source could not be read: {f.source}: {f.reason}"}}
                     for f in report.source_failures]
    cov = report.summary.coverage
    for status, level in (("failed", "warning"), ("skipped", "note")):
        for reason, n in (cov.get(status, {}).get("reasons") or {}).items():
            notifications.append({"level": level, "message": {"text": f"{n} object(s) {status}: {reason}"}})
    invocation: dict[str, Any] = {"executionSuccessful": state["status"] != "incomplete",
                                  "properties": {"completeness": state["status"]}}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run_info = report.run
    if run_info.started:
        invocation["startTimeUtc"] = run_info.started
    if run_info.finished:
        invocation["endTimeUtc"] = run_info.finished
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "pii-scan", "version": _version(), "semanticVersion": _version(),
                            "rules": rules}},
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "The directory pii-scan ran in (the checkout)"}}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"runId": run_info.id, "jurisdiction": run_info.jurisdiction,
                       "sources": list(run_info.sources), "completeness": state,
                       "coverage": cov, "violations": dict(report.violations_by_severity)},
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _version() -> str:
    try:
        return importlib.metadata.version("pii-scan")
    except importlib.metadata.PackageNotFoundError:
        return "0.0.0"


def render(report: Report, out: IO[str]) -> None:
    """SARIF 2.1.0, paths relative to the current directory (the checkout), written piece by piece: one result at
    a time (what ``json.dumps(build_sarif(report), indent=2, ensure_ascii=False)`` gives, with a newline)."""
    # NOTE: walked to depth 4 (document, runs, run, its members), so that the results list is streamed
    write_json(sarif_document(report), out, walk=4)
