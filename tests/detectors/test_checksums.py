"""Check-digit and format rules against published values, near misses and whole-space properties."""

from __future__ import annotations

import random

import pytest

from detectors import checksums as cs


def _flip(value: str, index: int) -> str:
    """The same string with the digit at ``index`` changed by one."""
    digit = int(value[index])
    return value[:index] + str((digit + 1) % 10) + value[index + 1 :]


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("79927398713", True),  # Wikipedia's Luhn example
        ("79927398710", False),
        ("4111 1111 1111 1111", True),
        ("4111-1111-1111-1112", False),
        ("0", False),
        ("abc", False),
    ],
)
def test_luhn(number: str, expected: bool) -> None:
    assert cs.luhn(number) is expected


@pytest.mark.parametrize(
    ("number", "issuer"),
    [
        ("4111111111111111", "visa"),
        ("4222222222222", "visa"),
        ("5555555555554444", "mastercard"),
        ("2223003122003222", "mastercard"),
        ("378282246310005", "amex"),
        ("6011111111111117", "discover"),
        ("3530111333300000", "jcb"),
        ("213194580730210", "jcb"),  # JCB's older 15-digit numbers (2131, 1800)
        ("180094580730211", "jcb"),
        ("30569309025904", "diners"),
        ("6759649826438453", "maestro"),
        ("6200000000000005", "unionpay"),
    ],
)
def test_published_test_cards_are_valid(number: str, issuer: str) -> None:
    assert cs.card_issuer(number) == issuer
    assert cs.card_valid(number)


@pytest.mark.parametrize(
    "number",
    [
        "4111111111111112",  # Luhn fails
        "1234567812345670",  # Luhn passes, no issuer starts with 1
        "411111111111111",  # Visa prefix, 15 digits is not a Visa length
        "2131945807302157",  # JCB's 2131 numbers have 15 digits, not 16
        "213194580730211",  # Luhn fails
        "3782822463100050",  # Amex prefix, 16 digits
        "0000000000000000",
        "9999999999999995",
    ],
)
def test_card_near_misses(number: str) -> None:
    assert not cs.card_valid(number)


@pytest.mark.parametrize(
    "iban",
    [
        "GB82 WEST 1234 5698 7654 32",
        "GB29NWBK60161331926819",
        "DE89 3704 0044 0532 0130 00",
        "FR14 2004 1010 0505 0001 3M02 606",
        "NL91ABNA0417164300",
        "BE68539007547034",
        "NO9386011117947",  # shortest registry length, 15
        "RU0304452522540817810538091310419",  # longest, 33
        "LC55HEMM000100010012001200023015",
        "ie29 aibk 9311 5212 3456 78",
    ],
)
def test_iban_valid(iban: str) -> None:
    assert cs.iban_valid(iban)


@pytest.mark.parametrize(
    "iban",
    [
        "GB82 WEST 1234 5698 7654 33",  # one digit changed
        "GB28 WEST 1234 5698 7654 32",  # check digits changed
        "GB82WEST123456987654321",  # one character too many for GB
        "DE89370400440532013",  # too short for DE
        "XX82WEST12345698765432",  # not a registry country
        "US64SVBKUS6S3300958879",  # the US does not use IBANs
        "",
    ],
)
def test_iban_near_misses(iban: str) -> None:
    assert not cs.iban_valid(iban)


def test_iban_table_covers_the_registry_shape() -> None:
    assert len(cs.IBAN_LENGTHS) >= 89
    assert all(15 <= n <= 34 for n in cs.IBAN_LENGTHS.values())
    assert cs.IBAN_LENGTHS["GB"] == 22 and cs.IBAN_LENGTHS["MT"] == 31


@pytest.mark.parametrize("number", ["943 476 5919", "9434765919", "401-023-2137"])
def test_nhs_valid(number: str) -> None:
    assert cs.nhs_mod11(number)


@pytest.mark.parametrize("index", range(10))
def test_nhs_any_single_digit_change_fails(index: int) -> None:
    assert not cs.nhs_mod11(_flip("9434765919", index))


def test_nhs_exactly_one_check_digit_unless_remainder_is_ten() -> None:
    rng = random.Random(7)
    for _ in range(200):
        body = "".join(rng.choice("0123456789") for _ in range(9))
        passing = [d for d in "0123456789" if cs.nhs_mod11(body + d)]
        assert len(passing) <= 1
    # 123456789: weights give 11 - (sum mod 11) = 10, a body that is never issued.
    assert not any(cs.nhs_mod11("123456789" + d) for d in "0123456789")


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("0101011237", True),
        ("1503851230", True),
        ("3112990005", True),
        ("0101011238", False),  # check digit
        ("3202991234", False),  # 32 is not a day
        ("3104850000", False),  # 31 April
        ("9434765919", False),  # a valid NHS number but no date
    ],
)
def test_chi(number: str, expected: bool) -> None:
    assert cs.chi_valid(number) is expected


@pytest.mark.parametrize(
    ("nino", "expected"),
    [
        ("AB123456C", True),
        ("ab 12 34 56 c", True),
        ("JG103759A", True),
        ("QQ123456C", False),  # HMRC's example prefix: Q never first
        ("DA123456A", False),  # D never first
        ("AO123456A", False),  # O never second
        ("AV123456A", False),  # V never second
        ("BG123456A", False),  # unallocated prefixes
        ("GB123456A", False),
        ("NK123456A", False),
        ("TN123456A", False),
        ("ZZ123456A", False),
        ("AB123456E", False),  # suffix beyond D
        ("AB12345C", False),
    ],
)
def test_nino(nino: str, expected: bool) -> None:
    assert cs.nino_valid(nino) is expected


