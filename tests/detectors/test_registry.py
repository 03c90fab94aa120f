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
    assert unique_ids() == BEFORE_UNIQUE and UNIQUE_IDS == BEFORE_UNIQUE


def test_every_registry_entity_is_canonical_and_countries_are_iso_codes():
    canonical = EntityTaxonomy.load().canonical
    assert set(entity_facts()) <= canonical
    assert {f.country for f in entity_facts().values()} - {None} == {"GB", "US", "IE", "FR", "DE", "ES", "IT", "NL",
                                                                    "IN"}


@pytest.mark.parametrize("entity", sorted(BEFORE_COMPACT))
def test_compact_normaliser_is_read_from_the_registry(entity):
    assert entity_facts()[entity].normaliser == "compact"
    assert normaliser(entity) is _compact
    assert normaliser(entity)(" ab 12-34 ") == _compact(" ab 12-34 ") != _normalise_words(" ab 12-34 ")


def test_entities_without_a_normaliser_compare_as_words():
    assert normaliser("PERSON") is _normalise_words and normaliser("USERNAME") is _normalise_words
