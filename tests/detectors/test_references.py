"""Labelled reference numbers, masked identifiers and Indian/US tax identifiers (issue 15, 2b and 3)."""
import pytest

from detectors import checksums


def _found(detector, text):
    return {(d.entity, d.text) for d in detector.analyze(text, ner=False)}


@pytest.mark.parametrize("text, value", [
    ("Re: application no. 51234/09 (lodged 2010)", "51234/09"),
    ("The case ref 2019/114 was closed.", "2019/114"),
    ("Her student ID 4471902 is on the card.", "4471902"),
    ("passport no. XK1234567, issued in Kyiv", "XK1234567"),
    ("TIN 12-3456789", "12-3456789"),
    ("Member No: 88213", "88213"),
    ("customer number AB-4471 has complained", "AB-4471"),
    ("Our ref: JS/2231/B", "JS/2231/B"),
    ("Client ID#55012 attended", "55012"),
    ("Account number: 00912345", "00912345"),
    ("my member number is 88213 if they ask", "88213"),
    ("The case began with an application (no. 40117/12) against the State", "40117/12"),
    ("Passport: C01X00T47 (Germany)", "C01X00T47"),
    ("my driver's license is D1234567 and it expires soon", "D1234567"),
    ("Licence: 55-4471-X2", "55-4471-X2"),
    ("Tax ref 4471902K; tax code 1257L", "4471902K"),    # a tax reference is one, the tax code after it not
    ("Insurance ID: BCBS-IL 88421937", "BCBS-IL 88421937"),     # a scheme's letters, a space, the number
    ("Policy no. AB 123456 was renewed", "AB 123456"),
    ("Volunteer DBS certificate no. 001234567890 issued in May", "001234567890"),
    ("Unique Learner Number 1234567890 on the ILR", "1234567890"),
    ("UTR 1234567890 (self assessment)", "1234567890"),
])
def test_labelled_reference_numbers(detector, text, value):
    found = _found(detector, text)
    assert any(v == value for _, v in found), found
    assert ("REFERENCE_NUMBER", value) in found or any(e != "REFERENCE_NUMBER" for e, v in found if v == value)


@pytest.mark.parametrize("text", [
    "pursuant to Law no. 466 of 2003",           # not a reference label
    "In 1998 the case ref was unknown.",         # a year
    "Case ref: 12/03/2019",                       # a date
    "Ref 943 476 5918",                          # an NHS-shaped number failing its checksum: not a reference either
    "The case had 1,234 pages",                  # no label right before
    "student ID card was lost in 2019",
    "the account 12",                            # too few digits
    "Order no. 12345 was sent",                  # orders are not a person's reference
    "The licence fee is 150 and the licence 3.0 text applies",   # a word between; too few digits
    "Tax code: 1257L (emergency)",               # a PAYE code millions share, not a record's number
    "The NHS 2019 plan and ABC 123456 elsewhere",     # letters and a number with no label before them
    "Policy no. AB 12 was renewed",              # too few digits after the letters
])
def test_reference_near_misses(detector, text):
    assert not {e for e, _ in _found(detector, text)} & {"REFERENCE_NUMBER", "UK_NHS"}


def test_a_checksummed_identifier_outranks_the_reference_reading(detector):
    assert _found(detector, "passport no. 123456789") == {("UK_PASSPORT", "123456789")}
    assert _found(detector, "NHS number 943 476 5919") == {("UK_NHS", "943 476 5919")}


@pytest.mark.parametrize("text, value", [
    ("SSN XXX-XX-1234 on file", "XXX-XX-1234"),
    ("card **** **** **** 4242 expired", "**** **** **** 4242"),
    ("paid from the account ending ****1234", "****1234"),
])
def test_masked_identifiers(detector, text, value):
    assert ("REFERENCE_NUMBER", value) in _found(detector, text)


def test_masked_tail_needs_context(detector):
    assert not _found(detector, "the code xxxx123 was printed")


