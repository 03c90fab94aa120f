"""Precision/recall/F1 per entity and micro-averaged, with exact and overlap matching."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

Span = tuple[int, int, str]          # start, end, entity


@dataclass(frozen=True)
class Prf:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _matches(gold: Sequence[Span], pred: Sequence[Span], overlap: bool) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index) of the same entity: identical spans, or overlapping ones."""
    pairs, used = [], set()
    for gi, (gs, ge, gent) in enumerate(gold):
        for pi, (ps, pe, pent) in enumerate(pred):
            if pi in used or pent != gent:
                continue
            if (ps, pe) == (gs, ge) or (overlap and ps < ge and gs < pe):
                pairs.append((gi, pi))
                used.add(pi)
                break
    return pairs


def score(docs: Iterable[tuple[Sequence[Span], Sequence[Span]]], overlap: bool = False) -> dict[str, Prf]:
    """Per-entity Prf over (gold, predicted) span lists, plus "micro" over all entities."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for gold, pred in docs:
        pairs = _matches(gold, pred, overlap)
        matched_g = {g for g, _ in pairs}
        matched_p = {p for _, p in pairs}
        for g, _ in pairs:
            tp[gold[g][2]] += 1
        for i, span in enumerate(gold):
            if i not in matched_g:
                fn[span[2]] += 1
        for i, span in enumerate(pred):
            if i not in matched_p:
                fp[span[2]] += 1
    entities = sorted(set(tp) | set(fp) | set(fn))
    out = {e: Prf(tp[e], fp[e], fn[e]) for e in entities}
    out["micro"] = Prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return out
