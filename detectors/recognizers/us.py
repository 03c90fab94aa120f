"""US Social Security numbers and Individual Taxpayer Identification Numbers."""

from __future__ import annotations

from detectors import checksums
from detectors.recognizers import NUM_END, NUM_START, ValidatedPatternRecognizer

_SSN_CONTEXT = ("ssn", "ss#", "ssn#", "social security", "social security number", "ss no")
_NOT_SSN = ("phone", "tel", "fax", "order", "invoice", "part", "isbn")


class UsSsnRecognizer(ValidatedPatternRecognizer):
    """SSN written AAA-GG-SSSS (dashes or spaces), with the SSA area/group/serial rules."""

    ENTITY = "US_SSN"
    PATTERNS = (("ssn_grouped", NUM_START + r"\d{3}(?:-\d{2}-| \d{2} )\d{4}" + NUM_END, 0.55),)
    CONTEXT = _SSN_CONTEXT
    negative_context = ValidatedPatternRecognizer.negative_context + _NOT_SSN

    def validate_result(self, pattern_text: str) -> bool:
        return checksums.ssn_valid(pattern_text)


class UsSsnBareRecognizer(UsSsnRecognizer):
    """SSN as nine bare digits: only beside an SSN label."""

    PATTERNS = (("ssn_bare", NUM_START + r"\d{9}" + NUM_END, 0.4),)
    requires_context = True


class UsItinRecognizer(ValidatedPatternRecognizer):
    """ITIN written 9XX-XX-XXXX with the IRS group ranges (an SSN never starts with 9)."""

    ENTITY = "US_ITIN"
    PATTERNS = (("itin_grouped", NUM_START + r"9\d{2}(?:-\d{2}-| \d{2} )\d{4}" + NUM_END, 0.55),)
    CONTEXT = ("itin", "individual taxpayer", "taxpayer identification", "tin", "irs", "w-7")
    negative_context = ValidatedPatternRecognizer.negative_context + _NOT_SSN

    def validate_result(self, pattern_text: str) -> bool:
        return checksums.itin_valid(pattern_text)


def recognizers() -> list[ValidatedPatternRecognizer]:
    """One of each US recogniser."""
    return [UsSsnRecognizer(), UsSsnBareRecognizer(), UsItinRecognizer()]
