"""Suppressions as a pure filter: rule glob + target glob, with a reason and an optional expiry."""
from __future__ import annotations

import dataclasses
import fnmatch
from dataclasses import dataclass
from datetime import date
from typing import Sequence

from scanner.model import Violation
from scanner.policy.config import Suppression


@dataclass(frozen=True)
class Suppressed:
    violation: Violation
    suppression: Suppression


@dataclass(frozen=True)
class SuppressResult:
    kept: tuple[Violation, ...]
    suppressed: tuple[Suppressed, ...]
    unused: tuple[Suppression, ...]       # in force but matched nothing
    expired: tuple[Suppression, ...]      # past their expiry date (they no longer suppress)


def matches(s: Suppression, v: Violation) -> bool:
    return fnmatch.fnmatchcase(v.rule, s.rule) and fnmatch.fnmatchcase(v.target, s.target)


def is_expired(s: Suppression, today: date) -> bool:
    return s.expires is not None and s.expires < today


def apply(violations: Sequence[Violation], suppressions: Sequence[Suppression], today: date) -> SuppressResult:
    """Split violations into kept and suppressed. A violation an expired suppression would have hidden is kept, and
    says so in its evidence."""
    active = [s for s in suppressions if not is_expired(s, today)]
    expired = [s for s in suppressions if is_expired(s, today)]
    used: set[int] = set()
    kept, suppressed = [], []
    for v in violations:
        hit = next((s for s in active if matches(s, v)), None)
        if hit is not None:
            used.add(id(hit))
            suppressed.append(Suppressed(v, hit))
            continue
        stale = [s for s in expired if matches(s, v)]
        if stale:
            note = "; ".join(f"suppression expired {s.expires} ({s.reason})" for s in stale)   # str(date): ISO
            v = dataclasses.replace(v, evidence={**v.evidence, "suppression_expired": note})
        kept.append(v)
    unused = tuple(s for s in active if id(s) not in used)
    return SuppressResult(tuple(kept), tuple(suppressed), unused, tuple(expired))
