"""The policy section of a user's config → frozen dataclasses. Unknown keys are rejected; errors name file and key."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Mapping

import yaml

from detectors.entities import special_categories
from scanner.errors import ConfigError
from scanner.locations import JURISDICTIONS, KNOWN_PROVIDER_FLAGS, MECHANISMS, OnPremRule
from scanner.model import Severity
from scanner.policy.rules import RULES

SPECIAL_CATEGORIES = special_categories()      # configs/entities.yaml special_categories
PROVIDERS = ("file", "smb", "s3", "gcs", "azure")
NOT_ISO = {"UK": "GB", "EL": "GR"}     # common non-ISO spellings (EU lists use EL for Greece)


@dataclass(frozen=True)
class ProviderSettings:
    flags: Mapping[str, bool] = field(default_factory=dict)   # dpf_certified, dpf_uk_extension, pipeda_subject, …
    checked: date | None = None                               # when the flags were last checked (e.g. on the DPF List)
    note: str | None = None


@dataclass(frozen=True)
class Safeguard:
    """An Art 46 transfer mechanism on record; applies where every given selector matches."""

    mechanism: str                   # SCCs | IDTA | Addendum | BCRs
    reference: str
    provider: str | None = None
    location: str | None = None      # glob on the provider's location code
    container: str | None = None     # glob on the container URI


@dataclass(frozen=True)
class Purpose:
    match: tuple[str, ...]           # globs on object or container URI
    purpose: str
    entities: tuple[str, ...] | None = None       # None: any entity type
    special_categories: tuple[str, ...] = ()
    children: bool = False
    payment: bool = False


@dataclass(frozen=True)
class RetentionRule:
    match: tuple[str, ...]
    applies_to: tuple[str, ...]      # entity names, special categories, "children" or "*"
    days: int
    note: str | None = None


@dataclass(frozen=True)
class Suppression:
    rule: str                        # rule id or glob (retention.*)
    target: str                      # glob on the violation target
    reason: str
    expires: date | None = None

    def label(self) -> str:
        return f"{self.rule} on {self.target}"


@dataclass(frozen=True)
class PolicyConfig:
    jurisdiction: str | None = None
    max_list_age_days: int = 365
    large_volume: int = 1000         # subjects at which transfer severity rises one step
    onprem: tuple[OnPremRule, ...] = ()
    providers: Mapping[str, ProviderSettings] = field(default_factory=dict)
    safeguards: tuple[Safeguard, ...] = ()
    purposes: tuple[Purpose, ...] = ()
    retention: tuple[RetentionRule, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    source_name: str = "<defaults>"

    def provider_flags(self, provider: str) -> Mapping[str, bool]:
        settings = self.providers.get(provider)
        return settings.flags if settings else {}

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, source_name: str) -> PolicyConfig:
        return _Parser(source_name).config(data or {})

    @classmethod
    def from_file(cls, path: str | Path) -> PolicyConfig:
        """A user config file; its ``scan:`` section (not policy) is ignored here."""
        src = str(path)
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise ConfigError(f"{src}: cannot read: {exc.strerror}") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"{src}: invalid YAML: {exc}") from None
        if not isinstance(data, Mapping):
            raise ConfigError(f"{src}: (top level): must be a mapping")
        return cls.from_mapping({k: v for k, v in data.items() if k != "scan"}, src)


TOP_KEYS = ("jurisdiction", "max_list_age_days", "large_volume", "onprem", "providers", "safeguards", "purposes",
            "retention", "suppressions", "severities")


class _Parser:
    def __init__(self, src: str):
        self.src = src

    def fail(self, key: str, msg: str) -> ConfigError:
        return ConfigError(f"{self.src}: {key}: {msg}")

    def mapping(self, value: Any, key: str, allowed: tuple[str, ...] | None = None) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(key, "must be a mapping")
        if allowed is not None:
            for k in value:
                if k not in allowed:
                    raise self.fail(f"{key}.{k}" if key else str(k), f"unknown key (known: {', '.join(allowed)})")
        return value

    def items(self, value: Any, key: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, "must be a list")
        return value

    def string(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a non-empty string, got {value!r}")
        return value

    def optional_string(self, value: Any, key: str) -> str | None:
        return None if value is None else self.string(value, key)

    def globs(self, value: Any, key: str) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            raise self.fail(key, "must be a glob or a non-empty list of globs")
        return tuple(self.string(v, f"{key}[{i}]") for i, v in enumerate(value))

    def integer(self, value: Any, key: str, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(key, f"must be an integer >= {minimum}, got {value!r}")
        return value

    def boolean(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {value!r}")
        return value

    def day(self, value: Any, key: str) -> date | None:
        if value is None:
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(key, f"must be a date YYYY-MM-DD, got {value!r}") from None

    def choice(self, value: Any, key: str, options: tuple[str, ...]) -> str:
        if value not in options:
            raise self.fail(key, f"must be one of {', '.join(options)}, got {value!r}")
        return str(value)

    # -- sections ---------------------------------------------------------------------------------------------

    def config(self, data: Any) -> PolicyConfig:
        data = self.mapping(data, "", TOP_KEYS)
        jurisdiction = data.get("jurisdiction")
        if jurisdiction is not None:
            self.choice(jurisdiction, "jurisdiction", JURISDICTIONS)
        return PolicyConfig(
            jurisdiction=jurisdiction,
            max_list_age_days=self.integer(data.get("max_list_age_days", 365), "max_list_age_days", 1),
            large_volume=self.integer(data.get("large_volume", 1000), "large_volume", 1),
            onprem=tuple(self.onprem(v, f"onprem[{i}]") for i, v in enumerate(self.items(data.get("onprem"), "onprem"))),
            providers=self.providers(data.get("providers") or {}),
            safeguards=tuple(self.safeguard(v, f"safeguards[{i}]")
                             for i, v in enumerate(self.items(data.get("safeguards"), "safeguards"))),
            purposes=tuple(self.purpose(v, f"purposes[{i}]")
                           for i, v in enumerate(self.items(data.get("purposes"), "purposes"))),
            retention=tuple(self.retention(v, f"retention[{i}]")
                            for i, v in enumerate(self.items(data.get("retention"), "retention"))),
            suppressions=tuple(self.suppression(v, f"suppressions[{i}]")
                               for i, v in enumerate(self.items(data.get("suppressions"), "suppressions"))),
            severities=self.severities(data.get("severities") or {}),
            source_name=self.src,
        )

    def onprem(self, raw: Any, key: str) -> OnPremRule:
        raw = self.mapping(raw, key, ("match", "country"))
        country = raw.get("country")
        if not isinstance(country, str) or len(country) != 2 or not country.isalpha() or not country.isupper():
            raise self.fail(f"{key}.country", f"must be an ISO 3166-1 alpha-2 code such as GB, got {country!r}")
        if country in NOT_ISO:
            raise self.fail(f"{key}.country", f"{country} is not an ISO 3166-1 code: use {NOT_ISO[country]}")
        return OnPremRule(match=self.string(raw.get("match"), f"{key}.match"), country=country)

    def providers(self, raw: Any) -> Mapping[str, ProviderSettings]:
        raw = self.mapping(raw, "providers", PROVIDERS)
        out = {}
        for name, settings in raw.items():
            key = f"providers.{name}"
            settings = self.mapping(settings, key, tuple(sorted(KNOWN_PROVIDER_FLAGS)) + ("checked", "note"))
            flags = {k: self.boolean(v, f"{key}.{k}") for k, v in settings.items() if k in KNOWN_PROVIDER_FLAGS}
            out[name] = ProviderSettings(flags=flags, checked=self.day(settings.get("checked"), f"{key}.checked"),
                                         note=self.optional_string(settings.get("note"), f"{key}.note"))
        return out

    def safeguard(self, raw: Any, key: str) -> Safeguard:
        raw = self.mapping(raw, key, ("mechanism", "reference", "provider", "location", "container"))
        provider = raw.get("provider")
        if provider is not None:
            self.choice(provider, f"{key}.provider", PROVIDERS)
        if not any(raw.get(k) for k in ("provider", "location", "container")):
            raise self.fail(key, "needs at least one of provider, location, container (what it covers)")
        return Safeguard(
            mechanism=self.choice(raw.get("mechanism"), f"{key}.mechanism", MECHANISMS),
            reference=self.string(raw.get("reference"), f"{key}.reference"),
            provider=provider,
            location=self.optional_string(raw.get("location"), f"{key}.location"),
            container=self.optional_string(raw.get("container"), f"{key}.container"))

    def purpose(self, raw: Any, key: str) -> Purpose:
        raw = self.mapping(raw, key, ("match", "purpose", "entities", "special_categories", "children", "payment"))
        entities = raw.get("entities", "*")
        if entities == "*":
            ents = None
        else:
            ents = tuple(self.string(e, f"{key}.entities[{i}]") for i, e in enumerate(self.items(entities, f"{key}.entities")))
        special = tuple(self.choice(c, f"{key}.special_categories[{i}]", SPECIAL_CATEGORIES)
                        for i, c in enumerate(self.items(raw.get("special_categories"), f"{key}.special_categories")))
        return Purpose(match=self.globs(raw.get("match"), f"{key}.match"),
                       purpose=self.string(raw.get("purpose"), f"{key}.purpose"),
                       entities=ents,
                       special_categories=special,
                       children=self.boolean(raw.get("children", False), f"{key}.children"),
                       payment=self.boolean(raw.get("payment", False), f"{key}.payment"))

    def retention(self, raw: Any, key: str) -> RetentionRule:
        raw = self.mapping(raw, key, ("match", "applies_to", "days", "note"))
        applies = raw.get("applies_to", ["*"])
        return RetentionRule(match=self.globs(raw.get("match", "*"), f"{key}.match"),
                             applies_to=self.globs(applies, f"{key}.applies_to"),
                             days=self.integer(raw.get("days"), f"{key}.days", 1),
                             note=self.optional_string(raw.get("note"), f"{key}.note"))

    def suppression(self, raw: Any, key: str) -> Suppression:
        raw = self.mapping(raw, key, ("rule", "target", "reason", "expires"))
        rule = self.string(raw.get("rule"), f"{key}.rule")
        if not any(ch in rule for ch in "*?[") and rule not in RULES:
            raise self.fail(f"{key}.rule", f"unknown rule {rule!r} (known: {', '.join(sorted(RULES))})")
        return Suppression(rule=rule,
                           target=self.string(raw.get("target", "*"), f"{key}.target"),
                           reason=self.string(raw.get("reason"), f"{key}.reason"),
                           expires=self.day(raw.get("expires"), f"{key}.expires"))

    def severities(self, raw: Any) -> Mapping[str, Severity]:
        raw = self.mapping(raw, "severities")
        out = {}
        levels = tuple(s.value for s in Severity)
        for rule, level in raw.items():
            if rule not in RULES:
                raise self.fail(f"severities.{rule}", f"unknown rule id (known: {', '.join(sorted(RULES))})")
            out[rule] = Severity(self.choice(level, f"severities.{rule}", levels))
        return out
