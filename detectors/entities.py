"""Canonical entity names and the mapping from Presidio/spaCy labels onto them (data in configs/)."""
from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from typing import Mapping

import yaml


@dataclass(frozen=True)
class EntityTaxonomy:
    canonical: frozenset[str]
    aliases: Mapping[str, str]          # foreign label → canonical
    thresholds: Mapping[str, float]     # canonical → minimum score to report
    default_threshold: float

    def canonical_name(self, label: str) -> str | None:
        if label in self.canonical:
            return label
        return self.aliases.get(label)

    def threshold(self, entity: str) -> float:
        return self.thresholds.get(entity, self.default_threshold)

    @classmethod
    def load(cls, overrides: Mapping | None = None) -> "EntityTaxonomy":
        text = importlib.resources.files("configs").joinpath("entities.yaml").read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        thresholds = dict(data.get("thresholds", {}))
        thresholds.update((overrides or {}).get("thresholds", {}) or {})
        return cls(
            canonical=frozenset(data["canonical"]),
            aliases=dict(data.get("aliases", {})),
            thresholds=thresholds,
            default_threshold=float(data.get("default_threshold", 0.5)),
        )
