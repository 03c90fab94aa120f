"""Validated identifier recognisers: Presidio recognisers named after our canonical entities.

Contract the detection engine relies on (every ``ValidatedPatternRecognizer``):

- ``patterns``: Presidio ``Pattern`` objects whose ``regex`` is plain Python ``re`` syntax,
  compiled with flags 0 (case-insensitivity is written inline as ``(?i:…)``); no capturing
  groups, no back-references, fixed-width look-behind only. They can be joined into one
  alternation, each in its own named group.
- ``validate_result(text) -> bool | None``: pure, no NLP artifacts. False drops the candidate;
  True (a checksum passed) or None (format rules only) keeps it at the pattern's score. The
  pattern score already accounts for validation: do not raise it to 1.0 on True.
- ``context`` (raise confidence), ``negative_context`` (lower it; looked for before the match
  only), ``requires_context`` (drop the candidate unless a context word is present) and
  ``context_window`` (characters before and after the match that are searched).
- Context words count only inside the candidate's sentence (detectors/sentences.py).
- ``score_in_context(text, start, end, score, extra_context="")`` applies those rules the same
  way everywhere; ``extra_context`` is e.g. a table column name.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from typing import ClassVar

import phonenumbers
from presidio_analyzer import (
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerResult,
)

from detectors import checksums
from detectors.sentences import clip_after, clip_before

CONTEXT_BOOST = 0.35
NEGATIVE_PENALTY = 0.35
MIN_SCORE = 0.05

# Boundaries for digit-led identifiers: not glued to letters, digits, decimal points or paths.
NUM_START = r"(?<![\w.\-/])"
NUM_END = r"(?![\w\-/]|\.\d)"
WORD_START = r"(?<![\w])"
WORD_END = r"(?![\w])"


def words_regex(words: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive regex matching any of ``words`` as whole words or phrases."""
    alternatives = sorted({w.lower() for w in words}, key=len, reverse=True)
    if not alternatives:
        return None
    body = "|".join(re.escape(w).replace(r"\ ", r"[\s_\-]*") for w in alternatives)
    # NOTE: not inside an e-mail address or domain ("jo@example.org" is not the word "example").
    return re.compile(rf"(?<![a-z0-9@.])(?:{body})(?![a-z0-9]|\.[a-z]{{2}})", re.IGNORECASE)


def context_score(
    text: str,
    start: int,
    end: int,
    score: float,
    *,
    context: re.Pattern[str] | None,
    negative: re.Pattern[str] | None,
    requires_context: bool,
    window: tuple[int, int],
    extra_context: str = "",
) -> float | None:
    """Adjust ``score`` for the words around text[start:end]; None means "do not report"."""
    before = clip_before(text[max(0, start - window[0]) : start])
    after = clip_after(text[end : end + window[1]])
    positive = context is not None and bool(
        context.search(before) or context.search(after) or context.search(extra_context)
    )
    if requires_context and not positive:
        return None
    if positive:
        score += CONTEXT_BOOST
    if negative is not None and (negative.search(before) or negative.search(extra_context)):
        score -= NEGATIVE_PENALTY
    return round(min(1.0, max(MIN_SCORE, score)), 4)


class ContextScored:
    """Context rules shared by our recognisers: words near a candidate raise or lower its score.

    Needs ``_context_re``, ``_negative_re``, ``requires_context`` and ``context_window``."""

    _context_re: re.Pattern[str] | None
    _negative_re: re.Pattern[str] | None
    requires_context: ClassVar[bool]
    context_window: ClassVar[tuple[int, int]]

    def context_evidence(self, text: str, start: int, end: int, extra_context: str = "") -> list[str]:
        """Why score_in_context() moved a candidate's score: the same windows, words and amounts (--explain)."""
        before = clip_before(text[max(0, start - self.context_window[0]) : start])
        after = clip_after(text[end : end + self.context_window[1]])
        parts = []
        for regex, sources, what, amount in (
            (self._context_re, ((before, "before"), (after, "after"), (extra_context, "header")), "context",
             f"+{CONTEXT_BOOST}"),
            (self._negative_re, ((before, "before"), (extra_context, "header")), "negative context",
             f"-{NEGATIVE_PENALTY}"),
        ):
            found = next(((m, label) for source, label in sources if regex and (m := regex.search(source))), None)
            if found:
                parts.append(f"{what} {found[0].group().lower()!r} {found[1]} ({amount})")
        if self.requires_context:
            parts.append("context required")
        return parts

    def score_in_context(
        self, text: str, start: int, end: int, score: float, extra_context: str = ""
    ) -> float | None:
        """This recogniser's context rules applied to a candidate; None means drop it."""
        return context_score(
            text,
            start,
            end,
            score,
            context=self._context_re,
            negative=self._negative_re,
            requires_context=self.requires_context,
            window=self.context_window,
            extra_context=extra_context,
        )


