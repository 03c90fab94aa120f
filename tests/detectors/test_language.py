"""The English NER model reads English text only: a letter in another language gets names from the rules alone."""
from __future__ import annotations

import pytest

from detectors.language import MIN_FOREIGN, LanguageCheck, foreign_function_words

GERMAN = ("Sehr geehrter Herr Brandstätter,\n\nvielen Dank für Ihre Nachricht vom 2. Mai. Wir haben Ihre Unterlagen "
          "erhalten und werden sie so bald wie möglich prüfen. Bei Fragen erreichen Sie Frau Yilmaz unter "
          "089 4522 3310.\n\nMit freundlichen Grüßen\nSabine Hoffmann\n")
FRENCH = ("Madame, nous avons bien reçu votre dossier et nous vous en remercions. Votre conseillère, Mme Élodie "
          "Durandet, vous contactera dans les prochains jours pour fixer un rendez-vous avec vous.")
ENGLISH_WITH_ADDRESS = ("Dear Ms Okafor,\n\nThank you for your letter. We have written to our office in Germany at "
                        "Am Lindenhof 12a, 80337 München, and they will reply to you within the month. If you have "
                        "any questions about this, please call me.\n\nYours sincerely,\nGareth Price\n")


@pytest.fixture(scope="module")
def check(detector) -> LanguageCheck:
    return LanguageCheck(detector._names.dictionary, detector._names.given)


@pytest.mark.parametrize(("text", "english"), [
    (GERMAN, False),
    (FRENCH, False),
    (ENGLISH_WITH_ADDRESS, True),                       # a German address inside an English letter
    ("Danke! Bis bald, Anna", True),                    # too short to tell: English, NER runs
    ("que lindo dia en la playa", True),
    ("Porque donde está vuestro tesoro, allí también estará vuestro corazón, dijo ella a los niños.", False),
])
def test_a_text_is_english_unless_its_function_words_are_mostly_another_languages(check, text: str,
                                                                                   english: bool) -> None:
    assert check.is_english(text) is english


def test_foreign_function_words_leave_out_english_words_and_given_names(detector) -> None:
    words = foreign_function_words(detector._names.dictionary, detector._names.given)
    assert {"und", "nicht", "ihre", "avec", "votre", "también", "niet", "och"} <= words.keys()
    assert not {"die", "war", "also", "the", "and", "anna", "ma"} & words.keys()
    assert words["und"] == ("de",) and "nl" in words["niet"] and "fr" in words["votre"]
    bare = foreign_function_words()                 # without a dictionary: only English stop words are left out
    assert "die" in bare and "the" not in bare and "und" in bare


def test_only_the_first_characters_are_read(check) -> None:
    once = check.counts(GERMAN)[1]["de"]
    many = check.counts(GERMAN * 200)[1]["de"]
    assert MIN_FOREIGN <= once < many < 20 * once


@pytest.mark.parametrize(("text", "language"), [(GERMAN, "de"), (FRENCH, "fr"), (ENGLISH_WITH_ADDRESS, None),
                                                 ("Danke! Bis bald, Anna", None)])
def test_the_language_of_a_text_that_is_not_english(check, text: str, language: str | None) -> None:
    assert check.language(text) == language


def test_the_language_suggests_the_regions_of_national_phone_numbers() -> None:
    from detectors.recognizers.phones import suggested_regions

    assert suggested_regions(GERMAN)[:3] == ("AT", "CH", "DE")      # one suggestion each, in name order
    assert "FR" in suggested_regions(FRENCH)
    assert not {"DE", "AT", "CH"} & set(suggested_regions(ENGLISH_WITH_ADDRESS.replace("Germany", "the office")))


def test_the_model_guesses_nothing_in_a_german_letter_but_the_rules_still_find_names(detector) -> None:
    found = {(d.entity, d.text) for d in detector.analyze(GERMAN)}
    persons = {t for e, t in found if e == "PERSON"}
    # NER took "Ihre Nachricht", "Bei Fragen" and "Vielen Dank" for persons; the rules find the real ones
    assert persons == {"Brandstätter", "Yilmaz", "Sabine Hoffmann"}
    assert ("PHONE_NUMBER", "089 4522 3310") in found
    # the same sentences in an English letter still go to the model
    assert ("PERSON", "Gareth Price") in {(d.entity, d.text) for d in detector.analyze(ENGLISH_WITH_ADDRESS)}
