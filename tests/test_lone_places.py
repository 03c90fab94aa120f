"""Issue 15 item 2e: a country, region or town named in a document that names no one is not a holding of
personal data; with a person, an address or an identifier beside it, the place counts."""
from __future__ import annotations

import pytest

from scanner.analysis import HoldingBuilder, analyse_segment
from scanner.model import Segment, SegmentKind
from scanner.privacy import Hasher


def entities(detector, text: str) -> dict[str, int]:
    builder = HoldingBuilder(Hasher(b"lone" * 8))
    analyse_segment(detector, builder, Segment(SegmentKind.PROSE, text=text))
    return dict(builder.holding().entities)


def test_a_region_alone_is_not_personal_data(detector) -> None:
    text = "Governance policy\nThe trust delivers services across West Yorkshire and Lancashire from Leeds."
    assert entities(detector, text) == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("Grace Patel moved from Leeds to West Yorkshire last year.", {"PERSON", "LOCATION"}),
    ("Deliver the parcel to 14 Oakfield Road, Leeds LS6 2AB tomorrow.", {"LOCATION"}),
    ("Contact jo.bloggs@example.org about the West Yorkshire office.", {"EMAIL_ADDRESS", "LOCATION"}),
])
def test_a_place_beside_personal_data_counts(detector, text: str, expected: set[str]) -> None:
    assert set(entities(detector, text)) == expected


def test_a_venue_alone_is_not_personal_data_but_counts_beside_a_person(detector) -> None:
    """A venue named by its kind ("Vellmoor Convention Centre": no NER, the kind word) is a place's name, as a
    town's is, not an address."""
    assert entities(detector, "Minutes\nThe board met in the Vellmoor Convention Centre.") == {}
    assert set(entities(detector, "Grace Patel met the board in the Vellmoor Convention Centre.")) == {"PERSON",
                                                                                                     "LOCATION"}
