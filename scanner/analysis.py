"""Turn a detector's detections on segments into findings and an object's holding.

Raw values stop here: a Finding carries a mask and a keyed hash, and the raw value only when the user
asked for --show-values. Special-category and children's evidence carries a masked snippet: the matched
lexicon term (or the kind of signal) with the neighbouring words masked, never a name or identifier.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:                 # NOTE: not at run time: the scan's main process never loads Presidio or spaCy
    from detectors.engine import Detection
    from detectors.protocol import Detector, SegmentAnalysis
from detectors.budget import EVIDENCE_PER_KIND, Budget, NerBudget
from detectors.entities import unique_ids
from scanner.model import NAME_RUNS, Evidence, Finding, Holding, Segment, SegmentKind
from scanner.object_names import NOT_COUNTED, NameHit, ObjectNames
from scanner.privacy import Hasher, mask

# Identifier kinds indexed for subject search, and those that on their own identify one person.
UNIQUE_IDS = unique_ids()          # configs/entities.yaml: identifiers.<entity>.unique
INDEXED = UNIQUE_IDS | {"PERSON", "DATE_OF_BIRTH"}
# Where a LOCATION that is only a place name comes from (not an address or a postcode)
PLACE_NAME_SOURCES = frozenset({"SpacyRecognizer", "Gazetteer", "NameRules", "NameMentions", "PlaceMentions"})
NAME_RUNS_PER_OBJECT = 20_000  # capitalised runs indexed per object (a 300 KB all-caps line gave 80,000)

_normaliser: Callable[[str], Callable[[str], str]] | None = None


def normaliser(entity: str) -> Callable[[str], str]:
    """The function giving an entity's canonical form, which is hashed (the same identifier written two
    ways hashes the same)."""
    global _normaliser
    if _normaliser is None:                # NOTE: imported on first use: it loads Presidio
        from detectors.recognizers import normaliser as detector_normaliser

        _normaliser = detector_normaliser
    return _normaliser(entity)


# Titles before a name, left out when names are compared for subjects_estimate ("Mr Robinson" is Kai Robinson)
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lady", "lord", "rev", "fr",
                     "cllr", "insp", "sgt", "pc", "det", "judge"})


def normalise(entity: str, value: str) -> str:
    """The canonical form of one value (see normaliser())."""
    return normaliser(entity)(value)


@dataclass
class HoldingBuilder:
    """Accumulates one object's detections (mutable while building; produces frozen results)."""

    hasher: Hasher
    show_values: bool = False
    examples_per_entity: int = 3
    full_counts: bool = False
    budget: NerBudget = field(default_factory=NerBudget)
    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[Finding]] = field(default_factory=dict)
    hashes: dict[str, set[str]] = field(default_factory=dict)
    name_candidates: set[str] = field(default_factory=set)    # NAME_RUNS index rows: prose NER did not read
    table_rows: int = 0
    ner_chars: int = 0
    # NOTE: where the NER budget stopped NER short of the prose's end (reason -> prose chars NER had read):
    # recorded on the object as cuts, so PERSON/LOCATION counts are known to be lower bounds
    ner_cuts: dict[str, int] = field(default_factory=dict)
    min_counts: Mapping[str, int] = field(default_factory=dict)
    special: dict[str, list[Evidence]] = field(default_factory=dict)
    child_evidence: list[Evidence] = field(default_factory=list)
    watch: frozenset[str] = frozenset()       # hashes to locate everywhere (subject --verify)
    names: ObjectNames | None = None          # masks personal data in column, sheet and table names
    watched: list[Finding] = field(default_factory=list)
    addresses: int = 0          # LOCATION detections that are addresses or postcodes, not just place names
    # NOTE: a name's words, titles dropped, per PERSON digest read in this object's text (in memory while the
    # object is read, never kept): "Kai" and "Mr Robinson" beside "Kai Robinson" are one person (subjects_estimate)
    person_words: dict[str, tuple[str, ...]] = field(default_factory=dict)

    # -- budget ------------------------------------------------------------------------------------------
    def budget_left(self) -> Budget:
        """The object's budget as the detector sees it before the next segment: spent so far, and held so far."""
        return Budget(self.budget, self.full_counts, self.ner_chars, self.counts["PERSON"],
                      {c: len(ev) for c, ev in self.special.items()}, bool(self.child_evidence))

    # -- findings ----------------------------------------------------------------------------------------
    def _finding(self, d: Detection, where: Mapping[str, object], digest: str) -> Finding:
        return Finding(entity=d.entity, score=d.score, where=dict(where), masked=mask(d.entity, d.text),
                       hash=digest, value=d.text if self.show_values else None)

    def _record(self, d: Detection, where: Callable[[], Mapping[str, object]], count: int = 1) -> str:
        """Count and hash one detection; ``where`` gives its location, asked only for a finding that is kept."""
        self.counts[d.entity] += count
        if d.entity == "LOCATION" and d.recognizer not in PLACE_NAME_SOURCES:
            self.addresses += 1
        canonical = normalise(d.entity, d.text)
        digest = self.hasher.value(d.entity, canonical)
        if d.entity in INDEXED:
            self.hashes.setdefault(d.entity, set()).add(digest)
        if d.entity == "PERSON" and digest not in self.person_words:
            words = tuple(canonical.replace(".", " ").split())
            self.person_words[digest] = tuple(w for w in words if w not in _TITLES) or words
        shown = self.examples.setdefault(d.entity, [])
        # NOTE: the Finding (mask, location) is only built for what is kept
        keep = len(shown) < self.examples_per_entity and all(digest != s.hash for s in shown)
        if keep or digest in self.watch:
            at = where()
            if digest in self.watch:
                self.watched.append(self._finding(d, at, digest))
            if keep:
                shown.append(self._finding(d, at, digest))
        return digest

    def add_prose(self, seg: Segment, detections: Iterable[Detection]) -> None:
        for d in detections:
            self._record(d, functools.partial(_where, seg, d.start))

    def add_field(self, seg: Segment, detections: Iterable[Detection]) -> None:
        for d in detections:
            self._record(d, lambda: seg.where)

    def add_object_name(self, hits: Iterable[NameHit], where: Mapping[str, object] | None = None) -> None:
        """What the object's name (or a column's) holds (scanner.object_names): identifiers counted as found
        there; a person's name indexed for name searches, not counted (a file name is a poor witness to a
        person)."""
        where = where or {"object_name": True}
        names = []
        for h in hits:
            if h.entity == "PERSON":
                names.append(h.detection.text)
            elif h.entity not in NOT_COUNTED:
                self._record(h.detection, lambda: where)
        self.add_name_candidates(names)

    def add_name_candidates(self, phrases: Iterable[str]) -> None:
        """Capitalised runs of prose NER was not given: indexed (kind NAME_RUNS, hashed as PERSON) so a name
        search finds them, but not counted (they are not known to be names), not in the subjects estimate
        and not in the holding digest. At most NAME_RUNS_PER_OBJECT of them."""
        for phrase in phrases:
            if len(self.name_candidates) >= NAME_RUNS_PER_OBJECT:
                return
            self.name_candidates.add(self.hasher.value("PERSON", normalise("PERSON", phrase)))

    def add_column(self, seg: Segment, entity: str | None, matched: int, sampled: int,
                   detections: Iterable[tuple[int, Detection]]) -> None:
        """A classified column: the count is estimated from the sample share times the row count, the share taken
        of the sampled rows, empty cells included (a table's column keeps them): a column filled in one row of
        ten is not counted as ten."""
        if entity is None or sampled == 0:
            return
        rows = seg.rows or sampled
        # the share of filled cells among the sampled rows (``sampled``: the filled cells classification read)
        filled = sum(1 for v in seg.values if v and v.strip())
        fill = filled / len(seg.values) if filled else 1.0
        estimate = max(matched, round(rows * matched / sampled * fill))
        self.table_rows = max(self.table_rows, rows)
        first_line = int(seg.where.get("first_line", 1))
        base = {k: v for k, v in seg.where.items() if k != "first_line"}
        known: dict[str, str] = {}                      # sampled value → its digest, not hashed again below
        for i, d in detections:
            if d.entity == entity:
                at: Callable[[], Mapping[str, object]] = (functools.partial(dict, base, line=first_line + i)
                                             if "column" in seg.where
                                             else functools.partial(dict, base))
                known[d.text] = self._record(d, at, count=0)
        self.counts[entity] += estimate
        if entity in INDEXED:
            self._index_column(seg, entity, first_line, known)

    def _index_column(self, seg: Segment, entity: str, first_line: int, known: Mapping[str, str]) -> None:
        """Every value of an identifier column (up to limits.table_index_rows) into the subject index, so a
        person in row 9,000 of a 10,000-row export is found although only a sample was classified.
        ``known``: digests of sampled values, already in the index."""
        hashes = self.hashes.setdefault(entity, set())
        canonical = normaliser(entity)
        values = [v.strip() for v in seg.index_values]
        if not self.watch:            # NOTE: each distinct value once (names, towns and dates recur in a column)
            todo = [canonical(v) for v in dict.fromkeys(values) if v and v not in known]
            hashes.update(self.hasher.values(entity, todo))
            return
        base = {k: v for k, v in seg.where.items() if k != "first_line"}
        for i, value in enumerate(values):
            if not value:
                continue
            digest = self.hasher.value(entity, canonical(value))
            hashes.add(digest)
            if digest in self.watch:
                where = {**base, "line": first_line + i} if "column" in seg.where else base
                self.watched.append(Finding(entity=entity, score=1.0, where=where, masked=mask(entity, value),
                                            hash=digest))

    # -- special categories and children ------------------------------------------------------------------
    def add_special(self, category: str, snippet: str, where: Mapping[str, object]) -> None:
        shown = self.special.setdefault(category, [])
        if len(shown) < EVIDENCE_PER_KIND:
            shown.append(Evidence(category, snippet, dict(where)))

    def add_child(self, snippet: str, where: Mapping[str, object]) -> None:
        if len(self.child_evidence) < EVIDENCE_PER_KIND:
            self.child_evidence.append(Evidence("children", snippet, dict(where)))

    # -- results -----------------------------------------------------------------------------------------
    def _reported_counts(self) -> dict[str, int]:
        counts = {e: n for e, n in sorted(self.counts.items()) if n >= self.min_counts.get(e, 1)}
        # NOTE: a country, region or town named in a document that holds nothing else (no person, no address,
        # no identifier: a governance document naming "West Yorkshire") is not personal data.
        if set(counts) == {"LOCATION"} and not self.addresses and not self.table_rows:
            return {}
        return counts

    def holding(self) -> Holding:
        entities = self._reported_counts()
        # NOTE: Art. 9 is about personal data: category words in a file that holds none (a policy, a
        # template) are not a disclosure about anyone.
        special = sorted(self.special) if entities else []
        children = bool(self.child_evidence)
        evidence = tuple(ev for c in special for ev in self.special[c]) + tuple(self.child_evidence)
        return Holding(entities=entities, special_categories=tuple(special), children=children,
                       subjects_estimate=self.subjects_estimate(), evidence=evidence)

    def subjects_estimate(self) -> int:
        """Distinct people: the largest count of distinct unique identifiers or names, or table rows. A name
        that is another's without its title ("Mr Kai Robinson"), or one word of it ("Kai", "Mr Robinson"), is
        the same person."""
        distinct = [len(v) for k, v in self.hashes.items() if k in UNIQUE_IDS]
        distinct.append(len(self.hashes.get("PERSON", ())) - self._same_persons())
        best = max(distinct, default=0)
        if self.table_rows and any(self.counts.values()):
            best = max(best, self.table_rows)
        return best

    def _same_persons(self) -> int:
        """Names read in this object that are another's person (see subjects_estimate)."""
        full = {w for w in self.person_words.values() if len(w) > 1}
        ends = {w[0] for w in full} | {w[-1] for w in full}
        ends |= {part for w in full for part in (*w[0].split("-"), *w[-1].split("-"))}     # "Ruby" of "Ruby-Mae"
        seen: set[tuple[str, ...]] = set()
        same = 0
        for words in self.person_words.values():
            if words in seen or (len(words) == 1 and words[0] in ends):
                same += 1
            seen.add(words)
        return same

    def findings(self) -> tuple[Finding, ...]:
        reported = self._reported_counts()
        out = [f for e in sorted(self.examples) if e in reported for f in self.examples[e]]
        shown = {(f.hash, tuple(sorted(f.where.items()))) for f in out}
        out += [f for f in self.watched if (f.hash, tuple(sorted(f.where.items()))) not in shown]
        return tuple(out)

    def index(self) -> tuple[tuple[str, str], ...]:
        rows = {(k, h) for k, hs in self.hashes.items() for h in hs}
        names = self.hashes.get("PERSON", set())
        rows.update((NAME_RUNS, h) for h in self.name_candidates if h not in names)
        return tuple(sorted(rows))


