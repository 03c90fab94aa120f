"""Subject access search: every holding about one person, from the store's keyed-hash index.

The search never needs raw values: the identifiers given are normalised and hashed with the
installation secret exactly as detected values were at scan time, and looked up by hash.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from detectors.entities import entity_aliases
from scanner.analysis import INDEXED, UNIQUE_IDS, normalise
from scanner.errors import UsageError
from scanner.model import NAME_RUNS
from scanner.object_names import shown_uri
from scanner.privacy import Hasher

if TYPE_CHECKING:
    from scanner.store import Store

# CLI option → entity kind in the index
LIMITS = (
    "Matches come from the index of the latest completed scan of each object; objects changed since, or never "
    "scanned, are not covered — re-scan first, or use --verify to re-read the matched objects.",
    "A name alone is weak evidence: common names are shared by many people. In prose past the scanner's NER "
    "budget, names are indexed as runs of two or three capitalised words (up to 20,000 per object), so a name "
    "there written in lower case, in a script without capital letters, or broken across lines is not found "
    "(scan with --full-counts to give all prose to NER).",
    "A unique identifier (e-mail, phone, NHS or NI number, other national ID) is strong evidence; a name with the "
    "same date of birth in the same object is probable; a name where the object's dates of birth all differ "
    "probably refers to someone else.",
    "Tables are indexed up to 20,000 rows per identifier column (scan.limits.table_index_rows); rows beyond "
    "that, and Parquet/Avro/SQLite tables beyond their sampled rows, are not indexed.",
    "Matching is exact on normalised values (case, spacing and phone formats are normalised); misspellings, "
    "nicknames and maiden names are not found.",
)


class Strength(str, enum.Enum):
    STRONG = "strong"            # a unique identifier matched
    PROBABLE = "probable"        # name and date of birth in the same object
    POSSIBLE = "possible"        # name (or date of birth) only
    CONFLICTING = "conflicting"  # the name matched but every date of birth in the object differs

    @property
    def rank(self) -> int:
        return [Strength.STRONG, Strength.PROBABLE, Strength.POSSIBLE, Strength.CONFLICTING].index(self)


@dataclass(frozen=True)
class SubjectQuery:
    """The identifiers given for one person, as (kind, keyed hash) pairs — never stored raw."""

    hashes: tuple[tuple[str, str], ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(sorted({k for k, _ in self.hashes}))

    @classmethod
    def build(cls, given: Mapping[str, Sequence[str]], hasher: Hasher) -> SubjectQuery:
        """``given`` maps an entity kind (EMAIL_ADDRESS, UK_NHS, …) to the values the requester supplied."""
        pairs = set()
        for kind, values in given.items():
            for value in values:
                if not value or not value.strip():
                    raise UsageError(f"empty value for {kind}")
                pairs.add((kind, hasher.value(kind, normalise(kind, value))))
        if not pairs:
            raise UsageError("give at least one identifier (--email, --name, --dob, --nhs, --nino, --phone, --id)")
        return cls(tuple(sorted(pairs)))


@dataclass(frozen=True)
class Match:
    uri: str
    container: str
    strength: Strength
    score: int
    matched: tuple[str, ...]            # identifier kinds that matched
    other_categories: tuple[str, ...]   # other entity types and special categories in the same object
    modified: str | None = None
    run_id: str | None = None
    country: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    verified: Mapping[str, object] = field(default_factory=dict)
    shown: str | None = None            # the URI with personal data in its names masked (scanner.object_names)


def judge_match(query_kinds: Iterable[str], matched: Iterable[str], object_kinds: Iterable[str]) -> tuple[Strength, int, tuple[str, ...]]:
    """How strongly one object's matches point at the person (pure; the ranking rule of the pack)."""
    query_kinds, matched, object_kinds = set(query_kinds), set(matched), set(object_kinds)
    notes: list[str] = []
    unique = sorted(matched & UNIQUE_IDS)
    score = 60 * len(unique)
    if "PERSON" in matched:
        score += 20
    if "DATE_OF_BIRTH" in matched:
        score += 15
    if {"PERSON", "DATE_OF_BIRTH"} <= matched:
        score += 15
    if unique:
        strength = Strength.STRONG
    elif {"PERSON", "DATE_OF_BIRTH"} <= matched:
        strength = Strength.PROBABLE
    elif "PERSON" in matched and "DATE_OF_BIRTH" in query_kinds and "DATE_OF_BIRTH" in object_kinds:
        strength = Strength.CONFLICTING
        score -= 15
        notes.append("the name matches but the object's dates of birth differ: probably someone else")
    else:
        strength = Strength.POSSIBLE
        if matched == {"PERSON"}:
            notes.append("name only: weak evidence")
        if matched == {"DATE_OF_BIRTH"}:
            notes.append("date of birth only: weak evidence")
    return strength, max(score, 1), tuple(notes)


def rank(matches: Iterable[Match]) -> list[Match]:
    return sorted(matches, key=lambda m: (m.strength.rank, -m.score, m.uri))


