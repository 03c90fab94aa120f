"""A Markdown summary for CI job summaries ($GITHUB_STEP_SUMMARY): status, coverage, violations, countries."""
from __future__ import annotations

import html
from typing import IO, Any

from scanner.reports.model import SEVERITY_ORDER as SEVERITIES
from scanner.reports.model import Report
from scanner.reports.views import (
    countries,
    human_bytes,
    key_figures,
    printable,
)

MAX_ROWS = 25
_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|#~"})


def md(text: Any) -> str:
    """Escape for a Markdown table cell. NOTE: file names are attacker-controlled and job summaries render
    HTML, so < > & are entity-escaped and Markdown punctuation is backslash-escaped."""
    return html.escape(" ".join(printable(text).split()), quote=False).translate(_SPECIAL)


def render(report: Report, out: IO[str]) -> None:
    out.write(render_markdown(report))


def render_markdown(report: Report) -> str:
    state = report.completeness
    cov = report.summary.coverage
    figures = key_figures(report)
    baseline = report.baseline
    counted = report.counting
    worst = report.worst_counting.value if report.worst_counting else None
    out = ["# pii-scan report", ""]
    if state["status"] == "incomplete":
        out.append(f"> **INCOMPLETE SCAN** — {md(state['why'])}. Results below cover only what could be read.")
    elif state["status"] == "partial":
        out.append(f"> **Partial coverage** — {md(state['why'])}.")
    else:
        out.append("> **Complete scan** — every object was scanned or deliberately skipped.")
    out.append("")
    verdict = (f"**{len(counted)} {'new ' if baseline else ''}violation(s)**, worst: **{worst.upper()}**"
               if worst else f"**No {'new ' if baseline else ''}violations**")
    out += [verdict, ""]

    out += ["| | count |", "| --- | ---: |",
            f"| objects with personal data | {figures.personal} of {figures.objects} |",
            f"| objects sampled or read in part | {cov.get('sampled', 0)} |",
            f"| estimated data subjects | {figures.subjects} |",
            (f"| objects with special-category data | {figures.special} "
             f"({md(', '.join(figures.special_categories)) or '-'}) |"),
            f"| objects with children's data | {figures.children} |",
            f"| public containers holding personal data | {len(figures.public_containers)} |"]
    for sev in SEVERITIES:
        n = report.violations_by_severity.get(sev, 0)
        new = f" ({baseline.new.get(sev, 0)} new)" if baseline else ""
        out.append(f"| {sev} violations | {n}{new} |")
    out.append("")

    out += ["## Coverage", "", "| status | objects | bytes |", "| --- | ---: | ---: |"]
    for status in ("scanned", "skipped", "failed"):
        part = cov.get(status, {})
        out.append(f"| {status} | {part.get('objects', 0)} | {human_bytes(part.get('bytes', 0))} |")
    out.append(f"| **total** | **{cov.get('objects', 0)}** | **{human_bytes(cov.get('bytes', 0))}** |")
    reasons = [(st, r, n) for st in ("failed", "skipped") for r, n in (cov.get(st, {}).get("reasons") or {}).items()]
    if reasons:
        out += ["", "Not scanned, by reason:", ""]
        out += [f"- {st}: {n} × {md(r)}" for st, r, n in reasons]
    for f in report.source_failures:
        out.append(f"- **source not read**: {md(f.source)}: {md(f.reason)}")
    out.append("")

    if counted:
        title = "New violations" if baseline else "Violations"
        out += [f"## {title}", "", "| severity | rule | target | message |", "| --- | --- | --- | --- |"]
        for v in counted[:MAX_ROWS]:
            out.append(f"| {v.severity.value.upper()} | {md(v.rule)} | {md(v.target)} | {md(v.message)} |")
        if len(counted) > MAX_ROWS:
            out.append(f"\n…and {len(counted) - MAX_ROWS} more (see the SARIF or HTML report).")
        out.append("")
    if baseline:
        out.append(f"{baseline.unchanged} violation(s) accepted in the baseline; "
                   f"{len(baseline.absent)} baseline entr{'y' if len(baseline.absent) == 1 else 'ies'} "
                   "no longer found.")
        out.append("")

    rows = countries(report)
    if rows:
        out += ["## Where personal data is held", "", "| country | transfer status | objects | subjects |",
                "| --- | --- | ---: | ---: |"]
        out += [f"| {md(r.country)} | {md(r.label)} | {r.objects} | {r.subjects} |" for r in rows]
        out.append("")
    run = report.run
    out.append(f"<sub>run {md(run.id)} · jurisdiction {md(run.jurisdiction)} · {md(run.finished or run.started)}</sub>")
    return "\n".join(out) + "\n"