@pytest.mark.parametrize("text, entity, value", [
    ("PAN ABCPE1234F", "IN_PAN", "ABCPE1234F"),
    ("his PAN card: AAACB1234C", "IN_PAN", "AAACB1234C"),
    ("Aadhaar 2341 2341 2346", "IN_AADHAAR", "2341 2341 2346"),
    ("aadhaar no 234123412346", "IN_AADHAAR", "234123412346"),
    ("ITIN 912-70-1234", "US_ITIN", "912-70-1234"),
    ("SIN: 133 309 948", "CA_SIN", "133 309 948"),                       # spaced, as Canadians write it
    ("Social insurance number 522-388-198.", "CA_SIN", "522-388-198"),
    ("NAS 613257401", "CA_SIN", "613257401"),
])
def test_national_ids(detector, text, entity, value):
    assert (entity, value) in _found(detector, text)


@pytest.mark.parametrize("text, entity", [
    ("PAN ABCXE1234F", "IN_PAN"),                # fourth letter is no holder type
    ("Aadhaar 2341 2341 2347", "IN_AADHAAR"),    # Verhoeff fails
    ("Aadhaar 1341 2341 2346", "IN_AADHAAR"),    # cannot start with 0 or 1
    ("234123412346 units", "IN_AADHAAR"),        # bare digits without the word Aadhaar
    ("ITIN 912-93-1234", "US_ITIN"),             # group 93 is not issued
    ("ITIN 123-70-1234", "US_ITIN"),             # an ITIN starts with 9
    ("SIN: 133 309 949", "CA_SIN"),              # Luhn fails
    ("SIN: 846 454 288", "CA_SIN"),              # Luhn passes, but no SIN starts with 8 (nor 0)
    ("order 133 309 948 shipped", "CA_SIN"),     # no SIN label
])
def test_national_id_near_misses(detector, text, entity):
    assert entity not in {e for e, _ in _found(detector, text)}


@pytest.mark.parametrize("number, ok", [
    ("2363", True),                                 # Verhoeff's worked example: 236 → check digit 3
    ("2364", False), ("2 36-3", True), ("", False), ("12a", False),
])
def test_verhoeff(number, ok):
    assert checksums.verhoeff(number) is ok


def test_verhoeff_catches_every_single_digit_error_and_adjacent_swap():
    good = "234123412346"
    assert checksums.verhoeff(good)
    for i in range(len(good)):
        for d in "0123456789":
            if d != good[i]:
                assert not checksums.verhoeff(good[:i] + d + good[i + 1:])
    for i in range(len(good) - 1):
        if good[i] != good[i + 1]:
            assert not checksums.verhoeff(good[:i] + good[i + 1] + good[i] + good[i + 2:])


@pytest.mark.parametrize("itin, ok", [
    ("900-50-0001", True), ("999-99-9999", True), ("912-66-1234", False), ("912-89-1234", False),
    ("912-93-1234", False), ("812-70-1234", False), ("91270123", False),
])
def test_itin_valid(itin, ok):
    assert checksums.itin_valid(itin) is ok


@pytest.mark.parametrize("pan, ok", [
    ("ABCPE1234F", True), ("abcpe1234f", True),    # the function normalises case; the recogniser does not ("ABCPE0000F", False), ("ABCDE1234F", False), ("ABCP1234F", False),
])
def test_pan_valid(pan, ok):
    assert checksums.pan_valid(pan) is ok


