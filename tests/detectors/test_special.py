"""Special categories and criminal offence data: lemmas, negation, generic sentences, cues; children."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from detectors.children import ChildSignals, age_on
from detectors.special import CATEGORIES, inflections


def disclosed(detector, text: str) -> set[str]:
    return {h.category for h in detector.special_categories(text) if h.disclosure}


@pytest.mark.parametrize(("text", "category"), [
    ("He has type 1 diabetes and uses an inhaler.", "health"),
    ("She was diagnosed with epilepsy in 2019.", "health"),          # "diagnosed with" → lemma "diagnose with"
    ("Referred to CAMHS after the disclosure.", "health"),
    ("He is prescribed sertraline.", "health"),
    ("Her ethnicity is recorded as Black Caribbean.", "ethnic_origin"),
    ("The family are Sikh and visit the gurdwara.", "religion"),
    ("He told me he voted for the Green Party.", "political_opinion"),
    ("She is a UNISON union rep.", "trade_union"),
    ("He told staff he is bisexual.", "sexual_orientation"),
    ("Attended the sexual health clinic on Friday.", "sex_life"),
    ("Results of her BRCA1 genetic test came back.", "genetic"),
    ("Entry uses a fingerprint reader; templates stored.", "biometric"),
    ("He received a youth caution for criminal damage.", "criminal_offence"),
    ("He has two convictions for theft.", "criminal_offence"),          # plural → lemma "conviction"
])
def test_disclosures(detector, text: str, category: str) -> None:
    assert category in disclosed(detector, text)


@pytest.mark.parametrize("text", [
    "No history of self-harm.",
    "She denies any suicidal ideation.",
    "Not known to CAMHS.",
    "No known allergies.",
    "There is no evidence of substance misuse or alcohol dependency.",
])
def test_negated_terms_are_not_disclosures(detector, text: str) -> None:
    hits = detector.special_categories(text)
    assert hits and all(h.negated for h in hits) and disclosed(detector, text) == set()


def test_negation_stops_at_but(detector) -> None:
    assert "health" in disclosed(detector, "No concerns at school but she has asthma.")


POLICY = """Data Protection Policy
We may collect special category data such as health, religion or belief, ethnic origin, sexual orientation and
trade union membership, and criminal offence data, only where the law allows.
All staff complete autism awareness training. Equal opportunities monitoring form: please state your religion.
"""


def test_a_policy_that_names_the_categories_discloses_nothing(detector) -> None:
    hits = detector.special_categories(POLICY)
    assert len({h.category for h in hits}) >= 5
    assert all(h.generic for h in hits)
    assert disclosed(detector, POLICY) == set()


def test_list_cue_alone_does_not_hide_a_specific_disclosure(detector) -> None:
    assert "health" in disclosed(detector, "She has several conditions including asthma.")


@pytest.mark.parametrize(("text", "expected"), [
    ("Proceed with caution on the stairs.", set()),                 # "caution" needs an offence cue
    ("He accepted a police caution last year.", {"criminal_offence"}),
    ("Tag the file as urgent.", set()),
])
def test_ambiguous_terms_need_a_cue(detector, text: str, expected: set[str]) -> None:
    assert disclosed(detector, text) == expected


def test_skip_established_categories(detector) -> None:
    text = "He has asthma. He received a police caution."
    assert {h.category for h in detector.special_categories(text, skip=("health",))} == {"criminal_offence"}


def test_hits_stop_for_a_category_once_the_caller_has_enough(detector, monkeypatch) -> None:
    """The lazy search asks ``done`` at every candidate line: once health has enough evidence, later health
    lines are not even tokenised, while other categories are still found."""
    matcher = detector._special
    tokenised = []
    real = matcher.nlp.tokenizer
    monkeypatch.setattr(matcher.nlp, "tokenizer", lambda piece: tokenised.append(piece) or real(piece))
    text = "She has asthma and diabetes.\n" * 40 + "He received a police caution.\n"
    seen: dict[str, int] = {}
    for hit in detector.special_hits(text, lambda c: seen.get(c, 0) >= 2):
        seen[hit.category] = seen.get(hit.category, 0) + 1
    assert seen == {"health": 2, "criminal_offence": 1}
    assert len(tokenised) <= 3
    assert len(detector.special_categories(text)) > 40           # the eager search still finds them all


def test_each_term_is_reported_once_in_a_long_text(detector) -> None:
    """Terms more than a window apart used to be reported twice (overlapping windows), which filled an
    object's evidence with two copies of one hit."""
    line = "Spoke with the family about the support plan and the weekend trip. {}\n"
    terms = ["She mentioned her diabetes.", "He attends the mosque.", "A previous conviction for theft."]
    text = "".join(line.format(terms[i % 3]) for i in range(12))
    hits = [(h.category, h.start) for h in detector.special_categories(text)]
    assert len(hits) == 12 and len(set(hits)) == 12
    assert hits == sorted(hits, key=lambda h: h[1])


