"""Which countries' national phone formats to try for a number written without +CC.

A national number ("0491 23 45 67", "(415) 555-2671") only means something for a region. We try, in order:
the UK (the fast path), the regions the text itself suggests (a +CC number, a country's name, an e-mail or web
address under a country's domain), then the configured list ``detection.phone_regions`` (default: the UK,
Ireland, the EU/EEA and the US/Canada). Region data (calling codes, names, validity) is phonenumbers'.
"""

from __future__ import annotations

import functools
import importlib.metadata
import re
from collections.abc import Iterable, Sequence
from typing import Any

import phonenumbers

from detectors.cache import cached_json, source_digest
from detectors.language import LanguageCheck

from detectors.regions import RegionsError as RegionsError  # re-exported
from detectors.regions import validate_regions as validate_regions  # re-exported
from detectors.trie import trie_pattern

# The UK and Ireland, the EU/EEA (EU 27 + Iceland, Liechtenstein, Norway), the US and Canada.
DEFAULT_PHONE_REGIONS: tuple[str, ...] = (
    "GB", "IE",
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IT", "LV", "LT", "LU",
    "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    "IS", "LI", "NO",
    "US", "CA",
)
_NAME_LANGUAGES = ("en", "de", "fr", "es", "it", "nl")
# Country-code top-level domains that are not the region's ISO code, and names people write.
_TLD_ALIASES = {"uk": "GB"}
_EXTRA_NAMES = {"uk": "GB", "u.k.": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
                "northern ireland": "GB", "usa": "US", "u.s.": "US", "u.s.a.": "US", "america": "US"}
_PLUS_CC = re.compile(r"(?<![\w+])(?:\+|00)([1-9]\d{0,2})(?=[\s\-.(]?\d)")
_DOMAIN = re.compile(r"(?<=[\w\-])\.([a-z]{2})(?![\w\-])", re.IGNORECASE)


@functools.lru_cache(maxsize=4)
def _country_names(cache_dir: str | None = None) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """The country-name pattern (case-insensitive), the same for lower-case text, and name -> region; the names
    from the cache folder when it holds them for the same phonenumbers and code."""
    names = _cached_names(cache_dir)
    body = rf"(?<!\w)(?:{trie_pattern(names)})(?!\w)"       # ~1,500 names: a trie-shaped alternation
    return re.compile(body, re.IGNORECASE), re.compile(body), names


def _cached_names(cache_dir: str | None) -> dict[str, str]:
    # NOTE: phonenumbers' geocoder (where the region names live) loads all its geographic data on import,
    # ~0.3 s of every scan's start: the ~900 names are kept in the cache folder instead
    def valid(names: Any) -> bool:
        return isinstance(names, dict) and bool(names) and all(isinstance(k, str) and isinstance(v, str)
                                                                for k, v in names.items())

    names: dict[str, str] = cached_json(cache_dir, "country-names",
                                        (importlib.metadata.version("phonenumbers"), source_digest(__file__)),
                                        _build_names, valid)
    return names


def _build_names() -> dict[str, str]:
    from phonenumbers.geocoder import _region_display_name

    names: dict[str, str] = dict(_EXTRA_NAMES)
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for lang in _NAME_LANGUAGES:
            name = _region_display_name(region, lang)
            if name and len(name) >= 4:
                names.setdefault(name.lower(), region)
    return names


def suggested_regions(text: str, cache_dir: str | None = None, language: LanguageCheck | None = None
                      ) -> tuple[str, ...]:
    """Regions the text points at, most mentioned first: +CC numbers, country names, country domains, the
    language of a text not in English. ``cache_dir``: where the country names are kept between runs
    (detectors.cache); ``language``: the detector's language check (else one without its word lists)."""
    counts: dict[str, int] = {}

    def add(regions: Iterable[str]) -> None:
        for region in regions:
            if region in phonenumbers.SUPPORTED_REGIONS:
                counts[region] = counts.get(region, 0) + 1

    for m in _PLUS_CC.finditer(text):
        add(phonenumbers.region_codes_for_country_code(int(m.group(1)))[:1])
    anycase, lower, names = _country_names(cache_dir)
    # NOTE: ASCII text lower-cased and matched case-sensitively finds the same names ~3x faster (the
    # names are lower case; re's case folding differs from str.lower() only outside ASCII)
    for m in lower.finditer(text.lower()) if text.isascii() else anycase.finditer(text):
        add([names[m.group().lower()]])
    for m in _DOMAIN.finditer(text):
        tld = m.group(1).lower()
        add([_TLD_ALIASES.get(tld, tld.upper())])
    add(LANGUAGE_REGIONS.get((language or _languages()).language(text) or "", ()))   # a German letter: its numbers
    return tuple(sorted(counts, key=lambda r: (-counts[r], r)))


# Where each language of detectors.language.LANGUAGES is the main one (a text's language suggests its numbers').
LANGUAGE_REGIONS: dict[str, tuple[str, ...]] = {
    "de": ("DE", "AT", "CH"), "fr": ("FR", "BE", "CH", "LU"), "es": ("ES",), "it": ("IT",), "nl": ("NL", "BE"),
    "pt": ("PT",), "pl": ("PL",), "sv": ("SE",), "da": ("DK",), "nb": ("NO",), "fi": ("FI",), "ro": ("RO",),
    "hu": ("HU",), "cs": ("CZ",), "tr": ("TR",)}


@functools.lru_cache(maxsize=1)
def _languages() -> LanguageCheck:
    return LanguageCheck()


def region_order(suggested: Sequence[str], configured: Sequence[str]) -> tuple[str, ...]:
    """Suggested regions first, then the configured ones; the UK is tried before all of them elsewhere."""
    seen: dict[str, None] = {}
    for region in (*suggested, *configured):
        if region != "GB":
            seen.setdefault(region, None)
    return tuple(seen)


@functools.lru_cache(maxsize=16384)
def numbers_for_region(window: str, region: str, possible: bool = False) -> tuple[tuple[int, int, str], ...]:
    """(start, end, raw) of each number phonenumbers finds in ``window`` read as ``region``'s national format:
    valid and written with that region's digit grouping, or (``possible``) merely of a possible length."""
    leniency = phonenumbers.Leniency.POSSIBLE if possible else phonenumbers.Leniency.STRICT_GROUPING
    return tuple((m.start, m.end, m.raw_string) for m in phonenumbers.PhoneNumberMatcher(window, region,
                                                                                           leniency=leniency))
