"""Issue 18 item 4: one entity registry (configs/entities.yaml ``identifiers``) that code reads."""
from __future__ import annotations

import pytest

from detectors.entities import EntityTaxonomy, entity_facts, unique_ids
from detectors.recognizers import _compact, _normalise_words, normaliser
from scanner.analysis import UNIQUE_IDS

# The lists the code kept before the registry: reading the YAML must give the same answers.
BEFORE_UNIQUE = {"EMAIL_ADDRESS", "PHONE_NUMBER", "UK_NHS", "UK_CHI", "UK_NINO", "UK_UTR", "UK_PASSPORT",
                 "UK_DRIVING_LICENCE", "IBAN_CODE", "CREDIT_CARD", "US_SSN", "IE_PPSN", "FR_NIR", "DE_TAX_ID",
                 "ES_NIF", "ES_NIE", "IT_FISCAL_CODE", "NL_BSN", "UK_BANK_ACCOUNT", "US_ITIN", "IN_PAN",
                 "IN_AADHAAR"}
BEFORE_COMPACT = {"UK_NHS", "UK_CHI", "UK_NINO", "UK_PASSPORT", "IBAN_CODE", "CREDIT_CARD", "US_SSN", "IE_PPSN",
                  "FR_NIR", "DE_TAX_ID", "ES_NIF", "ES_NIE", "IT_FISCAL_CODE", "NL_BSN", "US_ITIN", "IN_PAN",
                  "IN_AADHAAR", "REFERENCE_NUMBER"}


def test_unique_ids_come_from_the_registry():
    assert unique_ids() == BEFORE_UNIQUE | {"FI_HETU", "CA_SIN"} and UNIQUE_IDS == unique_ids()


def test_every_registry_entity_is_canonical_and_countries_are_iso_codes():
    canonical = EntityTaxonomy.load().canonical
    assert set(entity_facts()) <= canonical
    assert {f.country for f in entity_facts().values()} - {None} == {"GB", "US", "IE", "FR", "DE", "ES", "IT", "NL",
                                                                    "IN", "FI", "CA"}


@pytest.mark.parametrize("entity", sorted(BEFORE_COMPACT))
def test_compact_normaliser_is_read_from_the_registry(entity):
    assert entity_facts()[entity].normaliser == "compact"
    assert normaliser(entity) is _compact
    assert normaliser(entity)(" ab 12-34 ") == _compact(" ab 12-34 ") != _normalise_words(" ab 12-34 ")


def test_entities_without_a_normaliser_compare_as_words():
    assert normaliser("USERNAME") is _normalise_words and normaliser("ZZ_UNKNOWN") is _normalise_words


def test_a_person_written_surname_first_normalises_as_written_given_name_first():
    person = normaliser("PERSON")
    assert person("Okonkwo-Hale,  Grace") == person("Grace  Okonkwo-Hale") == "grace okonkwo-hale"
    assert person("Ó Briain, Zoë Áine") == person("Zoë Áine Ó Briain")
    assert person("Smith, Jones, Brown") == "smith, jones, brown"       # a list, not one name: as words
    assert person("Flat 2, 14 Oak Road") == "flat 2, 14 oak road"        # digits: no name


TOY_MODULE = '''
from detectors.recognizers import ValidatedPatternRecognizer


class ToyIdRecognizer(ValidatedPatternRecognizer):
    """A made-up national ID: TOY- and six digits whose sum is a multiple of 7."""

    ENTITY = "ZZ_TOY_ID"
    PATTERNS = (("toy", r"\\bTOY-\\d{6}\\b", 0.6),)
    CONTEXT = ("toy number",)

    def validate_result(self, pattern_text: str) -> bool:
        return sum(int(c) for c in pattern_text[4:]) % 7 == 0
'''


@pytest.fixture
def toy_registry(tmp_path, monkeypatch):
    """A temp recogniser module plus one YAML entry naming it: nothing else is edited."""
    import sys

    from detectors import entities

    (tmp_path / "toy_national_id.py").write_text(TOY_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    real = entities._load_yaml

    def with_toy():
        data = real()
        data["identifiers"] = {**data["identifiers"], "ZZ_TOY_ID": {
            "unique": True, "normaliser": "compact", "country": "ZZ", "recognizer": "toy_national_id:ToyIdRecognizer"}}
        return data

    monkeypatch.setattr(entities, "_load_yaml", with_toy)
    entities.entity_facts.cache_clear()
    yield
    entities.entity_facts.cache_clear()
    sys.modules.pop("toy_national_id", None)


def test_a_national_id_is_one_recogniser_module_plus_one_yaml_entry(toy_registry):
    from detectors.engine import Detector, DetectorSettings

    assert "ZZ_TOY_ID" in unique_ids() and "ZZ_TOY_ID" in EntityTaxonomy.load().canonical
    assert normaliser("ZZ_TOY_ID")(" toy-700000 ") == "TOY700000"
    detector = Detector(DetectorSettings(use_hyperscan=False))
    found = detector.analyze("Her toy number is TOY-700000, not TOY-700001.", ner=False)
    assert [(d.entity, d.text) for d in found if d.entity == "ZZ_TOY_ID"] == [("ZZ_TOY_ID", "TOY-700000")]


def test_without_the_yaml_entry_the_toy_id_is_not_known():
    assert "ZZ_TOY_ID" not in unique_ids() and "ZZ_TOY_ID" not in entity_facts()


def test_finnish_hetu_added_as_one_module_plus_one_yaml_entry():
    """The real example: detectors/recognizers/finland.py and identifiers.FI_HETU, no other edit."""
    from detectors.engine import Detector, DetectorSettings
    from detectors.recognizers.finland import hetu_valid

    assert hetu_valid("131052-308T") and not hetu_valid("131052-308U") and not hetu_valid("310252-308T")
    assert entity_facts()["FI_HETU"].country == "FI" and "FI_HETU" in EntityTaxonomy.load().canonical
    detector = Detector(DetectorSettings(use_hyperscan=False))
    text = "Henkilötunnus: 131052-308T.\n\nWrong check: henkilötunnus 131052-308U.\n\nOrder 131052-308T shipped."
    assert [(d.entity, d.start) for d in detector.analyze(text, ner=False) if d.entity == "FI_HETU"] == [
        ("FI_HETU", 15)]


def test_special_categories_are_one_list_read_by_detectors_and_policy():
    from detectors.entities import special_categories
    from detectors.special import CATEGORIES
    from scanner.policy.config import SPECIAL_CATEGORIES

    assert CATEGORIES == SPECIAL_CATEGORIES == special_categories() == (
        "health", "ethnic_origin", "religion", "political_opinion", "trade_union", "sexual_orientation", "sex_life",
        "genetic", "biometric", "criminal_offence")
