"""Issue 15 item 2e on text of our own: places a text calls places, and their other mentions."""
from __future__ import annotations

import pytest

from detectors.ner import Span
from detectors.place_mentions import place_cues, place_mentions


@pytest.mark.parametrize(("text", "place"), [
    ("We spent May on the island of Kravica with friends.", "Kravica"),
    ("She grew up in the village of Lower Tresswick, near the coast.", "Lower Tresswick"),
    ("Ostrovna is a small fishing town on the north coast.", "Ostrovna"),
    ("Brindlemoor, a quiet neighbourhood of the old city, floods often.", "Brindlemoor"),
    ("Velmora was the capital port of the province.", "Velmora"),
    ("The ferry docks on the main island of Utu Kesa at noon.", "Utu Kesa"),     # adjectives before the kind
    ("Most visitors fly into Kravica Airport in June.", "Kravica"),              # the kind after the name
    ("The Ostrovna Harbour is small; Ostrovna town is busier.", "Ostrovna"),
    ("The restored neoclassical Velmora districts are quiet.", "Velmora"),      # a plural kind
    ("Near the border lies Brindlemoor, a neighbourhood mixed with old and new.", "Brindlemoor"),   # a participle
    ("Ostrovna, a town founded by fishermen, grew fast.", "Ostrovna"),
])
def test_a_place_the_text_calls_a_place(text: str, place: str) -> None:
    assert place in place_cues(text)


@pytest.mark.parametrize("text", [
    "Dana Orrin is a town councillor.",          # the kind noun modifies another noun
    "Orrin is a state senator and a country singer.",
    "It is a town of 4,000 people.",             # a pronoun, not a name
    "The town of the future is green.",          # no capitalised name after "of"
    "They moved to a new town in the north.",    # no name before the kind
    "Dana Orrin, a town councillor, retired.",   # the kind noun modifies a noun, not a participle after it
])
def test_no_place_cue(text: str) -> None:
    assert not place_cues(text)


def test_other_mentions_of_a_cued_place_and_ner_s_person_relabelled() -> None:
    text = "Kravica is an island in the south. Tourists love Kravica. Kravica Ferries sail daily. Kravica waits."
    second = text.index("Kravica", 1)
    ner = [Span("PERSON", second, second + 7, 0.85, "spaCy NER PERSON")]
    out = place_mentions(text, ner, [], frozenset())
    got = sorted((s.start, s.entity) for s in out)
    # every mention but "Kravica Ferries" (part of another name) is a LOCATION; NER's person relabelled
    starts = [i for i in range(len(text)) if text.startswith("Kravica", i)]
    assert got == [(starts[0], "LOCATION"), (starts[1], "LOCATION"), (starts[3], "LOCATION")]


def test_no_place_where_the_text_also_has_that_name_as_a_person() -> None:
    text = "Ostrovna is a town by the sea. Later Mira Ostrovna said Ostrovna was home."
    start = text.index("Mira Ostrovna")
    person = Span("PERSON", start, start + len("Mira Ostrovna"), 0.85, "spaCy NER PERSON")
    assert place_mentions(text, [person], [], frozenset()) == [person]


def test_no_place_mention_of_a_word_written_in_lower_case() -> None:
    text = "Harbour is a port in the bay. Harbour fees rose; the harbour is busy. Harbour."
    assert place_mentions(text, [], [], frozenset()) == []


@pytest.mark.parametrize(("text", "places"), [
    ("She was born in Ogwashi-Ukwu, Delta State.", ["Ogwashi-Ukwu"]),
    ("He grew up in Tinimavet before moving to Deinivel.", ["Tinimavet", "Deinivel"]),
    ("The family lives in Low Moor; her aunt is a native of Kujireray.", ["Low Moor", "Kujireray"]),
])
def test_where_someone_was_born_lives_or_moved_is_a_place(text: str, places: list[str]) -> None:
    got = [text[s.start:s.end] for s in place_mentions(text, [], [], frozenset()) if s.entity == "LOCATION"]
    assert got == places


