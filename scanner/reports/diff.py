"""What changed between two reports: holdings and violations that are new, removed or changed."""
from __future__ import annotations

from typing import Any, Mapping

from scanner.baseline import report_keys
from scanner.reports.markdown import md
from scanner.reports.model import Report, ReportObject

_HOLDING = ("entities", "special_categories", "children", "digest")


def _holding(o: ReportObject) -> dict[str, Any]:
    return {"uri": o.uri, "entities": dict(o.entities), "special_categories": list(o.special_categories),
            "children": o.children, "subjects_estimate": o.subjects_estimate, "digest": o.digest}


def _violations(report: Report) -> dict[tuple[str, str], dict[str, Any]]:
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for v, key in zip(report.violations, report_keys(report), strict=True):
        out.setdefault((v.rule, v.target), {"rule": v.rule, "target": v.target, "severity": v.severity.value,
                                            "message": v.message, "key": key})
    return out


def diff_reports(a: Report, b: Report) -> dict[str, Any]:
    """The diff document of two reports (a stored run or a JSON report file each), holdings by Report.personal."""
    ha = {o.uri: _holding(o) for o in a.personal}
    hb = {o.uri: _holding(o) for o in b.personal}
    changed_h = [{"uri": u, "before": ha[u], "after": hb[u]} for u in sorted(ha.keys() & hb.keys())
                 if any(ha[u][k] != hb[u][k] for k in _HOLDING)]
    va, vb = _violations(a), _violations(b)
    changed_v = [{"before": va[k], "after": vb[k]} for k in sorted(va.keys() & vb.keys())
                 if (va[k]["severity"], va[k]["message"], va[k]["key"]) != (vb[k]["severity"], vb[k]["message"],
                                                                              vb[k]["key"])]
    return {
        "runs": [a.run.id, b.run.id],
        "holdings": {"new": [hb[u] for u in sorted(hb.keys() - ha.keys())],
                     "removed": [ha[u] for u in sorted(ha.keys() - hb.keys())],
                     "changed": changed_h},
        "violations": {"new": [vb[k] for k in sorted(vb.keys() - va.keys())],
                       "removed": [va[k] for k in sorted(va.keys() - vb.keys())],
                       "changed": changed_v},
    }


def _entities(h: Mapping[str, Any]) -> str:
    parts = [f"{e} {n}" for e, n in sorted(h["entities"].items())] + list(h["special_categories"])
    return ", ".join(parts + (["children"] if h["children"] else [])) or "-"


def render_diff_text(d: Mapping[str, Any]) -> str:
    out = [f"pii-scan diff {d['runs'][0]} → {d['runs'][1]}"]
    h, v = d["holdings"], d["violations"]
    out.append(f"holdings: {len(h['new'])} new, {len(h['removed'])} removed, {len(h['changed'])} changed; "
               f"violations: {len(v['new'])} new, {len(v['removed'])} removed, {len(v['changed'])} changed")
    out += [f"+ holding  {x['uri']}: {_entities(x)}" for x in h["new"]]
    out += [f"- holding  {x['uri']}" for x in h["removed"]]
    out += [f"~ holding  {x['uri']}: {_entities(x['before'])} → {_entities(x['after'])}" for x in h["changed"]]
    out += [f"+ {x['severity'].upper():<8} {x['rule']}  {x['target']}: {x['message']}" for x in v["new"]]
    out += [f"- {x['severity'].upper():<8} {x['rule']}  {x['target']}" for x in v["removed"]]
    out += [f"~ {x['after']['severity'].upper():<8} {x['after']['rule']}  {x['after']['target']}: "
            f"{x['before']['severity']} → {x['after']['severity']}; {x['after']['message']}" for x in v["changed"]]
    return "\n".join(out) + "\n"


def render_diff_markdown(d: Mapping[str, Any]) -> str:
    h, v = d["holdings"], d["violations"]
    out = [f"# pii-scan diff {md(d['runs'][0])} → {md(d['runs'][1])}", "",
           "| | new | removed | changed |", "| --- | ---: | ---: | ---: |",
           f"| holdings | {len(h['new'])} | {len(h['removed'])} | {len(h['changed'])} |",
           f"| violations | {len(v['new'])} | {len(v['removed'])} | {len(v['changed'])} |", ""]
    if v["new"] or v["changed"]:
        out += ["| change | severity | rule | target | message |", "| --- | --- | --- | --- | --- |"]
        out += [f"| new | {x['severity'].upper()} | {md(x['rule'])} | {md(x['target'])} | {md(x['message'])} |"
                for x in v["new"]]
        out += [f"| changed | {x['before']['severity'].upper()} → {x['after']['severity'].upper()} | "
                f"{md(x['after']['rule'])} | {md(x['after']['target'])} | {md(x['after']['message'])} |"
                for x in v["changed"]]
        out.append("")
    return "\n".join(out) + "\n"