class ValidatedPatternRecognizer(ContextScored, PatternRecognizer):
    """A pattern recogniser whose checks and context rules need no NLP pipeline.

    Subclasses set ``ENTITY``, ``PATTERNS`` as (name, regex, score) and ``CONTEXT``, and
    override ``validate_result``.
    """

    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[tuple[tuple[str, str, float], ...]]
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    negative_context: ClassVar[tuple[str, ...]] = ("sample", "example", "test", "dummy", "fake")
    requires_context: ClassVar[bool] = False
    context_window: ClassVar[tuple[int, int]] = (48, 24)
    regex_flags: ClassVar[int] = 0
    # NOTE: for a recogniser that requires a label right before its value: a regex (hyperscan syntax) for the
    # words every label ends in, so that a scanner looks for values only within context_window[0] characters
    # after one (detectors.fastpath); labelled_header() says when a column header labels every value instead
    label_hint: str | None = None

    def labelled_header(self, extra_context: str) -> bool:
        return False
    # NOTE: Presidio sets these in __init__ without annotations, which mypy cannot infer: declared here
    patterns: list[Pattern]
    name: str

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name=type(self).__name__,
            supported_language=supported_language,
            patterns=[Pattern(name, regex, score) for name, regex, score in self.PATTERNS],
            context=list(self.CONTEXT),
            global_regex_flags=self.regex_flags,
        )
        self._compiled = [re.compile(p.regex, self.regex_flags) for p in self.patterns]
        self._context_re = words_regex(self.CONTEXT)
        self._negative_re = words_regex(self.negative_context)

    def compiled_patterns(self) -> list[tuple[Pattern, re.Pattern[str]]]:
        """Each Presidio pattern with its compiled regex (the flags applied), in order: for PatternPass."""
        return list(zip(self.patterns, self._compiled, strict=True))

    def validate_result(self, pattern_text: str) -> bool | None:
        return None

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: object = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Regex candidates, kept if valid, scored with our own context rules."""
        results = []
        for pattern, compiled in self.compiled_patterns():
            for match in compiled.finditer(text):
                if self.validate_result(match.group()) is False:
                    continue
                score = self.score_in_context(text, match.start(), match.end(), pattern.score)
                if score is None:
                    continue
                results.append(self._result(match.start(), match.end(), score))
        return EntityRecognizer.remove_duplicates(results)

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            entity_type=self.ENTITY,
            start=start,
            end=end,
            score=score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                # NOTE: context is already applied; stop Presidio's enhancer adding it twice.
                RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
            },
        )


def default_recognizers() -> list[EntityRecognizer]:
    """A fresh instance of every validated identifier recogniser we ship."""
    from detectors.recognizers import address, contact, dates, eu, finance, india, reference, uk, us

    shipped: list[EntityRecognizer] = [
        *uk.recognizers(),
        *eu.recognizers(),
        *finance.recognizers(),
        *contact.recognizers(),
        *dates.recognizers(),
        *us.recognizers(),
        *india.recognizers(),
        *address.recognizers(),
        *reference.recognizers(),
    ]
    return [*shipped, *_registered(shipped)]


def _registered(shipped: list[EntityRecognizer]) -> list[EntityRecognizer]:
    """Recognisers named in configs/entities.yaml (identifiers.<entity>.recognizer: "module:Class") that the
    modules above do not already return: adding a national ID is one recogniser module and one YAML entry."""
    import importlib

    from detectors.entities import entity_facts

    have = {type(r).__module__ + ":" + type(r).__name__ for r in shipped}
    found: list[EntityRecognizer] = []
    for facts in entity_facts().values():
        if facts.recognizer and facts.recognizer not in have:
            module, _, name = facts.recognizer.partition(":")
            found.append(getattr(importlib.import_module(module), name)())
    return found


_POSTCODE = re.compile(r"([A-Z]{1,2}\d[A-Z\d]?|GIR)\s*(\d[A-Z]{2})")
_SPACES = re.compile(r"\s+")


def normalise(entity: str, text: str) -> str:
    """The canonical form of a detected value, the input to keyed hashing and subject search.

    Two spellings of the same identifier ("943 476 5919", "9434765919") give the same string.
    """
    return normaliser(entity)(text)


def normaliser(entity: str) -> Callable[[str], str]:
    """normalise() for one entity, as a function (looked up once for a column of values)."""
    if not _NORMALISERS:
        from detectors.recognizers.dates import parse_date

        def date_of_birth(text: str) -> str:
            value = text.strip()
            parsed = parse_date(value)
            return parsed.isoformat() if parsed else _SPACES.sub(" ", value).lower()

        _NORMALISERS.update({
            "EMAIL_ADDRESS": lambda text: text.strip().lower(),
            "PHONE_NUMBER": lambda text: _normalise_phone(text.strip()),
            "DATE_OF_BIRTH": date_of_birth,
            "IP_ADDRESS": _normalise_ip,
            "UK_BANK_ACCOUNT": lambda text: _NOT_DIGIT.sub("", text),
            "UK_UTR": lambda text: checksums.compact(text.strip()).strip("K"),
            "UK_DRIVING_LICENCE": lambda text: checksums.compact(text.strip())[:16],
            "LOCATION": _normalise_location,
            "PERSON": _normalise_person,
        })
    named = _NORMALISERS.get(entity)
    if named is not None:
        return named
    # NOTE: the registry (configs/entities.yaml identifiers.<entity>.normaliser) says which entities compare
    # compacted; the named ones above are checked against it in tests/detectors.
    from detectors.entities import entity_facts
    facts = entity_facts().get(entity)
    if facts is not None and facts.normaliser == "compact":
        return _compact
    return _normalise_words


def _compact(text: str) -> str:
    return checksums.compact(text.strip())


_NORMALISERS: dict[str, Callable[[str], str]] = {}
_NOT_DIGIT = re.compile(r"\D")


def _normalise_words(text: str) -> str:
    return _SPACES.sub(" ", text.strip()).casefold()


def _normalise_person(text: str) -> str:
    """A name as words, and a name written surname first ("Okonkwo-Hale, Grace", as records, exports and
    bibliographies write it) in the usual order, so that a search for "Grace Okonkwo-Hale" finds both."""
    if text.count(",") == 1:
        surname, given = (part.strip() for part in text.split(","))
        if surname and given and len(surname.split()) <= 3 and len(given.split()) <= 3 \
                and not any(ch.isdigit() for ch in text):
            text = f"{given} {surname}"
    return _normalise_words(text)


def _normalise_ip(text: str) -> str:
    value = text.strip()
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        return value.lower()


def _normalise_location(text: str) -> str:
    value = text.strip()
    postcode = _POSTCODE.fullmatch(value.upper())
    if postcode:
        return f"{postcode.group(1)} {postcode.group(2)}"
    return _SPACES.sub(" ", value).casefold()




_UK_NATIONAL = re.compile(r"\(?0[1-9][\d \-()]{9,16}")
_UK_INTERNATIONAL = re.compile(r"\+44[\d \-]{10,16}")


def _normalise_phone(value: str) -> str:
    # NOTE: fast paths for the common UK spellings (a column of numbers is indexed row by row and
    # phonenumbers.parse costs ~50 us); they give what phonenumbers gives (checked on 200,000 numbers).
    if _UK_NATIONAL.fullmatch(value) or _UK_INTERNATIONAL.fullmatch(value):
        digits = re.sub(r"\D", "", value)
        if len(digits) == 11 and digits[0] == "0":
            return "+44" + digits[1:]
        if len(digits) == 12 and digits.startswith("44") and digits[2] != "0":
            return "+" + digits
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return re.sub(r"[^\d+]", "", value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


__all__ = [
    "ValidatedPatternRecognizer",
    "context_score",
    "default_recognizers",
    "normalise",
    "normaliser",
    "words_regex",
]
