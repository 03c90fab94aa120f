"""Names found by rules, before (and instead of) NER: after a label ("Client: …", "Mum (…)", "Dear …"), on the
line after a sign-off, a listed given name followed by a surname ("Grace Patel"), and later mentions of a
first or last name already found in the same text."""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.accounts import split_words
from detectors.ner import VERSUS, DisjointSpans, Span, SpanIndex, next_words
from detectors.nlp import NAME_WORD, PLURAL_S, is_english
from detectors.trie import CAPITAL, WORD_CHAR, trie_pattern, word_start

LABELLED_SCORE = 0.9
_POSSESSIVES = ("my", "her", "his", "their", "our", "your")      # before a relation: "my son Jayden"
# Titles that are also ordinary words, in Title case before a name that is no English word: "Judge Nguyen"
WORD_TITLES = ("judge", "nurse", "doctor", "father", "sister")
GIVEN_NAME_SCORE = 0.85                      # as NER's: a listed given name and a surname


class Cue(StrEnum):
    """What stands before a name that NameRules.find reads after it (its detection's explanation: "name " + cue)."""

    LABEL = "after a name label"                # "Name: ", "Patient: "
    SIGN_OFF = "after a sign-off"               # "Kind regards,⏎"
    TITLE = "after a personal title"            # "Mrs ", "Dr "
    BYLINE = "in a byline"                      # "By "
    RELATION_OR_GREETING = "after a relation or greeting"     # "my son ", "thanks "
    RELATION = "after a relation"               # "my grandson " (a possessive relation)
    OFFICE = "after a royal or office title"    # "Princess ", "King ", "Senator " before a listed given name


MENTION_SCORE = 0.75
SPEAKER = "a speaker beside a speech verb"      # the explanation's end of a name read beside "said", "says" ...
_WORD = r"[^\W\d_][\w'’\-]*"
_WORD_RE = re.compile(_WORD)
# words on one line; a middle initial's full stop stays inside ("Dr Robert S. Lasnik"), not a last one's ("Mr B. The")
# (one or two spaces between its words: three, or a tab, part a form's fields: "Ruby Thompson   Age 9")
_NAME_RUN = re.compile(rf"{_WORD}(?:(?:(?<=[ \t][A-Z])\.)?(?: {{1,2}}(?![ \t]))(?!\w\.\w){_WORD}){{0,4}}")
_FORM_GAP = re.compile(r"   |\t")
_TITLE_LEAD = re.compile(r"([^\W\d_]+)\.?[ \t]+")                # a word and a space: a title before a name
# A capitalised word, in any script with capitals
_CAP_WORD = CAPITAL + r"[\w'’\-]*"
_CAP_WORD_AT_START = word_start(CAPITAL, WORD_CHAR) + r"[\w'’\-]*"     # _CAP_WORD not right after a word
_GAP = r"[^\S\r\n]+"                            # spaces, tabs, no-break spaces: a run stays on its line
_RUN_WORDS = 3                               # the longest stretch of a capitalised run that is indexed
_RUN_TOKEN = re.compile(r"\S+")
_POSSESSIVE = re.compile(r"(?:['’]s?)$")
# A surname word: a capital and a lower-case letter somewhere ("Patel", "McDonald", "O'Brien"), or all capitals
# of three letters or more ("PATEL")
_SURNAME = re.compile(r"[^\W\d_](?=[\w'’\-]*[^\W\d_A-Z])[\w'’\-]*|[A-Z][A-Z'’\-]{2,}")


CITED_SCORE = 0.85                           # an author in a citation, a speaker before/after "said"
# A surname in a citation or beside a speech verb: a capital, then at least one lower-case letter
# ("Bavelier", "McFarlane", "Faretta-Stutenberg", "Munafò", "O'Brien")
_AUTHOR_REST = r"(?=[\w'’\-]*[a-zà-ÿ])[\w'’]*(?:-[^\W\d_][\w'’]*)?"
_AUTHOR = rf"[^\W\d_a-zà-ÿ]{_AUTHOR_REST}"
_AUTHOR_AT_START = word_start(r"[^\W\d_a-zà-ÿ]", WORD_CHAR) + _AUTHOR_REST   # _AUTHOR not right after a word
_AUTHOR_LIST = rf"{_AUTHOR}(?:(?:,[ \t]*(?:&[ \t]*|and[ \t]+)?|[ \t]*&[ \t]*|[ \t]+and[ \t]+){_AUTHOR})*"
_YEAR = r"(?:1[5-9]|20)\d\d[a-z]?"
# "(Li, Polat, & Bavelier, 2010; Klingberg et al., 2005)", "(see also Porte, 2012)": authors before a year, after
# "(" or "; "
_CITED = re.compile(rf"(?<=[(;])[ \t]*(?:(?:see|also|e\.g\.|cf\.|for example|for instance)[,]?[ \t]+){{0,3}}({_AUTHOR_LIST})"
                    rf"((?:[ \t]+et[ \t]+al\.?)?,?)[ \t]+{_YEAR}(?=[,;)])")
# "Cruse and Croft (2004)", "Makel et al. (2012)", "Sapir’s (1971)"
_NARRATIVE = re.compile(rf"(?<![\w'’\-])({_AUTHOR}(?:[ \t]+(?:and|&)[ \t]+{_AUTHOR})?)(?:[ \t]+et[ \t]+al\.)?"
                        rf"(?:['’]s)?[ \t]+$")
_BRACKET_YEAR = re.compile(rf"\({_YEAR}[),;]")
# An e-mail address's local part; two or three capitalised words right before an address on its line
_EMAIL_LOCAL = re.compile(r"(?<![\w.%+\-])([\w.%+\-]+)@[\w\-]+(?:\.[\w\-]+)+")
_BEFORE_EMAIL = re.compile(rf"(?<![\w\-])(?<!\w['’])({_AUTHOR}(?:[ \t]+{_AUTHOR}){{1,2}})[\"'’”]?[ \t]*[<(\[,:\-–]?[ \t]*"
                           r"(?:mailto:)?$")     # quoted too: "'Jo Bloggs' <j.bloggs@…>"
# A numbered reference ("[7]", "[3, 4]", "[12–14]"); two or more authors joined by "and" or "&", then a year or a
# numbered reference, without brackets around them: "Polio and Gass 1997", "Makel & Plucker, 2014 and ...",
# "Carrano & Biewener [7]"
_NUMBERED_REF = re.compile(r"\[\d{1,3}(?:[,–\-][ \t]*\d{1,3})*\]")
_JOINT = re.compile(rf"({_AUTHOR_AT_START}(?:,[ \t]*{_AUTHOR})*,?[ \t]+(?:and|&)[ \t]+{_AUTHOR})(?:['’]s)?"
                    rf",?[ \t]+(?:{_YEAR}(?![\w'’\-])|{_NUMBERED_REF.pattern})")
_SPEECH = r"(?:said|says|asked|asks|replied|replies|added|adds|explained|explains|recalled|recalls|insisted|" \
          r"whispered|shouted|answered|admitted|noted|wrote|writes|phoned|emailed)"
# "…,” Renata says." / "Moreau said" / "said Brenner": one or two capitalised words beside a speech verb
_SPEECH_VERB = re.compile(rf"\b{_SPEECH}\b")
_SPEAKER_BEFORE = re.compile(rf"(?<![\w'’\-])(?<!\bof )(?<!\bfor )({_AUTHOR}(?:[ \t]+{_AUTHOR})?)[ \t]+$")
_SPEAKER_AFTER = re.compile(rf"[ \t]+({_AUTHOR}(?:[ \t]+{_AUTHOR})?)(?![\w'’\-]|[ \t]+[A-Z])")
_HEADING = re.compile(r"[ \t]*([^\W\d_a-z][a-zà-ÿ'’\-]+(?:[ \t]+[^\W\d_a-z][a-zà-ÿ'’\-]+){1,2})[ \t]*(?:\n|$)")
_NO_ARTICLE = "".join(rf"(?<!\b{w} )" for w in ("the", "The", "a", "A", "an", "An", "our", "Our", "this", "his", "her"))
_LETTERS = re.compile(r"[^\W\d_]+")
# NOTE: each starts with its first letter outside the case-insensitive group, which re scans for quickly (a
# pattern that starts with "\b" is tried at every position); "(?<=\b.)" is the "\b" before that letter
_MY_NAME = re.compile(r"[mMiIcC](?<=\b.)(?i:(?<=m)y name is|(?<=m)y name's|(?<=i) am called|(?<=c)all me)"
                      r"(?i:[ \t]+(?=[a-z]))")
# a personal title in lower case before a lower-case word: "mr wenger", "spoke to mrs okafor" (not "miss": "miss you")
_LOWER_TITLE = re.compile(r"(?<![\w'’\-.])(?:mrs|mr|ms|dr)\.?[ \t]+(?=[a-z])")
_I_AM = re.compile(r"[iI](?<=\b.)(?i:'m|’m|m| am)(?i:[ \t]+(?=[a-z]))")
_FUNCTION_WORDS = frozenset(STOP_WORDS)          # "We wrote", "It says": not speakers
# a pronoun with a contracted verb: "I'll", "I’d", "We're", "She's" (not a name: "O'Brien" has no such ending)
_CONTRACTION = re.compile(r"(?i)(?:i|you|he|she|it|we|they|that|there|who)['’](?:ll|d|m|re|ve|s)$")
# "#BillClinton", "#SharonDClarke": a given name, an initial at most, a surname, run together after "#"
_NAME_HASHTAG = re.compile(r"(?<![\w&])#([A-Z][a-z]+)([A-Z])?([A-Z][a-z]{2,})(?![\w'’\-])")
_LOWER_HASHTAG = re.compile(r"(?<![\w&])#([a-z]{8,24})(?![\w'’\-])")      # "#dianeabbott", "#richardfortey"
_HASHTAG_WHY = "name: a hashtag of a given name and a surname"
MONTHS = frozenset(["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "spring", "summer", "autumn", "fall", "winter"])


_PLAIN_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ı": "i", "æ": "ae", "œ": "oe", "ß": "ss",
                                "þ": "th"})


