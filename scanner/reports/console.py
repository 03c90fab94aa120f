"""The console summary, readable at a glance (issue 19 item 5).

Default: violations grouped by rule and location with counts and people, the top risks with their advice,
personal data by location (its largest files named), and coverage with failure reasons counted.
``-v`` adds the failed objects by name, the full table of objects with personal data and every violation.
``-vv`` adds the skipped objects by name and each object's findings (entity, masked value, where).
"""
from __future__ import annotations

import io
from collections import Counter
from typing import IO, Any

from rich.console import Console, JustifyMethod
from rich.table import Table

from scanner.reports.model import SEVERITY_ORDER, Report
from scanner.reports.views import console_text as _t
from scanner.reports.views import ranked_risks, shown_path, shown_path_of

SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}
TOP_RISKS = 5


def _sev(severity: str, mark: str = "") -> str:
    return f"[{SEVERITY_STYLE.get(severity, '')}]{severity.upper()}[/]{mark}"


def _people(n: int) -> str:
    return f"~{n} {'person' if n == 1 else 'people'}"


def render(report: Report, out: IO[str]) -> None:
    """The console format as a file holds it: 120 columns, no colour."""
    buf = io.StringIO()
    render_console(report, Console(file=buf, width=120, soft_wrap=False, no_color=True, highlight=False))
    out.write(buf.getvalue())


def render_console(report: Report, console: Console, verbosity: int = 0) -> None:
    """Print the summary of ``report``; ``verbosity`` is the number of ``-v``."""
    risks = ranked_risks(report)
    _by_rule_and_location(risks, console)
    _top_risks(risks, console)
    _by_location(report, console)
    if verbosity >= 1:
        _objects_table(report, console)
        _violations_table(report, console)
    _coverage(report, console, verbosity)
    if verbosity >= 2:
        _findings(report, console)
    elif len(report.objects) or report.violations:
        more = "-v: failed objects by name, every object and violation; -vv: skipped objects and each finding"
        console.print(f"[dim]{more if verbosity == 0 else '-vv: skipped objects by name and each finding'}[/]")


def _by_rule_and_location(risks: list[dict[str, Any]], console: Console) -> None:
    if not risks:
        return
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for g in risks:
        row = groups.setdefault((g["rule"], g["location"]), {"severities": Counter(), "count": 0, "people": 0,
                                                              "risk": 0.0})
        row["severities"][g["severity"]] += g["count"]
        row["count"] += g["count"]
        row["people"] += g["people"]
        row["risk"] += g["risk"]
    table = Table(title="Violations by rule and location")
    columns: tuple[tuple[str, JustifyMethod], ...] = (("worst", "left"), ("rule", "left"), ("location", "left"),
                                                      ("count", "right"), ("people", "right"))
    for col, justify in columns:
        table.add_column(col, overflow="fold", justify=justify)
    for (rule, location), row in sorted(groups.items(), key=lambda kv: (-kv[1]["risk"], kv[0])):
        worst = next(s for s in SEVERITY_ORDER + tuple(row["severities"]) if row["severities"][s])
        table.add_row(_sev(worst), rule, _t(location), str(row["count"]), f"~{row['people']}")
    console.print(table)


def _top_risks(risks: list[dict[str, Any]], console: Console) -> None:
    if not risks:
        return
    console.print("[bold]Top risks[/] (severity × people affected)")
    for i, g in enumerate(risks[:TOP_RISKS], 1):
        what = f"{g['count']} files: {g['message']}" if g["count"] > 1 else g["message"]
        where = g["location"] if g["count"] > 1 else g["targets"][0]
        console.print(f" {i}. {_sev(g['severity'])} {_t(what)} — {_t(where)} ({_people(g['people'])})")
        console.print(f"    what to do: {_t(g['advice'])}")
    if len(risks) > TOP_RISKS:
        console.print(f"    … {len(risks) - TOP_RISKS} more (-v for every violation)")


