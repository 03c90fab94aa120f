"""Places a text names itself: "the town of X", "X is a village ...", and the other mentions of that place
in the same text. (Other mentions of whatever NER calls a place are not added: NER's countries are often
governments or teams, and its unknown places often works or organisations; on GUM dev that cost precision.)
And venues and natural features named by their kind ("Carnegie Hall", "Biddulph Moor"). Lookups over one text
only: no NER; the gazetteer only as a callable telling a place's name."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from detectors.names import MONTHS
from detectors.ner import Span, SpanIndex
from detectors.trie import CAPITALISED_WORD, WORD_CHAR, words_start

PLACE_CUE_SCORE = 0.8             # above the gazetteer (0.7) and a later mention of a name (0.75), below NER
_CAP = CAPITALISED_WORD
_NAME = rf"{_CAP}(?:[ \t]+(?:(?:de|la|le|del|di|da|do|dos|of|on|upon|am|an)[ \t]+)?{_CAP}){{0,2}}"
# Nouns for a settled place. Not "state", "country" or "capital": also modifiers ("a state senator").
_KINDS = (r"(?:town|city|village|hamlet|island|islet|archipelago|atoll|neighbou?rhood|suburb|borough|"
          r"municipality|parish|county|province|district|region|port|harbou?r|valley|peninsula|commune|"
          r"township|oasis)")
# "the town of Ribeira", "the island of Socotra", "the main island of Utu Vava'u", "the province of Ávila"
_OF_PLACE = re.compile(rf"{words_start(['The', 'the', 'A', 'a'], WORD_CHAR)}[ \t]+(?:[a-z\-]+[ \t]+){{0,2}}{_KINDS}s?[ \t]+of[ \t]+({_NAME})")
# "Temescal is a neighbourhood ...", "Neiafu is the main town of ...", "Socotra, an island in ...", "Rockridge, a
# neighbourhood mixed with ..." (a participle after the kind):
# the kind noun ends the phrase (not "a town councillor")
_IS_PLACE = re.compile(rf"(?<![\w'’\-])({_NAME})(?:[ \t]+(?:is|was|remains)|,)[ \t]+(?:a|an|the)[ \t]+"
                       rf"(?:[\w\-]+[ \t]+){{0,3}}?{_KINDS}(?=[ \t]*[,.;:)]|[ \t]+(?:in|of|on|near|north|"
                       rf"south|east|west|that|which|where|with|located|known|famous|and|to|[a-z]+ed)\b)")
# "Socotra Island", "Neiafu Harbour", "Neiafu town": a name before the word for its kind of place (the
# kind in Title case only where a person's name never stands before it; "Stewart Island" is not about a Stewart,
# and a text that has Stewart as a person keeps it one)
_NAMED_KIND = re.compile(rf"(?<![\w'’\-])({_NAME})[ \t]+(?:Islands?|Harbou?r|Province|District|Airport|"
                         rf"town|city|village|island|harbou?r|airport|province|districts?|neighbou?rhoods?)(?![\w'’\-])")
# "born in Risinge", "grew up in Wibsey", "moved to Great Horton", "a native of Kujireray": where someone was born,
# lives or moved, a place the text names (not a month or season: "born in March"; the name stops at a comma)
_LIVED_IN = re.compile(rf"(?<![\w'’\-])(?:born|raised|(?:grew|growing)[ \t]+up|live[sd]?|living|"
                       rf"resid(?:es|ed|ing|ent|ents)|settled|died|mov(?:ed|es|ing)|relocat(?:ed|ing)|emigrated|"
                       rf"immigrated|natives?)[ \t]+"
                       rf"(?:in|to|from|of|at)[ \t]+({_NAME})")
_SENTENCE_START_WORDS = frozenset({"it", "this", "that", "there", "here", "he", "she", "they", "we", "i", "you",
                                   "which", "what", "who", "one", "each", "every", "our", "their", "its", "his",
                                   "her", "my", "your", "the", "a", "an"})
_NOT_A_PLACE_FIRST = MONTHS | _SENTENCE_START_WORDS       # "born in March", "moved to this …"
_BESIDE_CAP = re.compile(r"[ \t]+[^\W\d_a-z]")
_CAP_BEFORE = re.compile(r"[^\W\d_a-z][\w'’\-]*[ \t]+$")
_BOUNDARY_BEFORE = re.compile(r"(?:^|\n|[.!?:;\"“”(]\s*)$")


def place_cues(text: str) -> set[str]:
    """Names the text itself calls a place: after "the town (island, village ...) of", or before "is a
    town (neighbourhood, island ...)" with nothing after the kind noun but punctuation or a preposition."""
    out: set[str] = set()
    for regex in (_OF_PLACE, _IS_PLACE):
        for m in regex.finditer(text):
            value = m.group(1)
            if value.split()[0].lower() in _SENTENCE_START_WORDS:
                continue
            out.add(value)
    for m in _NAMED_KIND.finditer(text):
        words = m.group(1).split()
        while words and words[0].lower() in _SENTENCE_START_WORDS:
            words = words[1:]                   # "The Socotra Island": the name is "Socotra"
        if words:
            out.add(" ".join(words))
    return out


