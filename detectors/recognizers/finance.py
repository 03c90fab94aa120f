"""Financial identifiers: IBANs (every registry country) and payment card numbers."""

from __future__ import annotations

from typing import ClassVar

from detectors import checksums
from detectors.recognizers import (
    NUM_END,
    NUM_START,
    WORD_END,
    WORD_START,
    ValidatedPatternRecognizer,
)


def _iban_regex() -> str:
    # NOTE: one alternative per country with that country's exact length, so an IBAN followed by
    # another group of digits is not swallowed into a longer, failing candidate.
    alternatives = "|".join(
        f"{country}(?: ?[A-Z0-9]){{{length - 2}}}"
        for country, length in sorted(checksums.IBAN_LENGTHS.items())
    )
    return WORD_START + f"(?i:{alternatives})" + WORD_END


class IbanRecognizer(ValidatedPatternRecognizer):
    """IBAN of any registry country: exact length for its country and MOD 97-10."""

    ENTITY = "IBAN_CODE"
    PATTERNS = (("iban", _iban_regex(), 0.9),)
    CONTEXT = ("iban", "bank", "account", "payment", "transfer", "bic", "swift")

    def validate_result(self, pattern_text: str) -> bool:
        return checksums.iban_valid(pattern_text)


class CreditCardRecognizer(ValidatedPatternRecognizer):
    """Payment card number: issuer range and length, then Luhn."""

    ENTITY = "CREDIT_CARD"
    PATTERNS: ClassVar[tuple[tuple[str, str, float], ...]] = (
        (
            "card_grouped",
            NUM_START
            + r"(?:\d{4}[ \-]\d{4}[ \-]\d{4}[ \-]\d{4}(?:[ \-]\d{1,3})?"
            + r"|\d{4}[ \-]\d{6}[ \-]\d{4,5})"
            + NUM_END,
            0.85,
        ),
        ("card_bare", NUM_START + r"\d{13,19}" + NUM_END, 0.6),
    )
    CONTEXT = (
        "card", "credit card", "debit card", "card number", "card no", "visa", "mastercard",
        "amex", "american express", "maestro", "pan", "expiry", "cvv", "cvc",
    )
    negative_context = ValidatedPatternRecognizer.negative_context + (
        "order", "invoice", "tracking", "reference", "ref", "isbn", "serial", "transaction id",
    )

    def validate_result(self, pattern_text: str) -> bool:
        return checksums.card_valid(pattern_text)


class ShortCardRecognizer(CreditCardRecognizer):
    """A 12-digit card number (Maestro's shortest), only beside a card word: twelve Luhn-valid digits in a Maestro
    range are common otherwise (an account, a phone number written without spaces)."""

    PATTERNS = (("card_short", NUM_START + r"\d{4}[ \-]?\d{4}[ \-]?\d{4}" + NUM_END, 0.5),)
    requires_context = True


def recognizers() -> list[ValidatedPatternRecognizer]:
    """One of each financial recogniser."""
    return [IbanRecognizer(), CreditCardRecognizer(), ShortCardRecognizer()]