def plain(word: str) -> str:
    """``word`` (lower case) with its accents taken off and letters without an accent written plainly ("josé" ->
    "jose", "søren" -> "soren", "łukasz" -> "lukasz")."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.translate(_PLAIN_LETTERS))
                   if not unicodedata.combining(c))


class GivenNames(frozenset[str]):
    """Listed given names in lower case that also hold each name written with accents the list leaves off:
    "josé", "zoë" and "søren" are in it when "jose", "zoe" and "soren" are. Set operations give plain frozensets."""

    def __contains__(self, word: object) -> bool:
        if frozenset.__contains__(self, word):
            return True
        return isinstance(word, str) and not word.isascii() and frozenset.__contains__(self, plain(word))


def phrase_alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` (phrases: a space matches any run of spaces or tabs), the longest match
    first, for a case-insensitive pattern (the words are lower-cased). Shaped as their prefix tree
    (trie_pattern): the name rules try their label, greeting and relation lists at every word of every text,
    and a flat alternation of a few hundred phrases is tried phrase by phrase."""
    return trie_pattern(sorted({str(w).lower() for w in words})).replace(r"\ ", r"[ \t]+")


def lower_set(words: Any) -> frozenset[str]:
    """A lexicon's word list, lower case (none when the key is missing)."""
    return frozenset(str(w).lower() for w in words or ())