def place_mentions(text: str, spans: list[Span], covered: Sequence[tuple[int, int]],
                   not_places: frozenset[str]) -> list[Span]:
    """``spans`` with a place the text names itself (a cue, see place_cues) as LOCATION: NER's PERSON of
    that value relabelled, and each other whole-word mention of a cued place added,
    where nothing covers it. Not a value NER (or a rule) also has as a person, a word of a longer person's
    name, a ``not_places`` word, or a word the text writes in lower case; not a mention standing next to
    another capitalised word (part of a longer name: "Temescal Creek Park")."""
    cues = place_cues(text)
    lived = [m.span(1) for m in _LIVED_IN.finditer(text)
             if m.group(1).split()[0].lower() not in _NOT_A_PLACE_FIRST]
    person_values: set[str] = set()
    for s in spans:
        if s.entity == "PERSON" and not (s.why.startswith("spaCy") and text[s.start:s.end] in cues):
            person_values.add(text[s.start:s.end])
            person_values.update(text[s.start:s.end].split())
    values = {v for v in cues if v not in person_values}
    out: list[Span] = []
    for s in spans:
        value = text[s.start:s.end]
        if s.entity == "PERSON" and s.why.startswith("spaCy") and (value in values or (s.start, s.end) in lived):
            s = Span("LOCATION", s.start, s.end, s.score, f"{s.why}, called a place in this text")
        out.append(s)
    # where someone was born, lives or moved: that mention only (elsewhere the name may be an organisation's:
    # "the University of Basel")
    taken = SpanIndex([*covered, *((s.start, s.end) for s in out)])
    for start, end in lived:
        value = text[start:end]
        if not taken.overlaps(start, end) and value.lower() not in not_places and len(value) >= 3 \
                and not _written_lower(text, value):
            out.append(Span("LOCATION", start, end, PLACE_CUE_SCORE, "where someone was born, lives or moved"))
    values = {v for v in values if len(v) >= 3 and v.lower() not in not_places and not _written_lower(text, v)}
    if not values:
        return out
    taken = SpanIndex([*covered, *((s.start, s.end) for s in out)])
    body = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
    for m in re.finditer(rf"(?<![\w'’\-])(?:{body})(?![\w\-]|['’](?!s\b)\w)", text):
        start, end = m.span()
        if taken.overlaps(start, end) or _BESIDE_CAP.match(text, end):
            continue
        before = _CAP_BEFORE.search(text, max(0, start - 40), start)
        if before is not None and not _BOUNDARY_BEFORE.search(text, max(0, before.start() - 3), before.start()):
            continue                                    # "New Socotra": part of another name
        out.append(Span("LOCATION", start, end, PLACE_CUE_SCORE, "a place this text calls a place"))
    return out


def _written_lower(text: str, value: str) -> bool:
    """Whether ``text`` also writes ``value`` in lower case (a common noun: "the harbour")."""
    return re.search(rf"(?<![\w'’\-]){re.escape(value.lower())}(?![\w'’\-])", text) is not None


# A venue's or a natural feature's name: up to three capitalised words before the word for its kind ("Carnegie
# Hall", "the Metro Toronto Convention Centre", "Biddulph Moor"), with an "of" phrase after it ("the Cleveland
# Museum of Art"); the kind word ends the name (not "Castle Road", "Hotel California", "Station Manager")
_RUN_BEFORE = re.compile(rf"(?<![\w'’\-@#])(?:(?:{_CAP}|\d+(?:st|nd|rd|th))[ \t]+(?:(?:of|de|du|la)[ \t]+)?){{1,3}}$")
_OF_AFTER = re.compile(rf"[ \t]+of[ \t]+{_CAP}(?:[ \t]+{_CAP}){{0,2}}(?![\w'’\-]|[ \t]+[^\W\d_a-z])")
_WORD_PART = re.compile(r"[\w'’\-]")
_POSSESSOR = re.compile(r"(.+?)['’]s")
_NEXT_CAP = re.compile(r"[\w'’\-]|[ \t]+[^\W\d_a-z]")