def _where(seg: Segment, start: int) -> dict[str, object]:
    base_line = int(seg.where.get("line", 1))
    base_offset = int(seg.where.get("offset", 0))
    extra = {k: v for k, v in seg.where.items() if k not in ("line", "offset")}
    text = seg.text
    line_start = text.rfind("\n", 0, start) + 1
    return {**extra, "line": base_line + text.count("\n", 0, start), "column": start - line_start + 1,
            "offset": base_offset + start}


_TOKEN = re.compile(r"\S+")
_KEEP = frozenset(["a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "with", "without", "by", "from", "as", "is", "was", "were", "are", "be", "been", "being", "has", "had", "have", "having", "he", "she", "they", "her", "his", "their", "them", "him", "it", "its", "this", "that", "these", "those", "who", "which", "not", "no", "but", "after", "before", "during", "since", "into", "about", "over", "under", "very", "also", "now", "then", "there", "here", "has", "been", "take", "takes", "taking", "took", "diagnosed", "referred", "attends", "attended", "attending", "received", "receiving", "prescribed", "had", "has", "history", "known", "reported", "says", "said", "told"])


def masked_snippet(text: str, start: int, end: int, label: str | None = None, words: int = 4) -> str:
    """The words around text[start:end] with everything but common function words masked.

    The matched span itself is kept (a lexicon term) or replaced by ``label`` (e.g. "[DATE_OF_BIRTH]")."""
    before = [m.group() for m in _TOKEN.finditer(text, max(0, start - 200), start)][-words:]
    after = [m.group() for m in _TOKEN.finditer(text, end, min(len(text), end + 200))][:words]
    middle = label if label is not None else " ".join(text[start:end].split())
    def safe(word: str) -> str:
        core = word.strip(".,;:!?()\"'’“”")
        return word if core.lower() in _KEEP and core.isalpha() and core.islower() else "***"
    return " ".join(["…", *map(safe, before), middle, *map(safe, after), "…"])


def analyse_segment(detector: Detector, builder: HoldingBuilder, seg: Segment) -> None:
    """What the detector finds in one segment into the object's builder: findings, evidence, its budget spent."""
    if not builder.min_counts:
        builder.min_counts = dict(detector.min_counts)
    found = detector.analyse(seg, builder.budget_left())
    builder.ner_chars += found.ner_chars
    if found.ner_cut:
        builder.ner_cuts.setdefault(found.ner_cut, builder.ner_chars)
    if builder.names is not None:
        seg = _shown_names(builder, builder.names, seg)
    if seg.kind is SegmentKind.COLUMN:
        _column(builder, seg, found)
        return
    if seg.kind is SegmentKind.PROSE:
        builder.add_prose(seg, found.detections)
        builder.add_name_candidates(found.name_candidates)
    else:
        builder.add_field(seg, found.detections)
    text = found.text
    where = (lambda s: _where(seg, s)) if seg.kind is SegmentKind.PROSE else (lambda s: dict(seg.where))
    for hit in found.special:
        builder.add_special(hit.category, masked_snippet(text, hit.start, hit.end), where(hit.start))
    for sig in found.children:
        label = {"dob": "[DATE_OF_BIRTH: age under 18]", "age": "[age under 18]", "school_year": None}[sig.kind]
        builder.add_child(masked_snippet(text, sig.start, sig.end, label), where(sig.start))


SHOWN_WHERE = ("column", "sheet", "table")    # a segment's names that every output shows


def _shown_names(builder: HoldingBuilder, names: ObjectNames, seg: Segment) -> Segment:
    """``seg`` as outputs show it, with personal data in its column, sheet and table names masked (a pivot's
    header "Olivia Bennett", a sheet named by an e-mail address). A column header's identifiers count."""
    shown = {} if builder.show_values else {k: names.masked(v) for k in SHOWN_WHERE
                                             if isinstance(v := seg.where.get(k), str)}
    changed = {k: v for k, v in shown.items() if v != seg.where[k]}
    if seg.kind is SegmentKind.COLUMN and seg.name and seg.where.get("column") == seg.name:
        hits = names.hits(seg.name)
        if hits:
            where = {k: v for k, v in {**seg.where, **changed}.items() if k != "first_line"}
            builder.add_object_name(hits, {**where, "header": True})
    if not changed:
        return seg
    name = changed.get("column", seg.name) if seg.kind is SegmentKind.COLUMN else seg.name
    return replace(seg, name=name, where={**seg.where, **changed})


def _column(builder: HoldingBuilder, seg: Segment, found: SegmentAnalysis) -> None:
    col = found.column
    if col is None:
        return
    builder.add_column(seg, col.entity, col.matched, col.sampled, col.detections)
    where = {k: v for k, v in seg.where.items() if k != "first_line"}
    header = _safe_header(seg.name or "")
    if found.column_category:
        builder.add_special(found.column_category, f"column {header!r}: {found.filled} of {len(seg.values)} "
                                                   "sampled values filled", where)
    if found.child_dobs:
        # NOTE: a detection in a date-of-birth column is the date alone: only its age can make it a child's
        builder.add_child(f"column {header!r}: {found.child_dobs} of {col.sampled} sampled dates of birth "
                          "under 18", where)
    for hit in found.special:
        builder.add_special(hit.category, f"column {header!r}: " + masked_snippet(found.text, hit.start, hit.end),
                            where)


def _safe_header(name: str) -> str:
    """A column header is schema, not data; still, cut it short and drop digits (an ID used as a header)."""
    return re.sub(r"\d", "#", name)[:40]