@dataclass(frozen=True)
class NameRules:
    labels: re.Pattern[str] | None
    sign_offs: re.Pattern[str] | None
    particles: frozenset[str]
    stop: frozenset[str]              # words that end a name (common words, titles)
    caps: re.Pattern[str]             # a run of capitalised words, lower-case particles allowed inside
    given: frozenset[str] = frozenset()          # given names (lower case), configs/lexicons/given_names.yaml
    not_surnames: frozenset[str] = frozenset()   # organisation and street words: "Grace Church", "Victoria Road"
    titled: re.Pattern[str] | None = None        # a personal title before a name: "Mr Kowalczyk", "Dr. Zoë Ó Briain"
    titles: frozenset[str] = frozenset()         # personal titles (lower case, no dot): "mr", "dr", "pan" ...
    bylines: re.Pattern[str] | None = None       # a line's start naming its writer: "By ", "Prepared by "
    dictionary: frozenset[str] = frozenset()     # English words (lower case): "By Royal Appointment" names no one
    cued: re.Pattern[str] | None = None          # a relation or greeting before a given name: "my son ", "thanks "
    capital_titles: frozenset[str] = frozenset()  # police and court titles written like initials: "pc", "hhj"
    surname_months: frozenset[str] = frozenset()  # months that are also surnames: "may" ("Theresa May")
    germs: frozenset[str] = frozenset()           # species epithets after a genus's initial: "coli" ("E. coli")
    lord_offices: frozenset[str] = frozenset()    # what follows "Lord" or "Lady" where no name does: "mayor"
    vocative_leads: frozenset[str] = frozenset()  # words before ", <name>" that speak to someone: "thanks"
    not_initials: frozenset[str] = frozenset()    # abbreviations written like initials: "us" ("U.S."), "ps"
    roles_before: re.Pattern[str] | None = None   # a role or relation right before initials: "The mother, "
    offices: frozenset[str] = frozenset()         # offices named without their holder: "president", "premier"
    officed: re.Pattern[str] | None = None       # a one-word office title in Title case before a name: "Princess "

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], stop: Iterable[str], given: Iterable[str] = (),
                     org_words: Iterable[str] = (), dictionary: frozenset[str] = frozenset()) -> NameRules:
        """``data``: configs/lexicons/ner.yaml; ``org_words`` with its ``street_words`` and ``landscape_words`` end a
        given-name match;
        ``dictionary``: English words, lower case (a byline names someone only in words that are not, unless
        it starts with a listed given name)."""
        labels = list(data.get("name_labels", ()) or ())
        salutations = list(data.get("salutations", ()) or ())
        label_re = None
        if labels or salutations:
            parts = []
            if labels:
                # "Name: ", "Name - ", or a table's label cell: "Name⇥"
                parts.append(rf"(?:{phrase_alternation(labels)})(?:[ \t]*(?::|\(|-|–)[ \t]*|\t+)")
            if salutations:
                parts.append(rf"(?:{phrase_alternation(salutations)})[ \t]+")
            label_re = re.compile(rf"(?im)(?<![\w/])(?:{'|'.join(parts)})(?={_WORD})")
        sign = data.get("sign_offs", ()) or ()
        sign_re = re.compile(rf"(?im)^[ \t]*(?:{phrase_alternation(sign)})[ \t]*[,!.]?[ \t]*\n[ \t]*(?=\S)") if sign else None
        particles = frozenset(w.lower() for w in data.get("name_particles", ()) or ())
        inside = "|".join(sorted(map(re.escape, particles), key=len, reverse=True)) or "(?!)"
        caps = re.compile(_CAP_WORD_AT_START + rf"(?:{_GAP}(?:(?:{inside}){_GAP})*{_CAP_WORD})+")
        # Personal titles (not "Master", "Sister", "Father", "Baby", "Judge": also ordinary words) in Title case
        title_words = lower_set(data.get("title_words"))
        personal = [t for t in data.get("titles", ()) or () if str(t).lower() not in title_words]
        titled = re.compile(rf"(?<![\w'’\-])(?:{'|'.join(re.escape(str(t).capitalize()) for t in personal)})\.?"
                            rf"[ \t]+(?=[^\W\d_a-z])") if personal else None
        relations = data.get("relations", ()) or ()
        greetings = data.get("greetings", ()) or ()
        # one prefix tree of every cue, "my son" and "son" alike (a possessive as an optional group before the
        # relations took half as long again)
        cues = [*relations, *(f"{p} {r}" for p in _POSSESSIVES for r in relations),
                *greetings]
        # any letter after: a lower-case name counts only after a possessive relation (find(), _lower_relative)
        cued = re.compile(rf"(?<![\w'’\-])(?i:{phrase_alternation(cues)}),?[ \t]+(?=[^\W\d_])") if cues else None
        roles = data.get("roles_before_initials", ()) or ()
        roles_re = re.compile(rf"(?i)\b(?:{phrase_alternation(roles)}),?[ \t]+$") if roles else None
        # an office title, or a title that is also an ordinary word ("Judge Nguyen": _after_word_title)
        offices = [str(t) for t in data.get("office_titles", ()) or () if " " not in str(t)] + list(WORD_TITLES)
        officed = re.compile(rf"(?<![\w'’\-])(?:{'|'.join(re.escape(t.capitalize()) for t in offices)})[ \t]+"
                             rf"(?=[^\W\d_a-z])") if offices else None
        by = data.get("bylines", ()) or ()
        by_re = re.compile(rf"(?m)^[ \t]*(?i:{phrase_alternation(by)})[ \t]+(?=[^\W\d_a-z])") if by else None
        return cls(label_re, sign_re, particles, frozenset(w.lower() for w in stop), caps,
                   GivenNames(w.lower() for w in given),
                   frozenset(str(w).lower() for w in (*org_words, *(data.get("street_words", ()) or ()),
                                                      *(data.get("landscape_words", ()) or ()))), titled,
                   frozenset(str(t).lower() for t in data.get("titles", ()) or ()), by_re, dictionary, cued,
                   lower_set(data.get("capital_titles")), lower_set(data.get("surname_months")),
                   lower_set(data.get("germ_epithets")), lower_set(data.get("lord_offices")),
                   lower_set(data.get("vocative_leads")), lower_set(data.get("not_initials")), roles_re,
                   lower_set(data.get("office_titles")), officed)

    def candidates(self, text: str) -> set[str]:
        """Every stretch of two or three capitalised words of a run on one line ("Ruby Smith", "Mary Ann Smith",
        "Jan van Dijk" and "Zoë Ó Briain", "Van Dijk"), the run split at stop words (titles, common words).

        The subject index keeps these for prose that NER was not given (the object's NER budget was spent),
        so a name search still finds a person named after that point. Most stretches are not names
        ("Family Centre"); each costs one index row that only a search for that exact phrase would hit.
        Names in scripts without capitals, or written in lower case, are not found this way."""
        out: set[str] = set()
        for m in self.caps.finditer(text):
            words: list[str] = []
            for token in m.group().split():
                word = token.rstrip("'’").removesuffix("'s").removesuffix("’s")
                if word[:1].islower():                  # a particle inside the run ("van")
                    if words:
                        words.append(word)
                elif word.lower() in self.stop:
                    _stretches(words, out)
                    words = []
                else:
                    words.append(word)
            _stretches(words, out)
        return out

    def find(self, text: str) -> list[Span]:
        # a name written surname first is whole before a label's rule reads only its surname ("Patient: Smith, Jo")
        out: list[Span] = self.inverted(text)
        inverted = SpanIndex((s.start, s.end) for s in out)
        for regex, why in ((self.labels, Cue.LABEL), (self.sign_offs, Cue.SIGN_OFF), (self.titled, Cue.TITLE),
                           (self.bylines, Cue.BYLINE), (self.cued, Cue.RELATION_OR_GREETING),
                           (self.officed, Cue.OFFICE),
                           (_COURT_TITLE if any(key in text for key in _COURT_KEYS) else None, Cue.TITLE)):
            if regex is None:
                continue
            for m in regex.finditer(text):
                if regex is self.titled and self._an_office(text, m):
                    continue                     # "Lord Mayor", "Lord Justice Haddon-Cave": an office, not a name
                if regex is self.officed and m.group().split()[0].lower() in WORD_TITLES:
                    span = self._after_word_title(text, m)
                elif regex is self.cued and text[m.end()].islower():
                    span = self._lower_relative(text, m) if _POSSESSIVE_CUE.match(m.group()) else None
                elif regex is self.cued and _POSSESSIVE_CUE.match(m.group()):
                    span = self._name_at(text, m.end(), Cue.RELATION)      # "my grandson Mikey"
                else:
                    span = self._name_at(text, m.end(), why)
                if span is not None and why is Cue.OFFICE and span.why.endswith(Cue.OFFICE.value):
                    span = replace(span, start=m.start())        # "Princess Beatrice": the title is the name's
                if span is not None and not inverted.overlaps(span.start, span.end):
                    out.append(span)
        taken = SpanIndex((s.start, s.end) for s in out)
        out.extend(s for s in self.initials(text) + self.initials_alone(text) if not taken.overlaps(s.start, s.end))
        if self.given:
            taken = SpanIndex((s.start, s.end) for s in out)
            out.extend(s for s in self.given_names(text) if not taken.overlaps(s.start, s.end))
        taken = SpanIndex((s.start, s.end) for s in out)
        out.extend(s for s in self.cited(text) + self.lower_case(text) + self.heading(text) + self.beside_email(text)
                   + self.judges(text) + self.hashtags(text) + self.before_birth(text)
                   if not taken.overlaps(s.start, s.end))
        return out

    def hashtags(self, text: str) -> list[Span]:
        """A hashtag that is a person's name written run together in Title case: a listed given name, at most
        one initial, and a surname ("#AlexFerguson", "#SharonDClarke"): not a common, organisation or street word
        ("#KevChat", "#GraceChurch"), nor a plural ("#CameronTunes"). NOTE: WordNet's words are not checked: it
        holds many surnames ("Clinton", "Richards", "Ferguson"). Or in lower case (_run_together_name). The span
        is the name, without the "#"."""
        out: list[Span] = []
        if "#" not in text or not self.dictionary:
            return out
        for m in _NAME_HASHTAG.finditer(text):
            given, surname = m.group(1), m.group(3)
            lower = surname.lower()
            if given.lower() not in self.given or self._no_name(lower) or (
                    lower not in self.dictionary and self.english(lower)):
                continue                 # "#CameronTunes": a common noun's plural, not a surname
            out.append(Span("PERSON", m.start(1), m.end(3), GIVEN_NAME_SCORE, _HASHTAG_WHY))
        out.extend(Span("PERSON", m.start(1), m.end(1), GIVEN_NAME_SCORE, _HASHTAG_WHY)
                   for m in _LOWER_HASHTAG.finditer(text) if self._run_together_name(m.group(1)))
        return out

    def _run_together_name(self, run: str) -> bool:
        """Whether a lower-case run is a listed given name and a surname written together ("dianeabbott",
        "richardfortey"): the longest listed given name of four letters or more that starts it, then four letters
        or more that are no English word and no run of English words ("kateplusate" is "plus" and "ate")."""
        if self.english(run) or split_words(run, self.dictionary):
            return False                 # "christmasjumper", "retailers": English words, whatever name starts it
        for cut in range(len(run) - 4, 3, -1):
            if run[:cut] in self.given:
                rest = run[cut:]
                return not (self._no_name(rest) or self.english(rest) or split_words(rest, self.dictionary))
        return False

    def judges(self, text: str) -> list[Span]:
        """A judge named with the post after the surname, as judgments write them: "Arden LJ", "Lord Reed JSC",
        "Kerr J" (after "J" alone, only a surname that is no English word: not "Schedule J"). Not a common,
        organisation or function word ("Court LJ")."""
        out: list[Span] = []
        if not _JUDGE_POST.search(text):
            return out                           # NOTE: the post first: a pattern that starts with a space is fast
        for m in _JUDGE.finditer(text):
            surname = m.group(1)
            lower = surname.lower()
            if self._no_name(lower):
                continue
            if m.group(2) == "J" and (not self.dictionary or self.english(lower)):
                continue
            out.append(Span("PERSON", m.start(1), m.end(1), LABELLED_SCORE, "name: a judge, the post after the name"))
        return out

    def initials(self, text: str) -> list[Span]:
        """Names with initials: a personal title, a listed given name or a second initial before one or more
        initials and a surname ("Mr J. Pryce", "Anna K. Lind", "J. R. R. Tolkien", "T.W. Shannon"), or one
        initial before a listed given name and a surname ("L. Ron Hubbard"); or initials, with or without full
        stops, or a police or court title in capitals, before a surname that is no English word ("R Saravanan",
        "JK Rowling", "K. Okafor", "DC Hughes-Evans"; not "Appendix B Guidance", "A Study", "PC World", nor "J
        Smith" with no title: precision first; WordNet also holds many surnames). Not abbreviations ("U.S. Army",
        "P.S. What", "Washington D.C."): the surname must have a lower-case letter and be no common,
        organisation, street or function word, nor a word the text writes in lower case, and the initials no known
        abbreviation."""
        out: list[Span] = []
        for m in _INITIALS.finditer(text):
            letters = m.group("initials")
            title = letters.lower() in self.capital_titles
            if (_key_initials(letters) in self.not_initials or ("." not in letters and len(letters) > 2)) and not title:
                continue
            before = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
            lead = before.group(1).rstrip(".").lower() if before is not None else ""
            dotted = "." in letters
            n = letters.count(".") if dotted else len(letters)
            rest = list(_WORD_RE.finditer(text, m.end(), m.end() + 80))[:3]
            words: list[re.Match[str]] = []
            for w in rest:
                if text[(words[-1].end() if words else m.end()):w.start()].strip(" \t") or not w.group()[:1].isupper():
                    break
                words.append(w)
            if not words:
                continue
            # "L. Ron Hubbard": one initial, then a listed given name and a surname
            given_first = len(words) >= 2 and words[0].group().lower() in self.given
            surnames = words[1:2] if given_first else words[:1]
            core = [_POSSESSIVE.sub("", w.group()) for w in surnames]
            if any(self._no_name(c.lower()) or not _SURNAME.fullmatch(c) or c.isupper() for c in core):
                continue
            if any(c.lower() in lower_words(text) for c in core):
                continue                                       # "U.S.G. Academic ... academic": a word
            # NOTE: a surname no English word: "R Saravanan", "K. Okafor", not "Appendix B Guidance", "A Study"
            # (and so not "J Smith" without a title: precision first)
            # ... and not a letter that labels what comes before it ("Gate K Heathrow", "Platform B", "Form P"), nor
            # a germ ("E Coli", "C Diff")
            labelled = not dotted and before is not None and before.group(1)[:1].isupper() and lead not in self.titles \
                and len(lead) > 1                              # an initial before it is fine: "N S Andres"
            foreign = bool(self.dictionary) and not given_first and (dotted or letters != "RT") and not labelled \
                and all(NAME_WORD.fullmatch(c) and not self.english(c.lower()) and c.lower() not in self.germs
                        for c in core)
            start = m.start()
            if lead in self.given and before is not None and before.group(1)[:1].isupper():
                start = before.start(1)                        # "Anna K. Lind"
            elif not (lead in self.titles or (dotted and (n >= 2 or given_first)) or foreign):
                continue
            end = surnames[-1].start() + len(core[-1])
            out.append(Span("PERSON", start, end, LABELLED_SCORE, "name: initials and a surname"))
        return out

    def _after_word_title(self, text: str, title: re.Match[str]) -> Span | None:
        """The name after a title that is also an ordinary word ("Judge Nguyen", "Nurse Okafor", "Father Declan
        Murphy"), the title left out: its first word a listed given name, or (with a dictionary) no English or
        function word (not "Father Christmas", "Sister Act", "Doctor Who")."""
        span = self._name_at(text, title.end(), Cue.TITLE)
        if span is None:
            return None
        first = _WORD_RE.match(text, span.start)
        lower = first.group().lower().rstrip("'’") if first is not None else ""
        if lower in self.given or (self.dictionary and len(lower) > 1 and not self.english(lower)
                                   and not self._no_name(lower)):
            return span
        return None

    def _lower_relative(self, text: str, cue: re.Match[str]) -> Span | None:
        """The lower-case name right after a possessive relation ("my sister olivia", "our son jayden's"): one
        word, a listed given name that is no English or function word (lower_name: not "my son will")."""
        word = _WORD_RE.match(text, cue.end())
        if word is None:
            return None
        value = _POSSESSIVE.sub("", word.group())
        if not value.islower() or not self.lower_name(value):
            return None
        return Span("PERSON", word.start(), word.start() + len(value), LABELLED_SCORE,
                    "name (a listed given name) in lower case after a relation")

    def _no_name(self, lower: str) -> bool:
        """A lower-case word that is never a name: a common, title or organisation word (``stop``), a street or
        landscape word, a function word or a month."""
        return lower in self.stop or lower in self.not_surnames or lower in _FUNCTION_WORDS or lower in MONTHS

    def english(self, word: str) -> bool:
        """An English word, or one with a plural or third-person "s" ("Beginners", "Stands")."""
        return is_english(word, self.dictionary, PLURAL_S)

    def lower_name(self, word: str) -> bool:
        """Whether ``word``, in lower case, is still a name when a text writes it so: a listed given name that is
        no English or function word ("kayleigh", not "grace" or "will"; none without a dictionary)."""
        return bool(self.dictionary) and word in self.given and not self._no_name(word) and not self.english(word)

    @staticmethod
    def _lower_titles(text: str) -> Iterator[re.Match[str]]:
        """_LOWER_TITLE's matches, looked for only where "mr", "ms" or "dr" is written (str.find is far faster
        than the pattern tried at every "m" and "d")."""
        for key in ("mr", "ms", "dr"):
            at = text.find(key)
            while at >= 0:
                m = _LOWER_TITLE.match(text, at)
                if m is not None:
                    yield m
                at = text.find(key, at + 2)

    def inverted(self, text: str) -> list[Span]:
        """A name written surname first, as lists, records and bibliographies write it: "Christie, Agatha.",
        "Smith, John" at a line's end, "Marx, Karl and Engels, Friedrich", a form's "Name: KOWALSKA, Anna Maria" —
        a capitalised surname (in capitals only at a line's start or after a label; there one more given name
        may follow, as after any surname), a comma and a listed given name, then the end of the line or of a
        form's field (two spaces
        or a tab), a full stop, a semicolon or "and"/"&" (not "Paris, France"; not an organisation, street or
        common word as the surname)."""
        out: list[Span] = []
        if not self.given:
            return out
        for m in _INVERTED.finditer(text):
            surname, first = m.group(1) or m.group(4), m.group(2) or m.group(5)   # 4, 5: a surname in capitals
            if m.group(3) and (m.group(3).strip().lower() not in self.given
                               or not _FIELD_BEFORE.search(text, max(0, m.start() - 40), m.start())):
                continue                 # a second listed given name only as a form writes it: "Name: Ramírez, José
                                         # Luis" (not "Respectfully, George Chriss")
            if first.lower() not in self.given or self._no_name(surname.lower()) or surname.lower() in self.vocative_leads:
                continue
            if surname.lower() in self.given and _LIST_BEFORE.search(text, max(0, m.start() - 6), m.start()):
                continue                 # "Siblings: Tia, Kai", "Amir, Tia, Kai": a list of given names
            if surname.isupper() and not _FIELD_BEFORE.search(text, max(0, m.start() - 40), m.start()):
                continue                 # a surname in capitals only as a form writes it: "Name: KOWALSKA, Anna"
            out.append(Span("PERSON", m.start(), m.end(), GIVEN_NAME_SCORE, "name: surname, given name"))
        return out

    def before_birth(self, text: str) -> list[Span]:
        """One to four capitalised words right before a date of birth's or an age's label in brackets or after
        a comma ("Referral for Holger Neuschäfer (DOB 03/04/2011)", "Katri Kärki, born 1984", "Jo (aged 12)"):
        the person it belongs to. Not a common, organisation, street or title word ("Referral (DOB"), nor a
        name after a place preposition ("University of Santa Catarina, aged 7 and 9"); a personal title before
        the name is left out."""
        out: list[Span] = []
        for m in _BIRTH_AFTER.finditer(text) if _BIRTH_KEYS.search(text) else ():
            before = _NAME_BEFORE_BIRTH.search(text, max(0, m.start() - 80), m.start())
            if before is None or _CAP_WORD_BEFORE.search(text, max(0, before.start(1) - 40), before.start(1)):
                continue                     # the name's run starts further back, after "of": a place's name
            words = list(_WORD_RE.finditer(text, before.start(1), before.end(1)))
            while words and words[0].group().rstrip(".").lower() in self.titles:
                words = words[1:]
            if not words or any(self._no_name(w.group().lower()) for w in words) or words[-1].group().isupper():
                continue
            out.append(Span("PERSON", words[0].start(), words[-1].end(), LABELLED_SCORE,
                            "name: before a date of birth or an age"))
        return out

    def heading(self, text: str) -> list[Span]:
        """A text's first line that is two or three capitalised words ("Brock Holt") is a person's name when
        its last word recurs on its own, capitalised inside a sentence, at least twice further on (a
        biography, a letter or file headed with the person it is about). Not when a word is a common,
        organisation, street or title word, nor when that word is also written in lower case in the text."""
        m = _HEADING.match(text)
        if m is None:
            return []
        words = m.group(1).split()
        if any(w.lower() in self.stop or w.lower() in self.not_surnames or w.lower() in _FUNCTION_WORDS
               for w in words):
            return []
        last = words[-1]
        alone = re.compile(rf"{_NO_ARTICLE}(?<=[a-z,;][ \t]){re.escape(last)}(?![\w'’\-])")
        if len(alone.findall(text, m.end())) < 2 or last.lower() in lower_words(text):
            return []                # a common noun: "the Report", or written in lower case elsewhere
        return [Span("PERSON", m.start(1), m.end(1), LABELLED_SCORE, "name: a heading whose surname recurs")]

    def beside_email(self, text: str) -> list[Span]:
        """Two or three capitalised words right before an e-mail address on their line whose local part spells
        the last word and the first word or its initial ("Bruna Anastacio brunaanastacio@…", "Jo Bloggs
        <j.bloggs@…>"): the address's owner. Not when a word is a common, organisation or street word, nor words
        that are all English words without a listed given name first ("Help Desk helpdesk@…")."""
        out: list[Span] = []
        for e in _EMAIL_LOCAL.finditer(text) if "@" in text else ():
            m = _BEFORE_EMAIL.search(text, max(0, e.start() - 80), e.start())
            if m is None:
                continue
            words = m.group(1).split()
            keys = [_folded(w) for w in words]
            local = _folded(e.group(1))
            first, last = keys[0], keys[-1]
            if len(last) < 3 or last not in local or not (first in local or local.startswith(first[:1])):
                continue
            lowered = [w.lower() for w in words]
            if any(w in self.stop or w in self.not_surnames or w in _FUNCTION_WORDS for w in lowered):
                continue
            if lowered[0] not in self.given and all(w in self.dictionary or not self.dictionary for w in lowered):
                continue
            end = m.start(1) + len(m.group(1).rstrip("'’"))      # a closing quote is no part of the name
            out.append(Span("PERSON", m.start(1), end, LABELLED_SCORE, "name beside its e-mail address"))
        return out

    def lower_case(self, text: str) -> list[Span]:
        """A name in lower case only with a strong cue: "my name is olga petrova" (one or two words that are
        not common words), "i'm jake" / "cheers,⏎marta" (a listed given name that is not an English word),
        "mr wenger" / "spoke to mrs okafor" (a personal title, then a word that is no English word)."""
        out: list[Span] = []
        for m in _MY_NAME.finditer(text):
            words = list(_WORD_RE.finditer(text, m.end(), m.end() + 40))[:2]
            if m.group().lower().startswith("call") and not words[0].group()[:1].isupper():
                continue                          # "don't call me stupid": only "Call me Ishmael" names
            kept: list[re.Match[str]] = []
            for w in words:
                if w.group().lower() in _FUNCTION_WORDS or w.group().lower() in self.stop or \
                        (kept and text[kept[-1].end():w.start()].strip()):
                    break
                kept.append(w)
            if kept:
                out.append(Span("PERSON", kept[0].start(), kept[-1].end(), LABELLED_SCORE, "name after 'my name is'"))
        for m in self._lower_titles(text) if self.dictionary else ():
            word = _WORD_RE.match(text, m.end())
            if word is not None and word.group().islower() and len(word.group()) >= 3 \
                    and not self._no_name(word.group()) and not self.english(word.group()):
                out.append(Span("PERSON", word.start(), word.end(), LABELLED_SCORE,
                                "name after a personal title in lower case"))
        if self.given:
            for regex in (_I_AM, self.sign_offs):
                for m in regex.finditer(text) if regex is not None else ():
                    word = _WORD_RE.match(text, m.end())
                    if word is None:
                        continue
                    w = word
                    if w.group().islower() and w.group() in self.given and w.group() not in _FUNCTION_WORDS \
                            and w.group() not in self.stop:
                        out.append(Span("PERSON", w.start(), w.end(), LABELLED_SCORE,
                                        "name (a listed given name) after 'I'm' or a sign-off"))
        return out

    def cited(self, text: str) -> list[Span]:
        """Authors in citations ("(Marsden, Mackey, & Plonsky, 2016)", "Cruse and Croft (2004)") and a speaker
        beside a speech verb ("Renata says", "said Brenner"), each name a PERSON. Not a name after "the" before a
        year in brackets: a title ("Calling the Shots (1988)"). One author in brackets
        needs a comma or "et al." before the year ("(Porte, 2012)", not "(Windows 2000)"), or another citation
        in the same brackets ("(Heidenreich & Turano 2011; Milekic 2010)"). Never a word the
        text also writes in lower case ("Burning Man (2011)" beside "a man")."""
        out: list[Span] = []
        single: list[re.Match[str]] = []          # one author, no comma: "(Milekic 2010)" or "(Windows 2000)"
        sure: list[int] = []
        for m in _CITED.finditer(text):
            authors = list(_WORD_AUTHOR.finditer(text, m.start(1), m.end(1)))
            if len(authors) == 1 and not m.group(2):
                single.append(authors[0])
                continue
            sure.append(m.start())
            out.extend(self._author(text, a.start(), a.end(), "an author in a citation") for a in authors)
        for a in single:                          # ... a citation when its brackets hold a sure one
            opened, closed = text.rfind("(", 0, a.start()), text.find(")", a.end())
            if any(opened < at < closed for at in sure):
                out.append(self._author(text, a.start(), a.end(), "an author in a citation"))
        # NOTE: anchored on the rarer part (a bracketed year, a speech verb), then the name is matched
        # backwards from it: a scan for a capitalised name at every position cost more than the rest.
        for y in _BRACKET_YEAR.finditer(text):
            named = _NARRATIVE.search(text, max(0, y.start() - 80), y.start())
            if named is not None and not _in_a_title(text, named.start(1)) \
                    and not _THE.search(text, max(0, named.start(1) - 5), named.start(1)):
                for a in _WORD_AUTHOR.finditer(text, named.start(1), named.end(1)):
                    out.append(self._author(text, a.start(), a.end(), "an author before a year in brackets"))
        # NOTE: only in a text that cites (a citation above, or numbered references): elsewhere "Health and
        # Safety 2021" or "Terms and Conditions 2023" are headings, not authors
        if any(s.entity == "PERSON" for s in out) or len(_NUMBERED_REF.findall(text)) >= 2:
            for m in _JOINT.finditer(text):
                end = m.end(1) - 2 if m.group(1).endswith(("'s", "’s")) else m.end(1)     # "Quist and Adeyemi's"
                out.extend(self._author(text, a.start(), a.end(), "an author in a citation")
                           for a in _WORD_AUTHOR.finditer(text, m.start(1), end) if a.group() != "and")
        for v in _SPEECH_VERB.finditer(text):
            before = _SPEAKER_BEFORE.search(text, max(0, v.start() - 60), v.start())
            after = _SPEAKER_AFTER.match(text, v.end())
            for speaker in (before, after):
                if speaker is not None and not (speaker is before and self._common_speaker(speaker.group(1))
                                                and _HEADLINE_START.search(text, max(0, speaker.start(1) - 20), speaker.start(1))):
                    out.append(self._author(text, speaker.start(1), speaker.end(1), SPEAKER))
        kept = DisjointSpans()
        return [s for s in out if s.entity == "PERSON" and kept.add(s.start, s.end)]

    def _common_speaker(self, value: str) -> bool:
        """One word that is an English word and no listed given name: at a headline's start before a speech
        verb, a publication, a report or a body that "says" ("Vogue says", "Survey says", "Report says"), not a
        person. NOTE: only at a line's start: mid-sentence, WordNet's proper nouns are surnames too ("this is
        what Luther writes", "Smith noted")."""
        lower = _POSSESSIVE.sub("", value).lower()
        return " " not in value.strip() and bool(self.dictionary) and self.english(lower) and lower not in self.given

    def anonymised(self, text: str, start: int, end: int) -> bool:
        """Whether text[start:end] is a person's initials as judgments and case files anonymise names: two or
        three dotted capitals ("B.K.") right after a role or relation (``roles_before``: "The mother, B.K.,
        objected") or before "(a child" or "(aged"; not an abbreviation written the same way (``not_initials``:
        "U.S.", "D.C."), and not elsewhere ("from N.I.")."""
        value = text[start:end]
        if _DOTTED.fullmatch(value) is None or _key_initials(value) in self.not_initials:
            return False
        return bool((self.roles_before is not None and self.roles_before.search(text, max(0, start - 40), start))
                    or _CHILD_AFTER.match(text, end))

    def initials_alone(self, text: str) -> list[Span]:
        """Initials that stand for a person, as judgments and case files anonymise people: two or three dotted
        capitals, no surname after them, right after a personal title in Title case ("Mr A.B.", "Dr K.L.M.";
        "Mr A.D." too), or where anonymised() says so ("the mother, B.K.,", "Captain H.T.", "B.K. (aged 9)"), and
        the initials listed after such ones ("Judges M.Y., A.K. and S.T.")."""
        out: list[Span] = []
        if "." not in text:
            return out
        for m in _DOTTED_ALONE.finditer(text):
            before = _WORD_BEFORE.search(text, max(0, m.start() - 20), m.start())
            title = before is not None and before.group(1)[:1].isupper() \
                and before.group(1).rstrip(".").lower() in self.titles
            # listed after a person's initials, unless an abbreviation before a word ("Mr A.B., U.S. citizen")
            listed = bool(out) and _INITIALS_LIST_GAP.fullmatch(text, out[-1].end, m.start()) is not None \
                and not (_key_initials(m.group()) in self.not_initials and _LOWER_WORD_AFTER.match(text, m.end()))
            if title or listed or self.anonymised(text, m.start(), m.end()):
                out.append(Span("PERSON", m.start(), m.end(), LABELLED_SCORE, "name: a person's initials"))
        return out

    def initials_as_persons(self, text: str, spans: Iterable[Span], is_place: Callable[[str], bool]) -> list[Span]:
        """``spans`` with NER's LOCATION on a person's anonymised initials (see anonymised) relabelled PERSON,
        unless ``is_place`` knows the value."""
        return [Span("PERSON", s.start, s.end, s.score, f"{s.why}, a person's initials")
                if s.entity == "LOCATION" and s.why.startswith("spaCy") and self.anonymised(text, s.start, s.end)
                and not is_place(text[s.start:s.end]) else s for s in spans]

    def _an_office(self, text: str, title: re.Match[str]) -> bool:
        """Whether "Lord" or "Lady" matched by ``title`` comes before an office ("Lord Mayor", "Lady Justice")."""
        if title.group().split()[0].rstrip(".").lower() not in ("lord", "lady"):
            return False
        word = _LETTERS.match(text, title.end())
        return word is not None and word.group().lower() in self.lord_offices

    def _month_surname(self, text: str, taken: int, lower: str, end: int) -> bool:
        """Whether the month ``lower`` is a surname here: right after the given name and not before a day or a
        year ("Theresa May to", "Brian May's", not "Grace May 12" nor "Friday May 2021")."""
        return taken == 0 and lower in self.surname_months and not _DIGITS_AFTER.match(text, end)

    def _author(self, text: str, start: int, end: int, why: str) -> Span:
        words = text[start:end].split()
        if any(w.lower().rstrip("'’") in self.stop or self._no_name(w.lower()) or _CONTRACTION.match(w)
               or w.lower() in lower_words(text) for w in words) or text[start:end].lower() in self.offices:
            return Span("-", start, end, 0.0, why)          # a common word, title, month or a word written
                                                            # in lower case elsewhere ("Burning Man ... a man")
        return Span("PERSON", start, end, CITED_SCORE, f"name: {why}")

    def given_names(self, text: str) -> list[Span]:
        """A listed given name in Title case, then one or two capitalised surname words on its line ("Grace
        Patel", "Mary Ann Smith", "Aisha bin Salleh"), as a PERSON. Not when a surname word or the word after
        is an organisation or street word ("Grace Church", "Victoria Road", "Grace Patel Foundation")."""
        out: list[Span] = []
        for run in self.caps.finditer(text):
            words = [(run.start() + w.start(), w.group()) for w in _RUN_TOKEN.finditer(run.group())]
            i = 0
            while i < len(words):
                found = self._given_at(text, words, i)
                if found is None:
                    i += 1
                    continue
                span, i = found
                out.append(span)
        return out

    def _given_at(self, text: str, words: list[tuple[int, str]], i: int) -> tuple[Span, int] | None:
        start, word = words[i]
        first = word.split("-", 1)[0]
        if not (first[1:].islower() and first[:1].isupper()) or first.lower() not in self.given \
                or word.lower() in self.stop:
            return None
        end, taken, j = None, 0, i + 1
        while j < len(words) and taken < 2:
            at, token = words[j]
            if _FORM_GAP.search(text, words[j - 1][0] + len(words[j - 1][1]), at):
                break                            # the next field of a form: "Ruby Thompson   Age 9"
            core = _POSSESSIVE.sub("", token)
            lower = core.lower()
            if core[:1].islower():
                if lower in self.particles:
                    j += 1
                    continue
                break
            if lower in self.not_surnames:
                return None                      # an organisation or a street named after someone
            if (lower in self.stop and not self._month_surname(text, taken, lower, at + len(token))) \
                    or not _SURNAME.fullmatch(core) or _next_field(text, words[j - 1], at, token):
                break                            # ... or the next field's label: "Seamus Patrick   Nationality:"
            if taken and lower in self.given and j + 1 < len(words) and words[j + 1][1][:1].isupper():
                break                            # the next person of a list: "Amelia Smith Jack Jones"
            end, taken, j = at + len(core), taken + 1, j + 1
            if core != token:
                break                            # a possessive ends the name
        if end is None or any(w in self.not_surnames for w in next_words(text, end)):
            return None
        return Span("PERSON", start, end, GIVEN_NAME_SCORE, "a given name and a surname"), j

    def _name_at(self, text: str, pos: int, why: Cue) -> Span | None:
        if why is Cue.LABEL:
            titled = _TITLE_LEAD.match(text, pos)
            if titled is not None and titled.group(1).lower() in self.titles:
                pos = titled.end()               # "Name: MR JONATHAN PRYCE", "Name: Mrs. Amara Okafor"
        m = _NAME_RUN.match(text, pos)
        if not m:
            return None
        words = list(_WORD_RE.finditer(m.group()))
        kept: list[re.Match[str]] = []
        ended_by = ""                            # the word the name ended before, if a word ended it
        for n, w in enumerate(words):
            token = w.group()
            lower = token.lower().rstrip("'’")
            if why is Cue.LABEL and len(token) == 1 and token.isupper() and n + 1 < len(words) \
                    and text[m.start() + w.end():m.start() + w.end() + 1] in (" ", "\t"):
                kept.append(w)                   # an initial before more of the name: "Name: MS A OKONKWO-HALE"
                continue
            if n and lower in _FUNCTION_WORDS and "." in m.group()[words[n - 1].end():w.start()]:
                break                            # "Mrs B. The end": a sentence's next word, not a surname
            if lower in self.stop or (kept and _next_field(text, (m.start() + kept[-1].start(), kept[-1].group()),
                                                           m.start() + w.start(), token)):
                ended_by = token
                break                            # ... or the next field's label: "Amara Okonkwo-Davies  Age:"
            if not token[0].isupper() and lower not in self.particles:
                break
            kept.append(w)
        while kept and kept[-1].group().lower() in self.particles:
            kept.pop()
        if not kept or (len(kept) == 1 and len(kept[0].group()) < 2 and not (
                why is Cue.TITLE and kept[0].group().isupper() and kept[0].group() != "I"
                and not _INITIAL_AFTER.match(text, m.start() + kept[0].end()))):
            return None                          # one letter: only after a title, as anonymised ("Mrs. B put")
        if ended_by[:1].isupper() and ended_by.lower().rstrip(".") in self.not_surnames:
            return None                          # "Account holder: Bright Futures Ltd": an organisation's name
        end_word = kept[-1]
        value = m.group()[: end_word.end()]
        if value.isupper() and len(kept) == 1 and 1 < len(value) <= 3:
            return None
        start = m.start()
        end = start + len(_POSSESSIVE.sub("", value))           # "Ms Adebayo-Smith's son": the name without "'s"
        if why is Cue.SIGN_OFF and text[end:end + 1] not in ("", "\n", "\r"):
            return None                      # a signature is a line on its own
        if why is Cue.OFFICE and (_POSSESSIVE.sub("", kept[0].group()).lower() not in self.given or any(
                _POSSESSIVE.sub("", w).lower() in self.not_surnames for w in (*(k.group() for k in kept), ended_by))):
            return None                      # "Princess Beatrice", "King Alphonso": a listed given name (not
                                             # "President Hotel"), and no street or organisation ("King Edward
                                             # Street", "Queen Mary University")
        if why is Cue.RELATION_OR_GREETING and kept[0].group().lower() not in self.given:
            return None                      # "son Jayden", "thanks Shona": a listed given name (not "thanks Google")
        if why is Cue.RELATION and kept[0].group().lower() not in self.given and (
                len(kept) > 1 or not self.dictionary or self.english(kept[0].group().lower())):
            return None                      # "my grandson Mikey": after "my" ... one word, no English word
        if why is Cue.BYLINE and (len(kept) < 2 or text[end:end + 1] not in ("", "\n", "\r", ",") or (
                kept[0].group().lower() not in self.given
                and any(w.group().lower() in self.dictionary or not self.dictionary for w in kept))):
            return None                      # "By Jo Bloggs" or "By Jo Bloggs, Head of Finance": the line names
                                             # one, not "By Royal Appointment" (English words, no given name)
        return Span("PERSON", start, end, LABELLED_SCORE, f"name {why.value}")