def test_values_are_looked_for_only_after_a_label_yet_every_labelled_value_is_found():
    """With hyperscan the pattern pass scans for reference values only within the label reach after a word a
    label ends in (or everywhere under a labelling column header): the same candidates as scanning every value."""
    import random

    pytest.importorskip("hyperscan")
    from detectors.fastpath import PatternPass
    from detectors.recognizers import default_recognizers
    from detectors.recognizers.reference import ReferenceNumberRecognizer

    recs = [r for r in default_recognizers() if isinstance(r, ReferenceNumberRecognizer)]
    hinted, plain = PatternPass(recs), PatternPass(recs, use_hyperscan=False)
    assert hinted.accelerated
    rng = random.Random(31)
    labels = ["case ref", "Application (no.", "member number is", "member numberis", "REF#", "caseno", "Our Ref:", "TIN", "passport no.", "student ID",
              "ref", "no.", "PAN", "file number", "Customer #", "reference"]
    values = ["51234/09", "2019/114", "4471902", "XK1234567", "12-3456789", "ABCPE1234F", "JS/2231", "C01X00T47",
              "881-22-31", "2020", "12.50", "A1", "XX/77/31"]
    texts, found = [], 0
    for _ in range(400):
        parts = []
        for _ in range(rng.randint(1, 6)):
            gap = rng.choice(["", " ", ": ", " - ", " " * rng.randint(2, 45), "\n", ". Then ", " noted "])
            parts.append(rng.choice([rng.choice(labels) + gap + rng.choice(values), rng.choice(values),
                                     "no further notes", "Ref" + rng.choice(values), "nobody knows 77/12"]))
        texts.append(rng.choice([" ", ", ", ".\n", " and "]).join(parts))
    for text in texts:
        got = [(c.start, c.end, c.score) for c in hinted.candidates(text)]
        assert got == [(c.start, c.end, c.score) for c in plain.candidates(text)], text
        found += len(got)
    for header in ("Case ref", "notes", "Member number", ""):          # a column's values, labelled by the header
        column = [rng.choice(values) for _ in range(40)]
        assert ([[(c.start, c.end, c.score) for c in cs] for cs in hinted.candidates_many(column, header)] ==
                [[(c.start, c.end, c.score) for c in cs] for cs in plain.candidates_many(column, header)]), header
    assert found > 80
    assert any(c for c in hinted.candidates_many(["4471902", "51234/09"], "Case ref"))


# Other countries' national numbers after their own label, in the form a form writes them: a reference number,
# never a phone number read in some region's format
@pytest.mark.parametrize("text, value", [
    ("Personnummer: 850709-9805", "850709-9805"),
    ("PESEL: 85070912345", "85070912345"),
    ("SIN: 046454286", "046454286"),
    ("CPR: 070985-1234", "070985-1234"),
    ("AMKA: 07098512345", "07098512345"),
    ("CNP: 1850709123456", "1850709123456"),
    ("Személyi szám: 25904066946", "25904066946"),                  # Hungarian personal number
    ("Adóazonosító jel: 8123456789", "8123456789"),                  # ... and tax number
])
def test_national_numbers_after_their_label(detector, text, value):
    found = _found(detector, text)
    assert ("REFERENCE_NUMBER", value) in found
    assert not [v for e, v in found if e == "PHONE_NUMBER"]


@pytest.mark.parametrize("text, label", [
    ("Unique Pupil Number A123456789012 for the child.", "Unique"),
    ("Unique Learner Number 1234567890 for the child.", "Unique Learner"),
])
def test_the_title_of_a_label_is_no_person(detector, text, label):
    found = {(d.entity, d.text) for d in detector.analyze(text)}
    assert not any(e == "PERSON" and label.startswith(v) for e, v in found), found
    assert any(e == "REFERENCE_NUMBER" for e, _ in found), found
    # a person before a lower-case label word, or with a comma, stays one
    assert ("PERSON", "Sarah Morgan") in {(d.entity, d.text) for d in detector.analyze(
        "Sarah Morgan, Number 4 on the list, spoke to Sarah Morgan's number two.")}


def test_a_label_s_title_needs_its_value_after_it():
    from detectors.engine import _LABEL_TAIL
    assert _LABEL_TAIL.match(" Pupil Number A123456789012")
    assert _LABEL_TAIL.match(" Staff ID: 4471")
    assert _LABEL_TAIL.match(" Says No More Sequels") is None          # a headline's words, no value after them
    assert _LABEL_TAIL.match(" Pupil Number is on file") is None
