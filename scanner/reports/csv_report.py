"""CSV: one row per object × entity (objects without personal data, skipped or failed get one row with no
entity, so coverage is in the file too)."""
from __future__ import annotations

import csv
from typing import IO, Any

from scanner.reports.model import Report, worst
from scanner.reports.views import printable

COLUMNS = ("object", "container", "status", "reason", "size", "modified", "entity", "count", "masked_examples",
           "special_categories", "children", "subjects_estimate", "violations", "worst_severity")


def _cell(value: Any) -> str:
    """NOTE: file names are attacker-controlled: control characters are shown escaped, and a cell starting with = + - @ (or tab/CR) would run as a formula
    in a spreadsheet, so it is prefixed with an apostrophe (OWASP CSV injection)."""
    text = "" if value is None else printable(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def rows(report: Report) -> list[dict[str, Any]]:
    by_target = report.by_target
    out = []
    for o in report.objects:
        # a container's violations (transfer, public, encryption) apply to each of its objects with personal data
        vs = by_target.get(o.uri, ()) + (by_target.get(o.container, ()) if o.has_personal else ())
        rules = sorted({v.rule for v in vs})
        most = worst(vs)
        base = {"object": o.uri, "container": o.container, "status": o.status, "reason": o.reason,
                "size": o.size, "modified": o.modified, "special_categories": ";".join(o.special_categories),
                "children": "yes" if o.children else "", "subjects_estimate": o.subjects_estimate,
                "violations": ";".join(rules), "worst_severity": most.value if most else ""}
        entities = sorted(o.entities.items())
        if not entities:
            out.append({**base, "entity": "", "count": 0, "masked_examples": ""})
        for entity, count in entities:
            masked = sorted({f.masked for f in o.findings if f.entity == entity and f.masked})
            out.append({**base, "entity": entity, "count": count, "masked_examples": ";".join(masked)})
    return out


def render(report: Report, out: IO[str]) -> None:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows(report):
        writer.writerow({k: _cell(row.get(k)) for k in COLUMNS})
