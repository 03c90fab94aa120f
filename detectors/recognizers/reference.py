"""Reference numbers that identify a person's record: a value right after a label ("application no. 51234/09",
"case ref 2019/114", "student ID 4471902", "TIN 12-3456789"), and partly masked identifiers ("XXX-XX-1234").

The labels live in configs/lexicons/references.yaml. A reference number is reported only when its label stands
right before it in the same sentence (or names its table column); its base score is low, so a checksum-validated
identifier in the same place (a passport, an NHS number) outranks it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from detectors.lexicon import read_lexicon
from detectors.recognizers import ValidatedPatternRecognizer, words_regex
from detectors.recognizers.dates import parse_date
from detectors.sentences import clip_before

_MASK = r"*•Xx"
_CHAR = r"[A-Z0-9*•]"
# One token of upper-case letters, digits and masks, inner / - . allowed, holding at least three digits or masks
# beside digits; not followed by a space and more digits ("Ref 943 476 5918" is not "943").
_VALUE = (
    r"(?<![\w/\-.*•])(?=[\w/\-.*•]*\d[\w/\-.*•]*\d)"
    + _CHAR + r"(?:" + _CHAR + r"|[/\-.](?=" + _CHAR + r")){2,24}"
    + r"(?![\w/\-*•]|\.\w| \d)"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_AMOUNT = re.compile(r"\d{1,3}(?:[.,]\d{3})+|\d+[.,]\d{1,2}")


def _label_regex(labels: list[str], suffixes: list[str], standalone: list[str],
                 not_labels: Sequence[str] = ()) -> re.Pattern[str]:
    def alt(words: list[str]) -> str:
        return "|".join(re.escape(w).replace(r"\ ", r"[\s_\-]+")
                        for w in sorted({w.lower() for w in words}, key=len, reverse=True))

    # "application (no. 40117/12)": the number's suffix may open a bracket after its label
    label = rf"(?:{alt(labels)})[\s_\-]*\(?(?:{alt(suffixes)})"
    # a label and suffix that name no one's record ("tax code 1257L": a PAYE code millions share)
    unless = rf"(?!(?:{alt(list(not_labels))})(?!\w))" if not_labels else ""
    # "member no. 88213", "Ref: JS/2231", "my member number is 88213"
    return re.compile(rf"(?<![\w.]){unless}(?:{label}|(?:{alt(standalone)}))[\s:#=\-]*(?:(?:is|was)\s+)?$",
                      re.IGNORECASE)


def _label_hint(last_labels: list[str]) -> str:
    """A regex (hyperscan syntax) for where a label can end: every label ends in a suffix or a standalone label,
    whose last word is one of these; one ending in a letter or digit is followed by a word boundary (separators
    or nothing before a value that cannot start inside a word) or by "is"/"was" ("member numberis 88213": the
    label regex allows no space there). A scanner may look for values only up to context_window[0] characters
    after such an end (or everywhere when the column header is a label)."""
    last = sorted({re.split(r"\s+", str(w).strip())[-1].lower() for w in last_labels}, key=lambda w: (-len(w), w))
    words = [re.escape(w) for w in last if w[-1].isalnum()]
    marks = [re.escape(w) for w in last if not w[-1].isalnum()]
    return rf"(?i)(?:(?:{'|'.join(words)})(?:\b|is|was)" + (f"|{'|'.join(marks)})" if marks else ")")


class ReferenceNumberRecognizer(ValidatedPatternRecognizer):
    """A value with at least two digits, right after a reference label in its sentence or column header."""

    ENTITY = "REFERENCE_NUMBER"
    PATTERNS = (("reference_value", _VALUE, 0.25),
                # a scheme's letters, a space, then the number ("Insurance ID: BCBS-IL 88421937", "Policy no. AB 123456")
                ("reference_prefixed", r"(?<![\w/\-.*•])[A-Z]{2,6}(?:-[A-Z]{1,3})? \d{4,12}(?![\w/\-*•]|\.\w| \d)",
                 0.25))
    # NOTE: for Presidio's view of the recogniser only; our score_in_context reads the label lexicon instead.
    CONTEXT = ("ref", "reference", "number", "no", "id")
    requires_context = True
    LABEL_BOOST: ClassVar[float] = 0.35
    # NOTE: wide enough for "national insurance number: " and the value's own label only (clipped to its sentence).
    context_window = (40, 0)

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_language)
        data = read_lexicon("references.yaml", {"labels": list, "suffixes": list, "standalone": list,
                                                "not_labels": list})
        self._label_re = _label_regex(data["labels"], data["suffixes"], data["standalone"], data.get("not_labels", []))
        self._negative_re = words_regex(self.negative_context)
        self.label_hint = _label_hint([*data["suffixes"], *data["standalone"]])

    def labelled_header(self, extra_context: str) -> bool:
        """Whether the column header (or other extra context) is a label: every value may then be a reference."""
        return bool(extra_context) and self._label_re.search(extra_context.strip() + " ") is not None

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = sum(c.isdigit() for c in pattern_text)
        if digits < 3 or _YEAR.fullmatch(pattern_text) or _AMOUNT.fullmatch(pattern_text):
            return False
        return None if parse_date(pattern_text) is None else False

    def score_in_context(self, text: str, start: int, end: int, score: float,
                         extra_context: str = "") -> float | None:
        """The base score plus LABEL_BOOST when a label ends right before the value (or is the header)."""
        before = clip_before(text[max(0, start - self.context_window[0]):start])
        labelled = self._label_re.search(before) is not None or self.labelled_header(extra_context)
        if not labelled:
            return None
        if self._negative_re is not None and self._negative_re.search(before):
            return None
        return round(min(1.0, score + self.LABEL_BOOST), 4)


class MaskedIdRecognizer(ValidatedPatternRecognizer):
    """A partly masked identifier: an SSN shape "XXX-XX-1234", a card shape "**** **** **** 1234"."""

    ENTITY = "REFERENCE_NUMBER"
    PATTERNS = (
        ("masked_ssn", r"(?<![\w*•])(?i:[x*•]{3})-(?i:[x*•]{2})-\d{4}(?![\w\-])", 0.6),
        ("masked_card", r"(?<![\w*•])(?:(?i:[x*•]){4}[ \-]?){3}\d{4}(?![\w\-])", 0.6),
        ("masked_tail", r"(?<![\w*•])(?i:[x*•]){4,12}[ \-]?\d{3,4}(?![\w\-])", 0.3),
    )
    CONTEXT = ("account", "card", "ssn", "social security", "number", "no", "ending", "acct", "iban", "ref")

    def validate_result(self, pattern_text: str) -> bool | None:
        return None


def recognizers() -> list[ValidatedPatternRecognizer]:
    """The reference-number recognisers."""
    return [ReferenceNumberRecognizer(), MaskedIdRecognizer()]


__all__ = ["MaskedIdRecognizer", "ReferenceNumberRecognizer", "recognizers"]