@pytest.mark.parametrize("text", [
    "He was born in March 1990. She was born in 1988.",          # a month, a year
    "He lives in Fear of his neighbour; fear rules him.",        # a word the text writes in lower case
    "She moved to The Hague.",                                    # an article first: left to the gazetteer
])
def test_no_place_after_born_or_lives_in(text: str) -> None:
    assert place_mentions(text, [], [], frozenset()) == []


def test_only_the_mention_where_someone_lives_not_the_name_elsewhere() -> None:
    text = "He lived in Basel for years. He taught at the University of Basel."
    got = [(s.start, text[s.start:s.end]) for s in place_mentions(text, [], [], frozenset())]
    assert got == [(text.index("Basel"), "Basel")]


def test_ner_s_person_where_someone_lives_is_a_place() -> None:
    text = "She moved to Chelsea in 2019."
    start = text.index("Chelsea")
    ner = [Span("PERSON", start, start + 7, 0.85, "spaCy NER PERSON")]
    assert [(s.entity, text[s.start:s.end]) for s in place_mentions(text, ner, [], frozenset())] == \
        [("LOCATION", "Chelsea")]


def found_places(detector, text: str) -> list[str]:
    return [d.text for d in detector.analyze(text) if d.entity == "LOCATION"]


@pytest.mark.parametrize(("text", "place"), [
    ("The recital was at Brennock Hall on Friday.", "Brennock Hall"),             # a venue NER did not find
    ("She was admitted to St Aldric's Hospital last night.", "St Aldric's Hospital"),
    ("The fair filled the Vellmoor Convention Centre again.", "Vellmoor Convention Centre"),   # three words
    ("We met outside the Carrow Museum of Modern Art.", "Carrow Museum of Modern Art"),        # an "of" tail
    ("They walked across Tolland Moor to the Orrin Hotel.", "Tolland Moor"),                   # a feature
    ("Her son was moved to Leeds General Infirmary.", "Leeds General Infirmary"),    # takes in the town's name
    ("Rain again at Glasgow's Harbourside Gardens today", "Harbourside Gardens"),    # not the owner's name
    ("The bakery is on 42nd Street, two doors down.", "42nd Street"),                # a street by its number
])
def test_a_venue_or_feature_named_by_its_kind_is_a_place(detector, text: str, place: str) -> None:
    """Issue 15 (places): a building, venue or natural feature written with the word for its kind is a place
    someone is at, though neither NER nor the gazetteer knows it."""
    assert place in found_places(detector, text)


@pytest.mark.parametrize(("text", "word"), [
    ("Castle Road is closed until Monday.", "Castle Road"),          # a street: the kind word is not last
    ("Hotel Brennock played their first gig.", "Hotel"),             # a kind word first: a band's name
    ("The Hall was full and the Station Manager spoke.", "Hall"),     # no name before the kind word
    ("I spoke to Jerry Hall and Anna Tower about it.", "Hall"),     # a given name and a surname
    ("Reviews from Past Times on Mill Road are good.", "Past Times"),  # "on" joins no name to the street's
    ("She has an appointment at the Job Centre on Monday.", "Job Centre"),   # a kind of facility, not one place
    ("Dad waited outside the Police Station and then the Town Hall.", "Station"),
])
def test_not_a_venue(detector, text: str, word: str) -> None:
    assert not any(word in place for place in found_places(detector, text))



def test_a_person_found_is_not_made_a_street(detector) -> None:
    """A name ending in a word that is also a surname ("Street", "Hall") stays the PERSON found there."""
    text = "As Sharon Street argues, and as Street adds later."
    person = Span("PERSON", 3, 16, 0.85, "spaCy NER PERSON")
    assert detector._venues.find(text, [person], []) == [person]