@pytest.mark.parametrize(
    ("utr", "expected"),
    [
        ("1955839661", True),
        ("19558 39661", True),
        ("1955839661K", True),
        ("k1955839661", True),
        ("2955839661", False),
        ("1955839662", False),
        ("195583966", False),
    ],
)
def test_utr(utr: str, expected: bool) -> None:
    assert cs.utr_valid(utr) is expected


def test_utr_exactly_one_check_digit_per_body() -> None:
    rng = random.Random(11)
    for _ in range(200):
        body = "".join(rng.choice("0123456789") for _ in range(9))
        assert sum(cs.utr_valid(d + body) for d in "0123456789") == 1


@pytest.mark.parametrize(
    ("licence", "expected"),
    [
        ("MORGA753116SM9IJ", True),
        ("MORGA753116SM9IJ 35", True),
        ("JONES861220J99AB", True),  # single initial padded with 9
        ("SMIT9751011A99CD", True),  # four-letter surname, one initial
        ("SMI9T751011A99CD", False),  # letter after a padding 9
        ("MORGA733116SM9IJ", False),  # month 33
        ("MORGA713116SM9IJ", False),  # month 13
        ("MORGA753006SM9IJ", False),  # day 00
        ("MORGA753116SM9I1", False),
    ],
)
def test_driving_licence(licence: str, expected: bool) -> None:
    assert cs.uk_driving_licence_valid(licence) is expected


@pytest.mark.parametrize(
    ("ppsn", "expected"),
    [
        ("1234567T", True),
        ("1234567FA", True),
        ("1234567TW", True),  # old format: W as second letter counts as nothing
        ("1234567A", False),
        ("1234567TA", False),
        ("123456T", False),
    ],
)
def test_ppsn(ppsn: str, expected: bool) -> None:
    assert cs.ppsn_valid(ppsn) is expected


@pytest.mark.parametrize(
    ("nir", "expected"),
    [
        ("2 55 08 14 168 025 38", True),
        ("184127645108946", True),
        ("1 84 07 2A 123 456 17", True),  # Corsica 2A read as 19
        ("1 84 07 2B 123 456 44", True),  # Corsica 2B read as 18
        ("2 55 08 14 168 025 39", False),
        ("1 84 07 2A 123 456 44", False),  # the 2B key on a 2A number
        ("5 55 08 14 168 025 38", False),  # sex digit 5 is not used
        ("2 55 15 14 168 025 38", False),  # month 15
    ],
)
def test_fr_nir(nir: str, expected: bool) -> None:
    assert cs.fr_nir_valid(nir) is expected


@pytest.mark.parametrize(
    ("tax_id", "expected"),
    [
        ("86095742719", True),
        ("65929970489", True),  # a digit three times, not consecutively
        ("86 095 742 719", True),
        ("86095742718", False),  # check digit
        ("06095742719", False),  # leading zero
        ("12345678903", False),  # no digit repeated
        ("11122345678", False),  # a digit three times in a row / two repeated digits
    ],
)
def test_de_tax_id(tax_id: str, expected: bool) -> None:
    assert cs.de_tax_id_valid(tax_id) is expected


@pytest.mark.parametrize(
    ("value", "check", "expected"),
    [
        ("12345678Z", cs.es_dni_valid, True),
        ("12345678-Z", cs.es_dni_valid, True),
        ("12345678A", cs.es_dni_valid, False),
        ("00000000T", cs.es_dni_valid, False),
        ("X1234567L", cs.es_nie_valid, True),
        ("Y1234567X", cs.es_nie_valid, True),
        ("Z1234567R", cs.es_nie_valid, True),
        ("X1234567X", cs.es_nie_valid, False),
        ("W1234567L", cs.es_nie_valid, False),
    ],
)
def test_spanish_numbers(value: str, check, expected: bool) -> None:
    assert check(value) is expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("RSSMRA85T10A562S", True),
        ("rssmra85t10a562s", True),
        ("RSSMRA85T10A562T", False),  # check letter
        ("RSSMRA85Z10A562S", False),  # Z is not a month letter
        ("RSSMRA85T99A562S", False),  # day 99
        ("RSSMRA85T10A56", False),
    ],
)
def test_codice_fiscale(code: str, expected: bool) -> None:
    assert cs.it_codice_fiscale_valid(code) is expected


def test_codice_fiscale_omocodia_still_checks() -> None:
    # Omocodia replaces digits from the right with L-V; the check letter is recomputed.
    body = "RSSMRA85T10A56N"  # the final 2 of the municipality code written as N
    valid = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if cs.it_codice_fiscale_valid(body + c)]
    assert len(valid) == 1


@pytest.mark.parametrize(
    ("bsn", "expected"),
    [
        ("111222333", True),
        ("123456782", True),
        ("1234.56.782", True),
        ("123456789", False),
        ("000000000", False),
        ("12345678", False),  # read as 012345678, which fails
    ],
)
def test_bsn(bsn: str, expected: bool) -> None:
    assert cs.nl_bsn_valid(bsn) is expected


@pytest.mark.parametrize(
    ("ssn", "expected"),
    [
        ("536-22-1234", True),
        ("001-01-0001", True),
        ("899 99 9999", True),
        ("000-22-1234", False),
        ("666-22-1234", False),
        ("900-22-1234", False),
        ("536-00-1234", False),
        ("536-22-0000", False),
        ("078-05-1120", False),  # the Woolworth wallet number
        ("123-45-6789", False),
    ],
)
def test_ssn(ssn: str, expected: bool) -> None:
    assert cs.ssn_valid(ssn) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("010101", True), ("290200", True), ("290201", False), ("310485", False), ("001285", False)],
)
def test_plausible_ddmmyy(text: str, expected: bool) -> None:
    assert cs.plausible_ddmmyy(text) is expected
