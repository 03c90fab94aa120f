"""Finnish personal identity code (henkilötunnus, HETU): DDMMYY, a century sign, an individual number and a
check character, the ten-digit number modulo 31. Registered in configs/entities.yaml (identifiers.FI_HETU)."""
from __future__ import annotations

import datetime

from detectors.recognizers import NUM_END, NUM_START, ValidatedPatternRecognizer

_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_CENTURY = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
            "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}


def hetu_valid(text: str) -> bool:
    """Check character and a real date of birth; individual numbers 002-899 (900-999 are temporary)."""
    value = text.strip().upper()
    if len(value) != 11 or value[6] not in _CENTURY or not (value[:6] + value[7:10]).isdigit():
        return False
    day, month, year = int(value[:2]), int(value[2:4]), _CENTURY[value[6]] + int(value[4:6])
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return 2 <= int(value[7:10]) <= 899 and _CHECK[int(value[:6] + value[7:10]) % 31] == value[10]


class FiHetuRecognizer(ValidatedPatternRecognizer):
    """Finnish HETU, only beside a label."""

    ENTITY = "FI_HETU"
    PATTERNS = (("hetu", NUM_START + r"\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]" + NUM_END, 0.5),)
    CONTEXT = ("hetu", "henkilötunnus", "henkilotunnus", "personbeteckning", "finnish personal identity code")
    requires_context = True

    def validate_result(self, pattern_text: str) -> bool:
        return hetu_valid(pattern_text)
