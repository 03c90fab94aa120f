"""Baselines and the allowlist as pure functions over typed reports (scanner.reports.model) and scan outcomes.

A baseline records the violations a team has accepted, so that CI fails only on new ones. Each violation
is keyed by its rule, its target and a digest of the evidence behind it:

- an object target: the object's holding digest (keyed hashes of every identifier it holds, its other entity
  types, special categories and children's data; see model.holding_digest). Re-ordering rows or
  re-scanning the same bytes keeps the key; a new value in the same file makes a new key.
- a container target: the facts the rule judges (countries, transfer status, public, encrypted), not its
  contents, so adding one more file to an already-flagged bucket is not a new violation.

Local targets (file:// URIs) are keyed relative to the scanned root that holds them ("file:exports/a.csv",
"file:." for the root itself), as gitleaks does, so a baseline committed from one checkout matches a scan of a
copy of it in another folder (a CI runner). Cloud URIs (s3://, gs://, …) are keyed as they are.

NOTE: keys are never built from line numbers (shifted lines re-raise everything, detect-secrets #92) nor
from raw or unkeyed values (a SHA-1 of a 9-digit number is a lookup table away from the number).
"""
from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Sequence

from scanner.errors import ConfigError, UsageError
from scanner.model import NAME_RUNS, SEVERITY_ORDER, Finding, Holding, ObjectResult, Results, ScanOutcome, Status

if TYPE_CHECKING:
    from scanner.reports.model import Report

BASELINE_SCHEMA = "pii-scan/baseline@2"
OLD_SCHEMAS = ("pii-scan/baseline@1",)      # keyed on absolute file:// URIs: cannot match from another folder


# -- keys ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class KeyIndex:
    """What a violation key needs from a report: object digests and container facts."""

    objects: Mapping[str, str | None]
    containers: Mapping[str, str]
    roots: tuple[str, ...] = ()            # the scanned local roots (file:// container URIs), longest first

    @classmethod
    def of(cls, report: Report) -> KeyIndex:
        objects = {uri: digest for uri, (_, digest) in report.target_objects.items()}
        containers = {}
        for c in report.containers:
            facts = {"countries": sorted(c.countries), "transfer": c.transfer.get("status"),
                     "public": c.public, "encrypted": c.encrypted}
            containers[c.uri] = json.dumps(facts, sort_keys=True)
        roots = tuple(sorted((u for u in containers if u.startswith("file://")), key=len, reverse=True))
        return cls(objects, containers, roots)

    def portable(self, target: str) -> str:
        """``target`` as a baseline keys it: a local URI relative to the scanned root that holds it."""
        for root in self.roots:
            base = root.rstrip("/")
            if target == root or target == base or target == base + "/":
                return "file:."
            if target.startswith(base + "/"):
                return "file:" + target[len(base) + 1:]
        return target

    def evidence(self, target: str) -> str:
        if target in self.objects:
            return f"o:{self.objects[target]}"
        if target in self.containers:
            return f"c:{self.containers[target]}"
        return "t:"


def violation_key(rule: str, target: str, index: KeyIndex) -> str:
    """rule + target + hashed evidence: stable under re-ordering and re-scans."""
    text = "\x1f".join((BASELINE_SCHEMA, rule, index.portable(target), index.evidence(target)))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def report_keys(report: Report) -> list[str]:
    """The key of every violation in a report, in violation order."""
    index = KeyIndex.of(report)
    return [violation_key(v.rule, v.target, index) for v in report.violations]


# -- baseline files ---------------------------------------------------------------------------------------------

def create_baseline(report: Report, key_id: str | None = None) -> dict[str, Any]:
    """A baseline accepting every violation of a report. No timestamps or run ids: re-creating it from an
    unchanged scan gives the same bytes, so it does not churn in version control."""
    entries = {}
    index = KeyIndex.of(report)
    for v, key in zip(report.violations, report_keys(report), strict=True):
        entries[key] = {"key": key, "rule": v.rule, "target": index.portable(v.target), "severity": v.severity.value}
    out: dict[str, Any] = {"schema": BASELINE_SCHEMA}
    if key_id:
        out["key_id"] = key_id
    out["entries"] = sorted(entries.values(), key=lambda e: (e["rule"], e["target"], e["key"]))
    return out


