"""Views of a Report shared by the human-readable formats (HTML, Markdown, console, CSV)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from scanner.reports.model import SEVERITY_ORDER as SEVERITIES
from scanner.reports.model import Report, ReportContainer, ReportObject

TRANSFER_ORDER = ("not_adequate", "unknown", "partial", "adequate", "domestic")
TRANSFER_LABEL = {
    "domestic": "Domestic", "adequate": "Adequate", "partial": "Partial adequacy",
    "not_adequate": "Not adequate", "unknown": "Unknown",
}


# C0 (but tab and newline) and C1 controls, DEL, and the bidirectional overrides/isolates that make a name
# read backwards
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: Any) -> str:
    """``text`` with control characters shown as ``\\x1b``/``\\u202e`` escapes. NOTE: names are
    attacker-controlled: an ESC sequence in a file name must not reach a terminal or a report raw."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", str(text))


def console_text(text: Any) -> str:
    """``text`` for a Rich console: printable, and Rich markup (``[/]x.txt``, ``[link=...]``) shown as is."""
    from rich.markup import escape

    return escape(printable(text))


def transfer_label(status: str | None) -> str:
    return TRANSFER_LABEL.get(status or "unknown", str(status))


def shown_path(o: ReportObject) -> str:
    """An object's path inside its container (the full URI when it is not under it)."""
    return shown_path_of(o.uri, o.container)


def shown_path_of(uri: str, container: str | None) -> str:
    container = container or ""
    return uri[len(container) + 1:] if container and uri.startswith(container + "/") else uri


@dataclass(frozen=True)
class CountryRow:
    """Holdings in one country with one transfer status."""

    country: str
    status: str
    label: str
    objects: int
    subjects: int
    special: int
    children: int
    containers: tuple[str, ...]


def countries(report: Report) -> list[CountryRow]:
    """Holdings by country and transfer status: objects with personal data, subjects, special and children's."""
    containers = {c.uri: c for c in report.containers}
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for o in report.personal:
        c = containers.get(o.container)
        status = c.transfer_status if c else "unknown"
        for country in (c.countries if c else ()) or ("??",):
            row = rows.setdefault((country, status), {"country": country, "status": status,
                                                      "label": transfer_label(status), "objects": 0,
                                                      "subjects": 0, "special": 0, "children": 0,
                                                      "containers": set()})
            row["objects"] += 1
            row["subjects"] += o.subjects_estimate or 0
            row["special"] += bool(o.special_categories)
            row["children"] += bool(o.children)
            row["containers"].add(c.uri if c else o.container)
    out = [CountryRow(**{**row, "containers": tuple(sorted(x for x in row["containers"] if x))})
           for row in rows.values()]
    rank = {s: i for i, s in enumerate(TRANSFER_ORDER)}
    return sorted(out, key=lambda r: (rank.get(r.status, 99), -r.objects, r.country))


@dataclass(frozen=True)
class KeyFigures:
    """Objects with personal data, people, special-category and children's data, public locations: counts."""

    personal: int
    objects: int
    subjects: int
    special: int
    special_categories: tuple[str, ...]
    children: int
    public_containers: tuple[ReportContainer, ...]
    public_objects: int


def key_figures(report: Report) -> KeyFigures:
    public = tuple(c for c in report.containers if c.public)
    public_uris = {c.uri for c in public}
    personal = subjects = special = children = public_objects = 0
    categories: set[str] = set()
    for o in report.personal:
        personal += 1
        subjects += o.subjects_estimate or 0
        special += bool(o.special_categories)
        categories.update(o.special_categories)
        children += bool(o.children)
        public_objects += o.container in public_uris
    return KeyFigures(personal=personal, objects=len(report.objects), subjects=subjects, special=special,
                      special_categories=tuple(sorted(categories)), children=children, public_containers=public,
                      public_objects=public_objects)


def human_bytes(n: int | None) -> str:
    if n is None:
        return "?"
    size = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{int(size)} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def ranked_risks(report: Report) -> list[dict[str, Any]]:
    """The counting violations as risks to people, largest first (scanner.policy.risk: severity weight x people
    affected x certainty). Identical per-file findings (same rule and severity in one location) are one item with
    the files counted and the people added up, so one finding about a bucket of 6,000 people is not buried under
    five about one person each."""
    from scanner.policy.risk import people_affected, risk_of

    containers = {c.uri for c in report.containers}
    owner = {uri: container for uri, (container, _) in report.target_objects.items()}
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for v in report.counting:
        target, severity = v.target, v.severity.value
        where = target if target in containers else owner.get(target) or _container_of(target, containers)
        per_file = target not in containers
        key = (v.rule, severity, where) if per_file else (v.rule, severity, target)
        g = groups.setdefault(key, {"rule": v.rule, "severity": severity, "location": where,
                                    "message": v.message, "advice": v.advice, "targets": [],
                                    "people": 0, "risk": 0.0, "per_file": per_file})
        people = people_affected(v.evidence or None)
        g["targets"].append(target)
        g["people"] += people
        g["risk"] += risk_of(v.rule, severity, people)
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    out = sorted(groups.values(), key=lambda g: (-g["risk"], rank.get(g["severity"], 9), g["rule"], g["location"]))
    for g in out:
        g["risk"] = round(g["risk"], 1)
        g["count"] = len(g["targets"])
    return out


def _container_of(target: str, containers: set[str]) -> str:
    """The longest container URI that ``target`` lies under (a member, or an object not in the report), else itself."""
    under = [c for c in containers if target.startswith(c.rstrip("/") + "/")]
    return max(under, key=len) if under else target
