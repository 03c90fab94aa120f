"""DATE_OF_BIRTH: a real, past calendar date reported only beside birth context.

A date on its own is not personal data; "DOB: 03/04/1985" is.
"""

from __future__ import annotations

import datetime as _dt
import re

from detectors.recognizers import ValidatedPatternRecognizer

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?i:st|nd|rd|th)?"
_START = r"(?<![\w/.\-])"
_END = r"(?![\w/\-]|\.\d)"

_NUMERIC = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?,?\s+(\d{4})", re.I)
_MONTH_DAY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.I)

# Years before this are not birth dates of living people we would hold.
EARLIEST_BIRTH_YEAR = 1900


def _year(text: str, today: _dt.date | None) -> int:
    if len(text) == 4:
        return int(text)
    # NOTE: two-digit years pivot on today: a year in the future is last century.
    year = 2000 + int(text)
    return year if year <= (today or _dt.date.today()).year else year - 100


def _date(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str, today: _dt.date | None = None) -> _dt.date | None:
    """Parse the date forms we detect (UK day-first before US month-first); None if not a date."""
    value = text.strip()
    if match := _ISO.fullmatch(value):
        return _date(int(match[1]), int(match[2]), int(match[3]))
    if match := _NUMERIC.fullmatch(value):
        first, second, year = int(match[1]), int(match[3]), _year(match[4], today)
        return _date(year, second, first) or _date(year, first, second)
    if match := _DAY_MONTH.fullmatch(value):
        month = _MONTHS.get(match[2][:3].lower())
        return _date(int(match[3]), month, int(match[1])) if month else None
    if match := _MONTH_DAY.fullmatch(value):
        month = _MONTHS.get(match[1][:3].lower())
        return _date(int(match[3]), month, int(match[2])) if month else None
    return None


def plausible_birth_date(text: str, today: _dt.date | None = None) -> bool:
    """A real calendar date between 1900 and today."""
    today = today or _dt.date.today()
    parsed = parse_date(text, today)
    return parsed is not None and EARLIEST_BIRTH_YEAR <= parsed.year and parsed <= today


class DateOfBirthRecognizer(ValidatedPatternRecognizer):
    """dd/mm/yyyy, dd-mm-yy, yyyy-mm-dd, 3 March 1985, March 3rd, 1985 … beside birth words."""

    ENTITY = "DATE_OF_BIRTH"
    PATTERNS = (
        (
            "date_numeric",
            _START + r"\d{1,2}(?:/\d{1,2}/|-\d{1,2}-|\.\d{1,2}\.)(?:\d{4}|\d{2})" + _END,
            0.6,
        ),
        ("date_iso", _START + r"(?:19|20)\d{2}-\d{1,2}-\d{1,2}" + _END, 0.6),
        (
            "date_day_month",
            _START + r"\d{1,2}" + _ORDINAL + r"\s+(?i:of\s+)?" + _MONTH + r",?\s+\d{4}" + _END,
            0.6,
        ),
        (
            "date_month_day",
            _START + _MONTH + r"\s+\d{1,2}" + _ORDINAL + r",?\s+\d{4}" + _END,
            0.6,
        ),
    )
    CONTEXT = (
        "dob", "d.o.b", "d.o.b.", "date of birth", "birth date", "birthdate", "born", "birthday",
        "date de naissance", "né le", "née le", "geburtsdatum", "geboren", "fecha de nacimiento",
        "data di nascita", "geboortedatum",
    )
    negative_context = ValidatedPatternRecognizer.negative_context + (
        "invoice", "due", "expiry", "expires", "issued", "order", "joined", "started",
        "appointment",
    )
    requires_context = True
    context_window = (40, 20)

    def validate_result(self, pattern_text: str) -> bool:
        return plausible_birth_date(pattern_text)


def recognizers() -> list[ValidatedPatternRecognizer]:
    """The date-of-birth recogniser."""
    return [DateOfBirthRecognizer()]
