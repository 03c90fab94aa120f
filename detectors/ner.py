"""PERSON and LOCATION from spaCy NER — the spans and scores Presidio's SpacyRecognizer would give —
batched (the tokenizer and the NER component, NerRunner.model) over line-aligned chunks, then cleaned up.

Presidio maps spaCy's PERSON to PERSON and GPE/LOC/FAC to LOCATION, each at its NER default score
(0.85); we do the same without the rest of the AnalyzerEngine (its context enhancer is
O(tokens × matches) and its other recognisers are replaced by our own). The clean-up drops what a DPO
should never see as a person or place: titles, all-caps headings, organisations, lone common words.
"""
from __future__ import annotations

import bisect
import itertools
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from spacy.lang.en.stop_words import STOP_WORDS
from thinc.api import NumpyOps
from threadpoolctl import ThreadpoolController

from detectors.accounts import joined_words
from detectors.entities import ner_labels
from detectors.nlp import INFLECTIONS, NAME_WORD, is_english

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

# NER's organisations (ORG, PRODUCT) come out of the clean-up under this label, only as evidence against the same
# words as a person's or place's name in the same text (engine.drop_organisation_names drops them): pii-scan
# reports no organisations
ORGANISATION = "ORG"
NER_SCORE = 0.85                         # Presidio's NerModelConfiguration.default_score
LABELS = ner_labels()       # configs/entities.yaml: PERSON and LOCATION with their aliases (PER; GPE, LOC, FAC)
CHUNK_CHARS = 4000
BATCH_SIZE = 256                # pieces per model call: windows are short (same spans as 32; ~13% less CPU in detect)
CACHED_PIECE_CHARS = 400        # pieces up to this long are remembered: letterheads, address lines, footers
CACHE_PIECES = 4096
WINDOW_WORDS = 2                # words either side of a capitalised word given to the model with it (dev F1: 2 = 4 >= 6 >= all)


@dataclass(frozen=True)
class Span:
    entity: str
    start: int
    end: int
    score: float
    why: str


@dataclass(frozen=True)
class NerCleanup:
    """Word lists for the clean-up, from configs/lexicons/ner.yaml."""

    titles: frozenset[str]
    org_words: frozenset[str]
    common_words: frozenset[str]
    not_places: frozenset[str]
    places: tuple[str, ...] = ()
    not_given: frozenset[str] = frozenset()     # articles and words of other languages: "Les Saintes"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> NerCleanup:
        def words(key: str) -> frozenset[str]:
            return frozenset(str(w).lower() for w in data.get(key, ()) or ())

        return cls(words("titles"), words("organisation_words"), words("common_words") | words("platforms"),
                   words("not_places"),
                   tuple(str(p) for p in data.get("places", ()) or ()), words("foreign_articles"))


