"""The policy engine: pure ``evaluate`` from scan results, containers, policy and jurisdiction to an outcome."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Iterator, Mapping, Sequence

from scanner.locations import Jurisdiction, Transfer, stale_warning
from scanner.model import Container, ObjectResult, Severity, Violation, violation_order
from scanner.policy import minimisation, retention, security, transfer
from scanner.policy.config import PolicyConfig, Suppression
from scanner.policy.context import Context, held, summarise
from scanner.policy.risk import RiskScore, container_score, org_score
from scanner.policy.suppress import Suppressed, apply

RULE_FAMILIES = (transfer.check, minimisation.check, retention.check, security.check)


@dataclass(frozen=True)
class PolicyOutcome:
    violations: tuple[Violation, ...]                # sorted: severity (worst first), rule, target, message
    suppressed: tuple[Suppressed, ...]
    unused_suppressions: tuple[Suppression, ...]
    expired_suppressions: tuple[Suppression, ...]
    transfers: Mapping[str, Transfer]                # container URI → transfer status
    container_risk: Mapping[str, RiskScore]
    org_risk: RiskScore
    warnings: tuple[str, ...] = ()


sort_key = violation_order                     # scanner.model: the one order of violations


def severity_at_least(violations: Iterable[Violation], threshold: Severity) -> tuple[Violation, ...]:
    """The violations at or above ``threshold`` (for --fail-on: non-empty → exit 1)."""
    return tuple(v for v in violations if v.severity.rank >= threshold.rank)


def evaluate(results: Iterable[ObjectResult], containers: Mapping[str, Container], policy: PolicyConfig,
             jurisdiction: Jurisdiction, now: datetime) -> PolicyOutcome:
    """Judge every holding against the rules. Containers should already carry ``countries`` (locations.enrich).

    ``results`` are read once (a scan's come from its store as they are used): only the objects holding personal
    data are kept, as the rules read them (context.as_judged)."""
    if now.tzinfo is None:
        raise ValueError("evaluate: `now` must be timezone-aware")
    all_containers = dict(containers)

    def noting_containers(rs: Iterable[ObjectResult]) -> Iterator[ObjectResult]:
        for r in rs:                    # every object's container is judged, whether it holds personal data or not
            all_containers.setdefault(r.ref.container, Container(uri=r.ref.container, provider="unknown"))
            yield r

    personal = held(noting_containers(results))
    transfers = transfer.container_transfers(all_containers, policy, jurisdiction, now.date())
    ctx = Context(personal, all_containers, policy, jurisdiction, now, transfers)
    found: list[Violation] = []
    for family in RULE_FAMILIES:
        found += family(ctx)
    found = [dataclasses.replace(v, severity=policy.severities[v.rule]) if v.rule in policy.severities else v
             for v in found]
    split = apply(sorted(found, key=sort_key), policy.suppressions, now.date())
    risks = _risks(ctx, split.kept)
    warnings = []
    w = stale_warning(jurisdiction.source_name, jurisdiction.as_of, policy.max_list_age_days, now.date())
    if w:
        warnings.append(w)
    warnings += [f"suppression expired on {s.expires} and no longer applies: {s.label()} ({s.reason})"   # str(date): ISO
                 for s in split.expired]
    warnings += [f"suppression matched nothing: {s.label()} ({s.reason})" for s in split.unused]
    return PolicyOutcome(violations=split.kept, suppressed=split.suppressed, unused_suppressions=split.unused,
                         expired_suppressions=split.expired, transfers=transfers, container_risk=risks,
                         org_risk=org_score(split.kept), warnings=tuple(warnings))


def _risks(ctx: Context, violations: Sequence[Violation]) -> dict[str, RiskScore]:
    owner = {r.ref.uri: r.ref.container for r in ctx.personal}
    per: dict[str, list[Violation]] = {uri: [] for uri in ctx.containers}
    for v in violations:
        uri = v.target if v.target in per else owner.get(v.target)
        if uri is not None:
            per[uri].append(v)
    grouped = ctx.by_container()
    return {uri: container_score(summarise(grouped.get(uri, ())), per[uri]) for uri in sorted(per)}
