"""Risk scores (0-100) per container and for the organisation, with every contribution listed.

Risk to people (issue 19 item 6). Each violation's risk is

    risk = severity weight x people affected x certainty

- severity weight: low 1, medium 3, high 9, critical 27 (each step three times the one below);
- people affected: the violation's ``subjects_estimate`` (at least 1);
- certainty: 1, except for a finding that only says a record is missing while the condition may well be met
  (``transfer.partial_unmet``: a US bucket of a provider that is on the DPF List but not recorded as such): 0.1.

The organisation's score is logarithmic, like a decibel scale, so that it tells a share of ten people from one
of ten thousand instead of saturating:

    score = min(100, round(10 x log10(1 + sum of every violation's risk)))

+10 means ten times the risk: one low finding about one person scores 3, ~100 people under a high finding 30,
~6,000 people under a critical one 52; 100 needs 10^10 risk units, more than any real share.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scanner.model import Severity, Violation
from scanner.policy.context import Summary

# Points per distinct rule firing on a container, by its worst severity; +1 per further violation of it, up to +5.
SEVERITY_POINTS = {Severity.LOW: 4, Severity.MEDIUM: 12, Severity.HIGH: 25, Severity.CRITICAL: 40}
PERSONAL_POINTS = 10
SPECIAL_POINTS = 15
CHILDREN_POINTS = 10
VOLUME_STEPS = ((1000, 15), (100, 10), (10, 5))   # subjects estimate ≥ n → points
SEVERITY_WEIGHT = {"low": 1, "medium": 3, "high": 9, "critical": 27}
CERTAINTY = {"transfer.partial_unmet": 0.1}


@dataclass(frozen=True)
class Contribution:
    reason: str
    points: int


@dataclass(frozen=True)
class RiskScore:
    score: int                                   # min(100, sum of contributions)
    contributions: tuple[Contribution, ...]      # largest first

    def as_dict(self) -> dict[str, Any]:
        return {"score": self.score, "contributions": [{"reason": c.reason, "points": c.points}
                                                       for c in self.contributions]}


def _score(contribs: list[Contribution]) -> RiskScore:
    contribs = sorted((c for c in contribs if c.points), key=lambda c: (-c.points, c.reason))
    return RiskScore(min(100, sum(c.points for c in contribs)), tuple(contribs))


def container_score(summary: Summary, violations: Sequence[Violation]) -> RiskScore:
    """Holdings (what is at stake) plus violations (what is wrong), for one container's targets."""
    contribs = []
    if summary.objects:
        contribs.append(Contribution(f"personal data in {summary.objects} object(s)", PERSONAL_POINTS))
    if summary.special_categories:
        contribs.append(Contribution("special-category data: " + ", ".join(summary.special_categories), SPECIAL_POINTS))
    if summary.children:
        contribs.append(Contribution("children's data", CHILDREN_POINTS))
    for threshold, points in VOLUME_STEPS:
        if summary.subjects >= threshold:
            contribs.append(Contribution(f"~{summary.subjects} data subjects (≥ {threshold})", points))
            break
    by_rule: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        by_rule[v.rule].append(v)
    for rule, vs in sorted(by_rule.items()):
        worst = max(vs, key=lambda v: v.severity.rank).severity
        points = SEVERITY_POINTS[worst] + min(len(vs) - 1, 5)
        contribs.append(Contribution(f"{rule} ({worst.value}, {len(vs)}x)", points))
    return _score(contribs)


def people_affected(evidence: Mapping[str, Any] | None) -> int:
    """People a violation is about: its evidence's subjects estimate, at least one."""
    n = (evidence or {}).get("subjects_estimate") or 0
    return max(1, int(n)) if isinstance(n, (int, float)) else 1


def risk_of(rule: str, severity: str, people: int) -> float:
    """Risk to people of one violation (see the module docstring)."""
    return SEVERITY_WEIGHT.get(severity, 1) * max(1, people) * CERTAINTY.get(rule, 1.0)


def org_score(violations: Sequence[Violation]) -> RiskScore:
    """The organisation's score from every violation's risk to people, with each rule's share of it."""
    per_rule: dict[str, list[float]] = defaultdict(list)
    people: dict[str, int] = defaultdict(int)
    for v in violations:
        n = people_affected(v.evidence)
        per_rule[v.rule].append(risk_of(v.rule, v.severity.value, n))
        people[v.rule] += n
    total = sum(sum(r) for r in per_rule.values())
    if not total:
        return RiskScore(0, ())
    score = min(100, round(10 * math.log10(1 + total)))
    contribs = [Contribution(f"{rule}: {len(rs)} finding(s), ~{people[rule]} people, risk {round(sum(rs))}",
                             round(score * sum(rs) / total)) for rule, rs in per_rule.items()]
    ranked = sorted((c for c in contribs if c.points), key=lambda c: (-c.points, c.reason))
    return RiskScore(score, tuple(ranked))
