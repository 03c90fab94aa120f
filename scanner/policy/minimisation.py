"""Minimisation and purpose rules: what is held vs the purposes declared for its location."""
from __future__ import annotations

from typing import Sequence

from scanner.model import ObjectResult, Severity, Violation
from scanner.policy.config import Purpose
from scanner.policy.context import Context, summarise
from scanner.policy.rules import make

CARD = "CREDIT_CARD"


def _names(purposes: Sequence[Purpose]) -> str:
    return ", ".join(sorted({p.purpose for p in purposes})) or "none declared"


def _object_checks(ctx: Context, r: ObjectResult) -> list[Violation]:
    out = []
    h, uri = r.holding, r.ref.uri
    purposes = ctx.purposes_for(r)
    declared = _names(purposes)
    allowed_special = {c for p in purposes for c in p.special_categories}
    extra_special = sorted(set(h.special_categories) - allowed_special)
    if extra_special:
        out.append(make("minimisation.special_category_not_allowed", uri,
                        f"Special-category data ({', '.join(extra_special)}) where the purpose ({declared}) does not "
                        f"allow it",
                        "Move the records to the system declared for them (e.g. the casework share) and delete this "
                        "copy, or declare the category for this location's purpose if it is genuinely needed.",
                        {"special_categories": extra_special, "purposes": sorted({p.purpose for p in purposes}),
                         "subjects_estimate": h.subjects_estimate}))
    if h.children and not any(p.children for p in purposes):
        out.append(make("minimisation.children_not_allowed", uri,
                        f"Children's data where the purpose ({declared}) does not allow it",
                        "Remove children's data from this location or declare `children: true` for its purpose with "
                        "the safeguarding basis; check consent and the lawful basis for processing it.",
                        {"purposes": sorted({p.purpose for p in purposes}), "subjects_estimate": h.subjects_estimate}))
    if h.entities.get(CARD) and not any(p.payment for p in purposes):
        out.append(make("minimisation.payment_card_no_purpose", uri,
                        f"{h.entities[CARD]} card number(s) where the purpose ({declared}) involves no payments",
                        "Delete the card numbers or truncate them to the last four digits; take payments through the "
                        "payment provider so full card numbers are never stored here.",
                        {"entities": {CARD: h.entities[CARD]}, "purposes": sorted({p.purpose for p in purposes})}))
    if purposes and all(p.entities is not None for p in purposes):
        allowed = {e for p in purposes for e in (p.entities or ())} | {CARD}   # cards have their own rule
        extra = {e: n for e, n in sorted(h.entities.items()) if e not in allowed}
        if extra:
            out.append(make("minimisation.entity_not_allowed", uri,
                            f"Data types not needed for {declared}: {', '.join(extra)}",
                            "Remove or redact the columns/fields holding these data types, or add them to the "
                            "purpose's `entities` if they are genuinely needed.",
                            {"entities": extra, "purposes": sorted({p.purpose for p in purposes})}))
    return out


def _duplicates(ctx: Context) -> list[Violation]:
    groups: dict[str, list[ObjectResult]] = {}
    for r in ctx.personal:
        if r.content_hash:
            groups.setdefault(r.content_hash, []).append(r)
    out = []
    for copies in groups.values():
        uris = sorted(r.ref.uri for r in copies)
        if len(uris) < 2:
            continue
        s = summarise(copies[:1])
        severity = Severity.MEDIUM if s.sensitive else Severity.LOW
        containers = sorted({r.ref.container for r in copies})
        out.append(make("minimisation.duplicate_copies", uris[0],
                        f"The same personal file is stored {len(uris)} times in {len(containers)} location(s)",
                        "Keep one authoritative copy in the location declared for it and delete the others (or "
                        "replace them with links); check each copy's retention and access.",
                        {"copies": len(uris), "uris": uris, "containers": containers,
                         "special_categories": list(s.special_categories), "children": s.children},
                        severity=severity))
    return out


def _undeclared(ctx: Context) -> list[Violation]:
    """One violation per container whose personal data matches no declared purpose (only if any are declared)."""
    if not ctx.policy.purposes:
        return []
    out = []
    for uri, results in ctx.by_container().items():
        orphans = [r for r in results if not ctx.purposes_for(r)]
        if not orphans:
            continue
        s = summarise(orphans)
        out.append(make("purpose.undeclared", uri,
                        f"{s.objects} object(s) with personal data match no declared purpose",
                        "Add this location to `purposes` in the config (purpose, allowed data types), or delete the "
                        "data if there is no purpose for holding it here.",
                        {"objects": s.objects, "entities": dict(s.entities), "examples": sorted(r.ref.uri for r in orphans)[:5]}))
    return out


def check(ctx: Context) -> list[Violation]:
    out: list[Violation] = []
    for r in ctx.personal:
        out += _object_checks(ctx, r)
    return out + _duplicates(ctx) + _undeclared(ctx)