def _stretches(words: list[str], out: set[str]) -> None:
    """Each stretch of 2..3 capitalised words of ``words`` (lower-case particles inside a stretch not counted,
    nor at its ends)."""
    for i, first in enumerate(words):
        if first[:1].islower():
            continue
        taken = 1
        for j in range(i + 1, len(words)):
            if words[j][:1].islower():
                continue
            taken += 1
            out.add(" ".join(words[i:j + 1]))
            if taken == _RUN_WORDS:
                break


def later_mentions(text: str, persons: Iterable[Span], stop: frozenset[str], covered: list[tuple[int, int]],
                   not_names: Callable[[str], bool] | None = None,
                   lower_name: Callable[[str], bool] | None = None,
                   english: Callable[[str], bool] | None = None) -> list[Span]:
    """Other whole-word mentions of the first or last name of a PERSON already found in ``text`` (not of a
    word ``not_names`` rejects: a country or region of the gazetteer).

    Not of a word the same text also writes in lower case: a common noun capitalised in a heading or a
    title ("Grammar", "Method", "Image"), not a name. Not a mention standing beside another capitalised
    word that is not a title or common word: it is then part of another name ("Durham University", "Penn
    State", "the Pittsburgh Pirates"). Not a mention right after "the" ("the Stardust probe", "the Confederacy"):
    a person's name takes no article. Two mentions side by side are one ("Emma ... Watson" → "Emma Watson").
    A name of four letters or more that ``lower_name`` accepts (a listed given name that is no English word)
    counts in lower case too, as informal text writes it ("Kayleigh Sutcliffe: hiya its kayleigh from the food
    bank"), and its lower-case mentions are no sign of a common noun. A one-word name NER guessed that
    ``english`` calls a common word ("Stardust", "Ouija") names no other mention: a guess that weak, repeated at
    every mention, made most of these mentions' false persons on GUM dev. A name of two or more words written in
    capitals ("JANE DOE, Plaintiff") is mentioned in Title case ("Doe"); its words in capitals are not sought."""
    tokens = set()
    for p in persons:
        parts = text[p.start:p.end].split()
        for word in (parts[0], parts[-1]) if parts else ():
            word = word.strip(".,'’")
            if word.isupper() and len(parts) > 1 and word.isalpha():
                word = word.capitalize()        # a name in capitals ("JANE DOE" in a caption): "Doe" in the text
            if len(word) >= 3 and word[0].isupper() and word.lower() not in stop and not word.isupper() \
                    and not (not_names is not None and not_names(word)) \
                    and not (len(parts) == 1 and english is not None and p.why.startswith("spaCy")
                             and english(word.lower())):
                tokens.add(word)
    if tokens:
        lowered = {w.lower() for w in tokens} & lower_words(text)
        foreign = {w for w in lowered if lower_name is not None and len(w) >= 4 and lower_name(w)}
        tokens = {w for w in tokens if w.lower() not in lowered - foreign} | foreign
    if not tokens:
        return []
    out = []
    taken = SpanIndex(covered)
    found: list[tuple[int, int]] = []
    for start, end in _mentions(text, tokens):
        if taken.overlaps(start, end):
            continue
        if found and _BETWEEN_WORDS.fullmatch(text, found[-1][1], start):
            found[-1] = (found[-1][0], end)             # "Emma Watson": two mentions, one name
        else:
            found.append((start, end))
    for start, end in found:
        if _beside_a_name_word(text, start, end, stop) or _THE.search(text, max(0, start - 5), start):
            continue
        out.append(Span("PERSON", start, end, MENTION_SCORE, "another mention of a name found in this text"))
    return out


