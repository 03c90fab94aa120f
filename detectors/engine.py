"""The Detector: our validated recognisers in one pattern pass, phone numbers on digit lines, spaCy NER
(as Presidio's SpacyRecognizer reports it) on prose only, and a column classifier. Built once per process.

``detectors`` never imports ``scanner``: it returns Detection values (which do carry the matched text,
in memory only); the scanner turns them into masked, hashed findings.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.accounts import Accounts
from detectors.children import ChildSignal, ChildSignals
from detectors.entities import EntityTaxonomy
from detectors.fastpath import Candidate, PatternPass, PhonePass, explain_context
from detectors.gazetteer import AMBIGUOUS, COUNTRY, REGION, WorldGazetteer
from detectors.language import LanguageCheck
from detectors.names import (
    SPEAKER,
    Cue,
    NameRules,
    capital_mentions,
    case_parties,
    coordinated,
    coordinated_guesses,
    later_mentions,
    listed_with_persons,
    lone_given_names,
    lower_set,
    lower_words,
    phrase_alternation,
    word_before,
)
from detectors.place_mentions import Venues, place_mentions
from detectors.ner import CHUNK_CHARS, ORGANISATION, VERSUS, DisjointSpans, NerCleanup, NerRunner, Places, Span, SpanIndex
from detectors.nlp import DEFAULT_MODEL, english_words, load_spacy
from detectors.recognizers.phones import DEFAULT_PHONE_REGIONS, validate_regions
from detectors.segments import SegmentAnalyser
from detectors.special import CategoryHit, SpecialMatcher
from detectors.trie import CAPITALISED_WORD, WORD_CHAR, word_start, words_start

__all__ = ["CHUNK_CHARS", "ColumnResult", "Detection", "Detector", "DetectorSettings", "resolve_overlaps"]

COLUMN_NER_SAMPLE = 50          # values of an unlabelled text column given to NER
PHONE_PROBE_VALUES = 20         # values of a column tried for phone numbers before giving up on it
UNIFORM_PROBE_VALUES = 32       # a column whose probed values (every 4th) all hold one entity is that entity
# A name as a table cell holds it: capitalised words, or surname first ("Okonkwo-Hale, Grace")
# A cell written as a name: capitalised words of letters in any script ("Siobhán Ní Bhriain", "Ramírez, José Luis")
_NAME_LETTER = r"[^\W\d_]"
_NAME_VALUE = re.compile(rf"{_NAME_LETTER}(?:{_NAME_LETTER}|['’\-])+(?:(?:,[ ]?|[ .]{{1,2}}){_NAME_LETTER}"
                         rf"(?:{_NAME_LETTER}|['’\-])*){{0,4}}")
_NAME_VALUE_WORD = re.compile(r"[^ ,.]+")


def name_shaped(value: str) -> bool:
    """Whether a table cell is written as a name: _NAME_VALUE, each word capitalised."""
    return _NAME_VALUE.fullmatch(value) is not None and all(w.group()[0].isupper()
                                                             for w in _NAME_VALUE_WORD.finditer(value))
_PLACE_VALUE = re.compile(r"[\w'’\-.,/ ]{2,120}")
_LOCATION_GAP = re.compile(r"[ \t]*,?[ \t]*")
_IN_GAP = re.compile(r",?[ \t]+in[ \t]+(?:the[ \t]+)?")       # "Randers in Jutland", "Groningen, in the Netherlands"
_AFTER_LABEL = f"name {Cue.LABEL.value}"        # the explanation of a name NameRules read after a name label
_LIST_GAP = re.compile(r"[ \t]*(?:,|(?:,[ \t]*)?(?:and|or|&))[ \t]*")    # between two items of a list
_LINE_GAP = re.compile(r"[ \t]*,?[ \t]*\r?\n[ \t]*")     # one line break: the next line of an address


@dataclass(frozen=True)
class Detection:
    entity: str
    start: int
    end: int
    score: float
    text: str = field(repr=False)     # raw value: never logged, never serialised by the scanner
    recognizer: str = ""
    explanation: str = ""


@dataclass(frozen=True)
class ColumnResult:
    """One table column: the entity it holds (if any), how sure, and how many sampled values matched."""

    entity: str | None
    score: float
    matched: int
    sampled: int
    detections: tuple[tuple[int, Detection], ...] = ()   # (index in the sample, detection within that value)


@dataclass(frozen=True)
class DetectorSettings:
    model: str = DEFAULT_MODEL
    overrides: Mapping[str, object] = field(default_factory=dict)     # `detection:` section: thresholds, scores, min_count
    use_hyperscan: bool = True
    cache_dir: str | None = None                         # where compiled pattern databases are kept


class Detector(SegmentAnalyser):
    """Build once (loads spaCy: ~1 s), then call analyze() (or the scanner's analyse(), SegmentAnalyser) many times."""

    def __init__(self, settings: DetectorSettings | None = None):
        from detectors.lexicon import read_lexicon
        from detectors.recognizers import (
            ValidatedPatternRecognizer,
            default_recognizers,
        )
        from detectors.recognizers.contact import PhoneRecognizer

        self.settings = settings or DetectorSettings()
        self.taxonomy = EntityTaxonomy.load(self.settings.overrides)
        recognizers = default_recognizers()
        pattern_recs = [r for r in recognizers if isinstance(r, ValidatedPatternRecognizer)]
        phone = next(r for r in recognizers if isinstance(r, PhoneRecognizer))
        self._patterns = PatternPass(pattern_recs, use_hyperscan=self.settings.use_hyperscan,
                                     score_overrides=dict(self.taxonomy.scores), cache_dir=self.settings.cache_dir)
        regions = self.settings.overrides.get("phone_regions")
        self._phones = PhonePass(phone, self.taxonomy.scores.get("PHONE_NUMBER"),
                                 DEFAULT_PHONE_REGIONS if regions is None else validate_regions(regions),
                                 threshold=self.taxonomy.threshold("PHONE_NUMBER"), cache_dir=self.settings.cache_dir)
        self.nlp = load_spacy(self.settings.model)
        ner_words = read_lexicon("ner.yaml", dict.fromkeys(
            ["titles", "organisation_words", "common_words", "not_places", "name_labels", "salutations", "sign_offs",
             "bylines", "relations", "greetings", "account_words", "name_particles", "places", "street_words",
             "landscape_words", "venue_words", "venue_surnames", "generic_venues", "place_prefixes", "named_after",
             "thing_words_after", "thing_words_before",
             "office_titles", "addressed_offices", "foreign_articles", "capital_titles", "surname_months",
             "germ_epithets", "title_words", "lord_offices", "vocative_leads", "not_initials",
             "roles_before_initials", "platforms", "post_nominals"], list))
        given = read_lexicon("given_names.yaml", {"given_names": list}).get("given_names", [])
        cleanup = NerCleanup.from_mapping(ner_words)
        self._titles = cleanup.titles
        self._post_nominals = lower_set(ner_words.get("post_nominals"))
        self._stop_names = cleanup.common_words | cleanup.titles | cleanup.org_words
        self._names = NameRules.from_mapping(ner_words, self._stop_names, given, cleanup.org_words,
                                             english_words(self.nlp))
        self._ner = NerRunner(self.nlp, cleanup, self._names.given, self._names.dictionary)
        self._language = LanguageCheck(self._names.dictionary, self._names.given)   # NER reads English text only
        self._phones.language = self._language          # and a text's language suggests its phone numbers' regions
        self._places = Places(cleanup.places)
        self._landscape = lower_set(ner_words.get("landscape_words"))
        self._place_prefixes = lower_set(ner_words.get("place_prefixes"))
        venues = lower_set(ner_words.get("venue_words"))
        self._place_last_words = self._landscape | venues       # NER's PERSON ending in one is a place
        org_words = [w for w in cleanup.org_words if len(w) > 3]          # not "co", "ag", "spa": words too
        self._org_of, self._org_after = org_of_pattern(org_words), org_after_pattern(org_words)
        self._offices = Offices.of(ner_words.get("office_titles", ()) or (), ner_words.get("addressed_offices", ()) or (),
                                   self._names.given)
        self._things = Things.of(ner_words.get("thing_words_after", ()) or (), ner_words.get("thing_words_before", ()) or ())
        from detectors.gazetteer import WorldGazetteer

        self._world = WorldGazetteer.load(
            skip=self._stop_names | self._names.given | self._names.not_surnames | STOP_WORDS,
            trim=cleanup.titles | cleanup.common_words | STOP_WORDS, cache_dir=self.settings.cache_dir,
            named_after=ner_words.get("named_after", ()) or ())
        self._venues = Venues.of([*self._place_last_words, *lower_set(ner_words.get("venue_surnames"))],
                                 self._world.trim, self._names.given, lower_set(ner_words.get("generic_venues")),
                                 self._world.knows)
        accounts = [*(ner_words.get("account_words") or ()), *(ner_words.get("platforms") or ())]
        self._accounts = Accounts.of(accounts, cleanup.org_words, self._names.given, self._names.dictionary)
        self._special = SpecialMatcher(self.nlp, cache_dir=self.settings.cache_dir)
        self._children = ChildSignals()
        # NOTE: text -> (rule spans, NER spans) run ahead by prime() for the objects being scanned; cleared by
        # forget_primed() after them, so it holds one batch of small objects at most
        self._primed: dict[str, tuple[list[Span], list[Span]]] = {}
        # NOTE: text -> what analyze() found in a primed text (with NER, no context): prime()'s later rounds
        # count an object's PERSON with it, and the object's scan then reads it from here; cleared with _primed
        self._analysed: dict[str, list[Detection]] = {}

    keeps_analysis = True

    @property
    def accelerated(self) -> bool:
        """True when hyperscan runs the pattern pass."""
        return self._patterns.accelerated

    # -- prose -------------------------------------------------------------------------------------------
    def analyze(self, text: str, *, ner: bool = True, context: str | None = None,
                explain: bool = False) -> list[Detection]:
        """Every detection in ``text`` with exact character offsets, overlaps resolved.

        ``context`` (a column header or key path) counts as context for every candidate."""
        return self.analyze_many([text], ner=ner, context=context, explain=explain)[0]

    def analyze_many(self, texts: Sequence[str], *, ner: bool = True, context: str | None = None,
                     explain: bool = False) -> list[list[Detection]]:
        """analyze() for many texts, with NER batched across all of them (``detect --jsonl``)."""
        keep = ner and not context and not explain
        if keep and len(texts) == 1 and texts[0] in self._analysed:
            return [list(self._analysed[texts[0]])]
        primed = [self._primed.get(text) if ner else None for text in texts]
        todo = [text for text, hit in zip(texts, primed, strict=True) if hit is None]
        fresh = iter(self._rules_and_spans(todo, ner))
        out = [self._combine(text, list(ner_spans), context or "", explain, rule_spans=found)
               for text, (found, ner_spans) in zip(texts, (hit or next(fresh) for hit in primed), strict=True)]
        if keep:
            self._analysed.update((text, list(found)) for text, hit, found in zip(texts, primed, out, strict=True)
                                  if hit is not None)
        return out

    def _rules_and_spans(self, texts: Sequence[str], ner: bool) -> list[tuple[list[Span], list[Span]]]:
        """Per text, the names the rules find and (``ner``) NER's spans: NER over all the texts in one model call."""
        rules = [self._names.find(text) for text in texts]
        spans: list[list[Span]] = [[] for _ in texts]
        if ner:                 # a text in another language gets no NER (detectors/language.py)
            english = [i for i, text in enumerate(texts) if self._language.is_english(text)]
            found = self._ner.spans_many([texts[i] for i in english],
                                         [[(s.start, s.end) for s in rules[i]] for i in english])
            for i, text_spans in zip(english, found, strict=True):
                spans[i] = text_spans
        return list(zip(rules, spans, strict=True))

    def _common_word(self, lower: str) -> bool:
        """An English word that is no listed given name: "stardust", not "grace" (both are English words)."""
        return self._names.english(lower) and lower not in self._names.given

    def preload(self) -> None:
        """Load now what detection otherwise loads at first need (see PhonePass.preload): a forkserver calls
        it before forking the workers."""
        self._phones.preload()

    def prime_texts(self, texts: Sequence[str]) -> None:
        """NER (and the name rules) over ``texts`` in one model call, kept for ``analyze`` until forget_primed():
        the texts of many small objects (a worker's task of one-tweet files) cost one model call, not one each.
        What ``analyze`` finds in a text does not depend on what it was run with, so nothing changes but the cost."""
        todo = [text for text in dict.fromkeys(texts) if text not in self._primed]
        self._primed.update(zip(todo, self._rules_and_spans(todo, True), strict=True))

    def forget_primed(self) -> None:
        self._primed.clear()
        self._analysed.clear()

    def _combine(self, text: str, ner_spans: list[Span], extra: str, explain: bool,
                 with_names: bool = True, phones: bool = True,
                 candidates: Sequence[Candidate] | None = None, rule_spans: Sequence[Span] = (),
                 phone_hits: Sequence[tuple[int, int, float]] | None = None) -> list[Detection]:
        found: list[Detection] = []
        for c in self._patterns.candidates(text, extra) if candidates is None else candidates:
            entity = c.recognizer.ENTITY
            if entity == "USERNAME" and self._accounts.organisation(text[c.start:c.end]):
                continue                # an organisation's account: no one's personal data
            why = ""
            if explain:
                check = {True: "checksum/format check passed", None: "format only"}[c.validated]
                why = (f"pattern {c.pattern_name} ({c.recognizer.name}) base {c.base}; {check}; "
                       f"{explain_context(c.recognizer, text, c.start, c.end, extra)} -> {c.score}")
            found.append(Detection(entity, c.start, c.end, c.score, text[c.start:c.end], c.recognizer.name, why))
        if phone_hits is None:
            phone_hits = self._phones.candidates(text, extra) if phones else ()
        for start, end, score in phone_hits:
            why = ""
            if explain:
                why = (f"phonenumbers match (UK, suggested or configured regions) base {self._phones.score}; "
                       f"{explain_context(self._phones.recognizer, text, start, end, extra)} -> {score}")
            found.append(Detection("PHONE_NUMBER", start, end, score, text[start:end], "PhoneRecognizer", why))
        ner_base = self.taxonomy.scores
        ner_spans, rule_spans = drop_organisation_names(text, ner_spans, rule_spans)
        if with_names:
            parties = case_parties(text, self._stop_names, self._names.not_surnames, self._world.knows)
            if parties:                          # a cited case's parties, over what NER made of them
                cited = SpanIndex((p.start, p.end) for p in parties)
                ner_spans = [s for s in ner_spans if not cited.overlaps(s.start, s.end)] + parties
                rule_spans = [s for s in rule_spans if not cited.overlaps(s.start, s.end)]
            ner_spans = self._places.fix(text, ner_spans + list(rule_spans))     # rules: analyze_many found them
            ner_spans = self._names.initials_as_persons(text, ner_spans, self._world.knows)
            ner_spans = relabel_places(text, ner_spans, self._world, self._names.given, self._place_last_words,
                                       self._place_prefixes)
            ner_spans = drop_articled_persons(text, ner_spans)
            ner_spans = drop_place_heads(text, ner_spans, self._world.knows)
            ner_spans = possessive_persons(text, ner_spans, self._world.tier)
            ner_spans = drop_common_nouns(text, ner_spans, self._names.given, self._titles,
                                          self._world.knows)
            ner_spans = drop_teams(text, ner_spans, self._world, self._landscape | self._names.not_surnames)
            things = self._things.names(text, self._names.dictionary, self._names.given) if ner_spans else set()
            ner_spans = drop_things(text, ner_spans, self._things, given=self._names.given, named=things)
            ner_spans = drop_label_names(text, ner_spans)
            found_spans = [(d.start, d.end) for d in found]     # the pattern detections: fixed from here on
            ner_spans = place_mentions(text, ner_spans, found_spans, self._stop_names)
            persons = [s for s in ner_spans if s.entity == "PERSON"]
            ner_spans = ner_spans + later_mentions(text, persons, self._stop_names,
                                                   found_spans +
                                                   [(s.start, s.end) for s in ner_spans],
                                                   not_names=not_names(things, place_words(text, self._world)),
                                                   lower_name=self._names.lower_name,
                                                   english=self._common_word if self._names.dictionary else None)
            ner_spans = ner_spans + capital_mentions(text, [s for s in ner_spans if s.entity == "PERSON"],
                                                     self._stop_names, found_spans +
                                                     [(s.start, s.end) for s in ner_spans])
            ner_spans = world_places(text, ner_spans, found, self._world,
                                     self._names.english if self._names.dictionary else None)
            ner_spans = self._venues.find(text, ner_spans, found_spans)
            ner_spans = coordinated_guesses(text, ner_spans, self._world.knows, self._common_word)
            covered = found_spans + [(s.start, s.end) for s in ner_spans]
            joined = coordinated(text, ner_spans, SpanIndex(covered), self._stop_names)
            joined += listed_with_persons(text, ner_spans + joined, SpanIndex(covered + [(s.start, s.end) for s in joined]),
                                          self._stop_names)
            ner_spans = ner_spans + joined + lone_given_names(
                text, self._names.given, SpanIndex(covered + [(s.start, s.end) for s in joined]),
                lambda w: w.lower() in self._stop_names or w.lower() in AMBIGUOUS or self._world.tier(w) > 0)
            ner_spans = self._offices.holders(text, ner_spans, self._world.knows)
            ner_spans = drop_scored_teams(text, ner_spans, self._landscape | self._names.not_surnames)
            ner_spans = drop_org_places(text, ner_spans, self._org_of, self._org_after)
        for s in without_post_nominals(text, ner_spans, self._post_nominals) if self._post_nominals else ner_spans:
            score = ner_base.get(s.entity, s.score)
            found.append(Detection(s.entity, s.start, s.end, score, text[s.start:s.end], _span_source(s.why),
                                   f"{s.why}, cleaned -> {score}" if explain else ""))
        found = [d for d in found if d.score >= self.taxonomy.threshold(d.entity)]
        return resolve_overlaps(merge_locations(text, found, self._world.tier)) if len(found) > 1 else found

    @property
    def min_counts(self) -> Mapping[str, int]:
        """Per entity, the fewest detections an object needs before the entity counts (from the taxonomy)."""
        return self.taxonomy.min_counts

    def name_candidates(self, text: str) -> set[str]:
        """Runs of capitalised words in ``text`` that could be names (for the subject index, not counted)."""
        return self._names.candidates(text)

    def probable_names(self, text: str) -> set[str]:
        """Of the name candidates, those whose first word is no English word (a listed given name may be one):
        "Cornelius Ashdown", "Leopold Fairbanks", not "Annual Report". For short texts where NER would cost more
        than it tells (object and column names, scanner.object_names), where a name left out would be shown."""
        return {c for c in self._names.candidates(text) if not self._common_word(c.split()[0].lower())}

    # -- special categories and children ------------------------------------------------------------------
    def special_categories(self, text: str, skip: Iterable[str] = ()) -> list[CategoryHit]:
        """Special-category and criminal-offence terms in ``text`` (negated/generic ones marked)."""
        return self._special.find(text, skip)

    def special_hits(self, text: str, done: Callable[[str], bool]) -> Iterator[CategoryHit]:
        """special_categories(), lazily, skipping categories as soon as ``done`` says so."""
        return self._special.iter_find(text, done)

    def child_signals(self, text: str, detections: Iterable[Detection] = ()) -> list[ChildSignal]:
        """Under-18 dates of birth and ages, and school years, in ``text``."""
        detections = list(detections)
        dobs = [(d.start, d.end, d.text) for d in detections if d.entity == "DATE_OF_BIRTH"]
        persons = [(d.start, d.end) for d in detections if d.entity == "PERSON"]
        return self._children.find(text, dobs, persons=persons)

    def child_dob(self, date_of_birth: str) -> bool:
        """Whether a date of birth (a table cell) is a child's: under 18 at scan time."""
        return self._children.child_age(date_of_birth) is not None

    def column_category(self, header: str) -> str | None:
        """The special category a column header names (e.g. "ethnicity"), if any."""
        return self._special.column_category(header)

    # -- tables ------------------------------------------------------------------------------------------
    def classify_column(self, name: str, values: Sequence[str]) -> ColumnResult:
        """The entity a column holds, from a sample of its values with the header as context.

        Cost depends on the sample, not the table: patterns on every sampled value, NER on at most
        COLUMN_NER_SAMPLE values and only for a text column whose header names no entity."""
        sample = [(i, v.strip()) for i, v in enumerate(values) if v and v.strip()]
        if not sample:
            return ColumnResult(None, 0.0, 0, 0)
        header_entity = self.taxonomy.column_entity(name)
        per_value: dict[int, list[Detection]] = {}
        # NOTE: phonenumbers is the slowest matcher; a column whose first values hold no phone number is
        # not a phone column (it needs a 30% share), so stop asking unless the header says phone.
        phones, phone_seen = True, False
        values = [value[:CHUNK_CHARS] for _, value in sample]
        # Every 4th value first, spread over the sample (a file's first rows are often sorted or grouped);
        # the probe is scanned in one pass, the rest of the sample in another only if the probe did not decide
        order = list(range(0, len(sample), 4)) + [k for k in range(len(sample)) if k % 4]
        # Scanned in parts, each in one pass per matcher: the phone probe, the rest of the uniform probe, and
        # the rest of the sample only if the probe did not decide.
        n = 0
        for part in (order[:PHONE_PROBE_VALUES], order[PHONE_PROBE_VALUES:UNIFORM_PROBE_VALUES],
                     order[UNIFORM_PROBE_VALUES:]):
            texts = [values[k] for k in part]
            pattern_hits = self._patterns.candidates_many(texts, name)
            phone_hits = self._phones.candidates_many(texts, name) if phones else [()] * len(texts)
            for k, cands, dialled in zip(part, pattern_hits, phone_hits, strict=True):
                n += 1
                dets = self._combine(values[k], [], name, False, with_names=False, candidates=cands,
                                     phone_hits=dialled) if cands or dialled else []
                if dets:
                    per_value[sample[k][0]] = dets
                    phone_seen = phone_seen or any(d.entity == "PHONE_NUMBER" for d in dets)
            if n == PHONE_PROBE_VALUES and not phone_seen and header_entity != "PHONE_NUMBER":
                phones = False
            # NOTE: when 32 values spread over the sample all hold one entity, the column is decided: its
            # share is then 100% of the probe instead of (nearly) 100% of the sample. The subject index
            # still hashes every value of an identifier column. Dates of birth keep the whole sample: each
            # one is checked for a child's age.
            if n == UNIFORM_PROBE_VALUES and len(per_value) == n and set.intersection(
                    *({d.entity for d in dets} for dets in per_value.values())) - {"DATE_OF_BIRTH"}:
                sample = [sample[k] for k in sorted(order[:n])]
                break
        if header_entity in ("PERSON", "LOCATION"):
            shaped = name_shaped if header_entity == "PERSON" else _PLACE_VALUE.fullmatch
            for i, value in sample:
                if i not in per_value and shaped(value) and any(ch.isalpha() for ch in value):
                    per_value[i] = [Detection(header_entity, 0, len(value), 0.85, value, "column header",
                                              f"header {name!r} names {header_entity}")]
        elif header_entity is None and not per_value:
            self._ner_column(sample, per_value)
        counts: dict[str, int] = {}
        best: dict[str, float] = {}
        hits: list[tuple[int, Detection]] = []
        for i, dets in sorted(per_value.items()):
            seen = set()
            for d in dets:
                if d.entity in seen:
                    continue
                seen.add(d.entity)
                hits.append((i, d))
                counts[d.entity] = counts.get(d.entity, 0) + 1
                best[d.entity] = max(best.get(d.entity, 0.0), d.score)
        if not counts:
            return ColumnResult(None, 0.0, 0, len(sample))
        entity = max(sorted(counts), key=lambda e: (counts[e] + (len(sample) if e == header_entity else 0),
                                                    best[e]))
        share = counts[entity] / len(sample)
        if share < 0.3:
            return ColumnResult(None, 0.0, counts[entity], len(sample))
        return ColumnResult(entity, round(min(best[entity], 1.0) * share, 4), counts[entity], len(sample),
                            tuple((i, d) for i, d in hits if d.entity == entity))

    def _ner_column(self, sample: list[tuple[int, str]], per_value: dict[int, list[Detection]]) -> None:
        texty = [(i, v) for i, v in sample if name_shaped(v)]
        if len(texty) < 0.5 * len(sample):
            return
        texty = texty[:COLUMN_NER_SAMPLE]
        spans = self._ner.spans_many([v for _, v in texty])
        for (i, value), found in zip(texty, spans, strict=True):
            whole = [s for s in found if s.end - s.start >= 0.6 * len(value) and s.entity != ORGANISATION]
            if whole:
                s = whole[0]
                per_value[i] = [Detection(s.entity, s.start, s.end, s.score, value[s.start:s.end],
                                          "SpacyRecognizer", s.why)]


_TRAILING_WORD = re.compile(r"[,;]?[ \t]+([^\W\d_][\w.]*)[.,]?$")


def without_post_nominals(text: str, spans: list[Span], post_nominals: frozenset[str]) -> list[Span]:
    """``spans`` with the letters after a PERSON's name cut off ("A. Henderson MBChB MRCGP" → "A. Henderson"):
    a word of ``post_nominals`` written with a capital after its first letter ("MRCGP", "PhD", not "Ma")."""
    out = []
    for s in spans:
        end = s.end
        while s.entity == "PERSON":
            m = _TRAILING_WORD.search(text, s.start, end)
            if m is None or m.group(1).replace(".", "").lower() not in post_nominals or not any(
                    c.isupper() for c in m.group(1)[1:]):
                break
            end = m.start()
        if end == s.end:
            out.append(s)
        elif end > s.start:
            out.append(replace(s, end=end))
    return out


def drop_organisation_names(text: str, spans: list[Span], guesses: Sequence[Span] = ()) -> tuple[list[Span], list[Span]]:
    """NER's PERSON or LOCATION whose words NER labels an organisation (ORGANISATION spans: its ORG or PRODUCT)
    at least as often in the same text is neither ("Microsoft said ... Microsoft announced", "the Sea Org"):
    one text uses one name one way, and NER, reading a few words either side, is wrong where the votes go against
    it. Never a word of a longer PERSON in the text ("Donald Trump ... the Trump administration"). The
    ORGANISATION spans themselves are dropped: pii-scan reports no organisations. ``guesses``: the rules' speakers
    beside a speech verb, returned without the ones NER labels an ORG (not a PRODUCT) more often than NER and the
    rules read them as a name ("Microsoft said" where NER read "Microsoft" as an ORG six times; not "Erasmus
    asked", an ORG once and a PRODUCT twice)."""
    if not any(s.entity == ORGANISATION for s in spans):
        return spans, list(guesses)
    votes: dict[str, list[int]] = {}            # lower-case value -> [as a person or place, as an organisation]
    bodies: dict[str, int] = {}                 # lower-case value -> how often NER labels it ORG (not PRODUCT)
    person_words: set[str] = set()
    for s in spans:
        value = text[s.start:s.end].lower()
        if s.why.startswith("spaCy"):
            votes.setdefault(value, [0, 0])[s.entity == ORGANISATION] += 1
            if s.why == "spaCy NER ORG":
                bodies[value] = bodies.get(value, 0) + 1
        if s.entity == "PERSON" and " " in value:
            person_words.update(value.split())
    spoken: dict[str, int] = {}                 # lower-case value -> how often the rules read it as a speaker
    for s in guesses:
        if s.why.endswith(SPEAKER):
            value = text[s.start:s.end].lower()
            spoken[value] = spoken.get(value, 0) + 1

    def organisation(s: Span) -> bool:
        if not s.why.startswith("spaCy"):
            return False
        value = text[s.start:s.end].lower()
        named, organised = votes.get(value, (0, 0))
        return organised >= named and value not in person_words

    def organised(s: Span) -> bool:             # each speaker is a vote for a name too
        if not s.why.endswith(SPEAKER):
            return False
        value = text[s.start:s.end].lower()
        return bodies.get(value, 0) > votes.get(value, [0, 0])[0] + spoken[value] and value not in person_words

    return ([s for s in spans if s.entity != ORGANISATION and not organisation(s)],
            [s for s in guesses if not organised(s)])


def relabel_places(text: str, spans: list[Span], world: WorldGazetteer, given: frozenset[str],
                   place_words: frozenset[str] = frozenset(), place_prefixes: frozenset[str] = frozenset()) -> list[Span]:
    """NER's PERSON and LOCATION checked against the world gazetteer and the persons named in the same text.

    NER's PERSON that is a whole country or region name (or a town, after "in" ...) becomes a LOCATION
    ("Tuscany", "Dakar"), unless it is a word of a longer PERSON in the same text ("Jordan Peterson ...
    Jordan", "Charles Fillmore ... Fillmore"). NER's LOCATION that is a word of a longer PERSON in the same text
    becomes a PERSON ("Matt Holt ... Holt went 4-for-4"), unless it is a known place after "in", "to" ...
    ("Jordan Peterson ... flew to Jordan"), or a country, region or big city that is not also a given name
    (NER's "Old Athens" as a person does not make "Athens" one). NER's LOCATION of several words that ends in
    the surname of a longer PERSON in the same text, and is no place the gazetteer knows, is a PERSON too: a
    relative or namesake ("Amelia Okafor ... Priya Okafor"; "Fort Worth" stays a place), unless that last word
    is itself a known place or a word the text also writes in lower case ("Grand Hotel", "Penn State").
    The speech-verb rule's "speaker" is a place too when the gazetteer knows it ("Australia says"), and NER's
    PERSON of several words ending in one of ``place_words`` (landscape words) or starting with one of
    ``place_prefixes`` is a place ("Sheephaven Bay", "Stewart Island", "County Durham")."""
    person_words: set[str] = set()
    first_names: set[str] = set()
    surnames: set[str] = set()
    for s in spans:
        if s.entity == "PERSON":
            words = [w.strip(".,'’").lower() for w in text[s.start:s.end].split()]
            if len(words) > 1 and words[-1] not in place_words and words[0] not in place_prefixes:
                person_words.update(words)
                first_names.add(words[0])
                surnames.add(words[-1])
    places = _places_by_usage(text, spans, given)
    places_at = ({o.start for o in spans if o.entity == "LOCATION"}, {o.end for o in spans if o.entity == "LOCATION"})
    out = []
    for s in spans:
        value = text[s.start:s.end]
        key = value.lower()
        guessed = s.why.startswith("spaCy") or s.why.endswith(SPEAKER)
        tier = world.tier(value) if s.entity == "PERSON" and guessed else 0
        if tier and not (key in given and key in first_names) and key not in person_words and (
                tier >= REGION or world.town_context(text, s.start, s.end)):
            s = Span("LOCATION", s.start, s.end, s.score, f"{s.why}, a place in the world gazetteer")
        elif s.entity == "PERSON" and s.why == _AFTER_LABEL and " " not in value \
                and world.is_region(value) and key not in given and _GREETED.search(text, max(0, s.start - 20), s.start) \
                and not text.startswith(",", s.end):        # "Hi Sydney, ..." opens a letter to someone
            s = Span("LOCATION", s.start, s.end, s.score, f"{s.why}, a city or country greeted")
        elif s.entity == "PERSON" and s.why.startswith("spaCy") and " " in value and (
                key.rsplit(None, 1)[-1] in place_words or key.split(None, 1)[0].rstrip(".") in place_prefixes):
            s = Span("LOCATION", s.start, s.end, s.score, f"{s.why}, a place's first or last word")
        elif s.entity == "PERSON" and s.why.startswith("spaCy") and " " not in value and key not in given \
                and key not in person_words and _TRAVEL_TO.search(text, max(0, s.start - 30), s.start) \
                and not _POSSESSIVE_NEXT.match(text, s.end):                # "gone to Denny's": a shop's
            s = Span("LOCATION", s.start, s.end, s.score, f"{s.why}, where someone travels")
        elif s.entity == "PERSON" and s.why.startswith("spaCy") and key in places and key not in person_words:
            s = Span("LOCATION", s.start, s.end, s.score, f"{s.why}, used as a place in this text")
        elif s.entity == "LOCATION" and s.why.startswith("spaCy") and key in person_words \
                and not (world.tier(value) and world.town_context(text, s.start, s.end)) \
                and not (world.is_region(value) and key not in given):
            s = Span("PERSON", s.start, s.end, s.score, f"{s.why}, a word of a person's name in this text")
        elif s.entity == "LOCATION" and s.why.startswith("spaCy") and key in given and " " not in key \
                and not world.tier(value) and not s.why.endswith(("FAC", "LOC")) \
                and not _written_as_a_place(text, s, places_at, world):
            s = Span("PERSON", s.start, s.end, s.score, f"{s.why}, a given name and no place the gazetteer knows")
        elif s.entity == "LOCATION" and s.why.startswith("spaCy") and _ends_in_surname(value, surnames) \
                and not world.tier(value) and not world.tier(value.split()[-1]) \
                and not world.town_context(text, s.start, s.end) and value.split()[-1].lower() not in lower_words(text):
            s = Span("PERSON", s.start, s.end, s.score, f"{s.why}, ends in the surname of a person in this text")
        out.append(s)
    return out


# "heading to", "flew to", "returns to", "moving to", "on my way to": travel before a place (not "talked to")
_TRAVEL_TO = re.compile(r"(?i)\b(?:go|goes|going|gone|went|head|heads|heading|headed|off|fly|flies|flying|flew|"
                        r"travel(?:s|l?ing|l?ed)?|move[sd]?|moving|return(?:s|ing|ed)?|drive|driving|drove|"
                        r"way|trip|arriv(?:e[sd]?|ing)|holiday(?:s|ing)?|emigrat(?:e[sd]?|ing))[ \t]+to[ \t]+$")
_POSSESSIVE_NEXT = re.compile(r"[ \t]?['’]s?\b")
# "Hello Melbourne", "Hi London!": a greeting, as a performer greets a city
_GREETED = re.compile(r"(?i)\b(?:hello|hi|hey)[ \t]+$")
# "the Confederacy", "The Alhambra": a name written after the definite article
_THE_BEFORE = re.compile(r"(?<![\w'’\-])[Tt]he[ \t]+$")


# "in Eugene", "at Shirley": a place preposition right before a word (not "from" or "to": "away from Cara")
_IN_BEFORE = re.compile(r"\b(?:in|at|near|around|outside|across|into|inside)[ \t]+$", re.IGNORECASE)
_LIST_GAP_AFTER = re.compile(r"[ \t]*(?:,[ \t]*and|,|and|&)[ \t]*")
_LIST_GAP_BEFORE = re.compile(r"[ \t]*(?:,[ \t]*and|,|and|&)[ \t]*$")


def _written_as_a_place(text: str, s: Span, places_at: tuple[set[int], set[int]], world: WorldGazetteer) -> bool:
    """Whether a word NER took for a place is written as one: right after "in", "at" ..., before a comma and
    a region or country ("Eugene, Oregon"), or in a list of places ("New South Wales, Victoria, South
    Australia"; ``places_at``: where the text's places start, and where they end)."""
    if _IN_BEFORE.search(text, max(0, s.start - 12), s.start):
        return True
    if world.before_region(text, s.end):
        return True
    starts, ends = places_at
    before = _LIST_GAP_BEFORE.search(text, max(0, s.start - 12), s.start)
    after = _LIST_GAP_AFTER.match(text, s.end)
    return (before is not None and before.start() in ends) or (after is not None and after.end() in starts)


def drop_articled_persons(text: str, spans: list[Span]) -> list[Span]:
    """NER's PERSON written right after "the" is no person's name: English writes a person without the
    article ("the Confederacy", "the Alhambra", "the Stardust capsule" are a state, a building, a thing).
    A plural family name stays ("the Kennedys": a group of people)."""
    out = []
    for s in spans:
        if s.entity == "PERSON" and s.why.startswith("spaCy") and _THE_BEFORE.search(text, max(0, s.start - 5), s.start) \
                and not re.search(r"[a-z]s$", text[s.start:s.end]):
            continue
        out.append(s)
    return out


_POSSESSIVE_LOWER = re.compile(r"['’]s[ \t]+[a-z]")
_PLACE_PREPOSITION_BEFORE = re.compile(r"\b(?:in|at|from|to|near|of)[ \t]+$")


def possessive_persons(text: str, spans: list[Span], tier: Callable[[str], int]) -> list[Span]:
    """NER's one-word place that the world gazetteer knows as no country or region (a town at most) is a person
    where a possessive and a common noun follow it, not after a place preposition: "In Tyler's mind", "Newton's
    concept of gravity" (towns have a mind or concept less often than people; "France's interior" stays)."""
    out = []
    for s in spans:
        if s.entity == "LOCATION" and s.why.startswith("spaCy NER") and "," not in s.why \
                and _POSSESSIVE_LOWER.match(text, s.end) and " " not in text[s.start:s.end] \
                and tier(text[s.start:s.end]) < REGION \
                and not _PLACE_PREPOSITION_BEFORE.search(text, max(0, s.start - 8), s.start):
            s = Span("PERSON", s.start, s.end, s.score, f"{s.why}, a possessive's owner no region or country")
        out.append(s)
    return out


_WORD_BEFORE_SPAN = re.compile(r"([A-Z][\w'’\-]*\.?)[ \t]+$")
_FIRST_WORD = re.compile(r"[^\W\d_]+")


def drop_place_heads(text: str, spans: list[Span], knows: Callable[[str], bool]) -> list[Span]:
    """A PERSON whose first word ends a place's name with the word before it is no person: "San Francisco
    Bulletin", "St. Louis Cardinals", "San Diego Comic-Con" (the gazetteer knows "San Francisco"), where the
    given name and the word after it look like a given name and a surname. Not a name after a title, label or
    other cue that the rules read as one ("Mr Louis Smith")."""
    out = []
    for s in spans:
        if s.entity == "PERSON" and not s.why.startswith("name after"):
            before = _WORD_BEFORE_SPAN.search(text, max(0, s.start - 12), s.start)
            first = _FIRST_WORD.match(text, s.start)
            if before is not None and first is not None and knows(f"{before.group(1)} {first.group()}"):
                continue
        out.append(s)
    return out


def _capitalised(phrases: Iterable[str]) -> list[str]:
    """Regexes for ``phrases`` written capitalised ("prime minister" → "Prime Minister"), longest first."""
    written = sorted({" ".join("-".join(part[:1].upper() + part[1:] for part in w.split("-")) for w in str(p).split())
                      for p in phrases}, key=len, reverse=True)
    return [re.escape(t).replace(r"\ ", r"[ \t]+") for t in written]


def _capitalised_alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of ``phrases`` written capitalised, longest first."""
    return "|".join(_capitalised(phrases))


_OFFICE_WHY = "an office and its place: the one person who holds it"
_ADDRESSED_WHY = "an office addressed as Madam or Mr: the one person who holds it"


@dataclass(frozen=True)
class Offices:
    """An office and the place it is held in, written capitalised, is the one person who holds it: "the
    Governor of Virginia", "Mayor of Baltimore", "the Duke and Duchess of Cambridge", "the Senator from Alaska"
    (configs/lexicons/ner.yaml office_titles); so is an office addressed as "Madam" or "Mr" ("Madam Speaker",
    addressed_offices). Such a phrase is a PERSON, and a place or name NER found inside it is not found on its
    own."""

    pattern: re.Pattern[str] | None
    addressed: re.Pattern[str] | None       # "Madam Speaker", "Mr. President"
    given: frozenset[str]

    @classmethod
    def of(cls, titles: Iterable[str], addressed: Iterable[str], given: frozenset[str]) -> Offices:
        titles = list(titles)
        written = _capitalised(titles)
        if not written:
            return cls(None, None, given)
        office = f"(?:{'|'.join(written)})"
        spoken_to = _capitalised_alternation([*titles, *addressed])
        # NOTE: each alternative starts with its letter, the look-behind after it (trie.words_start): re skips to
        # those letters instead of trying every position
        first = words_start([*(rf"{deputy}[ \t\-]{office}" for deputy in ("Vice", "Deputy", "Lieutenant")), *written],
                            WORD_CHAR)
        return cls(re.compile(rf"{first}"
                              rf"(?:[ \t]+(?:and|&)[ \t]+{office})?[ \t]+(?:of|for|from)[ \t]+(?:the[ \t]+)?"
                              rf"({CAPITALISED_WORD}(?:[ \t]+(?:(?:of[ \t]+the|of|and|de|du|del|la)[ \t]+)?{CAPITALISED_WORD}){{0,5}})"),
                   re.compile(words_start(["Madam", "Madame", "Mister", r"Mr\.?"], WORD_CHAR)
                              + rf"[ \t]+(?:{spoken_to})(?!{WORD_CHAR})"), given)

    def holders(self, text: str, spans: list[Span], is_place: Callable[[str], bool] | None = None) -> list[Span]:
        """``spans`` with each office phrase of ``text`` as a PERSON, and without the spans inside it. The
        place ends before a listed given name ("President of the United States Donald Trump") and a
        possessive. With ``is_place`` (the world gazetteer), the place must be one it knows or hold a LOCATION
        of ``spans``: an office of a body ("the President of the Chamber", "Registrar of the Court") is a
        post, not a person's name."""
        if self.pattern is None:
            return spans
        places = SpanIndex((s.start, s.end) for s in spans if s.entity == "LOCATION")
        offices: list[Span] = []
        for m in self.pattern.finditer(text):
            end = m.start(1)
            for w in re.finditer(r"\S+", m.group(1)):
                word = w.group()
                if w.start() > 0 and word.lower() in self.given:
                    break
                end = m.start(1) + w.end()
                if word.endswith(("'s", "’s")):
                    end -= 2
                    break
            if is_place is not None and not is_place(text[m.start(1):end]) and not places.overlaps(m.start(1), end):
                continue
            offices.append(Span("PERSON", m.start(), end, 0.85, _OFFICE_WHY))
        if self.addressed is not None:
            offices.extend(Span("PERSON", m.start(), m.end(), 0.85, _ADDRESSED_WHY) for m in self.addressed.finditer(text))
        if not offices:
            return spans
        inside = SpanIndex((o.start, o.end) for o in offices)
        return [s for s in spans if not inside.covers(s.start, s.end)] + offices


def drop_common_nouns(text: str, spans: list[Span], given: frozenset[str], titles: frozenset[str] = frozenset(),
                      is_place: Callable[[str], bool] | None = None) -> list[Span]:
    """NER's one-word PERSON that the same text also writes in lower case is a common noun capitalised by a
    heading, a title or a brand ("Iodine" beside "iodine deficiency", "Chrome" beside "chrome finish"), not a
    name: dropped. Not a listed given name ("Hope", "Rose"), a word of a longer PERSON in the text ("Amy
    Baker ... Baker said"), nor a name right after a title ("Mr Baker" beside "the baker's"). With ``is_place``
    (the world gazetteer), NER's one-word LOCATION the text writes in lower case goes too unless a place the
    gazetteer knows ("a Ph.D. in Linguistics" beside "linguistics"; not "Reading" beside "reading")."""
    if not any(s.why.startswith("spaCy") and s.end - s.start > 1 and " " not in text[s.start:s.end] for s in spans):
        return spans
    person_words = {w.lower() for s in spans if s.entity == "PERSON" for w in text[s.start:s.end].split()[1:]}
    out = []
    for s in spans:
        value = text[s.start:s.end]
        key = value.lower()
        if s.why.startswith("spaCy") and s.entity == "PERSON" and " " not in value and key not in given \
                and key not in person_words and key in lower_words(text):
            if word_before(text, s.start).rstrip(".") not in titles:
                continue
        if is_place is not None and s.why.startswith("spaCy") and s.entity == "LOCATION" and " " not in value \
                and key in lower_words(text) and not is_place(value):
            continue
        out.append(s)
    return out


@dataclass(frozen=True)
class Things:
    """Names a text marks as things by a kind word beside them (configs/lexicons/ner.yaml thing_words_after,
    thing_words_before): languages, software and brands, species and genera, storms and operations."""

    after: re.Pattern[str] | None           # <name> <kind word>: "Eegimaa speakers", "Formica fusca" is not here
    before: re.Pattern[str] | None          # <kind word> <name>: "Cyclone Phailin"

    @classmethod
    def of(cls, after: Iterable[str], before: Iterable[str]) -> Things:
        name = r"[^\W\d_a-z][\w'’\-]*(?:[ \t]+[^\W\d_a-z][\w'’\-]*){0,2}"
        return cls(re.compile(rf"(?<![\w'’\-])({name})[ \t]+(?i:{phrase_alternation(after)})(?![\w'’\-])") if after else None,
                   re.compile(rf"(?<![\w'’\-])(?i:{phrase_alternation(before)})[ \t]+({name})(?![\w'’\-])") if before else None)

    def names(self, text: str, dictionary: frozenset[str] = frozenset(), given: frozenset[str] = frozenset()) -> set[str]:
        """The names ``text`` writes beside a kind word, and (with ``dictionary``, English words) the genus of a
        species' Latin name: a capitalised word, not a listed given name (``given``: "Frankie cocozza" in a tweet),
        before a lower-case epithet that is no English or function word and ends as Latin ones do ("Formica
        fusca", "Beauveria bassiana")."""
        out: set[str] = set()
        for regex in (self.after, self.before):
            if regex is not None:
                for m in regex.finditer(text):
                    words = m.group(1).split()
                    out.update(" ".join(words[i:]) for i in range(len(words)))    # "the Jóola" -> "Jóola"
        if dictionary:
            for m in _BINOMIAL.finditer(text):
                if m.group(2) not in dictionary and m.group(2) not in _NOT_EPITHETS \
                        and m.group(1).lower() not in given:
                    out.update((m.group(1), m.group()))
        return out


_SURNAME_AFTER = re.compile(r"[ \t]+[^\W\d_a-z]")      # a capitalised word next: the rest of a name
# A name that is the whole of a quotation: a work's title ("Air's 'Sonic Armada'", "' Downton Abbey '")
_QUOTED_NAME = re.compile(r"(?<![\w'’])(?:'|‘|\"|“)[ \t]?([^\W\d_a-z][\w'’\-]*(?:[ \t]+[^\W\d_a-z][\w'’\-]*){0,3}?)"
                          r"[ \t]?(?:'|’|\"|”)(?![\w'’])")
_NOT_EPITHETS = frozenset(STOP_WORDS) | {"versus", "circa", "via", "ibid", "etc", "per", "vs"}
# A genus and a species epithet: "Formica fusca", "Beauveria bassiana", "Homo sapiens"
_BINOMIAL = re.compile("(" + word_start("[A-Z]", WORD_CHAR) + r"[a-z]{2,})[ \t]([a-z]{3,}(?:us|um|a|ae|is|ii|i|ensis|oides|ata|atus|ina|ana))"
                       r"(?![\w'’\-])")


def drop_things(text: str, spans: list[Span], things: Things, dictionary: frozenset[str] = frozenset(),
                given: frozenset[str] = frozenset(), named: set[str] | None = None) -> list[Span]:
    """NER's PERSON or LOCATION whose value the text writes beside a kind word of a thing ("the Jóola languages",
    "Cyclone Phailin") is no person or place anywhere in the text: dropped; so is one that is the whole of a
    quotation, there only (quoted_titles). ``named``: things.names(text, ...) when the caller has it."""
    if not any(s.why.startswith("spaCy") and s.entity in ("PERSON", "LOCATION") for s in spans):
        return spans
    if named is None:
        named = things.names(text, dictionary, given)
    titles = quoted_titles(text, given)
    if not named and not titles:
        return spans
    return [s for s in spans if not (s.why.startswith("spaCy") and s.entity in ("PERSON", "LOCATION")
                                     and (text[s.start:s.end] in named or (s.start, s.end) in titles))]


# The capitalised words that end the title of an identifier's label ("Unique Pupil Number", "Unique Taxpayer
# Reference", "Staff ID"), then its value ("... Number A1234", "... No: 5512"), not a headline's words ("Jerry
# Maguire Shows No More Money")
_LABEL_TAIL = re.compile(r"(?:[ \t]+[A-Z][a-z]+){0,2}[ \t]+(?:Number|No|Nr|ID|Identifier|Reference|Ref|Code)"
                         r"(?![\w'’\-])\.?[ \t]*[:#]?[ \t]*[A-Za-z]{0,4}[ \-]?\d")


def drop_label_names(text: str, spans: list[Span]) -> list[Span]:
    """NER's PERSON that begins the title of an identifier's label before its value ("Unique Pupil Number
    A123...", "Unique Learner Number 1234567890") names no one: dropped there. The label's words are capitalised
    and directly after the name ("Sarah Morgan, Number 4" and "Sarah's number 2" keep their person)."""
    return [s for s in spans if not (s.entity == "PERSON" and s.why.startswith("spaCy")
                                     and _LABEL_TAIL.match(text, s.end))]


def quoted_titles(text: str, given: frozenset[str] = frozenset()) -> set[tuple[int, int]]:
    """Where a name is the whole of a quotation: a title ("Air's new single 'Sonic Armada'", "' Downton Abbey '
    stays strong"), not a listed given name nor a nickname inside a name ("'Whitey' Bulger", 'Julia "Butterfly"
    Hill'). That mention only: the same words elsewhere may still name someone ('known as "Hank" ... Hank said')."""
    if not any(q in text for q in ("'", "‘", '"', "“")):
        return set()
    return {m.span(1) for m in _QUOTED_NAME.finditer(text)
            if m.group(1).lower() not in given and not _SURNAME_AFTER.match(text, m.end())}


def drop_teams(text: str, spans: list[Span], world: WorldGazetteer, place_words: frozenset[str]) -> list[Span]:
    """NER's place of a town's name followed by a capitalised plural ("Pittsburgh Pirates", "New York Mets",
    "Leeds Rhinos") is a team, not a place: dropped, unless the whole is a place the gazetteer knows or the plural
    is one of ``place_words`` (landscape, street and building words: "Blue Mountains", "City Garden Apts")."""
    out = []
    for s in spans:
        if s.entity == "LOCATION" and s.why.startswith("spaCy") and _team(text[s.start:s.end], world, place_words):
            continue
        out.append(s)
    return out


def _team(value: str, world: WorldGazetteer, place_words: frozenset[str]) -> bool:
    words = value.split()
    if len(words) < 2 or not words[-1].endswith("s") or words[-1].endswith("ss") or world.tier(value) \
            or words[-1].lower() in place_words:
        return False
    for n in (2, 1):
        rest = words[n:]
        if rest and world.tier(" ".join(words[:n])) and all(w[:1].isupper() for w in rest):
            return True
    return False


# A match's score: "3 – 0", "60-54" (not a range of years, a date, a time or a page: those have more digits, or a
# digit, a slash or a colon after), and the side written right before or after it: "Belgium 3 – 0 Panama", "Sweden
# defeated South Korea 1 – 0", "Connecticut tops Kentucky 60-54"
_SCORE = re.compile(r"(?<![\w.,:/\-])\d{1,3}[ \t]*[–—\-][ \t]*\d{1,3}(?![\w.,:/\-]?\d)")
_SIDE = rf"{CAPITALISED_WORD}(?:[ \t]+{CAPITALISED_WORD}){{0,2}}"
_SIDE_BEFORE = re.compile(rf"({_SIDE})[ \t]+$")
_SIDE_AFTER = re.compile(rf"[ \t]+({_SIDE})")
# "Liverpool v Man Utd", "#ManCity vs #Liverpool": two sides of a match (the sides' words as for a score)
_VERSUS = re.compile(rf"(?<=[\w.][ \t]){VERSUS}(?=[ \t]+#?[^\W\d_a-z])")
# a club's people after its name: "Liverpool fans", "Doncaster striker Billy Sharp"
_TEAM_WORD = re.compile(r"(?<=\w[ \t])(?:fans|supporters|striker|midfielder|defender|goalkeeper|keeper|winger|"
                        r"manager|boss|squad|captain)\b")


def drop_scored_teams(text: str, spans: list[Span], place_words: frozenset[str] = frozenset()) -> list[Span]:
    """``spans`` without the LOCATION of a place's name the text writes beside a match's score or "v", or before a
    club's people ("Liverpool fans", "Doncaster striker"): that name is a team wherever the text writes it
    ("Sweden 1 – 0 Korea Republic ... the referee awarded Sweden a penalty"), not where anyone is. Not a name
    ending in one of ``place_words`` (street, landscape and building words: "Units 1-3 Hanover Street" is an
    address)."""
    if not any(s.entity == "LOCATION" for s in spans):
        return spans                    # nothing to drop: the text's scores and "v"s need not be read
    teams: set[str] = set()
    for m in itertools.chain(_SCORE.finditer(text), _VERSUS.finditer(text), _TEAM_WORD.finditer(text)):
        before = _SIDE_BEFORE.search(text, max(0, m.start() - 80), m.start())
        after = _SIDE_AFTER.match(text, m.end()) if m.re is not _TEAM_WORD else None     # a club's people: before only
        teams.update(side.group(1) for side in (before, after)
                     if side is not None and side.group(1).split()[-1].lower() not in place_words)
    if not teams:
        return spans
    return [s for s in spans if not (s.entity == "LOCATION" and text[s.start:s.end] in teams)]


def not_names(things: set[str], places: Callable[[str], bool]) -> Callable[[str], bool]:
    """A word of a person's name not to be sought again as that person: one the text writes beside a kind word
    of a thing ("Eegimaa is a Jóola language": "Jóola Fogny" does not make every "Jóola" a person), or one
    ``places`` (place_words) rejects."""
    return lambda word: word in things or places(word)


def org_of_pattern(org_words: Iterable[str]) -> re.Pattern[str]:
    """An organisation word written capitalised, then "of" ("University of", "Municipality of the")."""
    return re.compile(words_start(_capitalised(org_words), WORD_CHAR) + r"[ \t]+of[ \t]+(?:the[ \t]+)?")


def org_after_pattern(org_words: Iterable[str]) -> re.Pattern[str]:
    """Spaces, then an organisation word written capitalised, matched right after a name ("Exeter School")."""
    return re.compile(rf"[ \t]+(?:{_capitalised_alternation(org_words)})(?!{WORD_CHAR})")


def drop_org_places(text: str, spans: list[Span], org_of: re.Pattern[str],
                    org_after: re.Pattern[str] | None = None) -> list[Span]:
    """``spans`` without a LOCATION right after an organisation word and "of" (``org_of``), or right before a
    capitalised organisation word (``org_after``): the place is part of the organisation's name ("the University
    of Sheffield", "Council of Europe", "Exeter School"), not where anyone is."""
    starts = {m.end() for m in org_of.finditer(text)}
    return [s for s in spans if not (s.entity == "LOCATION" and (
        s.start in starts or (org_after is not None and org_after.match(text, s.end))))]


def place_words(text: str, world: WorldGazetteer) -> Callable[[str], bool]:
    """Which words of a person's name are not to be sought again as the same person: a country (or US state,
    continent), always ("Jordan Peterson ... Jordan"); a region or big city only where this text also writes
    it after "in", "from" ... ("Michael Ruse ... Ruse argues" is the philosopher; "Kent Walsh ... lives in Kent"
    is the county)."""
    def check(word: str) -> bool:
        tier = world.tier(word)
        if tier >= COUNTRY:
            return True
        if tier < REGION:
            return False
        pattern = rf"(?<![\w'’\-]){re.escape(word)}(?![\w'’\-])"
        return any(world.town_context(text, m.start(), m.end()) for m in re.finditer(pattern, text))
    return check


def _ends_in_surname(value: str, surnames: set[str]) -> bool:
    words = value.split()
    return 1 < len(words) <= 3 and words[-1].strip(".,'’").lower() in surnames and all(w[:1].isupper() for w in words)


# "in Socotra", "across Mof-Ávvi", "via Al Mukalla": a preposition that puts a place, rarely a person, right after it
_IN_PLACE = re.compile(r"(?<![\w'’\-])(?:in|In|near|Near|around|throughout|across|inside|outside|via)[ \t]+")
_WORD_GOES_ON = re.compile(r"[\w'’\-]")


def _places_by_usage(text: str, spans: Sequence[Span], given: frozenset[str]) -> set[str]:
    """Lower-case values of NER's PERSON spans that this text uses as a place: written right after "in",
    "near", "across" ... somewhere (not before a possessive: "in Smith's"), or labelled a place by NER at
    least as often as a person. Never a listed given name (one word or the first of several)."""
    votes: dict[str, list[int]] = {}
    values: dict[str, str] = {}
    for s in spans:
        if s.why.startswith("spaCy") and s.entity in ("PERSON", "LOCATION"):
            value = text[s.start:s.end]
            votes.setdefault(value.lower(), [0, 0])[s.entity == "LOCATION"] += 1
            values.setdefault(value.lower(), value)
    out = set()
    after: list[int] | None = None          # where a word right after "in", "near" ... would start
    for key, (person, place) in votes.items():
        if not person or key.split()[0] in given:
            continue
        if place < person:
            # NOTE: the preposition matches are found once per text, not one regex per value (compiling one
            # per distinct name was ~4% of prose CPU); the same test as "<preposition> value(?![\w'’\-])"
            if after is None:
                after = [m.end() for m in _IN_PLACE.finditer(text)]
            value = values[key]
            if not any(text.startswith(value, at) and not _WORD_GOES_ON.match(text, at + len(value)) for at in after):
                continue
        out.add(key)
    return out


def world_places(text: str, spans: list[Span], found: Sequence[Detection], world: WorldGazetteer,
                 is_word: Callable[[str], bool] | None = None) -> list[Span]:
    """``spans`` and every stand-alone place name of the world gazetteer that nothing else covers, and that is
    no word of a longer PERSON in the same text ("Michael Ruse ... Ruse argues" is not the town of Ruse)."""
    covered = sorted([(d.start, d.end) for d in found] + [(s.start, s.end) for s in spans])
    person_words: set[str] = set()
    for s in spans:
        words = text[s.start:s.end].split()
        if s.entity == "PERSON" and len(words) > 1:
            person_words.update(w.strip(".,'’").lower() for w in words)
    places = [p for p in world.find(text, covered) if text[p.start:p.end].lower() not in person_words]
    lower = world.find_lower(text, covered + [(p.start, p.end) for p in places], is_word)
    return spans + places + lower


def _span_source(why: str) -> str:
    for prefix, name in (("spaCy", "SpacyRecognizer"), ("name after", "NameRules"), ("another mention", "NameMentions"),
                         ("UK town", "Gazetteer"), ("world gazetteer", "Gazetteer"),
                         ("a place this text", "PlaceMentions"), ("a venue", "PlaceMentions")):
        if why.startswith(prefix):
            return name
    return "NameRules"


_PLACE_NAMES = frozenset({"SpacyRecognizer", "Gazetteer", "PlaceMentions"})     # a place's name, not an address part
_ADDRESSES = frozenset({"StreetAddressRecognizer", "EuropeanAddressRecognizer", "NorthAmericanAddressRecognizer",
                        "UkPostcodeRecognizer", "EircodeRecognizer"})


def merge_locations(text: str, found: list[Detection], tier: Callable[[str], int] | None = None) -> list[Detection]:
    """Adjacent LOCATION pieces on one line ("14 Oak Road", "Leeds", "LS6 2AB") become one LOCATION. Two
    place names side by side only when the second is of a higher tier (``tier``: the world gazetteer's) than
    the first: a town and its region or country ("Truro, Cornwall", also joined by "in": "Leeds in the UK",
    "Groningen, in the Netherlands"), not a list's items ("Sudan, Iran, Libya";
    "Victoria, South Australia and Tasmania", where the second is of a higher tier only by chance). A
    place's name on the line after an address is its next line ("14 Oak Road⏎Leeds", "... 69003 Lyon⏎France");
    two addresses on two lines stay two."""
    locations = sorted((d for d in found if d.entity == "LOCATION"), key=lambda d: (d.start, -d.end))
    if len(locations) < 2:
        return found
    merged: list[Detection] = []
    piece = ""              # the last place name merged into merged[-1]: its tier is the one a next name must exceed
    listed = False          # merged[-1] follows a place name it was not merged with, as a list's next item
    def item(i: int) -> bool:       # locations[i] is a place name a list's next place name follows
        after = locations[i + 1] if i + 1 < len(locations) else None
        return bool(after and tier and locations[i].recognizer in _PLACE_NAMES and after.recognizer in _PLACE_NAMES
                    and after.start >= locations[i].end and _LIST_GAP.fullmatch(text, locations[i].end, after.start)
                    and tier(after.text) <= tier(locations[i].text))

    for i, d in enumerate(locations):
        if merged:
            last = merged[-1]
            gap = text[last.end:d.start] if d.start >= last.end else ""
            names = last.recognizer in _PLACE_NAMES and d.recognizer in _PLACE_NAMES
            next_line = last.recognizer in _ADDRESSES and d.recognizer in _PLACE_NAMES and _LINE_GAP.fullmatch(gap)
            near = d.start - last.end <= 3 and _LOCATION_GAP.fullmatch(gap)
            inside = names and tier is not None and _IN_GAP.fullmatch(gap) is not None and tier(d.text) > tier(piece) \
                and not listed and not item(i)
            if d.start < last.end or next_line or inside or (near and not (
                    names and (listed or item(i) or tier is None or tier(d.text) <= tier(piece)))):
                end = max(last.end, d.end)
                piece = d.text if d.end > last.end else piece
                merged[-1] = Detection("LOCATION", last.start, end, max(last.score, d.score),
                                       text[last.start:end], last.recognizer if last.end - last.start >=
                                       d.end - d.start else d.recognizer,
                                       "; ".join(x for x in (last.explanation, d.explanation) if x))
                continue
            listed = bool(names and _LIST_GAP.fullmatch(gap))
        merged.append(d)
        piece = d.text
    return [d for d in found if d.entity != "LOCATION"] + merged


def resolve_overlaps(found: Iterable[Detection]) -> list[Detection]:
    """Keep the best of overlapping detections: higher score, then longer span; sorted by position."""
    ranked = sorted(found, key=lambda d: (-d.score, -(d.end - d.start), d.start, d.entity))
    taken = DisjointSpans()
    return sorted((d for d in ranked if taken.add(d.start, d.end)), key=lambda d: (d.start, d.end, d.entity))
