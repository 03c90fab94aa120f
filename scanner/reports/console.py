"""A readable console summary: a table per file, violations by severity, coverage at the end."""
from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from scanner.reports.views import console_text as _t

SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}


def render_console(doc: dict[str, Any], console: Console) -> None:
    objects = [o for o in doc["objects"] if o["entities"] or o["special_categories"] or o["children"]]
    roots = sorted({o["container"] for o in objects})
    title = f"Personal data found ({len(objects)} of {len(doc['objects'])} objects)"
    table = Table(title=title, caption=_t(", ".join(roots)) if len(roots) == 1 else None, show_lines=False)
    table.add_column("object", overflow="fold")
    table.add_column("entities")
    table.add_column("special categories")
    table.add_column("children", justify="center")
    table.add_column("subjects", justify="right")
    for o in objects:
        shown = o["uri"][len(o["container"]) + 1:] if o["uri"].startswith(o["container"] + "/") else o["uri"]
        ents = ", ".join(f"{k} {v}" for k, v in sorted(o["entities"].items(), key=lambda kv: (-kv[1], kv[0])))
        table.add_row(_t(shown), ents or "-", ", ".join(o["special_categories"]) or "-",
                      "yes" if o["children"] else "-", str(o["subjects_estimate"]))
    console.print(table)
    if doc["violations"]:
        vt = Table(title="Violations")
        for col in ("severity", "rule", "target", "message"):
            vt.add_column(col, overflow="fold")
        for v in doc["violations"]:
            mark = {"new": " NEW", "unchanged": " (baseline)"}.get(v.get("baseline", ""), "")
            vt.add_row(f"[{SEVERITY_STYLE.get(v['severity'], '')}]{v['severity'].upper()}[/]{mark}", v["rule"],
                       _t(v["target"]), _t(v["message"]))
        console.print(vt)
    s = doc["summary"]
    cov = s["coverage"]
    line = (f"{cov['objects']} objects: {cov['scanned']['objects']} scanned, {cov['skipped']['objects']} skipped, "
            f"{cov['failed']['objects']} failed; {s['with_personal_data']} with personal data; violations: "
            + ", ".join(f"{k} {v}" for k, v in s["violations"].items()))
    console.print(line)
    for status in ("skipped", "failed"):
        for reason, n in cov[status].get("reasons", {}).items():
            console.print(f"  {status}: {n} × {_t(reason)}")
    for w in doc.get("warnings", []):
        console.print(f"[yellow]warning[/]: {_t(w)}")
    for f in s["source_failures"]:
        console.print(f"[bold red]INCOMPLETE[/]: {_t(f['source'])}: {_t(f['reason'])}")
