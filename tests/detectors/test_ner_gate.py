"""NER is only given the sentences that could name someone; names are still found wherever they are."""
from __future__ import annotations

from detectors.ner import names_something, sentences

FILLER = "Transport was arranged for the weekend trip. The grant report is due at the end of the quarter. "


def _texts(text: str) -> list[str]:
    return [text[a:b] for a, b in sentences(text, frozenset({"mr", "dr"}))]


def test_sentences_split_at_ends_and_lines_but_not_after_titles_or_initials():
    text = "We met Mr. Smith today. J. R. Jones called!\nNorwich\n\nIs it done? Yes."
    assert _texts(text) == ["We met Mr. Smith today.", "J. R. Jones called!", "Norwich", "Is it done?", "Yes."]


def test_a_sentence_names_something_only_with_a_capital_beyond_its_first_word():
    assert not names_something("Transport was arranged for the weekend trip.")
    assert not names_something("On Monday I said we would meet in March.")     # months, days and "I"
    assert not names_something("He attends the mosque on Fridays.")
    assert not names_something("12/03/2024 - 10:00")
    assert names_something("We met at the family centre in Leeds.")
    assert names_something("Grace Thomas attended the session.")            # first word followed by a capital
    assert names_something("Norwich")                                       # a heading or address line
    assert names_something("Oliver Wilson")                                 # a signature
    # a first word that is a given name (or a town) could be one: "Mary is working on her novel"
    assert not names_something("Mary is working on her novel.")
    assert names_something("Mary is working on her novel.", frozenset({"mary"}))
    assert not names_something("Transport was arranged.", frozenset({"mary"}))


def test_filler_is_not_given_to_the_model(detector):
    runner = detector._ner
    text = FILLER * 20 + "She moved to Leeds with Grace Thomas last year. " + FILLER * 20
    pieces = list(runner.pieces(text))
    assert [p for _, p in pieces] == ["She moved to Leeds with Grace Thomas last year."]
    assert all(text[base:base + len(p)] == p for base, p in pieces)
    assert sum(len(p) for _, p in pieces) < len(text) / 20


def test_names_are_found_in_gated_prose_at_the_right_offsets(detector):
    text = ("Norwich\n\nDear Ava Thomas,\n\n" + FILLER * 5 + "Spoke with Grace Thomas about the move to Leeds. "
            + FILLER * 5 + "\n\nYours sincerely,\nOliver Wilson\n")
    found = {(d.entity, d.text) for d in detector.analyze(text)}
    for d in detector.analyze(text):
        assert text[d.start:d.end] == d.text
    assert {("PERSON", "Ava Thomas"), ("PERSON", "Grace Thomas"), ("PERSON", "Oliver Wilson"),
            ("LOCATION", "Leeds")} <= found


def test_sentences_the_name_rules_explain_are_not_given_to_the_model(detector, monkeypatch):
    text = ("Norwich\n\nDear Ava Thomas,\n\n" + FILLER * 3 + "\n\nYours sincerely,\nOliver Wilson\n")
    given = []
    real = detector._ner.pieces

    def spy(t, *a, **k):
        out = list(real(t, *a, **k))
        given.extend(p for _, p in out)
        return iter(out)

    monkeypatch.setattr(detector._ner, "pieces", spy)
    found = {(d.entity, d.text) for d in detector.analyze(text)}
    assert {("PERSON", "Ava Thomas"), ("PERSON", "Oliver Wilson")} <= found      # found by the name rules
    assert given == ["Norwich"]                          # the salutation and the signature were not NER'd
    assert [p for _, p in real(text)] == ["Norwich\n\nDear Ava Thomas,", "Oliver Wilson"]   # without the rules


def test_name_candidates_are_two_and_three_word_runs_of_capitalised_words(detector):
    text = ("Dear Mr Ruby Smith's file was sent to Jan van Dijk and Mary Ann Smith.\n"
            "Łukasz Żółw\nthe family centre ÉMILE à Zola\n")
    found = detector.name_candidates(text)
    assert {"Ruby Smith", "Jan van Dijk", "Mary Ann", "Ann Smith", "Mary Ann Smith", "Łukasz Żółw"} <= found
    assert not any(w in c.split() for c in found for w in ("Dear", "Mr", "file", "Zola", "à"))
    assert "Smith Łukasz" not in found and "Smith's" not in " ".join(found)      # runs stay on one line
    assert detector.name_candidates("no capitals here, nor a Name alone.") == set()
    # one-letter words, a leading particle, a no-break space, other scripts with capitals
    text = "Spoke with Zoë Ó Briain, Van Dijk, La Toya Jackson, Ruby\u00a0Smith and Иван Петров."
    assert {"Zoë Ó Briain", "Van Dijk", "La Toya Jackson", "Ruby Smith", "Иван Петров"} <= detector.name_candidates(text)


