"""Region codes for ``detection.phone_regions``, checked without loading the recognisers (a config loader
validates them before any I/O; importing ``detectors.recognizers`` loads Presidio, ~3 s)."""
from __future__ import annotations

import phonenumbers


class RegionsError(ValueError):
    """``detection.phone_regions`` is not a list of region codes phonenumbers knows."""


def validate_regions(value: object, where: str = "detection.phone_regions") -> tuple[str, ...]:
    """The configured regions as upper-case ISO 3166 codes; RegionsError names the bad entry."""
    if not isinstance(value, (list, tuple)) or not value:
        raise RegionsError(f"{where}: must be a non-empty list of region codes such as GB, IE, FR, US")
    out = []
    for i, item in enumerate(value):
        code = str(item).strip().upper() if isinstance(item, str) else ""
        if code not in phonenumbers.SUPPORTED_REGIONS:
            raise RegionsError(f"{where}[{i}]: {item!r} is not a region code phonenumbers knows (e.g. GB, FR, US)")
        if code not in out:
            out.append(code)
    return tuple(out)
