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


_NER_PIECES = [
    "Dear Ruby Smith,", "She met Tarquin Thorne in Leeds on Friday with Dr Ottoline Baker.",
    "RT @someone: Barack Obama visits Nairobi and Mombasa #Kenya", "no names here at all", "Bath",
    "Paweł Kowalczyk flew from Gdańsk to Reykjavík, where Sigríður Jónsdóttir met him at the harbour.",
    "The minutes were taken by Aoife Ní Bhriain; Mr J. Pryce and Ms Adaeze Okonkwo-Bello sent apologies.",
    "Meet me at Alexander Springs near Ocala, Florida, then on to St Augustine with Hamid and Noor.",
]


def _ents(docs) -> list[list[tuple[int, int, str]]]:
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]


def test_the_ner_model_on_numpys_blas_finds_what_it_finds_on_thincs_blis(detector) -> None:
    """NerRunner swaps the NER component's matrix products to numpy's BLAS for speed: same entities."""
    from thinc.api import NumpyOps

    runner = detector._ner
    nodes = list(runner._ner_pipe.model.walk())
    swapped = {node.ops for node in nodes}
    assert len(swapped) == 1
    numpy_blas = swapped.pop()
    assert isinstance(numpy_blas, NumpyOps) and not numpy_blas.use_blis
    got = _ents(runner.model(_NER_PIECES))
    blis = NumpyOps(use_blis=True)
    try:
        for node in nodes:
            node.ops = blis
        expected = _ents(runner.model(_NER_PIECES))
    finally:
        for node in nodes:
            node.ops = numpy_blas
    assert got == expected
    assert sum(map(len, got)) >= 10                     # the comparison is about something


def test_blas_runs_on_one_thread_while_the_model_runs_and_as_before_after(detector) -> None:
    from threadpoolctl import ThreadpoolController

    controller = ThreadpoolController()

    def blas_threads() -> set[int]:
        return {lib["num_threads"] for lib in controller.select(user_api="blas").info()}

    seen = []
    with controller.limit(limits=2, user_api="blas"):
        assert blas_threads() == {2}
        for doc in detector._ner.model(_NER_PIECES):
            seen.append(blas_threads())
            assert doc.ents is not None
        assert blas_threads() == {2}
    assert seen and all(s == {1} for s in seen)
