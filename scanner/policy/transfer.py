"""Transfer rules: risk = transfer status × safeguards on record × sensitivity × volume, per container."""
from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, Mapping

from scanner.locations import Jurisdiction, Transfer, TransferStatus, transfer_status
from scanner.model import Container, Severity, Violation
from scanner.policy.config import PolicyConfig, Safeguard
from scanner.policy.context import Context, Summary, matches, summarise
from scanner.policy.rules import RULES, bump, make


def safeguards_for(container: Container, policy: PolicyConfig) -> tuple[Safeguard, ...]:
    """Safeguards on record whose every given selector matches the container."""
    out = []
    for s in policy.safeguards:
        if s.provider is not None and s.provider != container.provider:
            continue
        if s.location is not None and not matches([s.location], container.location or ""):
            continue
        if s.container is not None and not matches([s.container], container.uri):
            continue
        out.append(s)
    return tuple(out)


def container_transfers(containers: Mapping[str, Container], policy: PolicyConfig, jurisdiction: Jurisdiction,
                        on: date | None) -> dict[str, Transfer]:
    """Transfer status of every container, with the safeguards that count under ``jurisdiction``."""
    out = {}
    for uri, c in sorted(containers.items()):
        if c.location and c.location_type == "on-prem":      # a local or SMB source's location is its host name
            where = f"host name {c.location!r}, the machine the data is on: map it to a country with an onprem rule"
        else:
            where = f"location {c.location!r}" if c.location else "no location reported"
        t = transfer_status(c.countries, jurisdiction, policy.provider_flags(c.provider), on=on,
                            unknown_basis=f"storage country unknown ({c.provider}, {where})")
        valid = [s for s in safeguards_for(c, policy) if s.mechanism in jurisdiction.safeguards]
        if valid and t.status in (TransferStatus.PARTIAL, TransferStatus.NOT_ADEQUATE):
            t = dataclasses.replace(t, safeguards=tuple(f"{s.mechanism}: {s.reference}" for s in valid))
        out[uri] = t
    return out


def _severity(rule_id: str, summary: Summary, policy: PolicyConfig) -> Severity:
    severity = RULES[rule_id].severity
    if summary.sensitive and severity.rank < Severity.HIGH.rank:
        severity = Severity.HIGH
    if summary.subjects >= policy.large_volume:
        severity = bump(severity)
    return severity


def _evidence(c: Container, t: Transfer, s: Summary) -> dict[str, Any]:
    return {"countries": list(c.countries), "status": t.status.value, "basis": t.basis, "objects": s.objects,
            "entities": dict(s.entities), "special_categories": list(s.special_categories), "children": s.children,
            "subjects_estimate": s.subjects}


def check(ctx: Context) -> list[Violation]:
    out: list[Violation] = []
    for uri, results in ctx.by_container().items():
        c, t = ctx.container(uri), ctx.transfers.get(uri)
        if t is None:
            continue
        s = summarise(results)
        ev = _evidence(c, t, s)
        what = _describe(s)
        if t.status is TransferStatus.UNKNOWN:
            out.append(make("transfer.unknown_location", uri,
                            f"{what} in a location whose country is unknown: {t.basis}",
                            "Record where this storage is: for a share or host add an `onprem` rule (match → country), "
                            "for a cloud bucket check the region code and update configs/locations.", ev))
            continue
        if t.safeguards or t.status in (TransferStatus.DOMESTIC, TransferStatus.ADEQUATE):
            continue
        if t.status is TransferStatus.PARTIAL and t.condition_met:
            continue
        invalid = [sg for sg in safeguards_for(c, ctx.policy) if sg.mechanism not in ctx.jurisdiction.safeguards]
        mech = "/".join(ctx.jurisdiction.safeguards)
        hint = ""
        if invalid:
            hint = (f" The {', '.join(sg.mechanism for sg in invalid)} on record do not count under "
                    f"{ctx.jurisdiction.name}" + (" (EU SCCs need the UK Addendum)." if ctx.jurisdiction.id == "uk"
                                                  else "."))
        if t.status is TransferStatus.PARTIAL:
            rule = "transfer.partial_unmet"
            msg = f"{what} stored in {', '.join(c.countries)}, adequate only where {t.condition}; not on record"
            advice = (f"Check the provider on the DPF List (and its UK Extension for UK data) and record it under "
                      f"providers.{c.provider} in the config, or put a {mech} in place and record it under "
                      f"safeguards.{hint}")
        else:
            rule = "transfer.not_adequate"
            msg = f"{what} stored in {', '.join(c.countries)}, which has no adequacy under {ctx.jurisdiction.name}"
            advice = (f"Move the data to a {ctx.jurisdiction.id.upper()} or adequate region, or sign a {mech} with "
                      f"a transfer risk assessment and record it under safeguards.{hint}")
        out.append(make(rule, uri, msg, advice, ev, severity=_severity(rule, s, ctx.policy)))
    return out


def _describe(s: Summary) -> str:
    parts = [f"personal data ({s.objects} object{'s' if s.objects != 1 else ''}, ~{s.subjects} subjects)"]
    if s.special_categories:
        parts.append("special categories: " + ", ".join(s.special_categories))
    if s.children:
        parts.append("children's data")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]