def _by_location(report: Report, console: Console) -> None:
    places = report.places()
    title = f"Personal data found ({sum(p.objects for p in places.values())} of {len(report.objects)} objects)"
    if not places:
        console.print(title + ": none")
        return
    table = Table(title=title)
    for col in ("location", "objects", "people", "entities", "special / children", "largest"):
        table.add_column(col, overflow="fold")
    for uri, p in sorted(places.items(), key=lambda kv: (-kv[1].people, kv[0])):
        special = sorted(p.special)
        table.add_row(_t(uri), str(p.objects), f"~{p.people}",
                      ", ".join(f"{k} {v}" for k, v in sorted(p.entities.items(), key=lambda kv: (-kv[1], kv[0]))[:6]),
                      ", ".join(special + ([f"children ({p.children})"] if p.children else [])) or "-",
                      _t(", ".join(f"{shown_path_of(uri, container)} (~{-people})"
                                   for people, uri, container in sorted(p.largest))))
    console.print(table)


def _objects_table(report: Report, console: Console) -> None:
    objects = list(report.personal)          # NOTE: -v lists every one; the table holds them all anyway
    if not objects:
        return
    roots = sorted({o.container for o in objects})
    table = Table(title="Objects with personal data", caption=_t(", ".join(roots)) if len(roots) == 1 else None)
    for col in ("object", "entities", "special categories", "children", "subjects"):
        table.add_column(col, overflow="fold")
    for o in objects:
        ents = ", ".join(f"{k} {v}" for k, v in sorted(o.entities.items(), key=lambda kv: (-kv[1], kv[0])))
        table.add_row(_t(shown_path(o)), ents or "-", ", ".join(o.special_categories) or "-",
                      "yes" if o.children else "-", str(o.subjects_estimate))
    console.print(table)


def _violations_table(report: Report, console: Console) -> None:
    if not report.violations:
        return
    table = Table(title="Violations")
    for col in ("severity", "rule", "target", "message"):
        table.add_column(col, overflow="fold")
    for v in report.violations:
        mark = {"new": " NEW", "unchanged": " (baseline)"}.get(v.baseline or "", "")
        table.add_row(_sev(v.severity.value, mark), v.rule, _t(v.target), _t(v.message))
    console.print(table)


def _coverage(report: Report, console: Console, verbosity: int) -> None:
    cov = report.summary.coverage
    console.print(f"{cov['objects']} objects: {cov['scanned']['objects']} scanned, {cov['skipped']['objects']} "
                  f"skipped, {cov['failed']['objects']} failed; {report.summary.with_personal_data} with personal "
                  "data; violations: " + ", ".join(f"{k} {v}" for k, v in report.violations_by_severity.items()))
    for status in ("skipped", "failed"):
        for reason, n in cov[status].get("reasons", {}).items():
            console.print(f"  {status}: {n} × {_t(reason)}")
    cut = report.cut_count()
    if cut:             # NOTE: read in part (a limit or the NER budget stopped before the end): never shown as whole
        console.print(f"  read in part: {cut} × a limit stopped the reading before the end"
                      + ("" if verbosity >= 1 else " (-v names them)"))
        for o in (o for o in report.objects if o.cuts) if verbosity >= 1 else ():
            where = ", ".join(f"{k} at {v}" for k, v in o.cuts.items())
            console.print(f"    {_t(o.uri)}: {_t(where)}")
    failed = _named_objects(console, report, "failed", shown=verbosity >= 1)
    if failed and verbosity < 1:
        console.print(f"  ({failed} failed object(s): -v names them)")
    _named_objects(console, report, "skipped", shown=verbosity >= 2)
    for w in report.warnings or ():
        console.print(f"[yellow]warning[/]: {_t(w)}")
    for f in report.source_failures:
        console.print(f"[bold red]INCOMPLETE[/]: {_t(f.source)}: {_t(f.reason)}")


def _findings(report: Report, console: Console) -> None:
    """-vv: each finding of each object: entity, masked value and where (never the value)."""
    for o in report.objects:
        if not o.findings:
            continue
        console.print(f"[bold]{_t(o.uri)}[/]")
        for f in o.findings:
            where = ", ".join(f"{k} {v}" for k, v in (f.where or {}).items())
            console.print(f"  {f.entity} {_t(f.masked or '')} ({_t(where)})")


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


def _named_objects(console: Console, report: Report, status: str, shown: bool) -> int:
    """Name each object of a status with its reason (when shown); the number of them."""
    objects = list(report.objects_with_status(status)) if shown else []
    count = report.summary.coverage.get(status, {}).get("objects", 0) if not shown else len(objects)
    if objects and shown:
        console.print(f"[bold]{status.capitalize()} objects[/]")
        for o in objects:
            console.print(f"  {_t(o.uri)}: {_t(o.reason or status)}")
    return count
