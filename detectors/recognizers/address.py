"""UK-style street addresses as one LOCATION: house number, street name and type, then an optional town
and postcode ("Flat 2, 14 Oakfield Road, Leeds LS6 2AB")."""

from __future__ import annotations

from detectors.recognizers import WORD_END, WORD_START, ValidatedPatternRecognizer

STREET_TYPES = (
    "Road", "Rd", "Street", "St", "Lane", "Ln", "Avenue", "Ave", "Close", "Drive", "Dr", "Way", "Crescent",
    "Cres", "Gardens", "Gdns", "Court", "Ct", "Place", "Pl", "Terrace", "Grove", "Hill", "Park", "Square", "Sq",
    "Mews", "Row", "Walk", "Parade", "View", "Rise", "Green", "Vale", "Croft", "Meadows", "Fields", "Wharf",
)
ABBREVIATIONS = frozenset({"Rd", "St", "Ln", "Ave", "Dr", "Cres", "Gdns", "Ct", "Pl", "Sq"})
_NAME = r"[A-Z][a-z'’]+"
_STREET = (
    r"(?:(?:Flat|Apartment|Apt|Unit) \d{1,4}[A-Za-z]?,? )?"
    r"\d{1,4}[A-Za-z]?,? (?:" + _NAME + r"[ \-]){1,3}(?:"
    + "|".join(t + (r"\.?" if t in ABBREVIATIONS else "") for t in STREET_TYPES) + ")"
)
_TOWN = r"(?:,[ \t]?" + _NAME + r"(?:[ \-](?:upon[ \-]|on[ \-]|under[ \-])?" + _NAME + r"){0,2})?"
_POSTCODE = r"(?:,?[ \t](?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2})?"


class StreetAddressRecognizer(ValidatedPatternRecognizer):
    """A street address (number, name, street type) with the town and postcode that follow it."""

    ENTITY = "LOCATION"
    PATTERNS = (("street_address", WORD_START + _STREET + _TOWN + _POSTCODE + WORD_END, 0.85),)
    CONTEXT = ("address", "lives at", "living at", "resides", "residing", "moved to", "home", "correspondence")


def recognizers() -> list[ValidatedPatternRecognizer]:
    """The address recogniser."""
    return [StreetAddressRecognizer()]
