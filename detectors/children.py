"""Signals that a record is about a child: a date of birth or a stated age under 18 at scan time, or a
school year with school words around it. Patterns and words live in configs/lexicons/children.yaml."""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from detectors.lexicon import read_lexicon
from detectors.recognizers import words_regex
from detectors.recognizers.dates import parse_date

SCHOOL_WINDOW = 120      # characters either side of "Year 9" searched for a school word
_DIGIT = re.compile(r"\d")            # every age pattern needs a (decimal) digit


@dataclass(frozen=True)
class ChildSignal:
    kind: str            # dob | age | school_year
    start: int
    end: int
    age: int | None = None


_WORDS = {w: n for n, w in enumerate("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                                     "fifteen sixteen seventeen".split(), start=1)}


def _age_pattern(entry: object) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """An age pattern of configs/lexicons/children.yaml (matched against the text in lower case), and the words a
    text needs for it to be tried."""
    if isinstance(entry, dict):
        return re.compile(str(entry["pattern"])), tuple(str(w).lower() for w in entry.get("needs", ()))
    return re.compile(str(entry)), ()


def _age(m: re.Match[str]) -> int:
    """The age an age pattern matched, in digits or in words ("aged twelve")."""
    word = m.groupdict().get("word")
    return _WORDS[word.lower()] if word else int(m.group("age"))


def age_on(born: _dt.date, today: _dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class ChildSignals:
    def __init__(self) -> None:
        data = read_lexicon("children.yaml", {"adult_age": int, "age_patterns": list, "school_year_pattern": str,
                                              "school_words": list, "birth_year_pattern": str,
                                              "age_after_name_pattern": str})
        self.adult_age = int(data.get("adult_age", 18))
        self.age_patterns = [_age_pattern(p) for p in data.get("age_patterns", ())]
        self.birth_year = re.compile(data["birth_year_pattern"]) if data.get("birth_year_pattern") else None
        self.age_after_name = re.compile(data["age_after_name_pattern"]) if data.get("age_after_name_pattern") else None
        self.school_year = re.compile(data["school_year_pattern"]) if data.get("school_year_pattern") else None
        self.school_words = words_regex(data.get("school_words", ()))

    def child_age(self, date_of_birth: str, today: _dt.date | None = None) -> int | None:
        """The age of someone born on ``date_of_birth`` if under 18 today, else None."""
        today = today or _dt.date.today()
        born = parse_date(date_of_birth, today)
        if born is None or born > today:
            return None
        age = age_on(born, today)
        return age if age < self.adult_age else None

    def find(self, text: str, dobs: Iterable[tuple[int, int, str]] = (),
             today: _dt.date | None = None, persons: Iterable[tuple[int, int]] = ()) -> list[ChildSignal]:
        """Child signals in ``text``; ``dobs`` are (start, end, value) of detected dates of birth, ``persons``
        (start, end) of detected names (an age written right after one: "Jayden, 12,", "Tyler (8)")."""
        today = today or _dt.date.today()
        out: list[ChildSignal] = []
        for start, end, value in dobs:
            age = self.child_age(value, today)
            if age is not None:
                out.append(ChildSignal("dob", start, end, age))
        digits = _DIGIT.search(text) is not None
        low = text.lower()
        same_length = len(low) == len(text)      # NOTE: lower-casing a few letters ("İ") lengthens the text
        for pattern, needs in self.age_patterns:
            if (not digits and "(?P<word>" not in pattern.pattern) or (needs and not any(w in low for w in needs)):
                continue
            matches = pattern.finditer(low) if same_length else re.compile(pattern.pattern, re.I).finditer(text)
            for m in matches:
                self._add_age(out, m.start(), m.end(), _age(m))
        if digits and self.birth_year is not None and "born" in low:
            for m in self.birth_year.finditer(text):
                # NOTE: born that year, so this year's difference at most: a child when even that is under 18
                self._add_age(out, m.start(), m.end(), today.year - int(m.group("year")))
        if digits and self.age_after_name is not None:
            for start, end in persons:
                after = self.age_after_name.match(text, end)
                if after is not None:
                    age = 0 if after.group("months") else int(after.group("age") or after.group("age2"))
                    self._add_age(out, start, after.end(), age)
        self._school_years(text, out)
        return sorted(out, key=lambda s: (s.start, s.kind))

    def _add_age(self, out: list[ChildSignal], start: int, end: int, age: int) -> None:
        overlaps = any(s.kind == "age" and s.start < end and start < s.end for s in out)
        if 0 <= age < self.adult_age and not overlaps:          # "she is 13 years old": one age
            out.append(ChildSignal("age", start, end, age))

    def _school_years(self, text: str, out: list[ChildSignal]) -> None:
        if self.school_year is not None and self.school_words is not None:
            for m in self.school_year.finditer(text):
                around = text[max(0, m.start() - SCHOOL_WINDOW):m.end() + SCHOOL_WINDOW]
                if self.school_words.search(around):
                    out.append(ChildSignal("school_year", m.start(), m.end()))
