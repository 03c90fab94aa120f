"""UK identifiers: NHS and CHI numbers, NINO, UTR, passport, driving licence, bank account and
postcode."""

from __future__ import annotations

from detectors import checksums
from detectors.recognizers import (
    NUM_END,
    NUM_START,
    WORD_END,
    WORD_START,
    ValidatedPatternRecognizer,
)

_BASE_NEGATIVE = ValidatedPatternRecognizer.negative_context
_NOT_HEALTH = ("phone", "tel", "telephone", "mobile", "fax", "call", "invoice", "order")


class UkNhsRecognizer(ValidatedPatternRecognizer):
    """NHS number written 3-3-4 with spaces or dashes (England, Wales, Isle of Man, NI)."""

    ENTITY = "UK_NHS"
    PATTERNS = (("nhs_grouped", NUM_START + r"\d{3}[ \-]\d{3}[ \-]\d{4}" + NUM_END, 0.6),)
    CONTEXT = ("nhs", "nhs number", "nhs no", "patient", "hospital", "gp", "health")
    negative_context = _BASE_NEGATIVE + _NOT_HEALTH

    def validate_result(self, pattern_text: str) -> bool:
        digits = checksums.compact(pattern_text)
        # NOTE: numbers opening with a DDMMYY date are Scottish CHI numbers (UK_CHI); the NHS
        # England/Wales/NI ranges (3xx from 320, 4xx, 6xx, 7xx, 999 for tests) never do.
        return checksums.nhs_mod11(digits) and not checksums.plausible_ddmmyy(digits[:6])


class UkNhsBareRecognizer(UkNhsRecognizer):
    """NHS number as ten bare digits: one in eleven random 10-digit numbers passes, so context."""

    PATTERNS = (("nhs_bare", NUM_START + r"\d{10}" + NUM_END, 0.5),)
    requires_context = True


class UkChiRecognizer(ValidatedPatternRecognizer):
    """Scottish Community Health Index number: DDMMYY + four digits, modulus 11."""

    ENTITY = "UK_CHI"
    PATTERNS = (("chi", NUM_START + r"\d{6}[ \-]?\d{4}" + NUM_END, 0.5),)
    CONTEXT = ("chi", "chi number", "chi no", "community health index", "nhs", "patient")
    negative_context = _BASE_NEGATIVE + _NOT_HEALTH
    requires_context = True

    def validate_result(self, pattern_text: str) -> bool:
        return checksums.chi_valid(pattern_text)


class UkNinoRecognizer(ValidatedPatternRecognizer):
    """National Insurance number: two prefix letters, six digits, suffix A-D (HMRC rules)."""

    ENTITY = "UK_NINO"
    PATTERNS = (
        (
            "nino",
            WORD_START
            + r"(?i:[a-z]{2}[ \-]?\d{2}[ \-]?\d{2}[ \-]?\d{2}[ \-]?[a-d])"
            + WORD_END,
            0.65,
        ),
    )
    CONTEXT = ("national insurance", "ni number", "ni no", "nino", "nat ins", "insurance number")

    def validate_result(self, pattern_text: str) -> bool:
        return checksums.nino_valid(pattern_text)


class UkUtrRecognizer(ValidatedPatternRecognizer):
    """Unique Taxpayer Reference: ten digits (optional K), the first checking the rest."""

    ENTITY = "UK_UTR"
    PATTERNS = (
        ("utr", NUM_START + r"(?:[Kk] ?)?\d{5} ?\d{5}(?: ?[Kk])?" + NUM_END, 0.5),
    )
    CONTEXT = (
        "utr", "unique taxpayer reference", "taxpayer reference", "tax reference", "tax ref",
        "self assessment", "hmrc", "corporation tax",
    )
    requires_context = True

    def validate_result(self, pattern_text: str) -> bool:
        return checksums.utr_valid(pattern_text)


class UkPassportRecognizer(ValidatedPatternRecognizer):
    """UK passport number: nine digits, reported only beside a passport label."""

    ENTITY = "UK_PASSPORT"
    PATTERNS = (("passport", NUM_START + r"\d{9}" + NUM_END, 0.5),)
    CONTEXT = ("passport", "passport number", "passport no", "travel document")
    requires_context = True

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if len(set(pattern_text)) > 1 else False