def test_terms_in_any_case_keep_their_offsets_after_letters_whose_lower_case_is_longer(detector) -> None:
    """The prefilter reads the text in lower case; a letter whose lower case is two characters ("İ") must not
    move the offsets of what follows it."""
    filler = " ".join(["The weekend trip went well and the support plan was agreed."] * 12)
    for text in ("She told us she has DIABETES.", "İİ İstanbul trip: she told us she has Diabetes.",
                 "İ" * 600 + ". She told us she has Diabetes. " + filler):
        hits = [h for h in detector.special_categories(text) if h.category == "health"]
        assert hits and text[hits[0].start:hits[0].end].lower() == "diabetes"


def test_irregular_forms_start_a_term(detector) -> None:
    """A term is found from an irregular form of its first word, with no other term nearby."""
    assert "criminal_offence" in disclosed(detector, "In March she pled guilty at the hearing.")
    assert "sexual_orientation" in disclosed(detector, "Last year he came out as bi to his friends.")


def test_only_sentences_that_can_hold_a_term_are_tokenised(detector, monkeypatch) -> None:
    matcher = detector._special
    tokenised = []
    real = matcher.nlp.tokenizer
    monkeypatch.setattr(matcher.nlp, "tokenizer", lambda piece: tokenised.append(piece) or real(piece))
    text = ("The volunteer rota for next month is attached. " * 10 + "She has asthma. "
            + "Thank you for your continued support of our work. " * 10)
    assert disclosed(detector, text) == {"health"}
    assert tokenised == ["attached. She has asthma."]           # the word before it: tokens as in the text


def test_lexicon_categories_are_the_design_ones(detector) -> None:
    assert set(CATEGORIES) == {"health", "ethnic_origin", "religion", "political_opinion", "trade_union",
                               "sexual_orientation", "sex_life", "genetic", "biometric", "criminal_offence"}
    assert detector.column_category("Ethnic Origin") == "ethnic_origin"
    assert detector.column_category("Email") is None


def test_inflections() -> None:
    assert {"convictions", "diagnosed", "diagnosing"} <= inflections("conviction") | inflections("diagnose")
    assert "admitted" in inflections("admit") and "pleaded" in inflections("plead")


# -- children ------------------------------------------------------------------------------------------------

TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(("text", "kind"), [
    ("Jo is 15 years old.", "age"),
    ("Jo (aged 13) attended.", "age"),
    ("a 9-year-old boy", "age"),
    ("She is in Year 9 at Parkside School.", "school_year"),
    ("P5 pupil at the primary.", "school_year"),
    ("My age is 16 and I live with my nan.", "age"),
    ("She turned 10 last week.", "age"),
    ("Our son is fourteen.", "age"),                    # an age in words
    ("Referred aged twelve by the school nurse.", "age"),
    ("a fifteen-year-old girl", "age"),
    ("Born in 2015, Mia now lives with foster carers.", "age"),   # a year of birth: 11 in 2026
    ("He was born in 2012 in Leeds.", "age"),
])
def test_child_signals(text: str, kind: str) -> None:
    assert [s.kind for s in ChildSignals().find(text, today=TODAY)] == [kind]


@pytest.mark.parametrize("text", [
    "Her mother, aged 43, attended.",
    "Service for people aged 16-25.",
    "Year 9 budget figures",                  # no school words around it
    "In the year 2019 the 12 staff met.",
    "The charity turned 10 this year.",       # not a person's age
    "She is one of the carers.",             # a number word, not an age
    "The idea was born in 2015.",            # not a person's birth
    "She was born in 1990 in Leeds.",        # an adult
    "children aged 5-11 are welcome",         # a range
])
def test_not_child_signals(text: str) -> None:
    assert ChildSignals().find(text, today=TODAY) == []


