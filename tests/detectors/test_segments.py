"""detectors.segments: ``analyse(segment, budget)`` cuts prose into NER pieces while the object's budget lasts,
says why NER stopped, and stops looking for a special category once the object has enough evidence of it.
A stand-in detector (names are words starting with "Zed", NER only when asked) keeps these fast."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from detectors.budget import FIRST_PIECE_CHARS, Budget, NerBudget
from detectors.engine import ColumnResult, Detection
from detectors.segments import SegmentAnalyser
from detectors.special import CategoryHit

NAME = re.compile(r"Zed\w+")


@dataclass(frozen=True)
class Seg:
    kind: str
    text: str = ""
    name: str | None = None
    values: Sequence[str] = ()


class Names(SegmentAnalyser):
    def __init__(self) -> None:
        self.calls: list[tuple[int, bool]] = []          # (chars, ner) of each analyze call

    def analyze(self, text: str, *, ner: bool = True, context: str | None = None) -> list[Detection]:
        self.calls.append((len(text), ner))
        return [Detection("PERSON", m.start(), m.end(), 0.85, m.group()) for m in NAME.finditer(text)] if ner else []

    def classify_column(self, name: str, values: Sequence[str]) -> ColumnResult:
        return ColumnResult(None, 0.0, 0, len(values))

    def name_candidates(self, text: str) -> set[str]:
        return set(NAME.findall(text))

    def special_hits(self, text: str, done: Callable[[str], bool]) -> Iterator[CategoryHit]:
        for m in re.finditer(r"asthma|Zedasthma", text):
            if not done("health"):
                yield CategoryHit("health", "asthma", m.start(), m.end())


def test_person_established_in_the_first_piece_stops_ner() -> None:
    text = "Met Zedany today.\n" * 300
    found = Names().analyse(Seg("prose", text), Budget())
    assert found.ner_cut == "ner_person_established" and 0 < found.ner_chars <= FIRST_PIECE_CHARS
    assert len(found.detections) == found.ner_chars // len("Met Zedany today.\n") < 300   # the first piece's
    assert found.name_candidates == {"Zedany"}                 # the rest goes to the subject index as runs
    for d in found.detections:
        assert text[d.start:d.end] == d.text                      # offsets in the segment, not in the piece


def test_pieces_grow_until_the_chars_are_spent() -> None:
    detector = Names()
    text = "nobody named here\n" * 1000
    found = detector.analyse(Seg("prose", text), Budget(NerBudget(max_chars=3500)))
    ner_calls = [n for n, ner in detector.calls if ner]
    assert len(ner_calls) == 2 and ner_calls[1] > ner_calls[0]        # ~1000, then ~2000; a third would pass 3500
    assert found.ner_chars == sum(ner_calls) and found.ner_cut == "ner_max_chars"
    assert detector.calls[-1] == (len(text) - found.ner_chars, False)   # the rest: patterns only


def test_what_the_object_holds_already_counts() -> None:
    detector = Names()
    found = detector.analyse(Seg("prose", "Zedone met Zedtwo.\n" * 10), Budget(persons=3))
    assert detector.calls == [(190, False)] and found.ner_chars == 0 and found.ner_cut == "ner_person_established"
    unlimited = Names().analyse(Seg("prose", "Zedone met Zedtwo.\n" * 500), Budget(persons=3, unlimited=True))
    assert unlimited.ner_cut is None and len(unlimited.detections) == 1000


def test_special_hits_skip_names_and_stop_at_enough_evidence() -> None:
    text = "Zedasthma has asthma. asthma again. asthma once more."
    found = Names().analyse(Seg("prose", text), Budget())
    assert [text[h.start:h.end] for h in found.special] == ["asthma", "asthma"]       # not the name; then enough
    assert len(Names().analyse(Seg("prose", text), Budget(evidence={"health": 1})).special) == 1
    assert len(Names().analyse(Seg("prose", text), Budget(evidence={"health": 2}, unlimited=True)).special) == 3


def test_an_unclassified_column_is_searched_in_its_filled_values() -> None:
    found = Names().analyse(Seg("column", name="notes", values=("asthma", "n/a", " ", "no")), Budget())
    assert found.filled == 1 and found.text == "asthma" and [h.term for h in found.special] == ["asthma"]
    assert found.column is not None and found.column.entity is None
