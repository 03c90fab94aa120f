"""Turn a detector's detections on segments into findings and an object's holding.

Raw values stop here: a Finding carries a mask and a keyed hash, and the raw value only when the user
asked for --show-values.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from detectors.engine import Detection, Detector
from scanner.model import Finding, Holding, Segment, SegmentKind
from scanner.privacy import Hasher, mask

# Identifier kinds indexed for subject search, and those that on their own identify one person.
UNIQUE_IDS = frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER", "UK_NHS", "UK_CHI", "UK_NINO", "UK_UTR", "UK_PASSPORT",
                        "UK_DRIVING_LICENCE", "IBAN_CODE", "CREDIT_CARD", "US_SSN", "IE_PPSN", "FR_NIR",
                        "DE_TAX_ID", "ES_NIF", "ES_NIE", "IT_FISCAL_CODE", "NL_BSN", "UK_BANK_ACCOUNT"})
INDEXED = UNIQUE_IDS | {"PERSON", "DATE_OF_BIRTH"}


def normalise(entity: str, value: str) -> str:
    """The canonical form that is hashed, so the same identifier written two ways hashes the same."""
    try:
        from detectors.recognizers import normalise as detector_normalise
    except ImportError:                     # NOTE: until detectors ship a normaliser, fold case and spacing
        detector_normalise = None
    if detector_normalise is not None:
        return detector_normalise(entity, value)
    return " ".join(value.split()).upper() if entity != "EMAIL_ADDRESS" else value.strip().lower()


@dataclass
class HoldingBuilder:
    """Accumulates one object's detections (mutable while building; produces frozen results)."""

    hasher: Hasher
    show_values: bool = False
    examples_per_entity: int = 3
    counts: Counter = field(default_factory=Counter)
    examples: dict[str, list[Finding]] = field(default_factory=dict)
    hashes: dict[str, set[str]] = field(default_factory=dict)
    table_rows: int = 0

    def _finding(self, d: Detection, where: Mapping) -> Finding:
        digest = self.hasher.value(d.entity, normalise(d.entity, d.text))
        return Finding(entity=d.entity, score=d.score, where=dict(where), masked=mask(d.entity, d.text),
                       hash=digest, value=d.text if self.show_values else None)

    def _record(self, d: Detection, where: Mapping, count: int = 1) -> None:
        self.counts[d.entity] += count
        f = self._finding(d, where)
        if d.entity in INDEXED:
            self.hashes.setdefault(d.entity, set()).add(f.hash)
        shown = self.examples.setdefault(d.entity, [])
        if len(shown) < self.examples_per_entity and all(f.hash != s.hash for s in shown):
            shown.append(f)

    def add_prose(self, seg: Segment, detections: Iterable[Detection]) -> None:
        base_line = int(seg.where.get("line", 1))
        base_offset = int(seg.where.get("offset", 0))
        extra = {k: v for k, v in seg.where.items() if k not in ("line", "offset")}
        text = seg.text
        for d in detections:
            line_start = text.rfind("\n", 0, d.start) + 1
            where = {**extra, "line": base_line + text.count("\n", 0, d.start),
                     "column": d.start - line_start + 1, "offset": base_offset + d.start}
            self._record(d, where)

    def add_field(self, seg: Segment, detections: Iterable[Detection]) -> None:
        for d in detections:
            self._record(d, dict(seg.where))

    def add_column(self, seg: Segment, entity: str | None, matched: int, sampled: int,
                   detections: Iterable[tuple[int, Detection]]) -> None:
        """A classified column: the count is estimated from the sample share times the row count."""
        if entity is None or sampled == 0:
            return
        rows = seg.rows or sampled
        estimate = max(matched, round(rows * matched / sampled))
        self.table_rows = max(self.table_rows, rows)
        first_line = int(seg.where.get("first_line", 1))
        picked = [(i, d) for i, d in detections if d.entity == entity]
        for n, (i, d) in enumerate(picked):
            where = {**{k: v for k, v in seg.where.items() if k != "first_line"}}
            if "column" in seg.where:
                where["line"] = first_line + i
            self._record(d, where, count=0)
        self.counts[entity] += estimate

    def holding(self, special: tuple[str, ...] = (), children: bool = False, evidence: tuple = ()) -> Holding:
        return Holding(entities=dict(sorted(self.counts.items())), special_categories=tuple(sorted(special)),
                       children=children, subjects_estimate=self.subjects_estimate(), evidence=evidence)

    def subjects_estimate(self) -> int:
        """Distinct people: the largest count of distinct unique identifiers or names, or table rows."""
        distinct = [len(v) for k, v in self.hashes.items() if k in UNIQUE_IDS or k == "PERSON"]
        best = max(distinct, default=0)
        if self.table_rows and any(self.counts.values()):
            best = max(best, self.table_rows)
        return best

    def findings(self) -> tuple[Finding, ...]:
        out = [f for e in sorted(self.examples) for f in self.examples[e]]
        return tuple(out)

    def index(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((k, h) for k, hs in self.hashes.items() for h in hs))


def analyse_segment(detector: Detector, builder: HoldingBuilder, seg: Segment) -> None:
    if seg.kind is SegmentKind.PROSE:
        builder.add_prose(seg, detector.analyze(seg.text))
    elif seg.kind is SegmentKind.FIELD:
        builder.add_field(seg, detector.analyze(seg.text, context=seg.name))
    elif seg.kind is SegmentKind.COLUMN:
        col = detector.classify_column(seg.name or "", seg.values)
        builder.add_column(seg, col.entity, col.matched, col.sampled, col.detections)
