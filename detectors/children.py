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


def age_on(born: _dt.date, today: _dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class ChildSignals:
    def __init__(self) -> None:
        data = read_lexicon("children.yaml", {"adult_age": int, "age_patterns": list, "school_year_pattern": str,
                                              "school_words": list})
        self.adult_age = int(data.get("adult_age", 18))
        self.age_patterns = [re.compile(p) for p in data.get("age_patterns", ())]
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
             today: _dt.date | None = None) -> list[ChildSignal]:
        """Child signals in ``text``; ``dobs`` are (start, end, value) of detected dates of birth."""
        today = today or _dt.date.today()
        out: list[ChildSignal] = []
        for start, end, value in dobs:
            age = self.child_age(value, today)
            if age is not None:
                out.append(ChildSignal("dob", start, end, age))
        if _DIGIT.search(text):
            for pattern in self.age_patterns:
                for m in pattern.finditer(text):
                    age = int(m.group("age"))
                    overlaps = any(s.kind == "age" and s.start < m.end() and m.start() < s.end for s in out)
                    if age < self.adult_age and not overlaps:     # "she is 13 years old": one age
                        out.append(ChildSignal("age", m.start(), m.end(), age))
        if self.school_year is not None and self.school_words is not None:
            for m in self.school_year.finditer(text):
                around = text[max(0, m.start() - SCHOOL_WINDOW):m.end() + SCHOOL_WINDOW]
                if self.school_words.search(around):
                    out.append(ChildSignal("school_year", m.start(), m.end()))
        return sorted(out, key=lambda s: (s.start, s.kind))
