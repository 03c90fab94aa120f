"""Apply the policy engine to a scan: fill container countries, transfer status, violations and risk."""
from __future__ import annotations

import dataclasses
from datetime import datetime, UTC
from typing import Any

from scanner.locations import enrich, load_jurisdiction, load_location_maps, stale_warnings
from scanner.model import ScanOutcome
from scanner.policy.config import PolicyConfig
from scanner.policy.engine import PolicyOutcome, evaluate


def judge(outcome: ScanOutcome, policy: PolicyConfig, jurisdiction_name: str,
          now: datetime | None = None) -> ScanOutcome:
    """The outcome with enriched containers, violations, transfer status, risk, suppressions and warnings (pure
    apart from packaged data reads). ``policy`` is parsed by scanner.config.load_config before the scan."""
    now = now or datetime.now(UTC)
    jurisdiction = load_jurisdiction(jurisdiction_name)
    maps = load_location_maps()
    containers = {c.uri: enrich(c, maps, policy.onprem) for c in outcome.containers}
    judged = evaluate(outcome.results, containers, policy, jurisdiction, now)
    warnings = sorted(set(judged.warnings) | set(stale_warnings(jurisdiction, maps, policy.max_list_age_days,
                                                                now.date())))
    return dataclasses.replace(outcome, containers=tuple(containers[c.uri] for c in outcome.containers),
                               violations=judged.violations,
                               transfer={uri: t.as_dict() for uri, t in sorted(judged.transfers.items())},
                               risk=_risk(judged), suppressions=_suppressions(judged), warnings=tuple(warnings))


def _risk(judged: PolicyOutcome) -> dict[str, Any]:
    return {
        "organisation": judged.org_risk.as_dict(),
        "containers": {uri: r.as_dict() for uri, r in sorted(judged.container_risk.items())},
    }


def _suppressions(judged: PolicyOutcome) -> dict[str, Any]:
    return {
        "applied": [{"rule": s.violation.rule, "target": s.violation.target, "by": s.suppression.label(),
                     "reason": s.suppression.reason} for s in judged.suppressed],
        "unused": [{"rule": s.rule, "target": s.target, "reason": s.reason} for s in judged.unused_suppressions],
        "expired": [{"rule": s.rule, "target": s.target, "reason": s.reason,
                     "expires": s.expires.isoformat() if s.expires else None}
                    for s in judged.expired_suppressions],
    }