def test_short_pieces_seen_before_are_not_given_to_the_model_again(detector, monkeypatch):
    from detectors import ner

    runner = detector._ner
    runner._cache.clear()
    sent = []
    real_model = runner.model
    monkeypatch.setattr(runner, "model", lambda texts: real_model(sent.extend(texts) or texts))
    letter = "Leeds\n\n" + FILLER * 3 + "\nShe met Tarquin Thorne at the centre.\n"
    first = detector.analyze(letter)
    assert sent == ["Leeds", "She met Tarquin Thorne at the"]          # two words either side (WINDOW_WORDS)
    sent.clear()
    moved = "Another line.\n" + letter                       # the same pieces at other offsets
    again = detector.analyze(moved)
    assert sent == []
    shift = len("Another line.\n")
    assert [(d.entity, d.start - shift, d.end - shift) for d in again] == [(d.entity, d.start, d.end) for d in first]
    long_piece = "Tarquin Thorne and Ottoline Baker went out. " * 12    # longer than CACHED_PIECE_CHARS
    detector.analyze(long_piece)
    detector.analyze(long_piece)
    assert sent.count(long_piece.strip()) == 2
    monkeypatch.setattr(ner, "CACHE_PIECES", 3)
    for town in ("York", "Hull", "Bath", "Ely", "Leeds"):
        detector.analyze(f"{town}\n")
    assert len(runner._cache) == 3 and "Leeds" in runner._cache and "York" not in runner._cache


def test_sentences_whose_capitals_are_all_explained_are_not_given_to_the_model(detector):
    runner = detector._ner

    def given(text: str) -> list[str]:
        return [p for _, p in runner.pieces(text, known=[(s.start, s.end) for s in detector._names.find(text)])]

    assert given("Contact: 0113 496 0672.") == []                                   # a common word
    assert given("12/03/2024 - Spoke with Grace Patel (NHS 943 476 5919).") == []   # a listed name; NHS
    assert given("Dear Sir,\nYours faithfully,") == []
    # not explained: a town or a given name first, a name not listed, a place (given with two words either side,
    # WINDOW_WORDS, and whole names at a window's edge)
    assert given("Leeds was busy, said Grace Patel.") == ["Leeds was busy,"]
    assert given("Grace waved hello to Ava Thomas.") == ["Grace waved hello"]
    assert given("Spoke with Tarquin Thorne.") == ["Spoke with Tarquin Thorne."]
    # a first word capitalised only by its position is no anchor, even in a sentence given to the model
    assert given("Spoke with Grace Patel in Harrogate.") == ["Grace Patel in Harrogate."]
    assert given("Okay.") == [] and given("Mhm.") == []          # an interjection alone on a line: no heading


def test_the_model_is_given_only_the_words_around_capitalised_words(detector):
    from detectors.ner import WINDOW_WORDS

    runner = detector._ner
    pad = " ".join(["and then the long quiet afternoon went on"] * 4)
    text = f"Quietly she said that {pad} before Tarquin Thorne arrived, {pad} as usual.\n"
    pieces = list(runner.pieces(text))
    assert all(text[base:base + len(p)] == p for base, p in pieces)
    words = [p.split() for _, p in pieces]
    assert len(words) == 1                      # "Quietly": capitalised only as the sentence's first word
    assert words[0][WINDOW_WORDS:WINDOW_WORDS + 2] == ["Tarquin", "Thorne"] and len(words[0]) == 2 * WINDOW_WORDS + 2
    assert sum(len(p) for _, p in pieces) < len(text) / 2
    found = [(d.entity, d.text) for d in detector.analyze(text)]
    assert ("PERSON", "Tarquin Thorne") in found
    assert all(text[d.start:d.end] == d.text for d in detector.analyze(text))


def test_handles_and_links_alone_do_not_send_a_sentence_to_the_model(detector):
    runner = detector._ner
    assert list(runner.pieces("RT @BBCNews: what a match that was http://t.co/AbCdE9 #football")) == []
    assert [p for _, p in runner.pieces("RT @BBCNews: Tarquin Thorne scored")] == ["RT @BBCNews: Tarquin Thorne scored"]


def test_capitalised_stop_words_are_not_anchors(detector):
    runner = detector._ner
    pad = "and then the long quiet afternoon went on"
    assert list(runner.pieces(f"The day was long. So It went {pad} until We left.")) == []
    text = f"The report said that {pad} {pad} The Hague court sat again"
    assert [p for _, p in runner.pieces(text)] == ["on The Hague court sat"]       # two words either side


def test_a_sentence_that_starts_with_a_given_name_is_given_to_the_model(detector):
    text = FILLER + "Mary is working away on her novel. " + FILLER
    assert [p for _, p in detector._ner.pieces(text)] == ["Mary is working"]     # the name and two words after
