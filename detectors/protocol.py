"""The seam between the scanner and a detector: what ``scanner.analysis`` calls, and nothing more.

``detectors.engine.Detector`` implements it; so do the tests' stand-ins (through ``DetectorDefaults``), so the
real detector and a stub cannot drift apart unnoticed (mypy checks both against this Protocol).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:                 # NOTE: not at run time: the scan's main process never loads Presidio or spaCy
    from detectors.children import ChildSignal
    from detectors.engine import ColumnResult, Detection
    from detectors.special import CategoryHit


@runtime_checkable
class Detector(Protocol):
    """Everything ``analyse_segment`` needs from a detector."""

    @property
    def min_counts(self) -> Mapping[str, int]:
        """Per entity, the fewest detections an object needs before the entity counts."""
        ...

    def analyze(self, text: str, *, ner: bool = True, context: str | None = None) -> list[Detection]: ...

    def classify_column(self, name: str, values: Sequence[str]) -> ColumnResult: ...

    def name_candidates(self, text: str) -> set[str]: ...

    def special_hits(self, text: str, done: Callable[[str], bool]) -> Iterator[CategoryHit]: ...

    def child_signals(self, text: str, detections: Iterable[Detection] = ()) -> list[ChildSignal]: ...

    def child_dob(self, date_of_birth: str) -> bool: ...

    def column_category(self, header: str) -> str | None: ...


class DetectorDefaults:
    """The optional parts of the Protocol, answered "nothing found": a stand-in implements only
    ``analyze`` and ``classify_column`` and inherits these."""

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
