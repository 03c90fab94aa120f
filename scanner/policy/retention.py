"""Retention: age since last modification vs the period configured for the object's categories and location."""
from __future__ import annotations

from scanner.model import Holding, ObjectResult, Severity, Violation
from scanner.policy.config import RetentionRule
from scanner.policy.context import Context, matches
from scanner.policy.rules import make


def categories(h: Holding) -> set[str]:
    """Names a retention rule's ``applies_to`` can use: entity types, special categories, "children"."""
    out = set(h.entities) | set(h.special_categories)
    if h.children:
        out.add("children")
    return out


def _applies(rule: RetentionRule, r: ObjectResult, cats: set[str]) -> set[str]:
    if not matches(rule.match, r.ref.uri, r.ref.container):
        return set()
    if "*" in rule.applies_to:
        return cats
    return cats & set(rule.applies_to)


def check(ctx: Context) -> list[Violation]:
    out = []
    for r in ctx.personal:
        if r.ref.modified is None:
            continue
        age = (ctx.now - r.ref.modified).days
        cats = categories(r.holding)
        exceeded = [(rule, hit) for rule in ctx.policy.retention
                    if (hit := _applies(rule, r, cats)) and age > rule.days]
        if not exceeded:
            continue
        strictest, _ = min(exceeded, key=lambda x: x[0].days)
        over = sorted({c for _, hit in exceeded for c in hit})
        sensitive = bool(r.holding.special_categories) or r.holding.children
        note = f" ({strictest.note})" if strictest.note else ""
        out.append(make("retention.exceeded", r.ref.uri,
                        f"Personal data last modified {age} days ago; the retention period for "
                        f"{', '.join(over)} here is {strictest.days} days{note}",
                        "Delete or anonymise the data, or record why it must be kept longer and extend the "
                        "retention period in the config.",
                        {"age_days": age, "period_days": strictest.days, "categories": over,
                         "modified": r.ref.modified.isoformat()},
                        severity=Severity.HIGH if sensitive else None))
    return out
