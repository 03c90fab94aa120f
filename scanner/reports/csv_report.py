"""CSV: one row per object × entity (objects without personal data, skipped or failed get one row with no
entity, so coverage is in the file too)."""
from __future__ import annotations

import csv
import io
from typing import Any

from scanner.reports.model import Report
from scanner.reports.views import (
    SEVERITIES,
    has_personal,
    printable,
    violations_by_target,
)

COLUMNS = ("object", "container", "status", "reason", "size", "modified", "entity", "count", "masked_examples",
           "special_categories", "children", "subjects_estimate", "violations", "worst_severity")


def _cell(value: Any) -> str:
    """NOTE: file names are attacker-controlled: control characters are shown escaped, and a cell starting with = + - @ (or tab/CR) would run as a formula
    in a spreadsheet, so it is prefixed with an apostrophe (OWASP CSV injection)."""
    text = "" if value is None else printable(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def rows(report: Report) -> list[dict[str, Any]]:
    doc = report.document
    by_target = violations_by_target(doc)
    out = []
    for o in doc.get("objects", ()):
        # a container's violations (transfer, public, encryption) apply to each of its objects with personal data
        vs = by_target.get(o["uri"], []) + (by_target.get(o.get("container"), []) if has_personal(o) else [])
        rules = sorted({v["rule"] for v in vs})
        worst = next((s for s in SEVERITIES if any(v["severity"] == s for v in vs)), "")
        base = {"object": o["uri"], "container": o.get("container"), "status": o["status"], "reason": o.get("reason"),
                "size": o.get("size"), "modified": o.get("modified"),
                "special_categories": ";".join(o.get("special_categories") or ()),
                "children": "yes" if o.get("children") else "", "subjects_estimate": o.get("subjects_estimate"),
                "violations": ";".join(rules), "worst_severity": worst}
        entities = sorted((o.get("entities") or {}).items())
        if not entities:
            out.append({**base, "entity": "", "count": 0, "masked_examples": ""})
        for entity, count in entities:
            masked = sorted({f["masked"] for f in o.get("findings", ()) if f["entity"] == entity and f.get("masked")})
            out.append({**base, "entity": entity, "count": count, "masked_examples": ";".join(masked)})
    return out


def render_csv(report: Report) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows(report):
        writer.writerow({k: _cell(row.get(k)) for k in COLUMNS})
    return buf.getvalue()