def search(store: Store, query: SubjectQuery) -> list[Match]:
    """Every current object holding any of the query's identifiers, ranked (from the store only)."""
    matches: list[Match] = []
    # NOTE: a name is also looked for among the capitalised runs of prose NER did not read (same keyed hash)
    pairs = list(query.hashes) + [(NAME_RUNS, h) for kind, h in query.hashes if kind == "PERSON"]
    for rid, (_, run_id, kinds) in store.subject_hits(pairs).items():
        result = store.result(rid)
        real = store.unsealed(result.ref)          # (an object whose names hold personal data is kept sealed)
        matched = {"PERSON" if kind == NAME_RUNS else kind for kind in kinds}
        strength, score, notes = judge_match(query.kinds, matched, store.index_kinds(rid))
        if NAME_RUNS in kinds and "PERSON" not in kinds:
            notes += ("the name was found as capitalised words in text past the scan's NER budget",)
        container = store.container(run_id, result.ref.container)
        others = sorted(set(result.holding.entities) - set(matched)) + sorted(result.holding.special_categories)
        if result.holding.children:
            others.append("children")
        modified = result.ref.modified.isoformat().replace("+00:00", "Z") if result.ref.modified else None
        matches.append(Match(uri=real.uri, container=result.ref.container, strength=strength, score=score,
                             matched=tuple(sorted(matched)), other_categories=tuple(others), modified=modified,
                             run_id=run_id, country=tuple(container.countries) if container else (),
                             notes=notes, shown=shown_uri(result.ref)))
    return rank(matches)


def query_digest(query: SubjectQuery, hasher: Hasher) -> str:
    """One keyed hash for the whole query: the audit log can tell repeated searches apart, never reverse them."""
    return hasher.value("SUBJECT_QUERY", "|".join(f"{k}:{h}" for k, h in query.hashes))


def document(query: SubjectQuery, matches: Sequence[Match], *, generated: str, audit_id: int | None,
             reference: str | None, verified: bool, show_values: bool = False) -> dict[str, Any]:
    """The subject-access pack as JSON (schema pii-scan/subject@1): no identifier values, only kinds."""
    return {
        "schema": "pii-scan/subject@1",
        "generated": generated,
        "reference": reference,
        "audit_id": audit_id,
        "identifiers_given": list(query.kinds),
        "verified": verified,
        "summary": {"objects": len(matches),
                    "by_strength": {s.value: sum(1 for m in matches if m.strength is s) for s in Strength}},
        "matches": [
            {"uri": m.uri if show_values else m.shown or m.uri, "container": m.container,
             "country": list(m.country), "modified": m.modified,
             "strength": m.strength.value, "score": m.score, "matched": list(m.matched),
             "other_categories": list(m.other_categories), "notes": list(m.notes),
             **({"verification": dict(m.verified)} if verified else {})}
            for m in matches
        ],
        "limits": list(LIMITS),
    }


# The option a user gave for each kind, for messages (never the value: it is the subject's personal data)
_OPTION = {"EMAIL_ADDRESS": "--email", "PERSON": "--name", "DATE_OF_BIRTH": "--dob", "UK_NHS": "--nhs",
           "UK_NINO": "--nino", "PHONE_NUMBER": "--phone"}
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def _valid(kind: str, value: str) -> str | None:
    """Why ``value`` is not a ``kind`` (a message without the value), or None if it is plausible."""
    from detectors import checksums

    text = value.strip()
    if not text:
        return "is empty"
    if kind == "EMAIL_ADDRESS" and not _EMAIL.fullmatch(text):
        return "is not an e-mail address (expected name@domain.tld)"
    if kind == "UK_NHS" and not checksums.nhs_mod11(text):
        return "is not a valid NHS number (10 digits with a modulus 11 check digit)"
    if kind == "UK_NINO" and not checksums.nino_valid(text):
        return "is not a valid National Insurance number (two letters, six digits, A-D, e.g. AB 12 34 56 C)"
    if kind == "DATE_OF_BIRTH":
        from detectors.recognizers.dates import EARLIEST_BIRTH_YEAR, parse_date

        parsed = parse_date(text)
        if parsed is None:
            return "is not a date (use 2011-05-12, 12/05/2011 or 12 May 2011)"
        if parsed.year < EARLIEST_BIRTH_YEAR or parsed > date.today():
            return f"is not a plausible date of birth (between {EARLIEST_BIRTH_YEAR} and today)"
    if kind == "PHONE_NUMBER":
        import phonenumbers

        try:
            number = phonenumbers.parse(text, "GB")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_possible_number(number):
            return "is not a phone number (UK national, or international with +CC)"
    return None


def validate(given: Mapping[str, Sequence[str]]) -> None:
    """Refuse (UsageError, exit 2) an identifier that cannot be what its option says: searching for it would
    answer "we hold nothing" falsely. The message names the option and kind, never the value."""
    for kind, values in given.items():
        for value in values:
            why = _valid(kind, value)
            if why:
                option = _OPTION.get(kind, f"--id {kind}=")
                raise UsageError(f"{option}: the value given {why}; nothing was searched")


def weak_evidence_warning(given: Mapping[str, Sequence[str]]) -> str | None:
    """The warning for a search by name alone (a name is shared by many people)."""
    kinds = {k for k, v in given.items() if v}
    if kinds == {"PERSON"}:
        return ("--name alone is weak evidence: common names are shared by many people; add --dob or a unique "
                "identifier (--email, --nhs, --nino, --phone, --id) to tell them apart")
    return None


def parse_ids(pairs: Sequence[str]) -> dict[str, list[str]]:
    """``--id KIND=VALUE`` options (e.g. IE_PPSN=1234567TW) grouped by kind."""
    out: dict[str, list[str]] = {}
    for raw in pairs:
        kind, sep, value = raw.partition("=")
        kind = kind.strip().upper()
        kind = entity_aliases().get(kind, kind)          # NHS=..., FI_PERSONAL_IDENTITY_CODE=...: the registry's aliases
        if not sep or not kind or not value.strip():
            # NOTE: the argument is not quoted: a mistyped one is often the identifier itself
            raise UsageError("--id: expected KIND=VALUE, e.g. IE_PPSN=1234567TW")
        if kind not in INDEXED:
            raise UsageError(f"--id: not an indexed identifier kind (use one of {', '.join(sorted(UNIQUE_IDS))})")
        out.setdefault(kind, []).append(value)
    return out
