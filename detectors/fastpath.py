"""One pass over the text for every pattern recogniser; checksums and context only on candidates.

With hyperscan installed (the ``[fast]`` extra) all patterns are scanned together in prefilter mode,
which reports a superset of the places where each pattern can end; the exact Python regex then runs
only in small windows around those places. Without hyperscan every pattern runs over the text with
``re`` (same results, slower). google-re2 is not used: it has no look-around, which every boundary
in our patterns needs, so it could only prefilter — the job hyperscan does faster.

Phone numbers go through ``phonenumbers`` (slow), so only lines holding a run of digits are given to it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Sequence

import phonenumbers

from detectors.recognizers import ValidatedPatternRecognizer, words_regex
from detectors.recognizers.contact import PhoneRecognizer

try:  # NOTE: optional; the fallback gives identical results
    import hyperscan as _hs
except ImportError:  # pragma: no cover - exercised when the [fast] extra is absent
    _hs = None

# Tighter prefilters (supersets of every candidate that can pass validation) for patterns whose
# hyperscan approximation fires on ordinary words.
_HINTS = {
    # iban_valid needs two digits after the country code; spaces may sit between characters.
    "iban": r"(?i)(?<![a-z0-9_])[a-z]{2} ?\d ?\d",
}
_WINDOW_AFTER = 8          # look-ahead room after a reported end
_PHONE_HINT = re.compile(r"[+(]?\d[\d \t().\-/]{5,}\d")
_LINE_END = re.compile(r"\n")


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
    import re._parser as parser  # type: ignore[import-not-found]

    width = parser.parse(pattern).getwidth()[1]
    return min(int(width), 400)


class PatternPass:
    """All validated pattern recognisers as one scanner."""

    def __init__(self, recognizers: Sequence[ValidatedPatternRecognizer], *, use_hyperscan: bool = True,
                 score_overrides: dict[str, float] | None = None):
        overrides = score_overrides or {}
        self.entries: list[_Entry] = []
        for rec in recognizers:
            for pattern, compiled in zip(rec.patterns, rec._compiled):
                base = overrides.get(rec.ENTITY, pattern.score)
                self.entries.append(_Entry(rec, pattern.name, compiled, base, _max_width(pattern.regex)))
        self._db = self._compile() if (use_hyperscan and _hs is not None) else None

    @property
    def accelerated(self) -> bool:
        return self._db is not None

    def _compile(self):
        exprs = [_HINTS.get(e.name, e.regex.pattern).encode() for e in self.entries]
        flags = [_hs.HS_FLAG_PREFILTER] * len(exprs)
        db = _hs.Database()
        try:
            db.compile(expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs), flags=flags)
        except Exception:  # noqa: BLE001 - an unsupported pattern: fall back to plain re for all
            return None
        return db

    def candidates(self, text: str, extra_context: str = "") -> list[Candidate]:
        """Every match that passes validation and context rules, with its score (unresolved overlaps)."""
        out: list[Candidate] = []
        seen: set[tuple[int, int, int]] = set()
        for index, start, end in self._matches(text):
            key = (index, start, end)
            if key in seen:
                continue
            seen.add(key)
            entry = self.entries[index]
            rec = entry.recognizer
            verdict = rec.validate_result(text[start:end])
            if verdict is False:
                continue
            score = rec.score_in_context(text, start, end, entry.base, extra_context)
            if score is None:
                continue
            out.append(Candidate(rec, entry.name, start, end, entry.base, verdict, score))
        return out

    def _matches(self, text: str) -> Iterator[tuple[int, int, int]]:
        if self._db is None:
            for index, entry in enumerate(self.entries):
                for m in entry.regex.finditer(text):
                    yield index, m.start(), m.end()
            return
        windows = self._windows(text)
        for index, spans in windows.items():
            regex = self.entries[index].regex
            for lo, hi in spans:
                for m in regex.finditer(text, lo, hi):
                    yield index, m.start(), m.end()

    def _windows(self, text: str) -> dict[int, list[tuple[int, int]]]:
        ends: dict[int, list[int]] = {}

        def on_match(index: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
            ends.setdefault(index, []).append(to)

        self._db.scan(_ascii_shadow(text), match_event_handler=on_match)
        n = len(text)
        windows: dict[int, list[tuple[int, int]]] = {}
        for index, points in ends.items():
            entry = self.entries[index]
            # NOTE: a hint (e.g. IBAN) reports where the candidate starts, not where it ends.
            before, after = ((8, entry.max_width + _WINDOW_AFTER) if entry.name in _HINTS
                             else (entry.max_width + 1, _WINDOW_AFTER))
            merged: list[tuple[int, int]] = []
            for point in sorted(points):
                lo, hi = max(0, point - before), min(n, point + after)
                if merged and lo <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
                else:
                    merged.append((lo, hi))
            windows[index] = merged
        return windows


def _ascii_shadow(text: str) -> bytes:
    """The text as ASCII bytes, one byte per character, keeping each character's regex class."""
    if text.isascii():
        return text.encode("ascii")
    table = {}
    for char in set(text):
        if not char.isascii():
            table[ord(char)] = (" " if char.isspace() else "0" if char.isdigit()
                                else "a" if char.isalnum() else "~")
    return text.translate(table).encode("ascii")


class PhonePass:
    """phonenumbers on the lines that hold a digit run only, scored with the full text's context."""

    def __init__(self, recognizer: PhoneRecognizer | None = None, score: float | None = None):
        self.recognizer = recognizer or PhoneRecognizer()
        self.score = score if score is not None else self.recognizer.SCORE

    def candidates(self, text: str, extra_context: str = "") -> list[tuple[int, int, float]]:
        out = []
        done_lines: set[int] = set()
        for hint in _PHONE_HINT.finditer(text):
            line_start = text.rfind("\n", 0, hint.start()) + 1
            if line_start in done_lines:
                continue
            done_lines.add(line_start)
            line_end = text.find("\n", hint.end())
            line_end = len(text) if line_end < 0 else line_end
            line = text[line_start:line_end]
            matcher = phonenumbers.PhoneNumberMatcher(line, self.recognizer.DEFAULT_REGION,
                                                      leniency=phonenumbers.Leniency.VALID)
            for m in matcher:
                start, end = line_start + m.start, line_start + m.end
                raw = m.raw_string
                # NOTE: phonenumbers keeps an opening bracket whose partner it left outside the match.
                if raw.startswith("(") and ")" not in raw:
                    start += 1
                if raw.endswith(")") and "(" not in raw:
                    end -= 1
                score = self.recognizer.score_in_context(text, start, end, self.score, extra_context)
                if score is not None:
                    out.append((start, end, score))
        return out


def explain_context(rec, text: str, start: int, end: int, extra_context: str = "") -> str:
    """Which context and negative words around text[start:end] moved the score (for --explain)."""
    window = rec.context_window
    before = text[max(0, start - window[0]):start]
    after = text[end:end + window[1]]
    parts = []
    positive = rec._context_re
    if positive is not None:
        for source, label in ((before, "before"), (after, "after"), (extra_context, "header")):
            m = positive.search(source)
            if m:
                parts.append(f"context {m.group().lower()!r} {label} (+0.35)")
                break
    negative = getattr(rec, "_negative_re", None) or words_regex(getattr(rec, "negative_context", ()))
    if negative is not None:
        for source, label in ((before, "before"), (extra_context, "header")):
            m = negative.search(source)
            if m:
                parts.append(f"negative context {m.group().lower()!r} {label} (-0.35)")
                break
    if rec.requires_context:
        parts.append("context required")
    return "; ".join(parts) or "no context words"
