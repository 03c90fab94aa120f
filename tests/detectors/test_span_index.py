"""detectors.ner.SpanIndex answers what a scan of every span answers (it replaced such scans: a text of thousands
of labelled records made them quadratic)."""
from __future__ import annotations

import random

from detectors.ner import SpanIndex


def test_covers_and_overlaps_agree_with_a_scan_of_every_span() -> None:
    rng = random.Random(7)
    for _ in range(200):
        spans = []
        for _ in range(rng.randint(0, 12)):
            a = rng.randint(0, 60)
            spans.append((a, a + rng.randint(0, 15)))
        index = SpanIndex(spans)
        for start in range(0, 80, 3):
            for end in range(start, start + 20, 2):
                assert index.overlaps(start, end) == any(a < end and start < b for a, b in spans), (spans, start, end)
                assert index.covers(start, end) == any(a <= start and end <= b for a, b in spans), (spans, start, end)


def test_an_empty_index_holds_nothing() -> None:
    assert not SpanIndex([]).overlaps(0, 10) and not SpanIndex([]).covers(0, 0)
