"""Indian identifiers: Permanent Account Number (PAN) and Aadhaar."""

from __future__ import annotations

from detectors import checksums
from detectors.recognizers import (
    NUM_END,
    NUM_START,
    WORD_END,
    WORD_START,
    ValidatedPatternRecognizer,
)

_AADHAAR_CONTEXT = ("aadhaar", "aadhar", "adhaar", "uidai", "uid", "enrolment", "आधार")


class InPanRecognizer(ValidatedPatternRecognizer):
    """PAN: five letters (the fourth the holder type), four digits, a letter, upper case as issued."""

    ENTITY = "IN_PAN"
    PATTERNS = (("pan", WORD_START + r"[A-Z]{3}[ABCFGHJLPT][A-Z]\d{4}[A-Z]" + WORD_END, 0.6),)
    CONTEXT = ("pan", "pan card", "pan no", "permanent account number", "income tax")

    def validate_result(self, pattern_text: str) -> bool:
        return checksums.pan_valid(pattern_text)


class InAadhaarRecognizer(ValidatedPatternRecognizer):
    """Aadhaar written 4-4-4 (as printed on the card): twelve digits, Verhoeff check digit."""

    ENTITY = "IN_AADHAAR"
    PATTERNS = (("aadhaar_grouped", NUM_START + r"[2-9]\d{3}[ \-]\d{4}[ \-]\d{4}" + NUM_END, 0.55),)
    CONTEXT = _AADHAAR_CONTEXT
    negative_context = ValidatedPatternRecognizer.negative_context + ("phone", "tel", "order", "invoice", "card no")

    def validate_result(self, pattern_text: str) -> bool:
        return checksums.aadhaar_valid(pattern_text)


class InAadhaarBareRecognizer(InAadhaarRecognizer):
    """Aadhaar as twelve bare digits: one in ten random numbers passes Verhoeff, so only beside its name."""

    PATTERNS = (("aadhaar_bare", NUM_START + r"[2-9]\d{11}" + NUM_END, 0.4),)
    requires_context = True


def recognizers() -> list[ValidatedPatternRecognizer]:
    """One of each Indian recogniser."""
    return [InPanRecognizer(), InAadhaarRecognizer(), InAadhaarBareRecognizer()]