# "Christie, Agatha." / "Smith, John" at a line's end / "Marx, Karl and ..." / "'Brannigan, Sean' <sean@...>"
_INVERTED = re.compile(r"(?<![\w\-])(?<!\w['’])(?:([^\W\d_a-z][a-zà-ÿ'’\-]+(?:-[^\W\d_a-z][a-zà-ÿ'’]+)?),[ \t]+"
                       r"([A-ZÀ-Þ][a-zà-ÿ]+)((?: [A-ZÀ-Þ][a-zà-ÿ]+)?)"
                       r"|([A-ZÀ-Þ][A-ZÀ-Þ'’\-]+[A-ZÀ-Þ]),[ \t]+([A-ZÀ-Þ][a-zà-ÿ]+)(?: [A-ZÀ-Þ][a-zà-ÿ]+)?)"
                       r"(?=[ \t]*(?:[.;]|\n|$)|[ \t]+(?:and|&)[ \t]|  |\t|['’]?[ \t]*(?:<[^\s@<>]+@|[;\n]|$))")
# A form's next field: two spaces or a tab, then a word before a colon ("Seamus Patrick   Nationality: Irish")
_FIELD_GAP = re.compile(r"  |\t")
# the rest of a next field's label, up to three more words, then its colon ("Tutor group:", "Age if under 18:")
_LABEL_AFTER = re.compile(r"(?:[ \t][\w'’()/\-]+){0,3}[ \t]*:")
_DIGITS_AFTER = re.compile(r"['’]?s?[ \t,]*\d")