def dump_baseline(baseline: Mapping[str, Any]) -> str:
    return json.dumps(baseline, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def load_baseline(path: str | Path, key_id: str | None = None) -> dict[str, Any]:
    """Read and check a baseline file; ``key_id`` (of this installation's secret) must match if both have one."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{p}: baseline file not found (create one with `pii-scan baseline create`)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{p}: not a readable baseline ({exc.__class__.__name__})") from None
    if isinstance(data, dict) and data.get("schema") in OLD_SCHEMAS:
        raise UsageError(f"{p}: an old baseline keyed on absolute paths, which cannot match from another folder; "
                         "re-create it with `pii-scan baseline create`")
    if not isinstance(data, dict) or data.get("schema") != BASELINE_SCHEMA or not isinstance(data.get("entries"), list):
        raise UsageError(f"{p}: not a pii-scan baseline (expected schema {BASELINE_SCHEMA})")
    for i, e in enumerate(data["entries"]):
        if not isinstance(e, dict) or not isinstance(e.get("key"), str):
            raise UsageError(f"{p}: entries[{i}].key: missing")
    if key_id and data.get("key_id") and data["key_id"] != key_id:
        raise UsageError(f"{p}: made with another installation secret, so no key can match; share the secret "
                         f"(PII_SCAN_HOME/secret.key) with this machine or re-create the baseline")
    return data


def annotate(report: Report, baseline: Mapping[str, Any]) -> Report:
    """The report with each violation marked new or unchanged (with its key) and the comparison
    (scanner.reports.model.BaselineComparison), including baseline entries that no longer occur (fixed, or their
    evidence changed)."""
    from scanner.reports.model import BaselineComparison

    known = {e["key"]: e for e in baseline.get("entries", ())}
    keys = report_keys(report)
    violations = tuple(dataclasses.replace(v, key=key, baseline="unchanged" if key in known else "new")
                       for v, key in zip(report.violations, keys, strict=True))
    new = Counter(v.severity.value for v in violations if v.baseline == "new")
    current = set(keys)
    absent = sorted((e for k, e in known.items() if k not in current),
                    key=lambda e: (e.get("rule", ""), e.get("target", ""), e["key"]))
    comparison = BaselineComparison(
        new={s: new.get(s, 0) for s in SEVERITY_ORDER},
        unchanged=sum(1 for v in violations if v.baseline == "unchanged"),
        absent=tuple({"rule": e.get("rule"), "target": e.get("target"), "key": e["key"]} for e in absent))
    return dataclasses.replace(report, violations=violations, baseline=comparison)


# -- allowlist ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Allowlist:
    """Values (by the keyed hash a report shows), object paths (globs) and entity types that are not personal
    data for this organisation: test fixtures, the charity's own switchboard number, a public address."""

    values: frozenset[str] = frozenset()
    paths: tuple[str, ...] = ()
    entities: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.values or self.paths or self.entities)

    @classmethod
    def from_mapping(cls, raw: Any, source: str) -> Allowlist:
        """Parse the ``allowlist:`` section of a config; errors name the file and the key."""
        if raw is None:
            return cls()
        if not isinstance(raw, Mapping):
            raise ConfigError(f"{source}: allowlist: must be a mapping with values, paths, entities")
        for k in raw:
            if k not in ("values", "paths", "entities"):
                raise ConfigError(f"{source}: allowlist.{k}: unknown key (known: values, paths, entities)")

        def strings(key: str) -> list[str]:
            items = raw.get(key) or []
            if not isinstance(items, list) or not all(isinstance(x, str) and x.strip() for x in items):
                raise ConfigError(f"{source}: allowlist.{key}: must be a list of non-empty strings")
            return [x.strip() for x in items]

        values = strings("values")
        for i, h in enumerate(values):
            if len(h) < 16 or any(c not in "0123456789abcdef" for c in h.lower()):
                raise ConfigError(f"{source}: allowlist.values[{i}]: must be a keyed hash from a report (hex), "
                                  "never the value itself")
        return cls(frozenset(h.lower() for h in values), tuple(strings("paths")),
                   frozenset(e.upper() for e in strings("entities")))

    def path_allowed(self, uri: str, key: str) -> bool:
        return any(fnmatch.fnmatchcase(key, g) or fnmatch.fnmatchcase(uri, g) for g in self.paths)

    def finding_allowed(self, f: Finding) -> bool:
        return f.entity in self.entities or f.hash in self.values


