"""Canadian Social Insurance Number (SIN, numéro d'assurance sociale): nine digits, Luhn-valid, written
"133 309 948", "133-309-948" or "133309948" (not the "046 454 286" of official examples: no SIN starts with 0).
Registered in configs/entities.yaml (identifiers.CA_SIN)."""
from __future__ import annotations

from detectors import checksums
from detectors.recognizers import NUM_END, NUM_START, ValidatedPatternRecognizer


def sin_valid(text: str) -> bool:
    """Nine digits passing Luhn, the first not 0 or 8 (no province or use is given those)."""
    value = checksums.compact(text)
    return len(value) == 9 and value.isdigit() and value[0] not in "08" and checksums.luhn(value)


class CaSinRecognizer(ValidatedPatternRecognizer):
    """Canadian SIN, only beside its label: nine Luhn-valid digits are common (a phone, an order number)."""

    ENTITY = "CA_SIN"
    PATTERNS = (("sin", NUM_START + r"\d{3}(?:[ \-]?\d{3}){2}" + NUM_END, 0.5),)
    CONTEXT = ("sin", "s.i.n.", "social insurance", "social insurance number", "numéro d'assurance sociale",
               "numero d'assurance sociale", "nas")
    requires_context = True

    def validate_result(self, pattern_text: str) -> bool:
        return sin_valid(pattern_text)