class UkDrivingLicenceRecognizer(ValidatedPatternRecognizer):
    """DVLA driving licence number (16 characters, optional two-digit issue number)."""

    ENTITY = "UK_DRIVING_LICENCE"
    PATTERNS = (
        (
            "dvla",
            WORD_START + r"[A-Z9]{5}\d[0156]\d[0-3]\d\d[A-Z9]{2}\d[A-Z]{2}(?: ?\d{2})?" + WORD_END,
            0.75,
        ),
    )
    CONTEXT = (
        "driving licence", "driving license", "driver", "licence number", "licence no", "dvla",
    )

    def validate_result(self, pattern_text: str) -> bool:
        return checksums.uk_driving_licence_valid(pattern_text)


_SORT_CODE = r"\d{2}[ \-]\d{2}[ \-]\d{2}"
_ACCOUNT_LABEL = r"(?:(?i:a/c|acc(?:oun)?t|account)(?: ?(?i:no\.?|number|num))?[:#.]?[ \t]{0,3})?"
_BANK_CONTEXT = (
    "sort code", "account number", "account no", "acc no", "a/c", "acct", "bank account",
    "bank details", "bacs", "payee", "standing order", "direct debit",
)
_NOT_BANK = (
    "invoice", "order", "ref", "reference", "customer", "membership", "tel", "phone", "mobile",
)


class UkBankAccountRecognizer(ValidatedPatternRecognizer):
    """A sort code followed by an eight-digit account number ("12-34-56 12345678")."""

    ENTITY = "UK_BANK_ACCOUNT"
    PATTERNS = (
        (
            "sort_code_and_account",
            NUM_START + _SORT_CODE + r"[ \t,;:/|]{1,3}" + _ACCOUNT_LABEL + r"\d{8}" + NUM_END,
            0.6,
        ),
    )
    CONTEXT = _BANK_CONTEXT
    negative_context = _BASE_NEGATIVE + _NOT_BANK

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = "".join(c for c in pattern_text if c.isdigit())
        sort_code, account = digits[:6], digits[6:]
        if int(sort_code) == 0 or len(set(account)) == 1:
            return False
        return None


class UkBankAccountNumberRecognizer(ValidatedPatternRecognizer):
    """An eight-digit account number on its own: only beside a bank label."""

    ENTITY = "UK_BANK_ACCOUNT"
    PATTERNS = (("account_number", NUM_START + r"\d{8}" + NUM_END, 0.4),)
    CONTEXT = _BANK_CONTEXT
    negative_context = _BASE_NEGATIVE + _NOT_BANK
    requires_context = True

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if len(set(pattern_text)) > 1 else False


# Royal Mail postcode areas (Postcode Address File; ONS "Postcode areas"), plus GIR 0AA.
POSTCODE_AREAS = frozenset(
    "AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT "
    "DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA "
    "LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE "
    "SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV "
    "YO ZE".split()
)


class UkPostcodeRecognizer(ValidatedPatternRecognizer):
    """A full UK postcode (outward and inward code) in a real postcode area, as a LOCATION."""

    ENTITY = "LOCATION"
    PATTERNS = (
        (
            "uk_postcode",
            WORD_START + r"(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}" + WORD_END,
            0.6,
        ),
    )
    CONTEXT = ("postcode", "post code", "address", "road", "street", "lane", "avenue", "close")

    def validate_result(self, pattern_text: str) -> bool:
        outward = pattern_text.replace(" ", "")[:-3]
        if outward == "GIR":
            return pattern_text.replace(" ", "") == "GIR0AA"
        return _leading_letters(outward) in POSTCODE_AREAS


def _leading_letters(text: str) -> str:
    end = 0
    while end < len(text) and text[end].isalpha():
        end += 1
    return text[:end]


def recognizers() -> list[ValidatedPatternRecognizer]:
    """One of each UK recogniser."""
    return [
        UkNhsRecognizer(),
        UkNhsBareRecognizer(),
        UkChiRecognizer(),
        UkNinoRecognizer(),
        UkUtrRecognizer(),
        UkPassportRecognizer(),
        UkDrivingLicenceRecognizer(),
        UkBankAccountRecognizer(),
        UkBankAccountNumberRecognizer(),
        UkPostcodeRecognizer(),
    ]
