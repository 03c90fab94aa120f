"""The HTML report a DPO reads and forwards: one self-contained file (inline CSS and SVG, no scripts, no
network), autoescaped throughout because object names are attacker-controlled."""
from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import jinja2
import markupsafe

from scanner.reports import views
from scanner.reports.model import SEVERITY_ORDER, Report, ReportObject

TEMPLATES = Path(__file__).with_name("templates")

# Colour is never the only signal: every bar also has a pattern and a text label, every badge its word.
STATUS_STYLE = {
    "not_adequate": {"colour": "#b91c1c", "pattern": "hatch"},
    "unknown": {"colour": "#6b7280", "pattern": "dots"},
    "partial": {"colour": "#b45309", "pattern": "cross"},
    "adequate": {"colour": "#15803d", "pattern": "solid"},
    "domestic": {"colour": "#1d4ed8", "pattern": "solid"},
}
BAR_MAX = 380
ROW_H = 34


def _printable(value: Any) -> Any:
    return views.printable(value) if isinstance(value, str) and not isinstance(value, markupsafe.Markup) else value


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=True,           # NOTE: always on, not select_autoescape: file names are hostile
                             trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True,
                             # NOTE: control characters in names (ESC sequences) shown escaped, like other outputs
                             finalize=_printable)
    env.filters["bytes"] = views.human_bytes
    env.filters["transfer"] = views.transfer_label
    env.filters["path"] = views.shown_path
    return env


LABEL_CHAR_PX = 7.2      # a generous average advance at 12px in the report's sans-serif font


def country_chart(rows: list[views.CountryRow]) -> dict[str, Any]:
    """Geometry of the grouped bar chart: per country two bars, objects and people, each scaled to its own
    largest value; the view box is as wide as the longest label needs, so no label is clipped."""
    top = max((r.objects for r in rows), default=1) or 1
    top_people = max((r.subjects for r in rows), default=1) or 1
    bars, groups, y = [], [], 8
    right = 0.0
    bar_x = 70
    for status in views.TRANSFER_ORDER + tuple(sorted({r.status for r in rows} - set(views.TRANSFER_ORDER))):
        members = [r for r in rows if r.status == status]
        if not members:
            continue
        groups.append({"label": views.transfer_label(status), "y": y + 14, "status": status})
        right = max(right, 4 + len(views.transfer_label(status)) * LABEL_CHAR_PX * 13 / 12)
        y += 22
        for r in members:
            width = max(4, round(BAR_MAX * r.objects / top))
            people_width = max(2, round(BAR_MAX * r.subjects / top_people))
            objects_label = f"{r.objects} obj" + (f" · {r.special} special" if r.special else "") + (
                f" · {r.children} children" if r.children else "")
            people_label = f"~{r.subjects} people"
            right = max(right, bar_x + width + 6 + len(objects_label) * LABEL_CHAR_PX,
                        bar_x + people_width + 6 + len(people_label) * LABEL_CHAR_PX)
            bars.append({**dataclasses.asdict(r), "y": y, "width": width, "people_width": people_width, "objects_label": objects_label,
                         "people_label": people_label, **STATUS_STYLE.get(status, STATUS_STYLE["unknown"])})
            y += ROW_H
        y += 6
    return {"bars": bars, "groups": groups, "height": max(y + 4, 60), "bar_x": bar_x,
            "width": max(640, math.ceil(right + 8))}


def render(report: Report, out: IO[str]) -> None:
    """The page written as the template produces it: objects are read once more for their rows (a stored run's
    from the store), never all held."""
    for chunk in _template().generate(**_context(report)):
        out.write(chunk)


def render_html(report: Report) -> str:
    return _template().render(**_context(report))


def _template() -> jinja2.Template:
    return _environment().get_template("report.html.j2")


ORPHANS = "(other locations)"


def _locations(report: Report) -> list[dict[str, Any]]:
    """Each container with its objects holding personal data (``objects``, made as the page is written, and
    ``held``, how many) and how many others it has; objects of no known container last, as "(other locations)"."""
    by_target = report.by_target
    risk = (report.risk or {}).get("containers", {})
    place: dict[str, int] = {}
    for i, c in enumerate(report.containers):
        place.setdefault(c.uri, i)
    held: Counter[int] = Counter()
    others: Counter[str] = Counter()
    in_order, last = True, -1
    for o in report.objects:                    # one pass to count, and to see whether one more pass writes all
        if o.has_personal:
            i = place.get(o.container, len(place))
            held[i] += 1
            in_order, last = in_order and i >= last, i
        else:
            others[o.container] += 1
    rows = _Rows(report, place, in_order)
    containers: list[dict[str, Any]] = [
        {**dataclasses.asdict(c), "objects": rows.of(i), "held": held[i], "other": others[c.uri],
         "violations": by_target.get(c.uri, ()), "risk": risk.get(c.uri)}
        for i, c in enumerate(report.containers)]
    if held[len(place)]:
        containers.append({"uri": ORPHANS, "provider": None, "location": None, "countries": [],
                           "transfer": {"status": "unknown"}, "public": None, "encrypted": None,
                           "objects": rows.of(len(place)), "held": held[len(place)], "other": 0, "violations": [],
                           "risk": None})
    return containers


class _Rows:
    """The objects holding personal data, per container, in uri order, as the page asks for them. Objects sorted
    by uri usually come container by container, in the containers' order: then one pass serves every container.
    When they do not (a container's uri a prefix of another's), each container takes a pass of its own."""

    def __init__(self, report: Report, place: Mapping[str, int], in_order: bool) -> None:
        self.report, self.place, self.in_order = report, place, in_order
        self._shared: Iterator[tuple[int, ReportObject]] | None = None
        self._next: tuple[int, ReportObject] | None = None

    def _index(self, o: ReportObject) -> int:
        return self.place.get(o.container, len(self.place))

    def of(self, i: int) -> Iterator[ReportObject]:
        if not self.in_order:
            return (o for o in self.report.personal if self._index(o) == i)
        return self._take(i)

    def _take(self, i: int) -> Iterator[ReportObject]:
        if self._shared is None:
            self._shared = ((self._index(o), o) for o in self.report.personal)
            self._next = next(self._shared, None)
        while self._next is not None and self._next[0] == i:
            yield self._next[1]
            self._next = next(self._shared, None)


def _context(report: Report) -> dict[str, Any]:
    rows = views.countries(report)
    by_target = report.by_target
    containers = _locations(report)
    context = {
        "run": report.run,
        "violations": report.violations_by_severity,
        "coverage": report.summary.coverage,
        "source_failures": report.source_failures,
        "suppressions": report.suppressions or {},
        "warnings": report.warnings or (),
        "state": report.completeness,
        "figures": views.key_figures(report),
        "countries": rows,
        "chart": country_chart(rows),
        "styles": STATUS_STYLE,
        "top": views.ranked_risks(report)[:5],
        "counted": report.counting,
        "severities": SEVERITY_ORDER,
        "containers": containers,
        "by_target": by_target,
        "risk": report.risk or {},
        "baseline": report.baseline,
    }
    return context


def render_subject_html(doc: Mapping[str, Any]) -> str:
    """The subject-access pack a DPO files with the request (self-contained, autoescaped)."""
    return _environment().get_template("subject.html.j2").render(doc=doc)
