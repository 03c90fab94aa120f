"""``analyse(segment, budget)`` from a detector's parts: prose through NER piece by piece while the object's budget
lasts, fields and table columns, then special categories and children's signals.

``detectors.engine.Detector`` inherits it, and so do the tests' stand-ins: a stand-in implements only
``analyze`` and ``classify_column`` and inherits the other parts answered "nothing found".
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from detectors.budget import FIRST_PIECE_CHARS, PIECE_CHARS, Budget
from detectors.ner import SpanIndex, line_cut
from detectors.protocol import COLUMN, FIELD, PROSE, Segment, SegmentAnalysis

if TYPE_CHECKING:
    from detectors.children import ChildSignal
    from detectors.engine import ColumnResult, Detection
    from detectors.special import CategoryHit

_EMPTY_VALUES = ("n/a", "none", "-", "no")     # a cell holding one of these holds nothing
COLUMN_SPECIAL_VALUES = 50                     # filled values of an unclassified column searched for categories


class SegmentAnalyser(ABC):
    """The Protocol's ``analyse`` (detectors.protocol.Detector), built from the parts below."""

    # -- the parts ---------------------------------------------------------------------------------------
    @abstractmethod
    def analyze(self, text: str, *, ner: bool = True, context: str | None = None) -> list[Detection]:
        """Every detection in ``text``; ``ner=False``: patterns and rules only; ``context``: a header or key."""

    @abstractmethod
    def classify_column(self, name: str, values: Sequence[str]) -> ColumnResult: ...

    @property
    def min_counts(self) -> Mapping[str, int]:
        return {}

    def name_candidates(self, text: str) -> set[str]:
        return set()

    def special_hits(self, text: str, done: Callable[[str], bool]) -> Iterator[CategoryHit]:
        return iter(())

    def child_signals(self, text: str, detections: Iterable[Detection] = ()) -> list[ChildSignal]:
        return []

    def child_dob(self, date_of_birth: str) -> bool:
        return False

    def column_category(self, header: str) -> str | None:
        return None

    # -- the seam ----------------------------------------------------------------------------------------
    def analyse(self, segment: Segment, budget: Budget) -> SegmentAnalysis:
        """Everything found in one segment of an object, within the object's ``budget``."""
        if segment.kind == COLUMN:
            return self._column(segment, budget)
        if segment.kind == PROSE:
            found = self._prose(segment.text, budget)
        else:
            found = SegmentAnalysis(self.analyze(segment.text, context=segment.name))
        text = segment.text
        names = SpanIndex((d.start, d.end) for d in found.detections if d.entity == "PERSON")
        # NOTE: a term inside a detected name ("Christian Bale") is the name, not a belief.
        special = self._disclosures(text, budget, lambda hit: not names.overlaps(hit.start, hit.end))
        children = self.child_signals(text, found.detections) if budget.wants_children() else ()
        return replace(found, text=text, special=special, children=children)

    def _prose(self, text: str, budget: Budget) -> SegmentAnalysis:
        """NER piece by piece while the object's budget lasts, then the rest in one pattern-only call."""
        if budget.unlimited:
            return SegmentAnalysis(self.analyze(text))
        pos, persons, found = 0, 0, []
        # NOTE: the lambda reads persons as the loop updates it (late binding is the point)
        for start, end in _ner_pieces(text, budget, lambda: persons):  # noqa: B023
            piece = _shifted(self.analyze(text[start:end]), start)
            persons += sum(1 for d in piece if d.entity == "PERSON")
            found.extend(piece)
            pos = end
        spent = pos                             # the pieces run on from the text's start
        if pos >= len(text):
            return SegmentAnalysis(found, ner_chars=spent)
        rest = text[pos:]
        found.extend(_shifted(self.analyze(rest, ner=False), pos))
        cut = "ner_person_established" if budget.established(persons) else "ner_max_chars"
        return SegmentAnalysis(found, name_candidates=self.name_candidates(rest), ner_chars=spent, ner_cut=cut)

    # -- NER batched across objects --------------------------------------------------------------------------
    def prime(self, objects: Sequence[Sequence[Segment]], budget: Budget) -> None:
        """Run NER ahead for many objects' scans, each object's ``segments`` read from ``budget`` (the object's,
        before its first segment), in as few model calls as their scans allow. First, in one call: every field
        (and every prose segment with an unlimited budget), and the first piece of an object's first segment
        when it is prose. Then, round by round, one call each: the next piece of each object whose scan reads
        its first segment further, from what ``analyze`` found in the pieces before (the PERSON count the scan
        keeps). Later prose segments are left to the scan: NER often has found PERSON enough by then. The rounds
        only when ``analyze`` keeps what it found in a primed text (``keeps_analysis``): else the scan would
        analyse each piece again."""
        texts: list[str] = []
        going = []                                  # (text, its pieces, the PERSON found so far, the last piece)
        for segments in objects:
            for n, segment in enumerate(segments):
                if segment.kind == FIELD or (segment.kind == PROSE and budget.unlimited):
                    texts.append(segment.text)      # NOTE: read whole, whatever was found before (--full-counts)
                elif segment.kind == PROSE and n == 0:
                    persons = [0]
                    pieces = _ner_pieces(segment.text, budget, _reader(persons))
                    piece = next(pieces, None)
                    if piece is not None:
                        texts.append(segment.text[slice(*piece)])
                        going.append((segment.text, pieces, persons, piece))
        self.prime_texts(texts)
        while going and self.keeps_analysis:
            following = []
            for text, pieces, persons, (start, end) in going:
                persons[0] += sum(1 for d in self.analyze(text[start:end]) if d.entity == "PERSON")
                piece = next(pieces, None)
                if piece is not None:
                    following.append((text, pieces, persons, piece))
            self.prime_texts([text[start:end] for text, _, _, (start, end) in following])
            going = following

    keeps_analysis = False      # whether ``analyze`` keeps what it found in a primed text until forget_primed()

    def prime_texts(self, texts: Sequence[str]) -> None:  # noqa: B027 - optional: a stand-in need not batch
        """Run NER over ``texts`` at once and keep what ``analyze`` would find in each, until forget_primed();
        a stand-in keeps nothing (``analyze`` then reads each text itself, with the same result)."""

    def forget_primed(self) -> None:  # noqa: B027 - optional, as prime()
        """Drop what prime() kept."""

    def _column(self, segment: Segment, budget: Budget) -> SegmentAnalysis:
        name = segment.name or ""
        col = self.classify_column(name, segment.values)
        filled = [v for v in segment.values if v and v.strip() and v.strip().lower() not in _EMPTY_VALUES]
        category = self.column_category(name) if filled else None
        under = (sum(1 for _, d in col.detections if self.child_dob(d.text))
                 if col.entity == "DATE_OF_BIRTH" else 0)
        text = ""
        special: tuple[CategoryHit, ...] = ()
        if col.entity is None and filled and not category:
            text = "\n".join(v.strip() for v in filled[:COLUMN_SPECIAL_VALUES])
            special = self._disclosures(text, budget, lambda hit: True)
        return SegmentAnalysis(column=col, text=text, special=special, column_category=category,
                               filled=len(filled), child_dobs=under)

    def _disclosures(self, text: str, budget: Budget, keep: Callable[[CategoryHit], bool]) -> tuple[CategoryHit, ...]:
        """The special-category disclosures in ``text`` that ``keep`` accepts, each category searched (lazily)
        only until the object has enough evidence of it."""
        kept: Counter[str] = Counter()
        out = []
        for hit in self.special_hits(text, lambda category: budget.special_done(category, kept[category])):
            if hit.disclosure and keep(hit):
                kept[hit.category] += 1
                out.append(hit)
        return tuple(out)


def _ner_pieces(text: str, budget: Budget, persons: Callable[[], int] = lambda: 0) -> Iterator[tuple[int, int]]:
    """(start, end) of the pieces of a prose ``text`` given to NER while the object's ``budget`` lasts, one after
    another from its start (so the chars given so far are the last piece's end); ``persons()``: the PERSON NER
    has found in this text so far (the caller counts them as it goes).

    NOTE: growing pieces: a case note naming someone on every line establishes PERSON in its first piece.
    Not smaller: with only a few lines of context the model takes names for places (measured)."""
    pos, size = 0, FIRST_PIECE_CHARS
    while pos < len(text) and budget.wants_ner(min(size, len(text) - pos), pos, persons()):
        end = line_cut(text, pos, size)
        yield pos, end
        pos, size = end, min(2 * size, PIECE_CHARS)


def _shifted(found: Iterable[Detection], by: int) -> list[Detection]:
    return [replace(d, start=d.start + by, end=d.end + by) for d in found] if by else list(found)


def _reader(count: list[int]) -> Callable[[], int]:
    """What ``count`` holds when called (a PERSON count another loop keeps up to date)."""
    return lambda: count[0]