def _next_field(text: str, before: tuple[int, str], at: int, token: str) -> bool:
    """Whether ``token`` at ``at``, after the word ``before`` (start, word), is the label of a form's next field."""
    return bool(_FIELD_GAP.search(text, before[0] + len(before[1]), at)) and bool(_LABEL_AFTER.match(text, at + len(token)))


# "Arden LJ", "Smith and Arden LJJ", "Lord Reed JSC", "Kerr J": a surname, then the judge's post
_JUDGE = re.compile(r"(?<![\w'’\-])([A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ'’]+)?)[ \t]+(LJJ?|JSC|LCJ|J)(?![\w’'\-]|\.\w)")
_JUDGE_POST = re.compile(r"[ \t](?:LJJ?|JSC|LCJ|J)(?![\w’'\-]|\.\w)")      # what every _JUDGE match holds
_FIELD_BEFORE = re.compile(r"(?:^|\n|:)[ \t]*$")           # a line's start or a form's label
_LIST_BEFORE = re.compile(r"(?:[:,]|\band|&)[ \t]*$")      # a list's label or an earlier item before a name
_INITIAL_AFTER = re.compile(r"\.?[ \t]*[A-Z]|\.\w")       # more initials or a name after a letter: "Mr A. Smith"
# a date of birth's or an age's label in brackets or after a comma: "(DOB", ", d.o.b.", "(born", "(aged", "(b."
_BIRTH_AFTER = re.compile(r"[ \t]*(?:\([ \t]*|,[ \t]*)(?:DOB|D\.O\.B\.?|d\.o\.b\.?|[Dd]ate of birth|[Bb]orn|[Aa]ged?|b\.)"
                          r"(?=[ \t:]*\d)")
_BIRTH_KEYS = re.compile(r"DOB|D\.O\.B|d\.o\.b|ate of birth|orn|ged?|b\.")
_NAME_BEFORE_BIRTH = re.compile(rf"(?<![\w'’\-])(?<!\bof )(?<!\bin )(?<!\bat )(?<!\bfrom )(?<!\bto )"
                                rf"({_AUTHOR}(?:[ \t]+{_AUTHOR}){{0,3}})$")
_CAP_WORD_BEFORE = re.compile(r"[^\W\d_a-z][\w'’\-]*[ \t]+$")
_HEADLINE_START = re.compile(r"(?:^|\n)[^\w\n]*(?:[A-Z]+:[ \t]*)?$")     # a line's start, or after "VIDEO: "
_THE = re.compile(r"(?<![\w'’\-])[Tt]he[ \t]+$")        # "the Confederacy": not how a person is written
_LOWER_WORD = re.compile(r"(?<![\w'’\-])[a-zà-ÿ][\w'’\-]*")
# an e-mail address, a link or a handle: its lower-case words are no sign that a name is a common word
_ADDRESS = re.compile(r"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)+|(?:https?://|www\.)\S+|(?<![\w@])@\w+")


@functools.lru_cache(maxsize=4)
def lower_words(text: str) -> frozenset[str]:
    """The words ``text`` writes in lower case, outside e-mail addresses, links and handles: "okafor" in
    "grace.okafor@example.org" does not make "Okafor" a common word. NOTE: cached: the name rules ask it of
    the same text several times."""
    if "@" in text or "://" in text or "www." in text:
        text = _ADDRESS.sub(" ", text)
    return frozenset(_LOWER_WORD.findall(text))


_BETWEEN_WORDS = re.compile(r"[ \t]+")
_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’\-.]*)[ \t]+$")


def word_before(text: str, at: int) -> str:
    """The word right before ``at`` on its line, lower case ("" when none): "mr." before "Mr. Baker"."""
    m = _WORD_BEFORE.search(text, max(0, at - 40), at)
    return m.group(1).lower() if m is not None else ""


_SENTENCE_START = re.compile(r'(?:^|\n|[.!?]["”’)]?[ \t]+)$')
_WORD_AFTER = re.compile(r"(?:['’]s)?[ \t]+([^\W\d_][\w'’\-]*)")


