"""Canonical entity names and the mapping from Presidio/spaCy labels onto them (data in configs/)."""
from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any, Mapping

from detectors.lexicon import load_packaged_yaml

_KNOWN = {"identifiers", "special_categories", "canonical", "default_threshold", "thresholds", "scores", "min_count", "columns"}
_OVERRIDABLE = {"thresholds", "scores", "min_count", "phone_regions"}  # phone_regions: recognizers/phones.py


class TaxonomyError(ValueError):
    """configs/entities.yaml or a detection override is malformed (the message names the key)."""


def header_key(header: str) -> str:
    """A column header compared with the configured names: lower case, accents folded ("Prénom" → "prenom"),
    punctuation and spaces as "_"."""
    folded = unicodedata.normalize("NFKD", header.lower())
    return re.sub(r"[^a-z0-9]+", "_", "".join(c for c in folded if not unicodedata.combining(c))).strip("_")


_FACT_KEYS = {"unique", "normaliser", "country", "recognizer", "aliases"}
NER_ENTITIES = ("PERSON", "LOCATION")      # what spaCy NER finds, under the labels their aliases list


@dataclass(frozen=True)
class EntityFacts:
    """One entity's entry in the registry (configs/entities.yaml ``identifiers``)."""

    unique: bool = False                # on its own identifies one person
    normaliser: str = "words"           # how values are compared (see configs/entities.yaml)
    country: str | None = None          # issuing country of a national identifier
    recognizer: str | None = None       # "module:Class" of its recogniser, loaded by default_recognizers()
    aliases: tuple[str, ...] = ()       # other names of it (spaCy labels, Presidio's name, older configs')


def _load_yaml() -> dict[str, Any]:
    text = importlib.resources.files("configs").joinpath("entities.yaml").read_text(encoding="utf-8")
    return dict(load_packaged_yaml(text))


def _registry() -> dict[str, Any]:
    """configs/entities.yaml, parsed; an identifier naming its recogniser is canonical without a second entry."""
    data = _load_yaml()
    named = [e for e, entry in (data.get("identifiers") or {}).items() if "recognizer" in (entry or {})]
    data["canonical"] = [*data["canonical"], *(e for e in named if e not in data["canonical"])]
    return data


@functools.cache
def entity_facts() -> Mapping[str, EntityFacts]:
    """Per canonical entity, its facts from configs/entities.yaml (entities not listed: the defaults)."""
    data = _registry()
    facts: dict[str, EntityFacts] = {}
    claimed: dict[str, str] = {}
    for entity, entry in (data.get("identifiers") or {}).items():
        if entity not in data["canonical"]:
            raise TaxonomyError(f"configs/entities.yaml: identifiers.{entity}: not a canonical entity")
        unknown = set(entry) - _FACT_KEYS
        if unknown:
            raise TaxonomyError(f"configs/entities.yaml: identifiers.{entity}.{sorted(unknown)[0]}: unknown key "
                                f"(known: {', '.join(sorted(_FACT_KEYS))})")
        aliases = tuple(str(a) for a in entry.get("aliases", ()))
        for alias in aliases:
            if alias in data["canonical"] or alias in claimed:
                raise TaxonomyError(f"configs/entities.yaml: identifiers.{entity}.aliases: {alias} already names "
                                    f"{alias if alias in data['canonical'] else claimed[alias]}")
            claimed[alias] = entity
        facts[entity] = EntityFacts(unique=bool(entry.get("unique", False)),
                                    normaliser=str(entry.get("normaliser", "words")), country=entry.get("country"),
                                    recognizer=entry.get("recognizer"), aliases=aliases)
    return facts


@functools.cache
def entity_aliases() -> Mapping[str, str]:
    """Every alias (configs/entities.yaml identifiers.<entity>.aliases) → its entity."""
    return {a: e for e, f in entity_facts().items() for a in f.aliases}


def ner_labels() -> dict[str, str]:
    """spaCy NER's labels for people and places (the aliases of NER_ENTITIES) → the entity."""
    facts = entity_facts()
    return {**{e: e for e in NER_ENTITIES}, **{a: e for e in NER_ENTITIES for a in facts[e].aliases}}


@functools.cache
def special_categories() -> tuple[str, ...]:
    """The special categories of personal data, in report order (configs/entities.yaml special_categories)."""
    return tuple(str(c) for c in _registry()["special_categories"])


def unique_ids() -> frozenset[str]:
    """The entities that on their own identify one person."""
    return frozenset(e for e, f in entity_facts().items() if f.unique)


@dataclass(frozen=True)
class EntityTaxonomy:
    canonical: frozenset[str]
    aliases: Mapping[str, str]          # another name (configs/entities.yaml identifiers.<entity>.aliases) → canonical
    thresholds: Mapping[str, float]     # canonical → minimum score to report
    default_threshold: float
    scores: Mapping[str, float] = field(default_factory=dict)      # canonical → base score override
    min_counts: Mapping[str, int] = field(default_factory=dict)    # canonical → minimum count per object
    columns: Mapping[str, str] = field(default_factory=dict)       # header key → canonical

    def canonical_name(self, label: str) -> str | None:
        """The canonical entity a name (canonical or an alias) stands for; None for an unknown name."""
        if label in self.canonical:
            return label
        return self.aliases.get(label)

    def threshold(self, entity: str) -> float:
        return self.thresholds.get(entity, self.default_threshold)

    def min_count(self, entity: str) -> int:
        return self.min_counts.get(entity, 1)

    def column_entity(self, header: str) -> str | None:
        return self.columns.get(header_key(header))

    @classmethod
    def load(cls, overrides: Mapping[str, Any] | None = None) -> EntityTaxonomy:
        data = _registry()
        unknown = set(data) - _KNOWN
        if unknown:
            raise TaxonomyError(f"configs/entities.yaml: {sorted(unknown)[0]}: unknown key")
        overrides = overrides or {}
        for key in overrides:
            if key not in _OVERRIDABLE:
                raise TaxonomyError(f"detection.{key}: unknown key (known: {', '.join(sorted(_OVERRIDABLE))})")
        canonical = frozenset(data["canonical"])

        def merged(key: str, cast: Callable[[Any], Any]) -> dict[str, Any]:
            out = {}
            for source, part in (("configs/entities.yaml", data.get(key)), ("detection", overrides.get(key))):
                for entity, value in (part or {}).items():
                    if entity not in canonical:
                        raise TaxonomyError(f"{source}: {key}.{entity}: unknown entity")
                    try:
                        out[entity] = cast(value)
                    except (TypeError, ValueError):
                        raise TaxonomyError(f"{source}: {key}.{entity}: not a number") from None
            return out

        columns = {header_key(h): entity for entity, headers in (data.get("columns") or {}).items()
                   for h in headers}
        return cls(
            canonical=canonical,
            aliases=entity_aliases(),
            thresholds=merged("thresholds", float),
            default_threshold=float(data.get("default_threshold", 0.5)),
            scores=merged("scores", float),
            min_counts=merged("min_count", int),
            columns=columns,
        )