def test_an_age_right_after_a_name(detector) -> None:
    """"Jayden, 12, was excluded", "Tyler (8)", "baby Mia (6 months)": an age written right after a detected name."""
    text = "Present: mum Leanne, Tyler (8) and baby Mia (6 months). Jayden, 12, was excluded. Smith, 45, was not."
    ages = sorted(s.age for s in detector.child_signals(text, detector.analyze(text)))
    assert ages == [0, 8, 12]
    # with no name before it, a number in brackets is no age
    assert ChildSignals().find("See Chapter (8) and Table (3).", today=TODAY, persons=[]) == []


def test_ages_are_found_where_lower_case_changes_the_text_s_length() -> None:
    text = "İzmir trip: she is 12."              # "İ" lower-cased is two characters: offsets must stay the text's
    (signal,) = ChildSignals().find(text, today=TODAY)
    assert signal.age == 12 and text[signal.start:signal.end].startswith("she")


def test_dob_under_18_at_scan_time() -> None:
    signals = ChildSignals()
    assert signals.find("x", [(0, 10, "02/06/2008")], today=TODAY)[0].age == 17
    assert signals.find("x", [(0, 10, "01/06/2008")], today=TODAY) == []          # 18 today
    assert age_on(dt.date(2008, 6, 2), TODAY) == 17


def test_a_multi_word_terms_first_word_alone_costs_no_tokenising(detector, monkeypatch) -> None:
    special = detector._special
    seen: list[str] = []
    tokenizer = special.nlp.tokenizer

    class Spy:
        def __call__(self, text):
            seen.append(text)
            return tokenizer(text)

    monkeypatch.setattr(special.nlp, "tokenizer", Spy())
    assert disclosed(detector, "We met on the bus and just talked about the morning.") == set()
    assert seen == []                  # "on", "just", "morning" start only "on licence", "just stop oil" ...
    assert disclosed(detector, "He is out on licence since May.") == {"criminal_offence"}
    assert seen


def test_the_whole_term_gate_changes_no_hit(detector) -> None:
    """Sentences are tokenised only when a whole term (any inflection, spacing or case) can be in them; with
    that gate open (a regex matching everywhere: every candidate sentence tokenised, as before the gate) the
    hits, their flags and offsets are the same on varied text: generated notes, letters, a policy, and lexicon
    terms inflected, capitalised, spread over lines and spaces, negated and listed."""
    import dataclasses
    import random
    import re

    from benchmarks.generate import case_note, letter
    from detectors.lexicon import load_packaged_yaml
    from detectors.special import SpecialMatcher

    gated = detector._special
    assert gated.lexicon.whole_terms.pattern                           # the gate is there
    ungated = SpecialMatcher(gated.nlp, dataclasses.replace(gated.lexicon, whole_terms=re.compile("")))
    rng = random.Random(5)
    lexicon = Path(__file__).parents[2] / "configs" / "lexicons" / "special_categories.yaml"
    terms = [str(t) for ts in load_packaged_yaml(lexicon.read_text())["categories"].values() for t in ts]

    def varied(term: str) -> str:
        words = term.split()
        return rng.choice([term.upper(), term.title(), "  ".join(words), "\n".join(words), term,
                           " ".join(w + rng.choice(["s", "ed", "ing", "'s", "es", "d", ""]) for w in words)])

    texts = [case_note(rng) for _ in range(40)] + [letter(rng) for _ in range(20)] + [POLICY]
    for _ in range(600):
        texts.append(" ".join(rng.choice(["No history of", "She has", "He was", "Referred for", "the", "not",
                                          "Policy:", "(", "-", "and"]) + " " + varied(rng.choice(terms))
                              + rng.choice([".", ",", "", "!\n", ";"]) for _ in range(rng.randint(1, 4))))
    found = [gated.find(text) for text in texts]
    assert found == [ungated.find(text) for text in texts]
    assert sum(map(len, found)) > 500 and sum(h.negated for hits in found for h in hits) > 20
