"""Issue 18 item 4: one entity registry. configs/entities.yaml gives each entity its aliases (spaCy's labels,
Presidio's name where it differs, names older configs used); a config may name an entity by an alias and gets
the canonical name, spaCy NER's labels are read from the same entries, and an alias cannot name two things."""
from __future__ import annotations

import pytest

from detectors import entities
from detectors.entities import TaxonomyError, entity_facts, ner_labels
from scanner.config import load_config
from scanner.errors import ConfigError


def test_config_entity_names_may_be_aliases_and_are_read_as_canonical(tmp_path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("scan:\n  detection:\n    thresholds: {NHS: 0.9, GPE: 0.7}\n    min_count: {PER: 2}\n"
                   "purposes:\n  - {match: '*', purpose: hr, entities: [PERSON, FI_PERSONAL_IDENTITY_CODE]}\n"
                   "retention:\n  - {match: '*', applies_to: [NHS, health, children], days: 30}\n"
                   "allowlist:\n  entities: [nhs]\n")
    config = load_config(cfg)
    assert dict(config.scan.detection.thresholds) == {"UK_NHS": 0.9, "LOCATION": 0.7}
    assert dict(config.scan.detection.min_count) == {"PERSON": 2}
    assert config.policy.purposes[0].entities == ("PERSON", "FI_HETU")
    assert config.policy.retention[0].applies_to == ("UK_NHS", "health", "children")
    assert config.allowlist.entities == frozenset({"UK_NHS"})


def test_an_entity_given_twice_through_an_alias_is_an_error(tmp_path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("scan:\n  detection:\n    thresholds: {LOCATION: 0.9, GPE: 0.7}\n")
    with pytest.raises(ConfigError, match=r"scan.detection.thresholds.GPE: LOCATION is given twice"):
        load_config(cfg)


def test_ner_labels_come_from_the_registry() -> None:
    labels = ner_labels()
    assert {label for label, e in labels.items() if e == "LOCATION"} == {"LOCATION", *entity_facts()["LOCATION"].aliases}
    assert labels["PER"] == "PERSON" and "NHS" not in labels           # only people and places are NER's


def test_an_alias_naming_two_entities_is_refused(monkeypatch) -> None:
    real = entities._load_yaml()
    broken = {**real, "identifiers": {**real["identifiers"], "UK_CHI": {"unique": True, "aliases": ["NHS"]}}}
    monkeypatch.setattr(entities, "_load_yaml", lambda: broken)
    entity_facts.cache_clear()
    try:
        with pytest.raises(TaxonomyError, match="aliases: NHS already names UK_NHS"):
            entity_facts()
    finally:
        entity_facts.cache_clear()


def test_subject_id_kinds_may_be_aliases() -> None:
    from scanner.errors import UsageError
    from scanner.subject import parse_ids

    assert parse_ids(["nhs=943 476 5919", "FI_PERSONAL_IDENTITY_CODE=131052-308T", "UK_NHS=401 023 2137"]) == {
        "UK_NHS": ["943 476 5919", "401 023 2137"], "FI_HETU": ["131052-308T"]}
    with pytest.raises(UsageError, match="not an indexed identifier kind"):
        parse_ids(["GPE=Leeds"])                                    # an alias of LOCATION, which is not indexed
