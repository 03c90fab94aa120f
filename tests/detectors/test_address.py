"""StreetAddressRecognizer: positives and near misses (the other recognisers are in test_recognizers.py)."""
from __future__ import annotations

import pytest

from detectors.recognizers.address import StreetAddressRecognizer

REC = StreetAddressRecognizer()


def found(text: str) -> set[str]:
    return {text[r.start:r.end] for r in REC.analyze(text, ["LOCATION"])}


@pytest.mark.parametrize(("text", "expected"), [
    ("lives at 14 Oakfield Road, Leeds LS6 2AB today", "14 Oakfield Road, Leeds LS6 2AB"),
    ("Flat 2, 7a Station Street, Bristol", "Flat 2, 7a Station Street, Bristol"),
    ("Send to 221 Baker St. please", "221 Baker St."),
    ("3 Kings Mill Lane, Stoke-on-Trent ST4 1AB", "3 Kings Mill Lane, Stoke-on-Trent ST4 1AB"),
    ("at 12 Elm Grove.", "12 Elm Grove"),
])
def test_positive(text: str, expected: str) -> None:
    assert expected in found(text)


@pytest.mark.parametrize("text", [
    "We meet in Room 14 Main Hall.",
    "Chapter 3 covers the road ahead.",
    "Ordered 12 road cones.",                  # street type in lower case, no street name
    "Version 2 Release Notes",
])
def test_near_miss(text: str) -> None:
    assert found(text) == set()


def test_context_raises_the_score() -> None:
    plain = REC.analyze("14 Oakfield Road", ["LOCATION"])[0].score
    labelled = REC.analyze("Address: 14 Oakfield Road", ["LOCATION"])[0].score
    assert labelled > plain
