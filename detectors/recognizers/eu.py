"""EU national numbers whose format can be checked: IE PPSN, FR NIR, DE tax ID, ES DNI/NIE, IT
codice fiscale, NL BSN."""

from __future__ import annotations

from detectors import checksums
from detectors.recognizers import (
    NUM_END,
    NUM_START,
    WORD_END,
    WORD_START,
    ValidatedPatternRecognizer,
)


class IePpsnRecognizer(ValidatedPatternRecognizer):
    """Irish PPS number: seven digits, a modulus 23 check letter, an optional second letter."""

    ENTITY = "IE_PPSN"
    PATTERNS = (("ppsn", NUM_START + r"\d{7} ?(?i:[a-w][a-iw]?)" + WORD_END, 0.5),)
    CONTEXT = ("ppsn", "pps number", "pps no", "pps", "personal public service", "revenue")

    def validate_result(self, pattern_text: str) -> bool:
        return checksums.ppsn_valid(pattern_text)


class FrNirRecognizer(ValidatedPatternRecognizer):
    """French social security number (NIR), 15 characters with a mod 97 key."""

    ENTITY = "FR_NIR"
    PATTERNS = (
        (
            "nir",
            NUM_START
            + r"[1-478] ?\d{2} ?\d{2} ?(?:\d{2}|2[ABab]) ?\d{3} ?\d{3} ?\d{2}"
            + NUM_END,
            0.6,
        ),
    )
    CONTEXT = (
        "nir", "insee", "sécurité sociale", "securite sociale", "sécu", "secu", "carte vitale",
        "social security", "numéro de sécurité sociale",
    )

    def validate_result(self, pattern_text: str) -> bool:
        return checksums.fr_nir_valid(pattern_text)


class DeTaxIdRecognizer(ValidatedPatternRecognizer):
    """German Steuer-IdNr: eleven bare digits, so only beside a tax label."""

    ENTITY = "DE_TAX_ID"
    PATTERNS = (
        ("de_tax_id", NUM_START + r"\d{2} ?\d{3} ?\d{3} ?\d{3}" + NUM_END, 0.5),
    )
    CONTEXT = (
        "steuer-id", "steuerid", "steuer id", "steueridentifikationsnummer",
        "identifikationsnummer",
        "idnr", "steuer-idnr", "steuernummer", "tax id", "tin", "tax identification",
    )
    requires_context = True

    def validate_result(self, pattern_text: str) -> bool:
        return checksums.de_tax_id_valid(pattern_text)


class EsNifRecognizer(ValidatedPatternRecognizer):
    """Spanish DNI/NIF: eight digits and a modulus 23 letter."""

    ENTITY = "ES_NIF"
    PATTERNS = (("dni", NUM_START + r"\d{8}[ \-]?(?i:[a-z])" + WORD_END, 0.7),)
    CONTEXT = ("dni", "nif", "documento nacional de identidad", "documento de identidad")

    def validate_result(self, pattern_text: str) -> bool:
        return checksums.es_dni_valid(pattern_text)


class EsNieRecognizer(ValidatedPatternRecognizer):
    """Spanish NIE: X/Y/Z, seven digits and a modulus 23 letter."""

    ENTITY = "ES_NIE"
    PATTERNS = (
        ("nie", WORD_START + r"(?i:[xyz])[ \-]?\d{7}[ \-]?(?i:[a-z])" + WORD_END, 0.75),
    )
    CONTEXT = ("nie", "número de identidad de extranjero", "extranjero", "residencia")

    def validate_result(self, pattern_text: str) -> bool:
        return checksums.es_nie_valid(pattern_text)


_CF_DIGIT = "[0-9LMNPQRSTUVlmnpqrstuv]"


class ItFiscalCodeRecognizer(ValidatedPatternRecognizer):
    """Italian codice fiscale (16 characters with a check letter; omocodia allowed)."""

    ENTITY = "IT_FISCAL_CODE"
    PATTERNS = (
        (
            "codice_fiscale",
            WORD_START
            + rf"(?i:[a-z]{{6}}{_CF_DIGIT}{{2}}[abcdehlmprst]"
            + rf"{_CF_DIGIT}{{2}}[a-z]{_CF_DIGIT}{{3}}[a-z])"
            + WORD_END,
            0.85,
        ),
    )
    CONTEXT = ("codice fiscale", "cod. fisc", "cf", "fiscal code", "tessera sanitaria")

    def validate_result(self, pattern_text: str) -> bool:
        return checksums.it_codice_fiscale_valid(pattern_text)


class NlBsnRecognizer(ValidatedPatternRecognizer):
    """Dutch BSN: nine digits passing the elfproef, only beside a BSN label."""

    ENTITY = "NL_BSN"
    PATTERNS = (
        ("bsn", NUM_START + r"(?:\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3} \d{3} \d{3})" + NUM_END, 0.5),
    )
    CONTEXT = (
        "bsn", "burgerservicenummer", "sofinummer", "sofi-nummer", "sofi", "citizen service number",
    )
    requires_context = True

    def validate_result(self, pattern_text: str) -> bool:
        return checksums.nl_bsn_valid(pattern_text)


def recognizers() -> list[ValidatedPatternRecognizer]:
    """One of each EU recogniser."""
    return [
        IePpsnRecognizer(),
        FrNirRecognizer(),
        DeTaxIdRecognizer(),
        EsNifRecognizer(),
        EsNieRecognizer(),
        ItFiscalCodeRecognizer(),
        NlBsnRecognizer(),
    ]