def filter_result(r: ObjectResult, allow: Allowlist) -> tuple[ObjectResult, int]:
    """One result with allowlisted paths skipped and allowlisted values and entity types removed; returns the
    number of findings dropped. Call before the policy engine so violations follow the filtered holdings."""
    if not allow:
        return r, 0
    if allow.path_allowed(r.ref.uri, r.ref.key):
        return dataclasses.replace(r, status=Status.SKIPPED, reason="allowlisted path", holding=Holding(),
                                   findings=(), index=(), digest=None), len(r.findings)
    findings = tuple(f for f in r.findings if not allow.finding_allowed(f))
    gone = allow.entities | ({NAME_RUNS} if "PERSON" in allow.entities else set())
    index = tuple((k, h) for k, h in r.index if k not in gone and h not in allow.values)
    dropped = len(r.findings) - len(findings)
    if not dropped and len(index) == len(r.index) and not (allow.entities & set(r.holding.entities)):
        return r, 0
    left = {f.entity for f in findings} | {k for k, _ in index if k != NAME_RUNS}      # runs are not detections
    touched = {f.entity for f in r.findings if allow.finding_allowed(f)} | {k for k, h in r.index if h in allow.values}
    entities = {e: n for e, n in r.holding.entities.items()
                if e not in allow.entities and (e not in touched or e in left)}
    holding = dataclasses.replace(r.holding, entities=entities)
    if not holding.has_personal_data:
        holding = dataclasses.replace(holding, subjects_estimate=0)
    return dataclasses.replace(r, holding=holding, findings=findings, index=index, digest=None), dropped


def filter_results(results: Iterable[ObjectResult],
                   allow: Allowlist) -> tuple[tuple[ObjectResult, ...], dict[str, int]]:
    out, dropped, paths = [], 0, 0
    for r in results:
        new, n = filter_result(r, allow)
        dropped += n
        paths += new is not r and new.reason == "allowlisted path" and r.reason != "allowlisted path"
        out.append(new)
    return tuple(out), {"findings_removed": dropped, "objects_skipped": paths}


@dataclass(frozen=True)
class AllowedResults:
    """A store's view of results (in uri order) with an allowlist applied on each pass: they stay in the store."""

    results: Results
    allow: Allowlist

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self) -> Iterator[ObjectResult]:
        return (filter_result(r, self.allow)[0] for r in self.results)


def _allowed(results: Results, allow: Allowlist) -> Results:
    """``results`` filtered: a tuple as a tuple, a view (a scan's, read from its store) as a view."""
    return filter_results(results, allow)[0] if isinstance(results, Sequence) else AllowedResults(results, allow)


def apply_allowlist(outcome: ScanOutcome, allow: Allowlist) -> ScanOutcome:
    """The outcome with the allowlist applied to its results, and violations dropped whose target no longer
    holds personal data (for outcomes judged before the allowlist was applied). One pass over the results, which
    keeps only what the violations' targets need."""
    if not allow:
        return outcome
    targets = {v.target for v in outcome.violations}
    objects: set[str] = set()                 # targets that are objects, and those of them holding personal data
    personal_objects: set[str] = set()
    personal_containers: set[str] = set()     # targets that are containers holding some personal data
    dropped = paths = 0
    for r in outcome.results:
        new, n = filter_result(r, allow)
        dropped += n
        paths += new is not r and new.reason == "allowlisted path" and r.reason != "allowlisted path"
        personal = new.holding.has_personal_data
        if new.ref.uri in targets:
            objects.add(new.ref.uri)
            if personal:
                personal_objects.add(new.ref.uri)
        if personal and new.ref.container in targets:
            personal_containers.add(new.ref.container)
    containers = {c.uri for c in outcome.containers}
    violations = tuple(v for v in outcome.violations
                       if (v.target in personal_objects) or (v.target not in objects and
                                                              (v.target in personal_containers or
                                                               v.target not in containers)))
    stats = {"findings_removed": dropped, "objects_skipped": paths,
             "violations_removed": len(outcome.violations) - len(violations)}
    return dataclasses.replace(outcome, results=_allowed(outcome.results, allow), violations=violations,
                               allowlist={**stats, "rules": allowlist_rules(allow)})


def key_id(secret: bytes) -> str:
    """A tag of the installation secret (not the secret): baselines made under another secret cannot match."""
    import hmac

    return hmac.new(secret, b"pii-scan baseline key id", hashlib.sha256).hexdigest()[:16]


def allowlist_rules(allow: Allowlist) -> dict[str, Any]:
    return {"values": sorted(allow.values), "paths": list(allow.paths), "entities": sorted(allow.entities)}


def recorded_allowlist(rules: Mapping[str, Any] | None) -> Allowlist | None:
    """The allowlist a run recorded (allowlist_rules) parsed back; None when it had none."""
    return Allowlist.from_mapping(rules, "the run's recorded allowlist") if rules else None


def reapply_allowlist(outcome: ScanOutcome) -> ScanOutcome:
    """A stored outcome with the allowlist recorded at scan time applied again to its (unfiltered) results, so a
    re-rendered run shows what the original report showed."""
    allow = recorded_allowlist(outcome.allowlist_rules)
    if allow is None:
        return outcome
    return dataclasses.replace(outcome, results=_allowed(outcome.results, allow))
