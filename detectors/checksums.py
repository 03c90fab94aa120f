"""Pure check-digit and format-rule functions for the identifiers we detect.

Every function takes the candidate text, tolerates the separators people type (spaces, dashes,
dots) and returns a bool; none of them raises on bad input. Each docstring cites the algorithm's
reference. Nothing here knows about regexes, Presidio or the scanner.
"""

from __future__ import annotations

import datetime as _dt
import re

_SEPARATORS = re.compile(r"[\s\-.]")


def compact(text: str) -> str:
    """Remove spaces, dashes and dots and upper-case: the shape every check below works on."""
    return _SEPARATORS.sub("", text).upper()


def _digits(text: str, length: int) -> str | None:
    value = compact(text)
    if len(value) != length or not value.isdigit():
        return None
    return value


# --------------------------------------------------------------------------- payment cards


def luhn(number: str) -> bool:
    """Luhn mod-10 check (ISO/IEC 7812-1 annex B; US patent 2,950,048).

    From the rightmost digit, double every second digit (subtracting 9 when the result exceeds
    9); the total must be a multiple of 10.
    """
    value = compact(number)
    if not value.isdigit() or len(value) < 2:
        return False
    total = 0
    for position, char in enumerate(reversed(value)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


# (issuer, (low, high) prefix range compared on the same number of leading digits, lengths).
# Reference: ISO/IEC 7812 IIN assignments as published by the schemes (Visa, Mastercard
# "2-series" 2221-2720, American Express, Discover/UnionPay, JCB, Diners, Maestro, Mir).
_CARD_RANGES: tuple[tuple[str, int, int, tuple[int, ...]], ...] = (
    ("visa", 4, 4, (13, 16, 19)),
    ("mastercard", 51, 55, (16,)),
    ("mastercard", 2221, 2720, (16,)),
    ("amex", 34, 34, (15,)),
    ("amex", 37, 37, (15,)),
    ("diners", 300, 305, (14, 15, 16, 17, 18, 19)),
    ("diners", 36, 36, (14, 15, 16, 17, 18, 19)),
    ("diners", 38, 39, (14, 15, 16, 17, 18, 19)),
    ("discover", 6011, 6011, (16, 17, 18, 19)),
    ("discover", 644, 649, (16, 17, 18, 19)),
    ("discover", 65, 65, (16, 17, 18, 19)),
    ("unionpay", 62, 62, (16, 17, 18, 19)),
    ("jcb", 3528, 3589, (16, 17, 18, 19)),
    ("jcb", 1800, 1800, (15,)),             # JCB's older 15-digit numbers, still accepted by card processors
    ("jcb", 2131, 2131, (15,)),
    ("maestro", 50, 50, (12, 13, 14, 15, 16, 17, 18, 19)),
    ("maestro", 56, 58, (12, 13, 14, 15, 16, 17, 18, 19)),
    ("maestro", 63, 63, (12, 13, 14, 15, 16, 17, 18, 19)),
    ("maestro", 67, 67, (12, 13, 14, 15, 16, 17, 18, 19)),
    ("mir", 2200, 2204, (16, 17, 18, 19)),
)


def card_issuer(number: str) -> str | None:
    """The card scheme whose IIN range and length fit ``number``, or None (ISO/IEC 7812)."""
    value = compact(number)
    if not value.isdigit():
        return None
    for issuer, low, high, lengths in _CARD_RANGES:
        prefix = int(value[: len(str(low))])
        if low <= prefix <= high and len(value) in lengths:
            return issuer
    return None


def card_valid(number: str) -> bool:
    """A payment card number: a known issuer range and length, Luhn, and not one repeated digit."""
    value = compact(number)
    return (
        card_issuer(value) is not None
        and luhn(value)
        and len(set(value)) > 1
    )


# --------------------------------------------------------------------------- IBAN

# Total IBAN length per country, from the SWIFT IBAN Registry (ISO 13616), release 98 (2024):
# https://www.swift.com/standards/data-standards/iban-international-bank-account-number
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
    "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}


def mod97(text: str) -> int:
    """ISO 7064 MOD 97-10 remainder of an alphanumeric string (letters A=10 … Z=35)."""
    return int("".join(str(int(char, 36)) for char in text)) % 97


def iban_valid(iban: str) -> bool:
    """IBAN check (ISO 13616-1:2020 §6; check digits per ISO 7064 MOD 97-10).

    The country must be in the IBAN registry with exactly its registered length; moving the first
    four characters to the end, the number must leave remainder 1 modulo 97.
    """
    value = compact(iban)
    country = value[:2]
    if IBAN_LENGTHS.get(country) != len(value):
        return False
    if not (value[:2].isalpha() and value[2:4].isdigit() and value.isalnum() and value.isascii()):
        return False
    return mod97(value[4:] + value[:4]) == 1


# --------------------------------------------------------------------------- UK


def _mod11_check_digit(body: str) -> int | None:
    """NHS-style weighted modulus 11 check digit; None where the remainder gives 10 (unused)."""
    total = sum(int(d) * w for d, w in zip(body, range(len(body) + 1, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_mod11(number: str) -> bool:
    """NHS number check digit (NHS Data Dictionary, "NHS Number"; modulus 11).

    Weights 10 to 2 on the first nine digits; check = 11 − (sum mod 11), 11 becomes 0 and 10
    means the number is never issued.
    """
    value = _digits(number, 10)
    if value is None:
        return False
    return _mod11_check_digit(value[:9]) == int(value[9])


def plausible_ddmmyy(text: str) -> bool:
    """True if six digits DDMMYY name a real calendar day in some century (29 Feb: YY % 4 == 0)."""
    if len(text) != 6 or not text.isdigit():
        return False
    day, month, year = int(text[:2]), int(text[2:4]), int(text[4:])
    # NOTE: year 2000 is a leap year and stands in for any YY divisible by 4.
    full_year = 2000 + year if year % 4 == 0 else 2001
    try:
        _dt.date(full_year, month, day)
    except ValueError:
        return False
    return True


def chi_valid(number: str) -> bool:
    """Scottish CHI number (NHS Scotland Community Health Index; ISD Scotland data dictionary).

    Ten digits: date of birth DDMMYY, two serial digits, a sex digit and a modulus 11 check digit
    computed as for the NHS number.
    """
    value = _digits(number, 10)
    if value is None or not plausible_ddmmyy(value[:6]):
        return False
    return _mod11_check_digit(value[:9]) == int(value[9])


_NINO_BAD_FIRST = frozenset("DFIQUV")
_NINO_BAD_SECOND = frozenset("DFIOQUV")
_NINO_UNALLOCATED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_NINO_SHAPE = re.compile(r"[A-Z]{2}\d{6}[A-D]")


def nino_valid(nino: str) -> bool:
    """UK National Insurance number format (HMRC National Insurance Manual NIM39110).

    Two prefix letters, six digits, suffix A–D. The first letter is never D, F, I, Q, U or V; the
    second never D, F, I, O, Q, U or V; the prefixes BG, GB, KN, NK, NT, TN and ZZ are not
    allocated. There is no check digit.
    """
    value = compact(nino)
    if not _NINO_SHAPE.fullmatch(value):
        return False
    return (
        value[0] not in _NINO_BAD_FIRST
        and value[1] not in _NINO_BAD_SECOND
        and value[:2] not in _NINO_UNALLOCATED
    )


_UTR_WEIGHTS = (6, 7, 8, 9, 10, 5, 4, 3, 2)
_UTR_CHECK = "21987654321"  # check digit by (sum mod 11): 11 − r, with 11 → 2 and 10 → 1


def utr_valid(utr: str) -> bool:
    """UK Unique Taxpayer Reference check digit (HMRC; OECD "UK-TIN" sheet).

    Ten digits, optionally with a leading or trailing K. The first digit is the check digit:
    weights 6, 7, 8, 9, 10, 5, 4, 3, 2 on digits 2–10; r = sum mod 11; check = 11 − r where 11
    becomes 2 and 10 becomes 1.
    """
    value = compact(utr).strip("K")
    if len(value) != 10 or not value.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(value[1:], _UTR_WEIGHTS, strict=True))
    return _UTR_CHECK[total % 11] == value[0]


_DL_SHAPE = re.compile(r"([A-Z9]{5})(\d)(\d{2})(\d{2})(\d)([A-Z9]{2})(\d)([A-Z]{2})(\d{2})?")


def uk_driving_licence_valid(number: str) -> bool:
    """DVLA (Great Britain) driving licence number format (DVLA, "Driving licence numbers").

    16 characters: five of the surname padded with 9s, the decade digit of the year of birth,
    month of birth (plus 50 for women), day of birth, the year digit, two initials padded with
    9, an arbitrary digit and two check letters; an optional two-digit issue number may follow.
    Padding 9s only ever follow letters.
    """
    match = _DL_SHAPE.fullmatch(compact(number))
    if not match:
        return False
    surname, _, month_text, day_text, _, initials = match.groups()[:6]
    if not re.fullmatch(r"[A-Z]+9*", surname) or not re.fullmatch(r"[A-Z][A-Z9]", initials):
        return False
    month, day = int(month_text), int(day_text)
    if month > 50:
        month -= 50
    return 1 <= month <= 12 and 1 <= day <= 31


# --------------------------------------------------------------------------- EU


def _ppsn_letter(value: int) -> str:
    return "WABCDEFGHIJKLMNOPQRSTUV"[value % 23]


def ppsn_valid(ppsn: str) -> bool:
    """Irish Personal Public Service Number (Revenue/DSP; modulus 23 check character).

    Seven digits, a check letter and optionally a second letter. Weights 8 to 2 on the digits,
    plus 9 × the second letter's value (A=1 … I=9, W or absent = 0); the check letter is
    "WABCDEFGHIJKLMNOPQRSTUV"[sum mod 23].
    """
    value = compact(ppsn)
    match = re.fullmatch(r"(\d{7})([A-W])([A-IW]?)", value)
    if not match:
        return False
    digits, check, second = match.groups()
    total = sum(int(d) * w for d, w in zip(digits, range(8, 1, -1), strict=True))
    if second and second != "W":
        total += 9 * (ord(second) - ord("A") + 1)
    return _ppsn_letter(total) == check


def fr_nir_valid(nir: str) -> bool:
    """French social security number, NIR (INSEE; key = 97 − (first 13 digits mod 97)).

    Sex (1, 2; 3, 4, 7, 8 for provisional numbers), year, month (01–12, or 20 and 30–42, 50–99 when
    unknown), department (two digits, or 2A/2B for Corsica, read as 19/18 for the key), commune,
    order number and a two-digit key.
    """
    value = compact(nir)
    match = re.fullmatch(r"([1-478])(\d{2})(\d{2})(\d{2}|2A|2B)(\d{3})(\d{3})(\d{2})", value)
    if not match:
        return False
    sex, year, month, dept, commune, order, key = match.groups()
    month_number = int(month)
    if month_number == 0 or 13 <= month_number <= 19 or 43 <= month_number <= 49:
        return False
    if dept == "00" or commune == "000" or order == "000":
        return False
    dept_digits = {"2A": "19", "2B": "18"}.get(dept, dept)
    body = int(sex + year + month + dept_digits + commune + order)
    return 97 - body % 97 == int(key)


def de_tax_id_valid(tax_id: str) -> bool:
    """German tax identification number, Steuer-IdNr (§139b AO; BZSt; ISO 7064 MOD 11,10).

    Eleven digits, the first not 0. In the first ten digits exactly one digit occurs twice or
    three times (three never consecutively) and every other digit at most once. The eleventh is
    the ISO 7064 MOD 11,10 check digit.
    """
    value = _digits(tax_id, 11)
    if value is None or value[0] == "0":
        return False
    body = value[:10]
    counts = [body.count(d) for d in set(body)]
    repeated = [c for c in counts if c > 1]
    if len(repeated) != 1 or repeated[0] > 3:
        return False
    if repeated[0] == 3 and re.search(r"(\d)\1\1", body):
        return False
    product = 10
    for char in body:
        total = (int(char) + product) % 10 or 10
        product = (total * 2) % 11
    check = 11 - product
    return (0 if check == 10 else check) == int(value[10])


_ES_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def es_dni_valid(dni: str) -> bool:
    """Spanish DNI/NIF for nationals (Real Decreto 1553/2005; Ministerio del Interior).

    Eight digits and a letter, the letter being "TRWAGMYFPDXBNJZSQVHLCKE"[number mod 23].
    """
    value = compact(dni)
    match = re.fullmatch(r"(\d{8})([A-Z])", value)
    if not match or match.group(1) == "00000000":
        return False
    return _ES_LETTERS[int(match.group(1)) % 23] == match.group(2)


def es_nie_valid(nie: str) -> bool:
    """Spanish foreigner's number, NIE (Orden INT/2058/2008): X/Y/Z read as 0/1/2, then as a DNI."""
    value = compact(nie)
    match = re.fullmatch(r"([XYZ])(\d{7})([A-Z])", value)
    if not match:
        return False
    number = int(str("XYZ".index(match.group(1))) + match.group(2))
    return _ES_LETTERS[number % 23] == match.group(3)


# Odd-position values for codice fiscale characters (DM 23/12/1976, Allegato; 1-based odd).
_CF_ODD = dict(
    zip(
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        (1, 0, 5, 7, 9, 13, 15, 17, 19, 21,
         1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25,
         24, 23), strict=True,
    )
)
_CF_OMOCODE = "LMNPQRSTUV"  # letters that replace digits 0–9 in "omocodia" codes
_CF_SHAPE = re.compile(
    r"[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]"
)


def it_codice_fiscale_valid(code: str) -> bool:
    """Italian codice fiscale for people (DM 23 dicembre 1976; Agenzia delle Entrate).

    Sixteen characters: surname and name consonants, year, month letter, day (+40 for women),
    municipality code and a check letter; digits may be replaced by L–V ("omocodia"). Check:
    odd positions through the conversion table, even positions A/0=0 … Z=25, sum mod 26 as A–Z.
    """
    value = compact(code)
    if not _CF_SHAPE.fullmatch(value):
        return False
    day_text = "".join(
        str(_CF_OMOCODE.index(c)) if c in _CF_OMOCODE else c for c in value[9:11]
    )
    day = int(day_text)
    if day > 40:
        day -= 40
    if not 1 <= day <= 31:
        return False
    total = 0
    for index, char in enumerate(value[:15]):
        if index % 2 == 0:
            total += _CF_ODD[char]
        else:
            total += int(char) if char.isdigit() else ord(char) - ord("A")
    return chr(ord("A") + total % 26) == value[15]


def nl_bsn_valid(bsn: str) -> bool:
    """Dutch citizen service number, BSN ("elfproef"; Wet algemene bepalingen BSN, art. 3).

    Nine digits (eight-digit numbers are written with a leading 0): 9·d1 + 8·d2 + … + 2·d8 − d9
    must be a multiple of 11 and the number must not be zero.
    """
    value = compact(bsn)
    if len(value) == 8 and value.isdigit():
        value = "0" + value
    if len(value) != 9 or not value.isdigit() or int(value) == 0:
        return False
    total = sum(int(d) * w for d, w in zip(value[:8], range(9, 1, -1), strict=True)) - int(value[8])
    return total % 11 == 0


# --------------------------------------------------------------------------- US

# Numbers published in advertising and documentation, never issued to anyone (SSA).
_SSN_PUBLISHED = frozenset({"078051120", "219099999", "123456789"})


def ssn_valid(ssn: str) -> bool:
    """US Social Security number format (SSA, "Social Security Number Randomization", 2011).

    Area 001–899 except 666, group 01–99, serial 0001–9999; well-known published sample
    numbers are rejected. There is no check digit.
    """
    value = _digits(ssn, 9)
    if value is None or value in _SSN_PUBLISHED:
        return False
    area, group, serial = int(value[:3]), int(value[3:5]), int(value[5:])
    return 0 < area < 900 and area != 666 and group != 0 and serial != 0


def itin_valid(itin: str) -> bool:
    """US Individual Taxpayer Identification Number (IRS, "General ITIN Information"; Publication 1915).

    Nine digits starting with 9; the group (4th–5th digits) is 50–65, 70–88, 90–92 or 94–99. No check digit.
    """
    value = _digits(itin, 9)
    if value is None or value[0] != "9":
        return False
    group = int(value[3:5])
    return 50 <= group <= 65 or 70 <= group <= 88 or 90 <= group <= 92 or 94 <= group <= 99


# --------------------------------------------------------------------------- India

# Verhoeff's dihedral-group tables (J. Verhoeff, "Error Detecting Decimal Codes", 1969; UIDAI uses it for
# Aadhaar): multiplication in D5, the position permutation, and the inverse.
_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5), (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7), (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3), (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4), (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7), (9, 4, 5, 3, 1, 2, 6, 8, 7, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def verhoeff(number: str) -> bool:
    """Whether a string of digits (separators allowed) ends in a correct Verhoeff check digit."""
    value = compact(number)
    if not value or not value.isdigit():
        return False
    check = 0
    for i, digit in enumerate(reversed(value)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[i % 8][int(digit)]]
    return check == 0


def aadhaar_valid(number: str) -> bool:
    """Indian Aadhaar number (UIDAI): twelve digits, the first 2–9, the last a Verhoeff check digit;
    a number of one repeated digit is rejected."""
    value = _digits(number, 12)
    return value is not None and value[0] not in "01" and len(set(value)) > 1 and verhoeff(value)


_PAN_SHAPE = re.compile(r"[A-Z]{3}[ABCFGHJLPT][A-Z]\d{4}[A-Z]")


def pan_valid(pan: str) -> bool:
    """Indian Permanent Account Number (Income Tax Department, "PAN structure"): five letters, four digits and
    a letter; the fourth letter is the holder's type (P person, C company, H HUF, F firm, A AOP, T trust,
    B BOI, L local authority, J juridical person, G government). The check letter's algorithm is not
    published, so only the structure is checked."""
    value = compact(pan.strip())
    return bool(_PAN_SHAPE.fullmatch(value)) and value[5:9] != "0000"