def line_cut(text: str, start: int, size: int) -> int:
    """Where a piece of about ``size`` chars from ``start`` ends: after a line end (or a space) in its second
    half, so no word or line is cut in two when there is one."""
    end = min(start + size, len(text))
    if end < len(text):
        cut = text.rfind("\n", start + size // 2, end)
        if cut < 0:
            cut = text.rfind(" ", start + size // 2, end)
        if cut >= 0:
            end = cut + 1
    return end


def chunk_lines(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Cut ``text`` into pieces of about ``size`` chars at line ends (or spaces), yielding (offset, piece)."""
    start = 0
    while start < len(text):
        end = line_cut(text, start, size)
        yield start, text[start:end]
        start = end


# A sentence ends at . ! ? followed by a space (or at a line break), but not after a title or an initial.
_SENTENCE_END = re.compile(r"(?<=[.!?])[ \t]+|\n")
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NOT_NAMES = frozenset(["i", "i'm", "i've", "i'll", "i'd", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"] + _DAYS + [d + "s" for d in _DAYS])


def sentences(text: str, no_break_after: frozenset[str] = frozenset()) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence or line of ``text``, spaces and breaks between them left out."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group() != "\n":
            word = text[max(start, text.rfind(" ", start, m.start()) + 1):m.start()].rstrip(".!?").lower()
            if len(word) == 1 or word in no_break_after:
                continue                          # "Mr. Smith", "J. Smith": not a sentence end
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < len(text):
        yield start, len(text)


def names_something(sentence: str, name_like: frozenset[str] = frozenset()) -> bool:
    """Whether a sentence could hold a person or place name, i.e. a capitalised word that is not just the
    sentence's first word: a later capitalised word, a first word followed by a capitalised one ("Grace
    Thomas said"), a first word that is one of ``name_like`` (lower case: given names, towns; "Mary is
    working on her novel"), or a short line of capitalised words (a heading, an address line, a signature)."""
    words = _WORD.findall(sentence)
    if not words:
        return False
    caps = [w[0].isupper() for w in words]
    if caps[0] and words[0].lower() in name_like:
        return True
    if len(words) <= 4 and all(caps):
        return True
    if len(words) > 1 and caps[0] and caps[1] and words[1].lower() not in _NOT_NAMES:
        return True
    return any(c and w.lower() not in _NOT_NAMES for w, c in zip(words[1:], caps[1:], strict=True))


_TOKEN = re.compile(r"\S+")
# Capitalised only by position or as a marker: no kept span starts with one (the clean-up drops a stop word
# alone, and a leading "the"), and a name right after one is an anchor itself. "RT": a retweet.
_NOT_ANCHORS = frozenset(STOP_WORDS) | {"rt", "i'm", "it's"}
# A handle or a link: the tokenizer keeps each one token, and a span holding "@" or "/" is never kept
_LINK = re.compile(r"@\w+|(?:https?://|www\.)\S+")


def windows(text: str, start: int, end: int, anchors: Sequence[tuple[int, int]], size: int = CHUNK_CHARS,
            margin: int | None = None) -> Iterator[tuple[int, str]]:
    """(offset, piece) of text[start:end]: the stretches within ``margin`` whitespace-separated words of an
    anchor (a capitalised word), widened to take in whole runs of capitalised words at their edges; stretches
    that touch or nearly touch merged, each cut at ``size``.

    The model's decision on a token depends only on the tokens near it (en_core_web_sm's NER: a window
    encoder of depth 4 and width 1, i.e. four tokens either side, and transition features from the token
    before): outside a few words of a capitalised word there is nothing for it to find, and a name's words
    and the words right around them are given as they are in the text. The clean-up drops any span that does
    not start with a capital. Two words either side (WINDOW_WORDS) gave the dev halves' overlap F1 of four
    (scan and detect mode, GUM and BTC; a few dozen spans of ~6,500 differ) with a quarter fewer words given to
    the model; one word cost GUM scan F1 0.003."""
    margin = WINDOW_WORDS if margin is None else margin
    if margin <= 0 or not anchors:
        yield from chunk_lines_at(text, start, end, size)
        return
    tokens = [m.span() for m in _TOKEN.finditer(text, start, end)]
    tok_starts = [a for a, _ in tokens]
    stretches: list[list[int]] = []
    for a, _ in sorted(anchors):
        i = bisect.bisect_right(tok_starts, a) - 1
        lo, hi = max(0, i - margin), min(len(tokens) - 1, i + margin)
        while lo > 0 and text[tokens[lo - 1][0]].isupper():     # a name at a window's edge is given whole
            lo -= 1
        while hi + 1 < len(tokens) and text[tokens[hi + 1][0]].isupper():
            hi += 1
        if stretches and lo <= stretches[-1][1] + 2:
            stretches[-1] = [min(stretches[-1][0], lo), max(stretches[-1][1], hi)]
        else:
            stretches.append([lo, hi])
    for lo, hi in stretches:
        yield from chunk_lines_at(text, tokens[lo][0], tokens[hi][1], size)


class SpanIndex:
    """Whether a stretch lies inside, or overlaps, one of some spans (which may overlap): a binary search over
    the spans by start with the furthest end reached so far, not a scan of every span per query (a text of
    5,000 labelled records made that 15,000 x 15,000)."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        ordered = sorted(spans)
        self._starts = [a for a, _ in ordered]
        self._reach = list(itertools.accumulate((b for _, b in ordered), max))

    def covers(self, start: int, end: int) -> bool:
        """Some span (a, b) has a <= start and end <= b."""
        i = bisect.bisect_right(self._starts, start)
        return i > 0 and self._reach[i - 1] >= end

    def overlaps(self, start: int, end: int) -> bool:
        """Some span (a, b) has a < end and start < b."""
        i = bisect.bisect_left(self._starts, end)
        return i > 0 and self._reach[i - 1] > start


class DisjointSpans:
    """Spans taken one by one where they overlap none taken before: kept sorted, so a new span's two
    neighbours decide whether it overlaps any (a binary search, not a scan of every span taken)."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        """Some span (a, b) taken has a < end and start < b."""
        i = bisect.bisect_left(self._starts, start)
        return bool((i and self._ends[i - 1] > start) or (i < len(self._starts) and self._starts[i] < end))

    def add(self, start: int, end: int) -> bool:
        """Take the span unless it overlaps one taken; whether it was taken."""
        if self.overlaps(start, end):
            return False
        i = bisect.bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        return True


def chunk_lines_at(text: str, start: int, end: int, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """chunk_lines() of text[start:end], offsets relative to ``text``."""
    for base, chunk in chunk_lines(text[start:end], size):
        yield start + base, chunk


def _use_numpy_blas(component: Any) -> None:
    """Have a pipeline component's layers multiply matrices through numpy's BLAS instead of thinc's BLIS.

    NOTE: the same spans (tested) with ~35% less CPU for en_core_web_sm's NER on the prose share: the pip
    build of BLIS is slower on these shapes than numpy's OpenBLAS. NerRunner.model holds BLAS to one thread
    while the model runs: a worker has one core, and BLAS threads spinning beside the other workers cost more
    than they gain."""
    ops = NumpyOps(use_blis=False)
    for node in component.model.walk():
        node.ops = ops


class NerRunner:
    """spaCy NER only (other pipes disabled), batched over the sentences that could name someone.

    NER is the costliest step per character, and most prose sentences name no one: a name or place starts
    with a capital letter, so a sentence whose only capitalised word is its first (and not followed by
    another) is not given to the model. Consecutive candidate sentences go in
    together, up to CHUNK_CHARS, so the model still sees their context."""

    def __init__(self, nlp: Language, cleanup: NerCleanup, given: frozenset[str] = frozenset(),
                 dictionary: frozenset[str] = frozenset()):
        self.nlp = nlp
        self._dictionary = dictionary
        self.cleanup = cleanup
        self._ner_only = [p for p in nlp.pipe_names if p != "ner"]
        # NOTE: the model's NER component has its own embedding layers (it listens to no other pipe), so the
        # tokenizer and it alone give what nlp.pipe with the other pipes disabled gives, without nlp.pipe's
        # per-call set-up (~0.3 ms a call, and a call per object's piece)
        self._tokenizer = nlp.tokenizer
        self._ner_pipe: Any = nlp.get_pipe("ner")        # an EntityRecognizer (Cython: no types to check)
        _use_numpy_blas(self._ner_pipe)
        self._blas = ThreadpoolController()
        self._no_break = cleanup.titles | {"st", "no", "vs", "etc", "approx", "e.g", "i.e"}
        self._lead_words = cleanup.titles | cleanup.common_words          # "Dear", "Yours", "Mr", "Contact" ...
        # a sentence's first word is only capitalised by position, unless it is a given name or a town
        # NOTE: of given's own class, so that a GivenNames (detectors.names) still folds accents ("Zoë", "José")
        self._name_like = type(given)(given | frozenset(p.lower() for p in cleanup.places))
        self._given = given
        # NOTE: short pieces recur across an estate (a town line, a footer, a team's sign-off): their cleaned
        # spans (offsets within the piece) are kept, least recently used dropped first. Per process.
        self._cache: OrderedDict[str, tuple[Span, ...]] = OrderedDict()

    def pieces(self, text: str, size: int = CHUNK_CHARS,
               known: Sequence[tuple[int, int]] = ()) -> Iterator[tuple[int, str]]:
        """(offset, piece) of ``text`` worth running NER on: windows around the words that could start a name.

        A sentence is left out when each capitalised word in it is already explained: inside a name the rules
        found (``known``: "Dear Ruby Smith,", a signature, "Grace Patel"), a title or common word ("Contact:",
        "Dear Sir"), or its first word, capitalised only by position. The model could find nothing else there:
        its clean-up drops spans made of titles and common words. Consecutive candidate sentences make a run;
        of a run, only the words within WINDOW_WORDS of a capitalised word the rules have not explained are
        given (see windows())."""
        run_start = run_end = -1
        anchors: list[tuple[int, int]] = []
        inside = SpanIndex(known)
        for start, end in sentences(text, self._no_break):
            if not names_something(text[start:end], self._name_like):
                continue
            here = self._anchors(text, start, end, inside)
            if here is None:
                continue
            if run_start >= 0 and not text[run_end:start].strip() and end - run_start <= size:
                run_end = end
                anchors.extend(here)
                continue
            if run_start >= 0:
                yield from windows(text, run_start, run_end, anchors, size)
            run_start, run_end, anchors = start, end, list(here)
        if run_start >= 0:
            yield from windows(text, run_start, run_end, anchors, size)

    def _anchors(self, text: str, start: int, end: int, known: SpanIndex) -> list[tuple[int, int]] | None:
        """The capitalised words of a sentence that are not titles, common words, inside a known name or its
        first word capitalised only by position (the model is run around them), or None when each capitalised
        word is explained (see pieces()). NOTE: a first word capitalised by position is no anchor even in a
        sentence given to the model for its other words: it only widened the windows (dev halves: 5% fewer
        tokens given to the model, overlap F1 GUM +0.0004, BTC -0.0005)."""
        words = list(_WORD.finditer(text, start, end))
        sentence = text[start:end]
        if "@" in sentence or "/" in sentence:        # a handle or a link: the clean-up drops any span holding one
            links = [m.span() for m in _LINK.finditer(text, start, end)]
            words = [w for w in words if not any(a <= w.start() and w.end() <= b for a, b in links)]
        short = len(words) <= 4 and all(m.group()[0].isupper() for m in words)     # a heading, a signature
        unexplained = False
        out: list[tuple[int, int]] = []
        for n, m in enumerate(words):
            word = m.group()
            lower = word.lower()
            if not word[0].isupper() or lower in _NOT_NAMES or lower in self._lead_words:
                continue
            if lower.replace("’", "'") in _NOT_ANCHORS or known.covers(m.start(), m.end()):
                continue                      # a kept span never starts with a stop word ("The", "It's")
            if n == 0 and not short and lower not in self._name_like and not (
                    words[1].group()[0].isupper() and words[1].group().lower() not in _NOT_NAMES):
                continue                      # "Spoke with …": capitalised because it starts the sentence
            out.append(m.span())
            unexplained = True
        return out if unexplained else None

    def spans_many(self, texts: Sequence[str],
                   known: Sequence[Sequence[tuple[int, int]]] | None = None) -> list[list[Span]]:
        """NER spans for each text, every piece of every text in one model call (``model``) (``known``: the
        names the rules found in each text, see pieces()). Organisations are among them as ORGANISATION spans:
        evidence for the caller, never a finding."""
        jobs: list[tuple[int, int, str]] = []
        for t_index, text in enumerate(texts):
            for base, chunk in self.pieces(text, known=known[t_index] if known else ()):
                jobs.append((t_index, base, chunk))
        out: list[list[Span]] = [[] for _ in texts]
        cache = self._cache
        spans: dict[str, tuple[Span, ...]] = {}           # each distinct piece: its spans, offsets in the piece
        todo: list[str] = []
        for _, _, chunk in jobs:
            if chunk not in spans:
                hit = cache.get(chunk)
                if hit is not None:
                    cache.move_to_end(chunk)
                    spans[chunk] = hit
                else:
                    spans[chunk] = ()
                    todo.append(chunk)
        if todo:
            for chunk, doc in zip(todo, self.model(todo), strict=True):
                spans[chunk] = tuple(self._clean(chunk, 0, doc.ents))
                if len(chunk) <= CACHED_PIECE_CHARS:
                    cache[chunk] = spans[chunk]
                    if len(cache) > CACHE_PIECES:
                        cache.popitem(last=False)
        for t_index, base, chunk in jobs:
            out[t_index].extend(replace(s, start=s.start + base, end=s.end + base) for s in spans[chunk])
        return out

    def model(self, pieces: Sequence[str]) -> Iterator[Doc]:
        """The model's NER on ``pieces``, in batches of BATCH_SIZE: one call, however many objects they come from."""
        with self._blas.limit(limits=1, user_api="blas"):
            yield from self._ner_pipe.pipe((self._tokenizer(p) for p in pieces), batch_size=BATCH_SIZE)

    def raw_spans(self, text: str) -> list[tuple[str, int, int]]:
        """Uncleaned (entity, start, end) as Presidio's SpacyRecognizer reports them (for tests)."""
        spans = []
        with self.nlp.select_pipes(disable=self._ner_only):
            for base, chunk in chunk_lines(text):
                for ent in self.nlp(chunk).ents:
                    if ent.label_ in LABELS:
                        spans.append((LABELS[ent.label_], base + ent.start_char, base + ent.end_char))
        return spans

    def _clean(self, chunk: str, base: int, ents: Iterable[SpacySpan]) -> Iterator[Span]:
        for ent in ents:
            entity = LABELS.get(ent.label_)
            if entity is None and ent.label_ not in ("ORG", "PRODUCT"):
                continue
            tokens = list(ent)
            for k in range(1, len(tokens)):    # a bracket, comma, spaced dash, handle, link or line break ends it
                t = tokens[k]
                ends = t.text in _SPAN_ENDS or (t.text in _SPACED_ENDS and tokens[k - 1].whitespace_) \
                    or t.text.startswith(("@", "http")) or "\n" in t.text
                if ends or "\n" in t.whitespace_:
                    tokens = tokens[:k + (0 if ends else 1)]
                    break
            # Leading titles and words, trailing possessives, labels and punctuation are not part of a name.
            drop = self.cleanup.titles | self.cleanup.common_words
            while tokens and (tokens[0].lower_.rstrip(".") in drop or tokens[0].is_punct or tokens[0].is_space
                              or tokens[0].lower_ in ("the",)):
                tokens = tokens[1:]
            while tokens and (tokens[-1].lower_ in ("'s", "’s", "'") or tokens[-1].is_punct or tokens[-1].is_space
                              or tokens[-1].lower_ in self.cleanup.common_words):
                tokens = tokens[:-1]
            if not tokens:
                continue
            for part in persons_in(tokens) if ent.label_ == "PERSON" else (tokens,):
                span = self._cleaned(chunk, base, ent.label_, entity, part)
                if span is not None:
                    yield span

    def _cleaned(self, chunk: str, base: int, label: str, entity: str | None, tokens: Sequence[Token]) -> Span | None:
        """One name's tokens of NER's span as a Span (an organisation's as an ORGANISATION vote), or None."""
        why = f"spaCy NER {label}"
        if entity is None:
            named = self._named_org(tokens)
            if not named:
                if tokens[0].text[:1].isupper():       # kept as a vote against the same words as a name
                    return Span(ORGANISATION, base + tokens[0].idx, base + tokens[-1].idx + len(tokens[-1].text),
                                0.0, why)
                return None
            entity, why = "PERSON", f"{why}, {named}"
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        value = chunk[start:end]
        if not self._plausible(entity, value, tokens, chunk, start, end):
            return None
        return Span(entity, base + start, base + end, NER_SCORE, why)

    def _named_org(self, tokens: Sequence[Token]) -> str:
        """Whether NER's ORGANISATION or PRODUCT is a person's name it mislabelled: one to three capitalised
        words, the first a listed given name ("Sophie Dymoke", "Debbie"); or (with a dictionary) two words
        written like a given name and a surname, neither an English word ("Thibaut Courtois", not "Sea Org"
        nor "Fan Expo"). Organisation words still veto it (_plausible). Returns why ("" when not)."""
        words = tokens[0].doc.text[tokens[0].idx:tokens[-1].idx + len(tokens[-1].text)].split()
        if len(words) <= 3 and tokens[0].lower_ in self._given and all(w[:1].isupper() for w in words):
            return "starts with a given name"
        if self._dictionary and len(words) == 2 and words[0] != words[1] and all(
                NAME_WORD.fullmatch(w) and not self._english(w.lower()) and w.lower() not in self.cleanup.not_given
                for w in words):
            return "written as a given name and a surname, neither an English word"
        return ""

    def _english(self, word: str) -> bool:
        """Whether ``word`` is an English word or an inflection of one ("revisited", "drinking", "jobs")."""
        return is_english(word, self._dictionary, INFLECTIONS)

    def _plausible(self, entity: str, value: str, tokens: Sequence[Token], chunk: str, start: int, end: int) -> bool:
        c = self.cleanup
        words = [t.lower_ for t in tokens]
        if any(ch.isdigit() or ch in "@/\\|=_<>{}[]#" for ch in value):
            return False
        if not value[0].isupper():
            return False
        if any(w in c.org_words for w in words):
            return False
        if any(w in c.org_words for w in next_words(chunk, end)):   # "St Mary's Primary School", "Acme Ltd"
            return False
        if value.isupper() and len(value) > 3 and _line_is_upper(chunk, start, end):
            return False                             # an all-caps heading, not a name
        if len(tokens) == 1 and (words[0] in c.common_words or tokens[0].is_stop or len(value) < 2):
            return False
        if entity == "PERSON" and " " not in value and value.isupper() and len(value.replace(".", "")) <= 4 \
                and value.lower() not in self._given:
            return False                     # an acronym ("RCMP", "ROTC", "RSVP"), not a name
        if entity == "PERSON" and len(tokens) == 1 and value.lower() not in self._given \
                and _ALONE_BEFORE.search(chunk, max(0, start - 4), start) and _ALONE_AFTER.match(chunk, end):
            return False                     # a sentence of one word: an exclamation, a heading ("Hmm.", "Tips")
        if entity == "PERSON" and (len(tokens) > 5 or "\n" in value):
            return False
        if start and chunk[start - 1] == "#":
            if _CAMEL.search(value):
                if not any(w in self._given for w in joined_words(value)):
                    return False             # a hashtag of run-together words ("#BreakingNews", "#WorldCup")
            elif entity == "PERSON" and " " not in value and (value.isupper() or value.lower() not in self._given):
                return False                 # a one-word hashtag is a topic, a show or an event ("#CBB", "#Oscars"),
                                             # unless a given name ("#Rihanna" is not listed; "#Kate" is)
        if entity == "PERSON" and (_NUMBERED.match(chunk, end) or _STREET_WORD.search(value)):
            return False                     # "Art. 9", "Law no. 466", "Decree 2005-981"; "Hauptstrasse"
        if entity == "PERSON" and _FIRM.match(chunk, start) and not _CITATION_AFTER.match(chunk, start):
            return False                     # "Harris, Cole and Webb": a firm (not "Marsden, Liu & Ode, 2013")
        return not (entity == "LOCATION" and value.lower() in c.not_places)


# A sentence of one word: its start (a line's, or after a sentence end or an opening quote) and its end
_ALONE_BEFORE = re.compile(r'(?:^|\n|[.!?]["”’)]?[ \t]+|[“"][ \t]*)$')
_ALONE_AFTER = re.compile(r'[ \t]*[.!?,…—–-]*[ \t]*(?:\n|$|["”])|[ \t]*[.!?]+[ \t]')
# Words run together in Camel case ("BreakingNews")
_CAMEL = re.compile(r"[a-z][A-Z]")
# A legal reference or heading: a word followed by a number ("Art. 9", "Section 3", "Law no. 466")
_NUMBERED = re.compile(r"\.?[ \t]*(?:(?:no|nr|n°|number)\.?[ \t]*)?\d")
# Street words of other languages written as one word with the street's name ("Hauptstrasse", "Kungsgatan")
_STREET_WORD = re.compile(r"(?i)\w(?:stra(?:ss|ß)e|str\.|weg|gasse|platz|allee|straat|gracht|laan|gatan|"
                          r"v(?:ä|a)gen|gade|katu|tie)\b")
_SURNAME_WORD = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
# Surnames in a list ending in "and"/"&": a firm's name ("Harris, Cole and Webb") ...
_FIRM = re.compile(rf"{_SURNAME_WORD}(?:,[ \t]*{_SURNAME_WORD})+,?[ \t]+(?:and|&)[ \t]+{_SURNAME_WORD}")
# ... unless a year follows: a citation ("Marsden, Liu & Ode, 2013")
_CITATION_AFTER = re.compile(rf"{_SURNAME_WORD}(?:,?[ \t]*(?:and|&)?[ \t]*{_SURNAME_WORD})*"
                             rf"(?:[ \t]+et al\.)?,?[ \t]*\(?(?:1[5-9]|20)\d\d")

_NEXT = re.compile(r"(?:['’]s)?[ \t]*([A-Za-z][\w&.'-]*)(?:[ \t]+([A-Za-z][\w&.'-]*))?")


# Tokens that end a NER span, and those that do with a space before them (not "Bastien-Lepage"): "Frank Lampard -
# @BBCSport", "Ridley Scott | Film"
_SPAN_ENDS = frozenset(["(", ",", ";", "["])
_SPACED_ENDS = frozenset(["-", "–", "—", "|"])
# The word between a case's parties or a match's sides: "v", "vs", "v.", "vs." (names.case_parties,
# engine.drop_scored_teams build their patterns on it)
VERSUS = r"(?:v|vs)\.?"
# Lower-case words that join two persons in one NER PERSON span ("Jules et Jim", "Bob n Renee", a case's parties:
# "Okafor v Brennan"), and words (in any case) after which only the rest can be a name: "Gatwick to Malaga",
# "Come To Birmingham", "Letter From Ada Brennan"
_JOINERS = frozenset(["and", "&", "n", "et", "und", "oh", "or", "v", "v.", "vs", "vs.", "versus"])
_ONLY_AFTER = frozenset(["to", "from"])


def persons_in(tokens: Sequence[Token]) -> list[Sequence[Token]]:
    """NER's PERSON as the persons it names: cut before "et al." ("Gibbons et al"), split at a lower-case word
    joining two names ("Jules et Jim" -> "Jules", "Jim"; "Okafor v Brennan"), and only what follows "to" or
    "from" ("Gatwick to Malaga" -> "Malaga", a place the gazetteer then names; "Come To Birmingham")."""
    for k in range(1, len(tokens) - 1):
        if tokens[k].lower_ == "et" and tokens[k + 1].lower_.rstrip(".") == "al":
            tokens = tokens[:k]
            break
    for k in range(len(tokens) - 2, 0, -1):
        if tokens[k].lower_ in _ONLY_AFTER:
            tokens = tokens[k + 1:]
            break
    parts: list[Sequence[Token]] = []
    start = 0
    for k in range(1, len(tokens) - 1):
        word = tokens[k].text
        if not word[:1].isupper() and word.lower() in _JOINERS:
            parts.append(tokens[start:k])
            start = k + 1
    parts.append(tokens[start:])
    return [p for p in parts if p]


def next_words(text: str, end: int) -> tuple[str, ...]:
    """The one or two words right after a span (past a possessive), lower case: the second only after a
    capitalised word or "and" ("St Mary's Primary School", "Jones and Co"), not past another lower-case word
    ("Elizabeth II for services to architecture")."""
    m = _NEXT.match(text, end)
    if not m:
        return ()
    first, second = m.groups()
    words = (first, second) if second and (first[0].isupper() or first == "and") else (first,)
    return tuple(w.lower().rstrip(".") for w in words)


def _line_is_upper(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start: len(text) if line_end < 0 else line_end]
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


PLACE_SCORE = 0.8


class Places:
    """A gazetteer of UK towns: fixes NER's towns-as-people and finds towns after place prepositions."""

    def __init__(self, places: Sequence[str]):
        self.names = frozenset(p.lower() for p in places)
        body = "|".join(re.escape(p).replace(r"\ ", r"[ \t]+") for p in sorted(places, key=len, reverse=True))
        self._after_preposition = re.compile(
            rf"(?<![\w])(?:in|to|from|at|near|of|around|outside|visiting)[ \t\n]+({body})(?![\w\-]|['’]s\b)"
        ) if places else None

    def fix(self, text: str, spans: list[Span]) -> list[Span]:
        out = []
        for s in spans:
            if s.entity == "PERSON" and text[s.start:s.end].lower() in self.names:
                s = Span("LOCATION", s.start, s.end, s.score, f"{s.why}, a UK town in the gazetteer")
            out.append(s)
        if self._after_preposition is not None:
            taken = SpanIndex((s.start, s.end) for s in out)     # (the matches found here never overlap)
            for m in self._after_preposition.finditer(text):
                start, end = m.span(1)
                if not taken.overlaps(start, end):
                    out.append(Span("LOCATION", start, end, PLACE_SCORE, "UK town (gazetteer) after a preposition"))
        return out
