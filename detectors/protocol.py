"""The seam between the scanner and a detector: ``analyse(segment, budget) -> SegmentAnalysis``, and nothing more
(``BatchingDetector`` adds optional hooks to run NER for many small objects at once).

``scanner.analysis`` hands the detector one segment of an object (prose, a field, a table column) and the
object's ``Budget``; the detector answers with everything found in it. Values stay raw here (in memory only):
the scanner masks and hashes them. ``detectors.segments.SegmentAnalyser`` implements ``analyse`` from a
detector's parts; ``detectors.engine.Detector`` and the tests' stand-ins both inherit it, so the real detector
and a stub cannot drift apart unnoticed (mypy checks both against this Protocol).
"""
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:                 # NOTE: not at run time: the scan's main process never loads Presidio or spaCy
    from detectors.budget import Budget
    from detectors.children import ChildSignal
    from detectors.engine import ColumnResult, Detection
    from detectors.special import CategoryHit

PROSE, FIELD, COLUMN = "prose", "field", "column"       # Segment.kind (scanner.model.SegmentKind's values)


class Segment(Protocol):
    """What a detector reads of one segment (scanner.model.Segment is one)."""

    @property
    def kind(self) -> str:
        """"prose" (free text; NER applies), "field" (one value, ``name`` its key path) or "column"."""
        ...

    @property
    def text(self) -> str: ...

    @property
    def name(self) -> str | None:
        """A column's header or a field's key path: context for every candidate."""
        ...

    @property
    def values(self) -> Sequence[str]:
        """A column's sampled cell values."""
        ...


@dataclass(frozen=True)
class SegmentAnalysis:
    """Everything the detector found in one segment, and what it spent of the object's budget."""

    detections: Sequence[Detection] = ()      # prose and field: offsets into the segment's text
    column: ColumnResult | None = None        # column: the entity it holds (if any), from its sampled values
    name_candidates: Collection[str] = ()     # prose NER did not read: capitalised runs that may be names
    text: str = ""                            # what ``special`` and ``children`` offsets point into
    special: Sequence[CategoryHit] = ()       # disclosures of a special category (not inside a detected name)
    children: Sequence[ChildSignal] = ()      # prose and field: a child's date of birth, age or school year
    column_category: str | None = None        # column: the special category its header names, values filled
    filled: int = 0                           # column: sampled values that hold something
    child_dobs: int = 0                       # column of dates of birth: sampled ones under 18
    ner_chars: int = 0                        # prose chars NER read
    ner_cut: str | None = None                # why the budget stopped NER before the prose's end, if it did


@runtime_checkable
class Detector(Protocol):
    """Everything ``scanner.analysis.analyse_segment`` needs from a detector."""

    @property
    def min_counts(self) -> Mapping[str, int]:
        """Per entity, the fewest detections an object needs before the entity counts."""
        ...

    def analyse(self, segment: Segment, budget: Budget) -> SegmentAnalysis: ...


@runtime_checkable
class BatchingDetector(Detector, Protocol):
    """A detector that can also run NER for many small objects at once (scanner.batch reads a task's small
    objects ahead and primes it with their texts). Optional: a detector without these methods is given each
    object on its own. ``SegmentAnalyser`` implements ``prime`` (NER for the texts each object's scan will give
    it, in as few model calls as the scans allow) and no-op ``prime_texts``/``forget_primed`` hooks."""

    def prime(self, objects: Sequence[Sequence[Segment]], budget: Budget) -> None:
        """Run NER ahead for the scans of ``objects`` (each one's segments, read from ``budget`` in order) and
        keep the results for ``analyse`` until forget_primed()."""
        ...

    def forget_primed(self) -> None: ...
