"""One pass over the text for every pattern recogniser; checksums and context only on candidates.

With hyperscan installed (the ``[fast]`` extra) all patterns are scanned together in prefilter mode,
which reports a superset of the places where each pattern can end; the exact Python regex then runs
only in small windows around those places. Without hyperscan every pattern runs over the text with
``re`` (same results, slower). google-re2 is not used: it has no look-around, which every boundary
in our patterns needs, so it could only prefilter — the job hyperscan does faster.

Phone numbers go through ``phonenumbers`` (slow), so it is only given a small window around each run of
digits that could start a number, and its answers are cached.
"""
from __future__ import annotations

import bisect
import functools
import importlib.metadata
import platform
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import phonenumbers

from detectors.cache import cache_key, write_private
from detectors.language import LanguageCheck
from detectors.recognizers import MIN_SCORE, NEGATIVE_PENALTY, ContextScored, ValidatedPatternRecognizer
from detectors.recognizers.address import UK_OR_IRISH_POSTCODE
from detectors.recognizers.contact import PhoneRecognizer
from detectors.sentences import clip_after, clip_before
from detectors.recognizers.phones import (
    DEFAULT_PHONE_REGIONS,
    numbers_for_region,
    region_order,
    suggested_regions,
)

if TYPE_CHECKING:
    from hyperscan import Database
    from phonenumbers import PhoneNumberDesc

_hs: ModuleType | None
try:  # NOTE: optional; the fallback gives identical results
    import hyperscan as _hs
except ImportError:  # pragma: no cover - exercised when the [fast] extra is absent
    _hs = None

# Tighter prefilters (supersets of every candidate that can pass validation) for patterns whose
# hyperscan approximation fires on ordinary words.
_HINTS = {
    # iban_valid needs two digits after the country code; spaces may sit between characters.
    "iban": r"(?i)(?<![a-z0-9_])[a-z]{2} ?\d ?\d",
    # a handle's "@" and its first two characters: one report per "@" (its own pattern reports every length)
    "handle": r"@[A-Za-z0-9_]{2}",
}
# Simpler expressions that end where a pattern's every match ends (its windows are taken as for the pattern):
# an address on lines ends in its postcode
_END_HINTS = {"street_lines": UK_OR_IRISH_POSTCODE + r"(?![A-Za-z0-9_])"}
_WINDOW_AFTER = 8          # look-ahead room after a reported end
PHONE_HINT = re.compile(r"[+(]?\d[\d \t().\-/]{5,}\d")
_LINE_END = re.compile(r"\n")
_JOIN = "\n\x00\n"         # between a column's values when they are scanned together: no pattern spans it
# With default region GB and leniency VALID, phonenumbers only accepts a number written with +, 00, a
# national 0, an opening bracket or a bare 44 country code: a digit run starting otherwise is not asked.
_PHONE_START = re.compile(r"(?<!\d)(?:[+(]|0|44)")
_PHONE_EXTENSION = re.compile(r"(?i)[ \t]*(?:ext\.?|extension|x|#)[ \t]*\d{1,7}")
_NOT_PHONE_SHAPE = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,3}(?:\.\d{1,3}){3}"  # dates, IPv4
                              r"|(?:19|20)\d\d ?[-/] ?(?:19|20)?\d\d"                                # year ranges
                              r"|(?:19|20)\d\d/\d+|\d+/(?:19|20)\d\d"              # a year's case number ("2019/114557")
                              r"|\d{4}-\d{2}-\d{2}[ T]\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}[ T]\d{1,2}")  # a date and
                                            # its hour, as logs write it ("2025-03-12 09:20:15": not a Luxembourg number)


@dataclass(frozen=True)
class Candidate:
    recognizer: ValidatedPatternRecognizer
    pattern_name: str
    start: int
    end: int
    base: float
    validated: bool | None     # True: a checksum passed; None: format rules only
    score: float


@dataclass(frozen=True)
class _Entry:
    recognizer: ValidatedPatternRecognizer
    name: str
    regex: re.Pattern[str]
    base: float
    max_width: int


def _max_width(pattern: str) -> int:
    import re._parser as parser

    width = parser.parse(pattern).getwidth()[1]
    return min(int(width), 400)