@dataclass(frozen=True)
class Venues:
    """Venues and natural features a text names by their kind ("Carnegie Hall", "Biddulph Moor", "the Hafijj
    Hotel"; configs/lexicons/ner.yaml landscape_words, venue_words, venue_surnames): a building or a feature is a
    place someone is at. Not a name that is one listed given name before the kind word ("Jerry Hall": a person)
    or one ``generic`` word (a kind of facility: "the Job Centre", "Town Hall"), nor one whose words before the
    kind word are all function words or titles (``trim``: "The Hall"). A place or function word with "'s" is not
    the name's ("Edmonton's Centennial Plaza"; ``is_place``: the gazetteer's)."""

    kinds: re.Pattern[str]
    trim: frozenset[str]
    given: frozenset[str]
    generic: frozenset[str]
    is_place: Callable[[str], bool]

    @classmethod
    def of(cls, kinds: Iterable[str], trim: frozenset[str], given: frozenset[str], generic: frozenset[str],
           is_place: Callable[[str], bool]) -> Venues:
        words = sorted({w.strip().capitalize() for w in kinds if w.strip()}, key=len, reverse=True)
        # NOTE: no look-behind: tried at every character, it made the search 3.5 times slower (find looks)
        pattern = re.compile(rf"(?:{'|'.join(map(re.escape, words))})(?![\w'’\-])")
        return cls(pattern, trim, given, generic, is_place)

    def find(self, text: str, spans: list[Span], fixed: Sequence[tuple[int, int]]) -> list[Span]:
        """``spans`` with the text's venues. A venue takes in the places inside it ("Leeds General Infirmary",
        not "Leeds"), but not a person, nor anything in ``fixed`` (the pattern detections)."""
        venues = [v for m in self.kinds.finditer(text) if (v := self._venue(text, m)) is not None]
        if not venues:
            return spans
        taken = SpanIndex([*fixed, *((s.start, s.end) for s in spans if s.entity != "LOCATION")])
        venues = [v for v in venues if not taken.overlaps(v.start, v.end)]
        inside, same = SpanIndex((v.start, v.end) for v in venues), {(v.start, v.end) for v in venues}
        kept = [s for s in spans if (s.start, s.end) in same or not inside.covers(s.start, s.end)]
        places = SpanIndex((s.start, s.end) for s in kept)
        return kept + [v for v in venues if not places.overlaps(v.start, v.end)]

    def _venue(self, text: str, m: re.Match[str]) -> Span | None:
        """The venue whose kind word ``m`` is, or None."""
        if m.start() and _WORD_PART.match(text, m.start() - 1):
            return None                                 # "Townhall", "Shopping-Centre": inside a word
        end = m.end()
        tail = _OF_AFTER.match(text, end)
        if tail is not None:
            end = tail.end()                            # "the Cleveland Museum of Art"
        elif _NEXT_CAP.match(text, end):
            return None                                 # "Castle Road", "Hotel California"
        run = _RUN_BEFORE.search(text, max(0, m.start() - 80), m.start())
        if run is None:
            return None
        words = list(re.finditer(r"\S+", run.group()))
        while words and words[0].group().lower().rstrip(".") in self.trim:
            words.pop(0)                                # "At the", "Dear": not the name's
        for i, w in enumerate(words[:-1]):
            owner = _POSSESSOR.fullmatch(w.group())
            if owner is not None and (owner.group(1).lower() in self.trim or self.is_place(owner.group(1)) or
                                      self.is_place(" ".join([*(x.group() for x in words[:i]), owner.group(1)]))):
                words = words[i + 1:]                   # "New York's Metropolitan Museum", "Here's Heathrow Airport"
                break
        first = words[0].group().lower() if words else ""
        if not words or (len(words) == 1 and (first in self.given or first in self.generic)):
            return None
        return Span("LOCATION", run.start() + words[0].start(), end, PLACE_CUE_SCORE,
                    "a venue or natural feature by its name")
