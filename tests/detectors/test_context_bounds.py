"""Context words count only inside the candidate's sentence, form line or paragraph (issue 15, 2c/2f)."""
import pytest

from detectors.children import ChildSignals
from detectors.sentences import clip_after, clip_before


@pytest.mark.parametrize("before, kept", [
    ("NHS number 943 476 5919. Mum can be reached on ", "Mum can be reached on "),
    ("was born in 1978 and lives in Leeds.\n\nOn ", "On "),
    ("born 1978.\n\n", ""),
    ("passport no. ", "passport no. "),             # an abbreviation is not a sentence end
    ("Dr. Shah gave her date of birth as ", "Dr. Shah gave her date of birth as "),
    ("J. Smith, d.o.b. ", "J. Smith, d.o.b. "),     # initials
    ("Date of birth:\n", "Date of birth:\n"),       # a label on its own line keeps its value
    ("her date of birth is\n", "her date of birth is\n"),   # a wrapped line of prose
    ("DOB: 01/02/1990\nStart date: ", "Start date: "),     # the line before already holds its value
    ("National Insurance number: AB 12 34 56 C\nIBAN: ", "IBAN: "),
    ("Is it? Yes, tel ", "Yes, tel "),
])
def test_clip_before(before, kept):
    assert clip_before(before).lstrip(" ") == kept


@pytest.mark.parametrize("after, kept", [
    (" (mobile). NHS no", " (mobile)"),
    (" is his NHS number", " is his NHS number"),
    ("\nNHS number", ""),
    (", ref. 12 follows", ", ref. 12 follows"),
])
def test_clip_after(after, kept):
    assert clip_after(after) == kept


@pytest.mark.parametrize("text, ages", [
    ("The boy, aged 12.", [12]),
    ("aged 12, lives with", [12]),
    ("She is 13.", [13]),
    ("they are 15 and in care", [15]),
    ("he's 9 and", [9]),
    ("she is 13 years old", [13]),
    ("he is 13 minutes late", []),                 # not an age
    ("aged 16-25", []),                            # a range
    ("aged 12.5 years", []),
    ("aged 40.", []),                              # an adult
    ("She is 17, he is 42.", [17]),
])
def test_child_ages(text, ages):
    assert [s.age for s in ChildSignals().find(text) if s.kind == "age"] == ages


def _found(detector, text):
    return {(d.entity, d.text) for d in detector.analyze(text, ner=False)}


@pytest.mark.parametrize("text, expected, absent", [
    ("NHS number 943 476 5919. Mum can be reached on 0151 496 0018.",
     {("UK_NHS", "943 476 5919"), ("PHONE_NUMBER", "0151 496 0018")}, set()),
    ("He was born in 1978 and lives in Leeds.\n\nOn 3 March 2004 he moved to Hull.",
     set(), {("DATE_OF_BIRTH", "3 March 2004")}),
    ("He was born in 1978. On 3 March 2004 he moved.", set(), {("DATE_OF_BIRTH", "3 March 2004")}),
    ("Her date of birth is 3 March 1985.", {("DATE_OF_BIRTH", "3 March 1985")}, set()),
    ("Date of birth:\n03/04/1985", {("DATE_OF_BIRTH", "03/04/1985")}, set()),
    ("DOB: 01/02/1990\nStart date: 03/04/2015", {("DATE_OF_BIRTH", "01/02/1990")},
     {("DATE_OF_BIRTH", "03/04/2015")}),
    ("National Insurance number: AB 12 34 56 C\nIBAN: GB82 WEST 1234 5698 7654 32",
     {("UK_NINO", "AB 12 34 56 C"), ("IBAN_CODE", "GB82 WEST 1234 5698 7654 32")}, set()),
])
def test_context_stays_in_its_sentence(detector, text, expected, absent):
    found = _found(detector, text)
    assert expected <= found
    assert not (absent & found)