class PatternPass:
    """All validated pattern recognisers as one scanner."""

    def __init__(self, recognizers: Sequence[ValidatedPatternRecognizer], *, use_hyperscan: bool = True,
                 score_overrides: dict[str, float] | None = None, cache_dir: str | Path | None = None):
        overrides = score_overrides or {}
        self.entries: list[_Entry] = []
        for rec in recognizers:
            for pattern, compiled in rec.compiled_patterns():
                base = overrides.get(rec.ENTITY, pattern.score)
                self.entries.append(_Entry(rec, pattern.name, compiled, base, _max_width(pattern.regex)))
        self._db = self._compile(cache_dir) if (use_hyperscan and _hs is not None) else None

    @property
    def accelerated(self) -> bool:
        return self._db is not None

    def _compile(self, cache_dir: str | Path | None) -> Database | None:
        import hyperscan as hs       # NOTE: only called where _hs is importable

        # NOTE: each expression is shadowed as the text is (_ascii_shadow): a letter outside ASCII in a label or a
        # word ("Fødselsnummer", "montée") would otherwise be UTF-8 bytes the shadowed text never holds
        exprs = [_ascii_shadow(_HINTS.get(e.name) or _END_HINTS.get(e.name) or _label_hint(e.recognizer) or e.regex.pattern)
                 for e in self.entries]
        flags = [hs.HS_FLAG_PREFILTER] * len(exprs)
        # NOTE: compiling takes ~0.4 s, at every worker's start; the database is kept in the cache folder,
        # named by what it was compiled from (a corrupt, foreign or stale file is compiled again)
        key = cache_key(importlib.metadata.version("hyperscan"), platform.machine(), exprs, flags)
        cached = Path(cache_dir) / f"hyperscan-{key}.db" if cache_dir else None
        if cached is not None:
            try:
                db = hs.loadb(cached.read_bytes(), hs.HS_MODE_BLOCK)
                db.scratch = hs.Scratch(db)
                return db
            except Exception:  # noqa: BLE001 - missing, unreadable or not for this machine: compile it
                pass
        db = hs.Database()
        try:
            db.compile(expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs), flags=flags)
        except Exception:  # noqa: BLE001 - an unsupported pattern: fall back to plain re for all
            return None
        if cached is not None:
            write_private(cached, hs.dumpb(db))
        return db

    def candidates(self, text: str, extra_context: str = "") -> list[Candidate]:
        """Every match that passes validation and context rules, with its score (unresolved overlaps)."""
        out: list[Candidate] = []
        seen: set[tuple[int, int, int]] = set()
        for index, start, end in self._matches(text, extra_context):
            key = (index, start, end)
            if key in seen:
                continue
            seen.add(key)
            candidate = self._check(index, text, start, end, extra_context)
            if candidate is not None:
                out.append(candidate)
        return out

    def candidates_many(self, texts: Sequence[str], extra_context: str = "") -> list[list[Candidate]]:
        """``[candidates(t, extra_context) for t in texts]`` with one scan over all of them (a column's
        sampled values: one hyperscan call instead of one per cell). Validation and context scoring still
        see each text on its own; a text a match runs out of is re-scanned alone, so nothing differs."""
        if len(texts) < 2:
            return [self.candidates(t, extra_context) for t in texts]
        joined, starts = _joined(texts)
        out: list[list[Candidate]] = [[] for _ in texts]
        seen: set[tuple[int, int, int]] = set()
        alone: set[int] = set()
        for index, start, end in self._matches(joined, extra_context):
            k = bisect.bisect_right(starts, start) - 1
            base = starts[k]
            if start >= base + len(texts[k]) or end > base + len(texts[k]):     # (starts[0] == 0: k >= 0)
                alone.update(j for j in (k, k + 1) if 0 <= j < len(texts))
                continue
            key = (index, start, end)
            if key in seen:
                continue
            seen.add(key)
            candidate = self._check(index, texts[k], start - base, end - base, extra_context)
            if candidate is not None:
                out[k].append(candidate)
        for k in alone:
            out[k] = self.candidates(texts[k], extra_context)
        return out

    def _check(self, index: int, text: str, start: int, end: int, extra_context: str) -> Candidate | None:
        entry = self.entries[index]
        rec = entry.recognizer
        # NOTE: a recogniser that requires context mostly meets matches without their label (any reference-shaped
        # value in a column or a log), and both checks are pure: for it the usually failing one goes first
        score = rec.score_in_context(text, start, end, entry.base, extra_context) if rec.requires_context else None
        if rec.requires_context and score is None:
            return None
        verdict = rec.validate_result(text[start:end])
        if verdict is False:
            return None
        if score is None:
            score = rec.score_in_context(text, start, end, entry.base, extra_context)
            if score is None:
                return None
        return Candidate(rec, entry.name, start, end, entry.base, verdict, score)

    def _matches(self, text: str, extra_context: str = "") -> Iterator[tuple[int, int, int]]:
        if self._db is None:
            for index, entry in enumerate(self.entries):
                for m in entry.regex.finditer(text):
                    yield index, m.start(), m.end()
            return
        windows = self._windows(self._db, text)
        for index, entry in enumerate(self.entries):
            if _label_hint(entry.recognizer) and entry.recognizer.labelled_header(extra_context):
                windows[index] = [(0, len(text))]        # the header labels every value: no label to look for
        for index, spans in windows.items():
            regex = self.entries[index].regex
            for lo, hi in spans:
                for m in regex.finditer(text, lo, hi):
                    yield index, m.start(), m.end()

    def _windows(self, db: Database, text: str) -> dict[int, list[tuple[int, int]]]:
        ends: defaultdict[int, list[int]] = defaultdict(list)

        def on_match(index: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
            ends[index].append(to)

        db.scan(_ascii_shadow(text), match_event_handler=on_match)
        n = len(text)
        windows: dict[int, list[tuple[int, int]]] = {}
        for index, points in ends.items():
            entry = self.entries[index]
            # NOTE: a hint (e.g. IBAN) reports where the candidate starts, not where it ends; a label hint where
            # its label ends, the value starting within the recogniser's context reach after it.
            if entry.name in _HINTS:
                before, after = 8, entry.max_width + _WINDOW_AFTER
            elif _label_hint(entry.recognizer):
                before, after = 8, entry.recognizer.context_window[0] + entry.max_width + _WINDOW_AFTER
            else:
                before, after = entry.max_width + 1, _WINDOW_AFTER
            windows[index] = _merged(sorted(points), before, after, n)
        return windows


def _label_hint(rec: ValidatedPatternRecognizer) -> str | None:
    """The hyperscan expression for the words a recogniser's required label ends in (its values are looked for
    only after one), or None: the recogniser's own patterns are scanned for."""
    return rec.label_hint if rec.requires_context else None


def _merged(points: list[int], before: int, after: int, n: int) -> list[tuple[int, int]]:
    """The windows (point - before, point + after) of sorted ``points``, clipped to (0, n), overlapping or
    touching ones merged. (Hyperscan reports each end of a match: often thousands of points a text.)"""
    merged: list[tuple[int, int]] = []
    if not points:
        return merged
    lo, hi = points[0] - before, points[0] + after
    for point in points:
        # NOTE: unclipped bounds merge exactly where clipped ones do (a point is at most n, before at least 1)
        if point - before <= hi:
            hi = point + after          # points are sorted: never below the window's last end
        else:
            merged.append((max(0, lo), min(n, hi)))
            lo, hi = point - before, point + after
    merged.append((max(0, lo), min(n, hi)))
    return merged


def _ascii_shadow(text: str) -> bytes:
    """The text as ASCII bytes, one byte per character, keeping each character's regex class and case (a pattern
    may want a capital: "35314 Örebro" is read as "35314 Arebro", not "35314 arebro")."""
    if text.isascii():
        return text.encode("ascii")
    table = {}
    for char in set(text):
        if not char.isascii():
            table[ord(char)] = (" " if char.isspace() else "0" if char.isdigit()
                                else "A" if char.isupper() or char.istitle() else "a" if char.isalnum() else "~")
    return text.translate(table).encode("ascii")


# A UK number in national format (0 and ten digits, in up to three groups: "0113 496 0672", "07700 900123")
# alone in its window but for one space or punctuation character either side: the matcher would find exactly
# it, if it is valid.
# ("00" is the international prefix, not a national number: left to the matcher.)
_PLAIN_UK = re.compile(r"([ \t\n,;:]?)(0[1-9]\d{1,3}(?: \d{3,6}){1,2}|0[1-9]\d{9})[ \t\n,.;:]?")


@functools.lru_cache(maxsize=8192)
def _numbers_in(window: str, region: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, raw) of each valid number in a small window. Cached: the same numbers recur across an
    estate (switchboards, letter footers, the same people), and each costs phonenumbers ~0.1 ms."""
    plain = _PLAIN_UK.fullmatch(window) if region == "GB" else None
    if plain is not None:
        digits = plain.group(2).replace(" ", "")
        if len(digits) == 11:
            # NOTE: the matcher's answer without the matcher (a test compares them). A yes: this shape cannot
            # fail its other checks. A no is final too: after the whole run the matcher tries its groups
            # alone, and a group of at most six digits is never a valid number.
            if _valid_uk(int(digits[1:])):
                return ((plain.start(2), plain.end(2), plain.group(2)),)
            return ()
    return tuple((m.start, m.end, m.raw_string)
                 for m in phonenumbers.PhoneNumberMatcher(window, region, leniency=phonenumbers.Leniency.VALID))


def _valid_uk(national: int) -> bool:
    """phonenumbers.is_valid_number for +44 ``national``: GB is the first region of +44, so a number valid for
    GB is valid; else the other +44 regions (Jersey, Guernsey, Man) are asked too."""
    if _GB_VALID(str(national)):
        return True
    return phonenumbers.is_valid_number(phonenumbers.PhoneNumber(country_code=44, national_number=national))


_Desc = tuple[frozenset[int], re.Pattern[str]]        # possible lengths, national number pattern


class _RegionValidity:
    """phonenumbers.is_valid_number_for_region for one region's national significant numbers, from the same
    metadata with its patterns compiled once: a number is valid when it fits the region's general description
    and one of its number types (phonenumbers walks the types through several layers of calls and a regex
    cache per type: about 4x slower). A test compares the two."""

    _TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail",
              "fixed_line", "mobile")

    def __init__(self, region: str):
        meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
        if meta is None:
            raise ValueError(f"phonenumbers has no metadata for region {region!r}")
        self.general = self._desc(meta.general_desc)
        self.types = [d for d in (self._desc(getattr(meta, name, None)) for name in self._TYPES) if d is not None]

    @staticmethod
    def _desc(desc: PhoneNumberDesc | None) -> _Desc | None:
        if desc is None or not desc.national_number_pattern:
            return None
        return frozenset(desc.possible_length or ()), re.compile(desc.national_number_pattern)

    def __call__(self, nsn: str) -> bool:
        return self._fits(self.general, nsn) and any(self._fits(d, nsn) for d in self.types)

    @staticmethod
    def _fits(desc: _Desc | None, nsn: str) -> bool:
        if desc is None:
            return False
        lengths, pattern = desc
        if lengths and len(nsn) not in lengths:
            return False
        return pattern.fullmatch(nsn) is not None


_GB_VALID = _RegionValidity("GB")


_DIGIT_GROUP = re.compile(r"\d+")


@dataclass(frozen=True)
class _RegionCheck:
    code: str                               # calling code
    prefix: re.Pattern[str] | None          # national prefix for parsing (what phonenumbers strips first)
    idd: re.Pattern[str] | None             # international prefix
    lengths: frozenset[int]                 # every possible national number length of the regions of ``code``
    valid: tuple[_RegionValidity, ...]      # validity in each region sharing ``code``


@functools.cache
def _region_check(region: str) -> _RegionCheck | None:
    """What ``may_be_valid`` needs of ``region``. None where its national prefix rule rewrites the number (a
    transform rule: Argentina, Mexico ...; no shortcut there)."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if meta is None or meta.country_code is None or meta.national_prefix_transform_rule:
        return None
    shared = []
    for other in phonenumbers.region_codes_for_country_code(meta.country_code):
        try:
            shared.append(_RegionValidity(other))
        except ValueError:
            return None
    lengths = frozenset(n for v in shared if v.general is not None for n in v.general[0])
    if not lengths:
        return None
    idd = re.compile(meta.international_prefix) if meta.international_prefix else None
    prefix = re.compile(meta.national_prefix_for_parsing) if meta.national_prefix_for_parsing else None
    return _RegionCheck(str(meta.country_code), prefix, idd, lengths, tuple(shared))


@functools.lru_cache(maxsize=4096)
def _digit_runs(window: str) -> tuple[str, ...]:
    """The digits of each run of consecutive digit groups of ``window``."""
    groups = _DIGIT_GROUP.findall(window)
    return tuple("".join(groups[i:j]) for i in range(len(groups)) for j in range(i + 1, len(groups) + 1))


def may_be_valid(window: str, region: str, min_digits: int = 1) -> bool:
    """False only where phonenumbers' matcher cannot find a valid number of at least ``min_digits`` digits (as
    written) in ``window`` read as ``region``'s national format: no run of consecutive digit groups of the
    window with that many digits, as written, less what phonenumbers' parse strips (the region's national
    prefix; or its calling code, then a national prefix), is a valid national number of a region sharing
    that calling code. The matcher's candidates, and the inner matches it falls back on, are such runs. A
    "+", or digits starting with the international prefix, can make the number another country's: then
    True. A test checks the claim on many numbers and regions; the matcher costs ~0.2 ms a region."""
    check = _region_check(region)
    if check is None or "+" in window:
        return True
    code, prefix, lengths = check.code, check.prefix, check.lengths
    for digits in _digit_runs(window):
        if len(digits) < min_digits:
            continue
        if check.idd is not None and check.idd.match(digits):
            return True
        stripped = prefix.match(digits) if prefix is not None else None
        national = digits[len(code):] if digits.startswith(code) else ""     # the calling code written first ...
        again = prefix.match(national) if prefix is not None and national else None   # ... then a national prefix
        for nsn in (digits, digits[stripped.end():] if stripped else "", national,
                    national[again.end():] if again else ""):
            if len(nsn) in lengths and any(valid(nsn) for valid in check.valid):
                return True
    return False


# "M: ", "T: ", "P: ", "F: ": a signature's or a form's one-letter label for a mobile, telephone, phone or fax
_LETTER_LABEL = re.compile(r"(?:^|(?<=[\s|,;(/]))[MTPFmtpf][ \t]*:[ \t]*\+?\(?$")


class PhonePass:
    """phonenumbers on each digit run that could start a number (a small window, not the line), scored with
    the full text's context.

    A run is read as a UK number first (the fast path); failing that, in the national format of each region
    the text suggests and then of each configured region (``phone_regions``; detectors/recognizers/phones.py).
    A UK national number that is only *possible* (the right length, e.g. Ofcom's drama range 07700 900xxx) counts only with
    a phone word in its sentence, at POSSIBLE_SCORE; so does one written with its country code, or in North American
    grouping, that no numbering plan holds (_possible)."""

    FOREIGN_PENALTY = 0.15       # valid only as a configured (not suggested) region's national number
    POSSIBLE_SCORE = 0.55

    def __init__(self, recognizer: PhoneRecognizer | None = None, score: float | None = None,
                 regions: Sequence[str] = DEFAULT_PHONE_REGIONS, threshold: float | None = None,
                 cache_dir: str | Path | None = None):
        self.recognizer = recognizer or PhoneRecognizer()
        self.language: LanguageCheck | None = None      # the detector's, set once its word lists are loaded
        self._cache_dir = str(cache_dir) if cache_dir else None
        self.score = score if score is not None else self.recognizer.SCORE
        self.regions = tuple(regions)
        # NOTE: the reporting threshold (the caller drops candidates under it) lets a run that another
        # identifier's label stands before skip the region matchers: none of their readings could be kept.
        self._labelled_drops = threshold is not None and round(
            min(1.0, max(MIN_SCORE, self.score - NEGATIVE_PENALTY)), 4) < threshold

    def preload(self) -> None:
        """Compile now what the first number that is not a UK one needs (the country-name pattern, each
        configured region's number patterns), which a text of UK numbers never asks for: in a forkserver,
        before the workers fork, so that each worker does not compile it again (~0.1 s of CPU each)."""
        suggested_regions("", self._cache_dir)          # NOTE: builds the country-name pattern it reads
        for region in self.regions:
            _region_check(region)

    def candidates(self, text: str, extra_context: str = "") -> list[tuple[int, int, float]]:
        """(start, end, score) of each valid number in ``text``."""
        out: list[tuple[int, int, float]] = []
        done: set[tuple[int, int]] = set()
        hints = _TextRegions(text, self._cache_dir, self.language)
        for hint in PHONE_HINT.finditer(text):
            self._at_hint(text, hint.start(), hint.end(), extra_context, out, done, hints)
        return out

    def candidates_many(self, texts: Sequence[str], extra_context: str = "") -> list[list[tuple[int, int, float]]]:
        """``[candidates(t, extra_context) for t in texts]``, the digit runs of all of them found in one pass (a
        column's sampled values). A run never spans two values: the separator holds no digit-run character."""
        if len(texts) < 2:
            return [self.candidates(t, extra_context) for t in texts]
        joined, starts = _joined(texts)
        out: list[list[tuple[int, int, float]]] = [[] for _ in texts]
        done: list[set[tuple[int, int]]] = [set() for _ in texts]
        hints = [_TextRegions(t, self._cache_dir, self.language) for t in texts]
        for hint in PHONE_HINT.finditer(joined):
            k = bisect.bisect_right(starts, hint.start()) - 1
            base = starts[k]
            self._at_hint(texts[k], hint.start() - base, hint.end() - base, extra_context, out[k], done[k],
                          hints[k])
        return out

    def _at_hint(self, text: str, h_start: int, h_end: int, extra_context: str,
                 out: list[tuple[int, int, float]], done: set[tuple[int, int]], hints: _TextRegions) -> None:
        if _NOT_PHONE_SHAPE.fullmatch(text, h_start, h_end):
            return
        # NOTE: the matcher is given the digit run, an extension and one character either side (it
        # rejects a number touching a letter), not the whole line: its cost grows with the text.
        lo = max(0, h_start - 1)
        ext = _PHONE_EXTENSION.match(text, h_end)
        hi = min(len(text), (ext.end() if ext else h_end) + 1)
        window = text[lo:hi]
        if _PHONE_START.search(text, h_start, h_end):
            found = _numbers_in(window, self.recognizer.DEFAULT_REGION)
            if found:
                self._add(text, lo, found, self.score, extra_context, out, done)
                return
            if _COUNTRY_CODE.match(text, h_start) and not _NATIONAL.fullmatch(text, h_start, h_end):
                # "+44(0)29 2018179": a country code no national reading below can have
                if self._has_context(text, h_start, h_end, extra_context):
                    self._add(text, lo, self._possible(text, window, lo, h_start, h_end), None, extra_context, out,
                              done)
                return
        if h_start > 0 and text[h_start - 1].isalnum():
            # NOTE: a run glued to a word ("…R4  1640…" in a URL) starts at its next group, not inside the word.
            gap = _GAP.search(text, h_start, h_end)
            if gap is None:
                return
            h_start = gap.end()
            lo = max(0, h_start - 1)
            window = text[lo:hi]
        if not _national_shape(text, h_start, h_end):
            return
        context = self._has_context(text, h_start, h_end, extra_context)
        if not context and (not _grouped(text, h_start, h_end) or _digits(text, h_start, h_end) < 9):
            return          # bare digits, or eight (a year range, a Danish number), only beside a phone word
        if not context and self._labelled_drops and self._only_labelled(text, lo, hi, extra_context):
            return          # "(NHS 943 476 5919)": every reading would score under the threshold
        suggested = hints.suggested()
        # NOTE: only a UK-shaped reading starting with 0 is used below; a match starts at a digit group's first
        # digit (or a bracket or plus sign before it), so a window with no group starting with 0 has none.
        uk_shaped = (_longest(numbers_for_region(window, "GB", possible=True)) if _GROUP_ZERO.search(window)
                     else ())
        # NOTE: a UK-shaped number that is not valid (drama range 07700 900xxx, an unallocated range) is not
        # re-read as another country's (German area codes accept almost anything) unless the text names it.
        regions = region_order(suggested, () if _covers(uk_shaped, window) else self.regions)
        best, best_region = _best_reading(window, regions, numbers_for_region)
        if not best and context and not _NANP_SHAPE.fullmatch(text, h_start, h_end):
            # NOTE: beside a phone word, a valid number in another grouping than its region's own ("Call 6909 020
            # 244": a Greek mobile grouped 4-3-3); without one, only the region's grouping counts. A number in
            # North American grouping is read as one (a possible number below), not as another region's.
            best, best_region = _best_reading(window, regions, _numbers_in)
        if best:
            penalty = 0.0 if best_region in suggested else self.FOREIGN_PENALTY
            self._add(text, lo, best, self.score - penalty, extra_context, out, done)
        elif context and uk_shaped and uk_shaped[0][2].lstrip("(").startswith("0"):
            self._add(text, lo, uk_shaped, None, extra_context, out, done)
        elif context:
            possible = self._possible(text, window, lo, h_start, h_end)
            if possible:
                self._add(text, lo, possible, None, extra_context, out, done)

    @staticmethod
    def _possible(text: str, window: str, lo: int, start: int, end: int) -> tuple[tuple[int, int, str], ...]:
        """A number beside a phone word that no region's numbering plan holds (an unallocated range, a made-up
        test number: "Phone: +44(0)29 2018179", "Tel: 300.724.5892"), read as merely possible: written with its
        country code, or in the North American grouping (3, 3 and 4 digits) and read whole as a US number.
        ``window`` is text[lo:...], the run text[start:end].
        NOTE: not other national groupings ("Mumbai mobile 98765 43210" needs India suggested), nor bare digits
        (a reference number beside "call us" in one sentence stays a reference)."""
        if _COUNTRY_CODE.match(text, start):
            return _longest(numbers_for_region(window, "GB", possible=True))
        if not _NANP_SHAPE.fullmatch(text, start, end):
            return ()
        found = _longest(numbers_for_region(window, "US", possible=True))
        return found if found and found[0][0] <= start - lo and found[0][1] >= end - lo else ()

    def _only_labelled(self, text: str, lo: int, hi: int, extra_context: str) -> bool:
        """Whether every number read in text[lo:hi] would have another identifier's label (a negative word)
        in its context and no phone word: each span's before-window (from every start a match could have)
        holds a negative word and no phone word, and no after-window (from every end) nor the column header
        holds a phone word. The scores are then at most score - NEGATIVE_PENALTY (score_in_context)."""
        rec = self.recognizer
        negative, positive = rec._negative_re, rec._context_re
        reach_before, reach_after = rec.context_window
        if negative is None or not negative.search(text, max(0, lo - reach_before - 8), lo):
            return False    # NOTE: a cheap look first: most runs have no label before them
        if positive is not None and positive.search(extra_context):
            return False
        labelled_header = negative.search(extra_context) is not None     # a negative header lowers every reading
        for s in range(lo, hi):
            before = clip_before(text[max(0, s - reach_before):s])
            if (positive is not None and positive.search(before)) or not (labelled_header or negative.search(before)):
                return False
        return positive is None or not any(positive.search(clip_after(text[e:e + reach_after]))
                                           for e in range(lo + 1, hi + 1))

    def _has_context(self, text: str, start: int, end: int, extra_context: str) -> bool:
        """A phone word in the run's sentence (or the column header), and no negative word; or a signature's
        one-letter phone label right before it ("T: 0113 496 0555 | M: 07700 900123")."""
        if _LETTER_LABEL.search(text, max(0, start - 8), start):
            return True
        return (self.recognizer.score_in_context(text, start, end, 0.0, extra_context) or 0.0) > MIN_SCORE

    def _add(self, text: str, lo: int, found: Sequence[tuple[int, int, str]], base: float | None,
             extra_context: str, out: list[tuple[int, int, float]], done: set[tuple[int, int]]) -> None:
        for m_start, m_end, raw in found:
            start, end = lo + m_start, lo + m_end
            if (start, end) in done:
                continue
            done.add((start, end))
            # NOTE: phonenumbers keeps an opening bracket whose partner it left outside the match.
            if raw.startswith("(") and ")" not in raw:
                start += 1
            if raw.endswith(")") and "(" not in raw:
                end -= 1
            if base is None:                  # possible only: the phone word is already required
                out.append((start, end, self.POSSIBLE_SCORE))
                continue
            score = self.recognizer.score_in_context(text, start, end, base, extra_context)
            if score is not None:
                out.append((start, end, score))


class _TextRegions:
    """The regions one text suggests, worked out on first need (most texts never need them)."""

    def __init__(self, text: str, cache_dir: str | None = None, language: LanguageCheck | None = None):
        self.text = text
        self.cache_dir = cache_dir
        self.language = language
        self._regions: tuple[str, ...] | None = None

    def suggested(self) -> tuple[str, ...]:
        if self._regions is None:
            self._regions = suggested_regions(self.text, self.cache_dir, self.language)
        return self._regions


_NATIONAL = re.compile(r"\(?\d[\d().\-/ \t]*\d")
_GROUPED = re.compile(r"[().\- \t]")
_GAP = re.compile(r"[ \t]+")
_GROUP_ZERO = re.compile(r"(?<![0-9])0")
_COUNTRY_CODE = re.compile(r"\(?(?:\+|00)")          # a number written with its country code: "+44", "(+358)", "0049"
_NANP_SHAPE = re.compile(r"(?:1[ .\-]?)?\(?\d{3}\)?[ .\-]?\d{3}[ .\-]\d{4}")   # "(415) 555-2671", "1 (403) 060-6720"


def _national_shape(text: str, start: int, end: int) -> bool:
    """A run that could be a national number: 8 to 13 digits with phone punctuation only."""
    if not _NATIONAL.fullmatch(text, start, end):
        return False
    return 8 <= _digits(text, start, end) <= 13


def _digits(text: str, start: int, end: int) -> int:
    return sum(ch.isdigit() for ch in text[start:end])


_MIN_DIGITS = 7


def _longest(found: Sequence[tuple[int, int, str]]) -> tuple[tuple[int, int, str], ...]:
    """The longest of a window's matches of at least _MIN_DIGITS digits (a region that reads only part of a run
    loses to one reading all; a 5-digit short code inside a longer run is not a phone number)."""
    found = [m for m in found if sum(c.isdigit() for c in m[2]) >= _MIN_DIGITS]
    return (max(found, key=lambda m: (m[1] - m[0], -m[0])),) if found else ()


def _covers(found: Sequence[tuple[int, int, str]], window: str) -> bool:
    """Whether the match is a UK national number (0 and ten digits) holding every digit of the window."""
    if not found or not found[0][2].lstrip("(").startswith("0"):
        return False
    digits = sum(c.isdigit() for c in found[0][2])
    return digits == 11 and digits == sum(c.isdigit() for c in window)


def _best_reading(window: str, regions: Sequence[str],
                  read: Callable[[str, str], tuple[tuple[int, int, str], ...]]) -> tuple[tuple[tuple[int, int, str], ...], str]:
    """The longest number ``read`` (window, region) finds in ``window`` for one of ``regions``, and its region
    (the first region of the longest reading; ((), "") when none)."""
    best: tuple[tuple[int, int, str], ...] = ()
    best_region = ""
    reach = _reach(window)
    for region in regions:
        if best and best[0][1] - best[0][0] >= reach:
            break                   # no later region can read a longer number: it would not replace this one
        if not may_be_valid(window, region, _MIN_DIGITS):
            continue                # most regions: the matcher (~0.2 ms each) could find nothing here
        found = _longest(read(window, region))
        if found and (not best or found[0][1] - found[0][0] > best[0][1] - best[0][0]):
            best, best_region = found, region
    return best, best_region


def _reach(window: str) -> int:
    """The length of the longest match phonenumbers' matcher could return in ``window``: one starts at a digit,
    an opening bracket or a plus sign, and ends at a letter, digit or "#" (its candidate pattern ends in a
    digit; an inner match is trimmed of other end characters). A test checks the bound on many windows."""
    ends = [i for i, ch in enumerate(window) if ch.isalnum() or ch == "#"]
    first = next((i for i, ch in enumerate(window) if ch.isalnum() or ch in _MATCH_LEAD), None)
    return 0 if first is None or not ends or ends[-1] < first else ends[-1] + 1 - first


_MATCH_LEAD = "([\uff08\uff3b+\uff0b"


def _grouped(text: str, start: int, end: int) -> bool:
    return _GROUPED.search(text, start, end) is not None


def _joined(texts: Sequence[str]) -> tuple[str, list[int]]:
    """``texts`` joined by _JOIN, and where each starts in the result."""
    starts: list[int] = []
    pos = 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + len(_JOIN)
    return _JOIN.join(texts), starts


def explain_context(rec: ContextScored, text: str, start: int, end: int, extra_context: str = "") -> str:
    """Which context and negative words around text[start:end] moved the score (for --explain)."""
    parts = rec.context_evidence(text, start, end, extra_context)
    return "; ".join(parts) or "no context words"
