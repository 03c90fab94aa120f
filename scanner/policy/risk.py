"""Risk scores (0-100) per container and for the organisation, with every contribution listed."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping, Sequence

from scanner.model import Severity, Violation
from scanner.policy.context import Summary

# Points per distinct rule firing on a container, by its worst severity; +1 per further violation of it, up to +5.
SEVERITY_POINTS = {Severity.LOW: 4, Severity.MEDIUM: 12, Severity.HIGH: 25, Severity.CRITICAL: 40}
PERSONAL_POINTS = 10
SPECIAL_POINTS = 15
CHILDREN_POINTS = 10
VOLUME_STEPS = ((1000, 15), (100, 10), (10, 5))   # subjects estimate ≥ n → points
ORG_HIGH, ORG_MID = 5, 2                           # per further container scoring ≥ 50 / ≥ 20


@dataclass(frozen=True)
class Contribution:
    reason: str
    points: int


@dataclass(frozen=True)
class RiskScore:
    score: int                                   # min(100, sum of contributions)
    contributions: tuple[Contribution, ...]      # largest first

    def as_dict(self) -> dict:
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


def org_score(containers: Mapping[str, RiskScore]) -> RiskScore:
    """The worst container, plus a little for every other container at risk: breadth matters, but one public
    bucket of casework notes should not be averaged away by a hundred clean ones."""
    if not containers:
        return RiskScore(0, ())
    ranked = sorted(containers.items(), key=lambda kv: (-kv[1].score, kv[0]))
    top_uri, top = ranked[0]
    contribs = [Contribution(f"highest container: {top_uri}", top.score)]
    for uri, s in ranked[1:]:
        if s.score >= 50:
            contribs.append(Contribution(f"also at high risk: {uri} ({s.score})", ORG_HIGH))
        elif s.score >= 20:
            contribs.append(Contribution(f"also at risk: {uri} ({s.score})", ORG_MID))
    return _score(contribs)