def _in_a_title(text: str, start: int) -> bool:
    """Whether the capitalised word at ``start`` ends a run of capitalised words: a title ("Chasing Liberty
    (2004)", "The Lookout (2007)", "Frame Semantics (1976)"), not an author. A function word that starts a
    sentence ("In Smith (2004)") does not count."""
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if before is None or not before.group(1)[:1].isupper() or before.group(1).endswith("."):
        return False
    word = before.group(1).lower()
    return not (word in _FUNCTION_WORDS and _SENTENCE_START.search(text, max(0, before.start(1) - 3),
                                                                   before.start(1)))


def _beside_a_name_word(text: str, start: int, end: int, stop: frozenset[str]) -> bool:
    """Whether a capitalised word stands right before (not a title or common word, nor a sentence's first
    word) or right after (not a function word) ``text[start:end]`` on its line, with no punctuation between."""
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    after = _WORD_AFTER.match(text, end)
    for m in (before, after):
        if m is None:
            continue
        word = m.group(1)
        if word.endswith("."):
            continue                              # "... in 2004. Watson said", "Mr. Watson": a title or an end
        if m is before and _SENTENCE_START.search(text, max(0, m.start(1) - 3), m.start(1)):
            continue                              # "Yesterday Watson said": capitalised by position
        if word[:1].isupper() and word.lower() not in _FUNCTION_WORDS and (m is after or word.lower() not in stop):
            return True                           # a title before it is fine ("Dr Watson"), an org word after not
    return False


# One or more initials ("J.", "J. R. R.", "T.W.", "H.W.", or without full stops: "J", "JK"), then a space and a
# capitalised word
_INITIALS = re.compile(r"(?<![\w.'’\-@#&/])(?P<initials>[A-Z]\.(?:[ \t]?[A-Z]\.)*|(?![AI][ \t])[A-Z]{1,4}(?=[ \t]))[ \t]+(?=[^\W\d_])")
# Dotted initials ("B.K."); a surname after initials written without full stops is a word written as a name
# (nlp.NAME_WORD: "Saravanan", "O'Brien", "McNeil", "Bastien-Lepage"; not "SmartMedia" or "Ain't")
_DOTTED = re.compile(r"(?:[A-Z]\.){2,3}")
# ... standing alone: not inside a longer abbreviation, nor before a capitalised word (a name's initials: initials())
_DOTTED_ALONE = re.compile(r"(?<![\w.'’\-@#&/])[A-Z]\.(?:[A-Z]\.){1,2}(?![\w'’\-]|[ \t]+[^\W\d_a-z])")
_LOWER_WORD_AFTER = re.compile(r"[ \t]+[a-z]")
# between initials in a list: "M.Y., A.K. and S.T."
_INITIALS_LIST_GAP = re.compile(r",?[ \t]+(?:and[ \t]+|&[ \t]+)?|,")
_CHILD_AFTER = re.compile(r"[ \t]*\((?:a child|a minor|the child|aged|born)\b", re.IGNORECASE)


def _key_initials(value: str) -> str:
    return value.replace(".", "").replace(" ", "").replace("\t", "").lower()


_WORD_AUTHOR = re.compile(_AUTHOR)
_WORD_START = re.compile(r"(?<![\w'’\-])[^\W\d_]")
_MENTION_END = re.compile(r"[\w\-]|['’]\w\w")


