"""What every rule family sees: the objects holding personal data, the containers, the policy and the jurisdiction."""
from __future__ import annotations

import dataclasses
import fnmatch
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Mapping, Sequence

from scanner.locations import Jurisdiction, Transfer
from scanner.model import Container, ObjectResult, Status
from scanner.policy.config import PolicyConfig, Purpose


def matches(globs: Sequence[str], *candidates: str) -> bool:
    """fnmatch, case-sensitive; ``*`` also crosses ``/``."""
    return any(fnmatch.fnmatchcase(c, g) for g in globs for c in candidates if c)


@dataclass(frozen=True)
class Summary:
    """Holdings of one container, summed over its objects with personal data."""

    objects: int = 0
    entities: Mapping[str, int] = field(default_factory=dict)
    special_categories: tuple[str, ...] = ()
    children: bool = False
    subjects: int = 0

    @property
    def sensitive(self) -> bool:
        return bool(self.special_categories) or self.children


def summarise(results: Sequence[ObjectResult]) -> Summary:
    entities: Counter[str] = Counter()
    special: set[str] = set()
    for r in results:
        entities.update(r.holding.entities)
        special.update(r.holding.special_categories)
    return Summary(objects=len(results), entities=dict(sorted(entities.items())),
                   special_categories=tuple(sorted(special)), children=any(r.holding.children for r in results),
                   subjects=sum(r.holding.subjects_estimate for r in results))


def holds_personal(r: ObjectResult) -> bool:
    """Whether the rules judge ``r``: a scanned object holding personal data."""
    return r.status is Status.SCANNED and r.holding.has_personal_data


# The object facts a rule reads (security: an object everyone can read, and how)
JUDGED_FACTS = ("world_readable", "exposure")


def as_judged(r: ObjectResult) -> ObjectResult:
    """``r`` as the rules read it: its reference (with only the facts a rule reads, JUDGED_FACTS, no change token,
    and its container's URI shared with the other objects'), status, holding counts and content hash.

    NOTE: no rule reads an object's findings, subject index, sample, evidence snippets or other facts (owner,
    mode, path), which are most of a result's memory: a scan of millions of objects keeps each object holding
    personal data like this while judging (issue 16 item 4)."""
    ref = r.ref
    facts = {k: ref.facts[k] for k in JUDGED_FACTS if k in ref.facts}
    return dataclasses.replace(
        r, ref=dataclasses.replace(ref, container=sys.intern(ref.container), etag=None, facts=facts),
        findings=(), index=(), sample={}, holding=dataclasses.replace(r.holding, evidence=()))


def held(results: Iterable[ObjectResult]) -> tuple[ObjectResult, ...]:
    """The results the rules judge (holds_personal), as they read them (as_judged), sorted by URI: one pass, so
    ``results`` may be a stored run's, read from the store as they are used."""
    return tuple(sorted((as_judged(r) for r in results if holds_personal(r)), key=lambda r: r.ref.uri))


@dataclass(frozen=True)
class Context:
    personal: tuple[ObjectResult, ...]            # scanned objects holding personal data, sorted by URI
    containers: Mapping[str, Container]
    policy: PolicyConfig
    jurisdiction: Jurisdiction
    now: datetime
    transfers: Mapping[str, Transfer]

    @classmethod
    def build(cls, results: Iterable[ObjectResult], containers: Mapping[str, Container], policy: PolicyConfig,
              jurisdiction: Jurisdiction, now: datetime, transfers: Mapping[str, Transfer]) -> Context:
        return cls(held(results), containers, policy, jurisdiction, now, transfers)

    def container(self, uri: str) -> Container:
        return self.containers.get(uri) or Container(uri=uri, provider="unknown")

    def by_container(self) -> dict[str, tuple[ObjectResult, ...]]:
        out: dict[str, list[ObjectResult]] = {}
        for r in self.personal:
            out.setdefault(r.ref.container, []).append(r)
        return {k: tuple(v) for k, v in sorted(out.items())}

    def purposes_for(self, result: ObjectResult) -> tuple[Purpose, ...]:
        return tuple(p for p in self.policy.purposes if matches(p.match, result.ref.uri, result.ref.container))
