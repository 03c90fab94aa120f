"""A readable console summary: a table per file, violations by severity, coverage at the end."""
from __future__ import annotations

import io
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


def _text_console() -> Console:
    return Console(record=True, soft_wrap=False, width=max(100, Console().width), file=io.StringIO())


def render_locations(doc: dict[str, Any]) -> str:
    """`pii-scan locations`: one row per container, then the sources that could not be read."""
    table = Table(title=f"Storage locations ({doc['jurisdiction'].upper()} adequacy)")
    for col in ("container", "provider", "location", "countries", "transfer", "public", "encrypted"):
        table.add_column(col, overflow="fold")
    yes_no = {True: "yes", False: "no", None: "unknown"}
    for c in doc["containers"]:
        table.add_row(_t(c["uri"]), c["provider"], _t(c["location"] or "-"), ", ".join(c["countries"]) or "unknown",
                      c["transfer"]["status"], yes_no[c["public"]], yes_no[c["encrypted"]])
    console = _text_console()
    console.print(table)
    for f in doc["source_failures"]:
        console.print(f"[bold red]INCOMPLETE[/]: {_t(f['source'])}: {_t(f['reason'])}")
    return console.export_text()


def render_subject(doc: dict[str, Any]) -> str:
    """`pii-scan subject`: the matched objects, strongest first, with the audit entry and the search's limits."""
    console = _text_console()
    table = Table(title=f"Subject access search: {doc['summary']['objects']} object(s)")
    cols = ["strength", "object", "country", "modified", "matched", "other data", "notes"]
    for col in cols + (["verified now"] if doc["verified"] else []):
        table.add_column(col, overflow="fold")
    for m in doc["matches"]:
        row = [f"{m['strength']} ({m['score']})", _t(m["uri"]), ", ".join(m["country"]) or "unknown",
               m["modified"] or "-", ", ".join(m["matched"]), ", ".join(m["other_categories"]) or "-",
               _t("; ".join(m["notes"]) or "-")]
        if doc["verified"]:
            row.append(_verification_text(m["verification"]))
        table.add_row(*row)
    console.print(table)
    console.print(f"audit entry {doc['audit_id']}; identifiers given: {', '.join(doc['identifiers_given'])}")
    for line in doc["limits"]:
        console.print(f"- {line}")
    return console.export_text()


def _verification_text(v: dict[str, Any]) -> str:
    if v.get("still_holds") is None:
        return str(v.get("error", "unknown"))
    if not v["still_holds"]:
        return "no longer holds it"
    places = ["{} at {}".format(loc["entity"], ", ".join(f"{k} {val}" for k, val in loc["where"].items()))
              for loc in v["locations"]]
    return "yes: " + "; ".join(places) if places else "yes"
