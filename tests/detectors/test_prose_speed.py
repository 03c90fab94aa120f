"""Issue 16 item 2 (prose speed): the fast paths give what the plain ones gave."""
from __future__ import annotations

import pytest

from detectors.engine import _places_by_usage
from detectors.ner import NER_SCORE, Span


def _person(text: str, value: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(value, start + 1)
    return Span("PERSON", start, start + len(value), NER_SCORE, "spaCy NER PERSON")


@pytest.mark.parametrize(("text", "value", "place"), [
    ("Socotra rang. We stayed in Socotra for a week.", "Socotra", True),
    ("Socotra rang. We walked across\tSocotra.", "Socotra", True),
    ("Socotra rang. Life inside Mof-Ávvi is quiet. Mof-Ávvi", "Mof-Ávvi", True),
    ("Socotra rang. We ate in Socotra's kitchen.", "Socotra", False),          # a possessive: a person's
    ("Socotra rang. We stayed in Socotran hotels.", "Socotra", False),         # the word goes on
    ("Socotra rang. The Berlin Socotra office.", "Socotra", False),            # "in" inside a word
    ("Socotra rang. We stayed within Socotra.", "Socotra", False),             # not a place preposition
    ("Socotra rang. Socotra went in.", "Socotra", False),
])
def test_a_person_written_after_a_place_preposition_is_used_as_a_place(text: str, value: str, place: bool) -> None:
    spans = [_person(text, value, 0), _person(text, value, 1)]
    assert _places_by_usage(text, spans, frozenset()) == ({value.lower()} if place else set())


def test_a_given_name_is_never_a_place_by_usage() -> None:
    text = "Grace rang. We stayed in Grace for a week."
    spans = [_person(text, "Grace", 0), _person(text, "Grace", 1)]
    assert _places_by_usage(text, spans, frozenset({"grace"})) == set()


def test_the_ner_component_alone_gives_what_the_pipeline_gives(detector) -> None:
    """NerRunner.model (tokenizer + NER component) finds the entities nlp.pipe with the other pipes off finds."""
    runner = detector._ner
    pieces = ["Dear Ruby Smith,", "She met Tarquin Thorne in Leeds on Friday with Dr Ottoline Baker.",
              "RT @someone: Barack Obama visits Nairobi and Mombasa #Kenya", "no names here at all", "Bath"]
    with detector.nlp.select_pipes(disable=[p for p in detector.nlp.pipe_names if p != "ner"]):
        expected = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in detector.nlp.pipe(pieces)]
    got = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in runner.model(pieces)]
    assert got == expected
    assert any(got)                                  # the comparison is about something
