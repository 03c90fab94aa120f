"""Special categories (UK GDPR Art. 9) and criminal offence data (Art. 10) from lexicons, on lemmas.

A term counts as a disclosure when it is not negated ("no history of self-harm") and its sentence is
not generic (a policy or a form that names the categories without saying anything about a person).
Cheap first: a regex of every word a term can start with (in any inflection) picks the sentences worth
matching, and a second regex of every whole term (each word in any inflection, spaces ignored) keeps only
the sentences that can hold one; only those go through spaCy's tokenizer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping, Sequence

from detectors.entities import header_key
from detectors.entities import special_categories
from detectors.lexicon import LexiconError, read_lexicon
from detectors.recognizers import words_regex
from detectors.trie import trie_pattern

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

CATEGORIES = special_categories()      # configs/entities.yaml special_categories
LEMMA_PIPES = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")
_CLAUSE_END = re.compile(r"[.!?](?=\s|$)|\n")
_LINE_WINDOW = 400        # characters either side of a prefilter hit searched for the sentence around it


@dataclass(frozen=True)
class CategoryHit:
    category: str
    term: str            # the lexicon term (never personal data)
    start: int
    end: int
    negated: bool = False
    generic: bool = False

    @property
    def disclosure(self) -> bool:
        return not (self.negated or self.generic)


@dataclass(frozen=True)
class SpecialLexicon:
    terms: Mapping[str, tuple[tuple[tuple[str, ...], str, str], ...]]   # first lemma → (lemmas, category, term)
    needs_cue: Mapping[str, frozenset[str]]
    negation: re.Pattern[str] | None
    negation_window: int
    breakers: frozenset[str]
    strong_cues: re.Pattern[str] | None
    list_cues: re.Pattern[str] | None
    abstract: frozenset[str]
    max_categories: int
    column_headers: Mapping[str, str]                       # normalised header → category
    prefilter: re.Pattern[str]                              # every word a term can start with (in lower case)
    first_forms: Mapping[str, frozenset[str]]               # such a word (lower case) → categories it can start
    forms: Mapping[str, str]                                # inflected form → lemma, for the lexicon's words
    whole_terms: re.Pattern[str]                            # every term, on lower-case text without whitespace


def load_special_lexicon(lemmatize: Callable[[list[str]], list[list[str]]]) -> SpecialLexicon:
    """Read configs/lexicons/special_categories.yaml; ``lemmatize(list[str]) -> list[list[str]]``."""
    data = read_lexicon("special_categories.yaml", {"categories": dict, "needs_cue": dict, "negation": dict,
                                                    "generic": dict, "column_headers": dict})
    src = "configs/lexicons/special_categories.yaml"
    categories = data.get("categories", {})
    for name in categories:
        if name not in CATEGORIES:
            raise LexiconError(f"{src}: categories.{name}: unknown category (known: {', '.join(CATEGORIES)})")
    flat = [(str(term).lower(), cat) for cat, terms in categories.items() for term in terms or ()]
    lemmas = lemmatize([t for t, _ in flat])
    index: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for (term, cat), lem in zip(flat, lemmas, strict=True):
        key = tuple(lem)
        if key:
            index.setdefault(key[0], []).append((key, cat, term))
    forms: dict[str, str] = {}
    for lem in lemmas:
        for word in lem:
            forms[word] = word
    for lem in lemmas:
        for word in lem:
            for form in inflections(word):
                forms.setdefault(form, word)
    # NOTE: a term is matched on a token whose lower-case text or lemma (through ``forms``) is its first
    # lemma; the prefilter finds exactly those token texts as whole words, each with the categories it can start
    first_forms: dict[str, set[str]] = {}
    for form in set(index) | set(forms):
        for first in {form, forms.get(form, form)}:
            for _, cat, _ in index.get(first, ()):
                first_forms.setdefault(form, set()).add(cat)
    # NOTE: case-sensitive, run on the text in lower case (see SpecialMatcher.iter_find): re.I compares every
    # character case-insensitively, three times the CPU on the prose share for the same hits
    prefilter = re.compile(r"(?<![a-z0-9])(" + trie_pattern(first_forms) + r")(?![a-z0-9])")
    whole_terms = re.compile(whole_terms_pattern(index, forms))
    neg = data.get("negation", {})
    gen = data.get("generic", {})
    headers = {header_key(h): cat for cat, hs in data.get("column_headers", {}).items() for h in hs or ()}
    return SpecialLexicon(
        terms={k: tuple(v) for k, v in index.items()},
        needs_cue={str(k).lower(): frozenset(str(w).lower() for w in v) for k, v in data.get("needs_cue", {}).items()},
        negation=words_regex(neg.get("before", ())),
        negation_window=int(neg.get("window_tokens", 6)),
        breakers=frozenset(neg.get("breakers", ())),
        strong_cues=words_regex(gen.get("strong_cues", ())),
        list_cues=words_regex(gen.get("list_cues", ())),
        abstract=frozenset(str(t).lower() for t in gen.get("abstract_terms", ())),
        max_categories=int(gen.get("max_categories_in_sentence", 2)),
        column_headers=headers,
        prefilter=prefilter,
        first_forms={k: frozenset(v) for k, v in first_forms.items()},
        forms=forms,
        whole_terms=whole_terms,
    )


def whole_terms_pattern(index: Mapping[str, Iterable[tuple[tuple[str, ...], str, str]]],
                        forms: Mapping[str, str]) -> str:
    """A regex that finds, in lower-case text with its whitespace removed, every place a term can match.

    A term matches tokens whose lower-case texts are all its lemmas or all map to them through ``forms``; the
    tokens are substrings of the text, apart by whitespace or nothing. So each word of a term may be written
    as any of its forms here, and a sentence this finds nothing in holds no term: a necessary condition,
    never a sufficient one (the tokens decide)."""
    spelled: dict[str, set[str]] = {}                      # lemma → every lower-case text that matches it
    for form, lemma in forms.items():
        spelled.setdefault(lemma, set()).add(form)

    def word(lemma: str) -> str:
        return trie_pattern(spelled.get(lemma, set()) | {lemma})

    firsts: dict[str, set[str]] = {}                       # first word's text → regexes of the rest of a term
    for terms in index.values():
        for seq, _cat, _term in terms:
            rest = "".join("(?:" + word(w) + ")" for w in seq[1:])
            for text in spelled.get(seq[0], set()) | {seq[0]}:
                firsts.setdefault(text, set()).add(rest)
    return trie_pattern(firsts, tails={k: _alternatives(v) for k, v in firsts.items()})


def _alternatives(rests: Iterable[str]) -> str:
    """``rests`` as one regex; the empty one (a one-word term) makes the whole thing match at once."""
    rests = sorted(rests)
    if "" in rests:
        return ""
    return "(?:" + "|".join(rests) + ")"


_IRREGULAR = {"come": ("came", "coming", "comes"), "plead": ("pled", "pleaded"), "be": ("was", "were", "is", "are"),
              "have": ("has", "had", "having"), "take": ("took", "taken", "taking")}


def inflections(word: str) -> set[str]:
    """Regular English inflections of a lexicon lemma: plural, past, participle, possessive."""
    if not word.isalpha() or len(word) < 3:
        return set(_IRREGULAR.get(word, ()))
    out = {word + "s", word + "'s", word + "’s", word + "ed", word + "ing", word + "es"}
    if word.endswith("e"):
        out |= {word + "d", word[:-1] + "ing"}
    if word.endswith("y") and word[-2] not in "aeiou":
        out |= {word[:-1] + "ies", word[:-1] + "ied"}
    if len(word) >= 3 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        out |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return out | set(_IRREGULAR.get(word, ()))


class SpecialMatcher:
    """Finds category terms in text; lemmatises only the lines a cheap prefilter picks."""

    def __init__(self, nlp: Language, lexicon: SpecialLexicon | None = None, cache_dir: str | None = None):
        self.nlp = nlp
        self._disable = [p for p in nlp.pipe_names if p not in LEMMA_PIPES]
        self._cache_dir = cache_dir
        self.lexicon = lexicon or load_special_lexicon(self._lemmatize_terms)

    def _lemmatize_terms(self, terms: Sequence[str]) -> list[list[str]]:
        """The lemmas of each term, from the cache folder when it holds them for the same terms and model (the
        model's lemmatizer over ~250 terms is ~0.08 s of every scan's start)."""
        from detectors.cache import cached_json

        def build() -> list[list[str]]:
            with self.nlp.select_pipes(disable=self._disable):
                return [[t.lemma_.lower() for t in doc if not t.is_space] for doc in self.nlp.pipe(terms)]

        def valid(data: object) -> bool:
            return isinstance(data, list) and len(data) == len(terms) and all(
                isinstance(lem, list) and all(isinstance(w, str) for w in lem) for lem in data)

        meta = self.nlp.meta
        key = (meta.get("name"), meta.get("version"), self.nlp.pipe_names, list(terms))
        lemmas: list[list[str]] = cached_json(self._cache_dir, "special-lemmas", key, build, valid)
        return lemmas

    def column_category(self, header: str) -> str | None:
        return self.lexicon.column_headers.get(header_key(header))

    def find(self, text: str, skip: Iterable[str] = ()) -> list[CategoryHit]:
        """Every category term in ``text`` (negated and generic ones marked), in text order.

        Lines are tokenised with spaCy's tokenizer and each token mapped to its lemma through a table of the
        lexicon words' inflections (built with spaCy's lemmatizer at load): lemma matching without running
        the tagger on the text. Categories in ``skip`` are not looked for."""
        return list(self.iter_find(text, frozenset(skip).__contains__))

    def iter_find(self, text: str, done: Callable[[str], bool]) -> Iterator[CategoryHit]:
        """find(), lazily: ``done(category)`` is asked again at each candidate sentence, so a caller that has
        seen enough of a category while consuming the hits stops paying for it in the rest of the text.

        Only the sentence around each word a term can start with is tokenised (a sentence is what negation,
        cues and the generic test look at), not the text around it."""
        cats = self.lexicon.first_forms
        tokenizer = self.nlp.tokenizer
        last_end = -1
        lowered = text.lower()
        if len(lowered) != len(text):            # a letter whose lower case is longer ("İ"): offsets would move
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        for m in self.lexicon.prefilter.finditer(lowered):
            if m.start() < last_end:
                continue                                  # its sentence was matched already
            here = cats.get(m.group(1))
            if here and all(done(c) for c in here):
                continue
            lo = text.rfind(" ", 0, max(0, m.start() - _LINE_WINDOW)) + 1
            hi = text.find(" ", m.end() + _LINE_WINDOW)
            window = text[lo:len(text) if hi < 0 else hi]
            s_start, s_end = _clause(window, m.start() - lo, m.end() - lo)
            last_end = lo + s_end
            if not self.lexicon.whole_terms.search("".join(window[s_start:s_end].lower().split())):
                continue                                  # a term's first word, but no whole term: nothing to find
            # NOTE: tokenised from the word before the sentence: the tokenizer splits at whitespace first, so
            # the sentence's tokens (and the whitespace tokens at its start) are those of the whole window.
            from_ = _chunk_before(window, s_start)
            doc = tokenizer(window[from_:s_end])
            for hit in self._match_doc(doc, window, lo, from_, s_start):
                if not done(hit.category):
                    yield hit

    def _match_doc(self, doc: Doc, piece: str, base: int, offset: int = 0, first: int = 0) -> list[CategoryHit]:
        """Hits in ``doc``, the tokens of piece[offset:], that start at or after piece[first] (offsets in the
        hits are ``base`` + offsets in ``piece``)."""
        lex = self.lexicon
        tokens = list(doc)
        starts = [t.idx + offset for t in tokens]
        lowers = [t.lower_ for t in tokens]
        lemmas = [lex.forms.get(w, w) for w in lowers]
        found: list[tuple[int, int, str, str]] = []       # token start, token end, category, term
        i = 0
        while i < len(tokens):
            best = None
            for key_list in (lemmas, lowers):
                for seq, cat, term in lex.terms.get(key_list[i], ()):
                    n = len(seq)
                    if tuple(lemmas[i:i + n]) == seq or tuple(lowers[i:i + n]) == seq:
                        if best is None or n > len(best[0]):
                            best = (seq, cat, term)
            if best is None:
                i += 1
                continue
            found.append((i, i + len(best[0]), best[1], best[2]))
            i += len(best[0])
        if not found:
            return []
        hits = []
        for ti, tj, cat, term in found:
            start, end = starts[ti], starts[tj - 1] + len(tokens[tj - 1])
            if start < first:
                continue
            s_start, s_end = _clause(piece, start, end)
            sentence = piece[s_start:s_end].lower()
            if term in lex.needs_cue and not self._cue(lex.needs_cue[term], sentence, lemmas, lowers, starts,
                                                       s_start, s_end, ti, tj):
                continue
            cats_here = {c for a, b, c, _ in found if s_start <= starts[a] < s_end}
            negated = self._negated(piece, lowers, starts, ti, s_start)
            generic = bool(lex.strong_cues and lex.strong_cues.search(sentence)) or len(cats_here) > lex.max_categories
            if not generic and lex.list_cues and lex.list_cues.search(sentence):
                generic = len(cats_here) >= 2 or term in lex.abstract
            hits.append(CategoryHit(cat, term, base + start, base + end, negated, generic))
        return hits

    @staticmethod
    def _cue(cues: frozenset[str], sentence: str, lemmas: Sequence[str], lowers: Sequence[str], starts: Sequence[int],
             s_start: int, s_end: int, ti: int, tj: int) -> bool:
        inside = [k for k in range(len(starts)) if s_start <= starts[k] < s_end and not ti <= k < tj]
        words = {lemmas[k] for k in inside} | {lowers[k] for k in inside}
        return bool(words & cues) or any(" " in c and c in sentence for c in cues)

    def _negated(self, text: str, lowers: Sequence[str], starts: Sequence[int], ti: int, s_start: int) -> bool:
        lex = self.lexicon
        if lex.negation is None:
            return False
        k = ti
        while k > 0 and ti - k < lex.negation_window:
            if starts[k - 1] < s_start or lowers[k - 1] in lex.breakers:
                break
            k -= 1
        window = text[starts[k]:starts[ti]] if k < ti else ""
        return bool(lex.negation.search(window))


def _chunk_before(text: str, pos: int) -> int:
    """Where the whitespace-delimited word before ``pos`` starts (0 if there is none)."""
    head = text[:pos].rstrip()
    return len(head) - len(head.rsplit(None, 1)[-1]) if head else 0


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end]. A line break ends it unless the sentence is wrapped: the line
    ends in a comma or a joining word, or the next line starts in lower case."""
    s = 0
    for m in _CLAUSE_END.finditer(text, 0, start):
        if m.group() != "\n" or not _wrapped(text, m.start()):
            s = m.end()
    for m in _CLAUSE_END.finditer(text, end):
        if m.group() != "\n" or not _wrapped(text, m.start()):
            return s, m.start() + 1
    return s, len(text)


_JOINING_WORDS = ("and", "or", "of", "as", "such", "the", "a", "an", "to", "with", "for", "in", "including")
_JOINING = re.compile(rf"(?:,|\b(?:{'|'.join(_JOINING_WORDS)}))[ \t]*$", re.I)
_JOINING_LONGEST = max(map(len, _JOINING_WORDS))


def _wrapped(text: str, newline: int) -> bool:
    nxt = text[newline + 1:newline + 2]
    if nxt.islower():
        return True
    line_start = text.rfind("\n", 0, newline) + 1
    if newline - line_start >= 400:
        return False
    # only the line's last word can match (a comma or a joining word, then spaces to the end): searched from a
    # few characters before it, not tried at every position of the line ("\b" still sees the character before)
    end = line_start + len(text[line_start:newline].rstrip(" \t"))
    return bool(_JOINING.search(text, max(line_start, end - _JOINING_LONGEST - 1), newline))
