"""The Detector: Presidio AnalyzerEngine with our recognisers, built once per process.

``detectors`` never imports ``scanner``: it returns Detection values (which do carry the matched text,
in memory only); the scanner turns them into masked, hashed findings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping, Sequence

from detectors.entities import EntityTaxonomy
from detectors.nlp import DEFAULT_MODEL, build_nlp_engine

CHUNK_CHARS = 4000       # Presidio's context step is O(tokens × matches): analyse a few KB at a time


@dataclass(frozen=True)
class Detection:
    entity: str
    start: int
    end: int
    score: float
    text: str = field(repr=False)     # raw value: never logged, never serialised by the scanner
    recognizer: str = ""
    explanation: str = ""


@dataclass(frozen=True)
class ColumnResult:
    """One table column: the entity it holds (if any), how sure, and how many sampled values matched."""

    entity: str | None
    score: float
    matched: int
    sampled: int
    detections: tuple[tuple[int, Detection], ...] = ()   # (index in the sample, detection within that value)


@dataclass(frozen=True)
class DetectorSettings:
    model: str = DEFAULT_MODEL
    overrides: Mapping = field(default_factory=dict)


class Detector:
    """Build once (loads spaCy: ~1 s), then call analyze() many times."""

    def __init__(self, settings: DetectorSettings | None = None):
        self.settings = settings or DetectorSettings()
        self.taxonomy = EntityTaxonomy.load(self.settings.overrides)
        self._nlp_engine = build_nlp_engine(self.settings.model)
        self._analyzer = _build_analyzer(self._nlp_engine)

    # -- prose -------------------------------------------------------------------------------------------
    def analyze(self, text: str, *, ner: bool = True, context: str | None = None) -> list[Detection]:
        """Every detection in ``text`` with exact character offsets, overlaps resolved.

        ``context`` (a column header or key path) is put before the text so that context words in it
        count, and detections inside it are dropped."""
        if context:
            prefix = f"{context}: "
            shifted = self.analyze(prefix + text, ner=ner)
            return [Detection(d.entity, d.start - len(prefix), d.end - len(prefix), d.score, d.text,
                              d.recognizer, d.explanation) for d in shifted if d.start >= len(prefix)]
        found: list[Detection] = []
        for base, chunk in chunk_text(text, CHUNK_CHARS):
            found.extend(self._analyze_chunk(chunk, base, ner=ner))
        return resolve_overlaps(found)

    def _analyze_chunk(self, chunk: str, base: int, *, ner: bool) -> Iterator[Detection]:
        if not chunk.strip():
            return
        entities = None if ner else self._pattern_entities()
        for r in self._analyzer.analyze(chunk, language="en", entities=entities):
            entity = self.taxonomy.canonical_name(r.entity_type)
            if entity is None or r.score < self.taxonomy.threshold(entity):
                continue
            value = chunk[r.start:r.end]
            name = (r.recognition_metadata or {}).get("recognizer_name", "")
            yield Detection(entity, base + r.start, base + r.end, round(float(r.score), 4), value, name)

    def _pattern_entities(self) -> list[str]:
        return sorted({e for rec in self._analyzer.registry.recognizers for e in rec.supported_entities
                       if rec.__class__.__name__ != "SpacyRecognizer"})

    # -- tables ------------------------------------------------------------------------------------------
    def classify_column(self, name: str, values: Sequence[str]) -> ColumnResult:
        """The entity a column holds, from a sample of its values with the header as context."""
        counts: dict[str, int] = {}
        best: dict[str, float] = {}
        hits: list[tuple[int, Detection]] = []
        sampled = [v for v in values if v and v.strip()]
        for i, value in enumerate(values):
            if not value or not value.strip():
                continue
            seen = set()
            for d in self.analyze(value[:CHUNK_CHARS], context=name):
                if d.entity in seen:
                    continue
                seen.add(d.entity)
                hits.append((i, d))
                counts[d.entity] = counts.get(d.entity, 0) + 1
                best[d.entity] = max(best.get(d.entity, 0.0), d.score)
        if not counts or not sampled:
            return ColumnResult(None, 0.0, 0, len(sampled))
        entity = max(sorted(counts), key=lambda e: (counts[e], best[e]))
        share = counts[entity] / len(sampled)
        if share < 0.3:
            return ColumnResult(None, 0.0, counts[entity], len(sampled))
        return ColumnResult(entity, round(min(best[entity], 1.0) * share, 4), counts[entity], len(sampled),
                            tuple(hits))


def _build_analyzer(nlp_engine):
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    from detectors.recognizers import default_recognizers

    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(SpacyRecognizer(supported_language="en",
                                            supported_entities=["PERSON", "LOCATION", "GPE", "LOC", "FAC"]))
    for rec in default_recognizers():
        registry.add_recognizer(rec)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


_LINE_END = re.compile(r"\n")


def chunk_text(text: str, size: int) -> Iterator[tuple[int, str]]:
    """Cut ``text`` into pieces of about ``size`` chars at line ends (or spaces), yielding (offset, piece)."""
    n = len(text)
    start = 0
    while start < n:
        end = min(start + size, n)
        if end < n:
            cut = text.rfind("\n", start + size // 2, end)
            if cut < 0:
                cut = text.rfind(" ", start + size // 2, end)
            if cut >= 0:
                end = cut + 1
        yield start, text[start:end]
        start = end


def resolve_overlaps(found: Iterable[Detection]) -> list[Detection]:
    """Keep the best of overlapping detections: higher score, then longer span; sorted by position."""
    ranked = sorted(found, key=lambda d: (-d.score, -(d.end - d.start), d.start, d.entity))
    kept: list[Detection] = []
    for d in ranked:
        if all(d.end <= k.start or d.start >= k.end for k in kept):
            kept.append(d)
    return sorted(kept, key=lambda d: (d.start, d.end, d.entity))