def _mentions(text: str, names: set[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of each whole-word occurrence of one of ``names`` (each of three or more characters; the
    longest at a place wins): not inside a word, nor followed by a letter, a hyphen or more than a possessive
    "'s". NOTE: at each word start only the names' lengths for its first three characters are tried, each a
    set lookup: a list of thousands of people is not compared name by name at every word."""
    lengths: dict[str, list[int]] = {}
    for name in names:
        lengths.setdefault(name[:3], []).append(len(name))
    for key in lengths:
        lengths[key] = sorted(set(lengths[key]), reverse=True)
    pos = 0
    while (m := _WORD_START.search(text, pos)) is not None:
        start = m.start()
        pos = start + 1
        for length in lengths.get(text[start:start + 3], ()):
            end = start + length
            if text[start:end] in names and not _MENTION_END.match(text, end):
                yield start, end
                pos = end
                break


def _folded(word: str) -> str:
    """Lower-case letters of ``word`` without accents ("Sørensen" -> "srensen", "Zoë" -> "zoe")."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if "a" <= c <= "z")


CASE_PARTY_SCORE = 0.9                       # as a labelled name: the citation says what the words are
_PARTY_WORD = r"[^\W\d_a-zà-ÿ][\w'’\-]*"
_PARTY = rf"{_PARTY_WORD}(?:[ \t]+(?:{_PARTY_WORD}|&|and|of|the|for|de|van|von|der|da|di|le|la|plc|ltd)){{0,6}}"
_VERSUS = re.compile(rf"[ \t]{VERSUS}[ \t]+(?=[^\W\d_a-z])")
_PARTY_BEFORE = re.compile(rf"(?<![\w'’\-])({_PARTY})$")
_PARTY_AFTER = re.compile(rf"({_PARTY})")
# A law report or case-law citation right after the second party: "[1932] AC 562", "(1854) 9 Exch 341",
# "[GC]", "(no. 2), no. 51234/09", "384 U.S. 436", "(application no. 123/45)"
_CASE_CITATION = re.compile(r"[ \t]*(?:\(no\.[ \t]*\d+\)[ \t]*)?,?[ \t]*\(?(?:\[(?:1[5-9]|20)\d\d\]|\((?:1[5-9]|20)\d\d\)|"
                            r"\[GC\]|(?:app(?:lication)?[ \t]+)?no(?:s)?\.[ \t]*\d+/\d\d|\d+[ \t]+U\.[ \t]?S\.[ \t]+\d)")
# Parties that are no one: the Crown, the state, the people, a public office
_NOT_PARTIES = frozenset({"r", "regina", "rex", "queen", "king", "crown", "state", "states", "people", "commonwealth",
                          "government", "republic", "kingdom", "united", "secretary", "minister", "commissioner",
                          "commissioners", "attorney", "attorney-general", "general", "director", "dpp", "city",
                          "county", "borough", "mayor", "inspector", "officer", "chief", "constable", "governor",
                          "president", "home", "office", "revenue", "customs", "treasury", "others", "another", "anor",
                          "ors", "et", "al", "in", "re", "ex", "parte", "see", "cf", "case", "also", "and"})


def case_parties(text: str, stop: frozenset[str], not_names: frozenset[str],
                 is_place: Callable[[str], bool]) -> list[Span]:
    """The parties of a cited case, "Donoghue v Stevenson [1932] AC 562", "Kowalczyk v. Poland (no. 2), no.
    51234/09", "Miranda v. Arizona, 384 U.S. 436": each party a PERSON when it is neither the Crown, the state
    or an office (``R v Brennan``), an organisation (``stop``/``not_names`` words: "Caparo Industries plc"), nor a
    place (``is_place``: "Poland"). A citation must follow ("Liverpool v Man Utd" is a match, not a case). The
    words before the first party that are function words or citing words ("See", "In", "Case of") are left out."""
    out: list[Span] = []
    if " v" not in text:
        return out
    for v in _VERSUS.finditer(text):
        after = _PARTY_AFTER.match(text, v.end())
        if after is None or not _CASE_CITATION.match(text, after.end()):
            continue
        before = _PARTY_BEFORE.search(text, max(0, v.start() - 80), v.start())
        parties = [(after.start(1), after.end(1))]
        if before is not None:
            parties.insert(0, (before.start(1), before.end(1)))
        for start, end in parties:
            words = list(re.finditer(r"\S+", text[start:end]))
            while words and (words[0].group().lower() in _NOT_PARTIES or words[0].group().lower() in _FUNCTION_WORDS):
                words = words[1:]                         # "See R v ...", "In Smith v ...", "Case of Smith v ..."
            if not words:
                continue
            value = text[start + words[0].start():start + words[-1].end()]
            lower = [w.group().lower().strip(".,") for w in words]
            if any(w in _NOT_PARTIES or w in stop or w in not_names for w in lower) or is_place(value) \
                    or (value.isupper() and len(value) <= 4) or len(value) < 2:
                continue
            out.append(Span("PERSON", start + words[0].start(), start + words[-1].end(), CASE_PARTY_SCORE,
                            "name: a party to a cited case"))
    return out


LONE_GIVEN_SCORE = 0.7
_TITLE_WORD = re.compile("(" + word_start("[A-Z]", r"[\w'’\-@#&/.]") + r"[a-z]{2,})(?![\w\-]|['’](?!s\b)\w)")
_CAP_AFTER = re.compile(r"(?:['’]s)?[ \t]+[^\W\d_a-z]")


# A judge's title in a judgment's heading, written in capitals ("Before: HER HONOUR JUDGE ASHWORTH", "MR JUSTICE
# CALDWELL", "HHJ ASHWORTH"), or a police officer's rank and collar number ("PC 4471 Sharma"): the name follows
_COURT_TITLE = re.compile(r"(?<![\w'’\-])(?:(?:HIS|HER)[ \t]+HONOUR[ \t]+JUDGE|(?:DEPUTY[ \t]+)?DISTRICT[ \t]+JUDGE|"
                          r"(?:MR|MRS|MS|LORD|LADY)[ \t]+JUSTICE|HHJ|DDJ|"
                          r"(?:PC|DC|PS|DS|SGT|Sgt)[ \t]+\d{2,5})[ \t]+(?=[A-Z])")
_COURT_KEYS = ("JUDGE", "JUSTICE", "HHJ", "DDJ", "PC ", "DC ", "PS ", "DS ", "SGT ", "Sgt ")  # looked for first: cheap
# A relation cue that starts with a possessive ("my grandson "), and a possessive right after a word ("Kate's")
_POSSESSIVE_CUE = re.compile(rf"(?i)(?:{'|'.join(_POSSESSIVES)})[ \t]")
_POSSESSIVE_AFTER = re.compile(r"['’]s(?![\w'’\-])")


def lone_given_names(text: str, given: frozenset[str], covered: SpanIndex, is_word: Callable[[str], bool]) -> list[Span]:
    """A listed given name standing alone inside a sentence ("me and Isa live in Switzerland", "Why does Chrissy
    have a problem"), where nothing else found a name: not a sentence's or line's first word (capitalised by
    position) unless a possessive follows ("Kate's hairdresser"), not beside another capitalised word (part of a
    longer name: "Grace Church", "Kelly Brook"), not after an article, and not a word the text also writes in
    lower case or ``is_word`` rejects (a place, a common word: "Jordan", "Florence")."""
    out: list[Span] = []
    for m in _TITLE_WORD.finditer(text):
        word = m.group(1)
        key = word.lower()
        if key not in given or covered.overlaps(m.start(), m.end()):
            continue
        if _CAP_AFTER.match(text, m.end()):
            continue
        if _SENTENCE_START.search(text, max(0, m.start() - 3), m.start()) and not _POSSESSIVE_AFTER.match(text, m.end()):
            continue                    # capitalised by position, unless a possessive follows ("Kate's hairdresser")
        before = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
        if before is not None and (before.group(1)[:1].isupper() or before.group(1).lower() in ("the", "a", "an")):
            continue
        if key in lower_words(text) or is_word(word):
            continue
        out.append(Span("PERSON", m.start(), m.end(), LONE_GIVEN_SCORE, "name: a listed given name on its own"))
    return out


COORDINATED_SCORE = 0.7
_AND_AFTER = re.compile(r"(?:,?[ \t]+(?:and|&)|[ \t]+or)[ \t]+([^\W\d_a-z][a-zà-ÿ'’\-]+(?:[ \t]+[^\W\d_a-z][a-zà-ÿ'’\-]+)?)(?![\w'’\-]|[ \t]+[^\W\d_a-z])")
_AND_BEFORE = re.compile(r"(?<![\w'’\-])([^\W\d_a-z][a-zà-ÿ'’\-]+(?:[ \t]+[^\W\d_a-z][a-zà-ÿ'’\-]+)?)(?:,?[ \t]+(?:and|&)|[ \t]+or)[ \t]+$")


def _joined_to(text: str, span: Span) -> Iterator[re.Match[str]]:
    """The words joined by "and", "&" or "or" right after ``span`` and right before it (group 1 of each)."""
    for m in (_AND_AFTER.match(text, span.end), _AND_BEFORE.search(text, max(0, span.start - 40), span.start)):
        if m is not None:
            yield m


def coordinated_guesses(text: str, spans: list[Span], known_place: Callable[[str], bool],
                        common: Callable[[str], bool]) -> list[Span]:
    """``spans`` with NER's one-word place joined by "and", "&" or "or" to a PERSON made a PERSON when the world
    gazetteer knows no such place and it is no ``common`` word ("Aisha and Tomás": the model read "Tomás" as a
    place; not "Paris and Amira", nor "Rosemary and Thyme")."""
    persons = [s for s in spans if s.entity == "PERSON"]
    if not persons:
        return spans
    joined = {m.span(1) for p in persons for m in _joined_to(text, p) if " " not in m.group(1)}
    return [Span("PERSON", s.start, s.end, s.score, f"{s.why}, joined by a conjunction to a PERSON")
            if s.entity == "LOCATION" and (s.start, s.end) in joined and s.why.startswith("spaCy NER")
            and not known_place(text[s.start:s.end]) and not common(text[s.start:s.end].lower()) else s
            for s in spans]


def coordinated(text: str, spans: Iterable[Span], covered: SpanIndex, stop: frozenset[str]) -> list[Span]:
    """A name joined by "and", "&" or "or" to a PERSON found in the text is a PERSON too ("Toph and Len",
    "Niklaus and Johann", a list's last "…, Yannick Carrasco, and Dries Mertens"): one or two capitalised words
    that nothing else covers, none a common word, title, function word or contraction ("Jasmine, and I'm"),
    nor a word the text writes in lower case, and not a sentence's first word. Not after ", or" (another
    name for the same thing: "the Flying Dutchman, or Vaisseau Phantome")."""
    out: list[Span] = []
    taken = DisjointSpans()
    for s in spans:
        if s.entity != "PERSON":
            continue
        for m in _joined_to(text, s):
            start, end = m.span(1)
            words = m.group(1).split()
            if covered.overlaps(start, end) or taken.overlaps(start, end):
                continue
            if any(w.lower() in stop or w.lower() in _FUNCTION_WORDS or _CONTRACTION.match(w) for w in words):
                continue
            if _SENTENCE_START.search(text, max(0, start - 3), start):
                continue
            if any(w.lower() in lower_words(text) for w in words):
                continue
            taken.add(start, end)
            out.append(Span(s.entity, start, end, COORDINATED_SCORE, f"name: joined by a conjunction to a {s.entity}"))
    return out


_LIST_WORD = r"[^\W\d_a-z][^\W\d_'’\-]*(?:['’\-][^\W\d_]+)*"
_LIST_ITEM = rf"{_LIST_WORD}(?:[ \t]+{_LIST_WORD}){{0,2}}"
_LIST_GAP = r"(?:[ \t]*[,;][ \t]*(?:(?:and|&)[ \t]+)?|[ \t]+(?:and|&)[ \t]+)"
# Three or more items of one to three capitalised words, on one line, parted by commas, semicolons or "and"
_LIST = re.compile(rf"(?<![\w'’\-]){_LIST_ITEM}(?:{_LIST_GAP}{_LIST_ITEM}){{2,}}(?![\w'’\-])")
_LIST_PART = re.compile(_LIST_ITEM)


def listed_with_persons(text: str, spans: Iterable[Span], covered: SpanIndex, stop: frozenset[str]) -> list[Span]:
    """The other names in a list of persons are persons too: in a list of three or more items ("Liverpool XI:
    Mignolet, Johnson, Skrtel, Agger"; "Present: Ruth Okafor, Dev Patel, Amara, Hollis") where at least two
    items are PERSONs found, no item is anything else found (a place, an organisation's span), and no more
    items are unfound than found. An unfound item is none of ``stop``, a function word, nor a word the text
    writes in lower case."""
    persons = [s for s in spans if s.entity == "PERSON"]
    if len(persons) < 2:
        return []
    others = SpanIndex([(s.start, s.end) for s in spans if s.entity != "PERSON"])
    is_person = SpanIndex([(s.start, s.end) for s in persons])
    out: list[Span] = []
    lower = lower_words(text)
    lines: dict[int, int] = {}                  # a line's start -> the persons found on it
    for p in persons:
        start = text.rfind("\n", 0, p.start) + 1
        lines[start] = lines.get(start, 0) + 1
    for start in (at for at, n in lines.items() if n >= 2):
        end = text.find("\n", start)
        lists = _LIST.finditer(text, start, len(text) if end < 0 else end)
        out.extend(_others_listed(text, lists, is_person, others, covered, stop, lower))
    return out


def _others_listed(text: str, lists: Iterable[re.Match[str]], is_person: SpanIndex, others: SpanIndex,
                   covered: SpanIndex, stop: frozenset[str], lower: frozenset[str]) -> Iterator[Span]:
    """The unfound items of each list in ``lists`` that listed_with_persons makes persons."""
    for m in lists:
        items = [p.span() for p in _LIST_PART.finditer(text, m.start(), m.end())]
        found = [it for it in items if is_person.overlaps(*it)]
        rest = [it for it in items if not is_person.overlaps(*it)]
        if len(found) < 2 or len(rest) > len(found) or any(others.overlaps(*it) or covered.overlaps(*it) for it in rest):
            continue
        for start, end in rest:
            words = text[start:end].split()
            if any(w.lower() in stop or w.lower() in _FUNCTION_WORDS or w.lower() in lower or _CONTRACTION.match(w)
                   for w in words):
                continue                # "…, Sarah Stoddart, I'm sorry"
            yield Span("PERSON", start, end, COORDINATED_SCORE, "name: in a list of persons")


_CAPITALS = re.compile(r"[A-Z]{3}")
_WORD_GOES_ON = re.compile(r"[\w\-]|['’](?!S\b)\w")         # more of a word after it, but a possessive "'S"


def _written_at(text: str, words: Iterable[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of each whole-word occurrence of each of ``words`` in ``text`` (str.find: a text holds few
    of them, and a pattern per text would be compiled for each)."""
    for word in words:
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if (at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_'’-")) \
                    and not _WORD_GOES_ON.match(text, end):
                yield at, end
            at = text.find(word, end)
_CAPS_WORD_BEFORE = re.compile(r"([A-Z][A-Z'’\-]*[A-Z])[ \t]+$")


def capital_mentions(text: str, persons: Iterable[Span], stop: frozenset[str],
                     covered: Sequence[tuple[int, int]]) -> list[Span]:
    """A surname of a PERSON found in ``text``, written again in capitals, as headings and parties' names are
    ("Between: (1) KERRY-ANN MCBRIDE (2) DWAYNE FOSTER" in a judgment naming "Ms McBride" and "Mr Foster"; "RE:
    TOMASZ NOWAK"), with up to two capitalised words right before it that are no title or common word (the
    given names). Only a surname of three letters or more, written in Title case where it was found, that the
    text never writes in lower case."""
    surnames: set[str] = set()
    for p in persons:
        parts = text[p.start:p.end].split()
        word = _POSSESSIVE.sub("", parts[-1]).strip(".,") if parts else ""
        if len(word) >= 3 and word[:1].isupper() and not word.isupper() and word.lower() not in stop:
            surnames.add(word.upper())
    surnames = {w for w in surnames if w.lower() not in lower_words(text)}
    if not surnames or not _CAPITALS.search(text):
        return []
    taken = SpanIndex(covered)
    out: list[Span] = []
    for start, end in sorted(_written_at(text, surnames)):
        first = start
        for _ in range(2):
            before = _CAPS_WORD_BEFORE.search(text, max(0, first - 40), first)
            if before is None or before.group(1).lower().rstrip("'’") in stop \
                    or before.group(1).lower() in _FUNCTION_WORDS:
                break
            first = before.start(1)
        if taken.overlaps(first, end):
            continue
        out.append(Span("PERSON", first, end, MENTION_SCORE, "a name found in this text, written in capitals"))
    return out
