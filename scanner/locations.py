"""Where data lives: provider location codes → ISO countries, and countries → transfer status under a jurisdiction.

Everything is loaded from the packaged YAML under ``configs/locations`` and ``configs/jurisdictions`` into frozen
values; nothing is cached at module level, callers load once and pass the result down.
"""
from __future__ import annotations

import dataclasses
import enum
import fnmatch
import re
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from typing import Any, Iterable, Mapping, Sequence

import yaml

from detectors.lexicon import load_packaged_yaml
from scanner.errors import ConfigError
from scanner.model import Container

_COUNTRY = re.compile(r"^[A-Z]{2}$")
PROVIDER_FILES = {"s3": "aws.yaml", "gcs": "gcp.yaml", "azure": "azure.yaml"}
JURISDICTIONS = ("uk", "eu")
ONPREM_PROVIDERS = ("file", "smb")


class TransferStatus(str, enum.Enum):
    DOMESTIC = "domestic"
    ADEQUATE = "adequate"
    PARTIAL = "partial"
    UNKNOWN = "unknown"
    NOT_ADEQUATE = "not_adequate"

    @property
    def rank(self) -> int:
        """Higher is worse; multi-country storage takes the worst."""
        return list(TransferStatus).index(self)


# ---------------------------------------------------------------------------------------------------------------
# YAML helpers


def read_config_yaml(*parts: str) -> tuple[Any, str]:
    """Read packaged YAML under ``configs/``; return (data, display name)."""
    name = "configs/" + "/".join(parts)
    resource = files("configs").joinpath(*parts)
    try:
        text = resource.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{name}: file not found") from None
    try:
        return load_packaged_yaml(text), name
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: invalid YAML: {exc}") from None


def _mapping(value: Any, src: str, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{src}: {key}: must be a mapping")
    return value


def _country(value: Any, src: str, key: str) -> str:
    if not isinstance(value, str) or not _COUNTRY.match(value):
        raise ConfigError(f"{src}: {key}: must be an ISO 3166-1 alpha-2 code in upper case, got {value!r}")
    if value in ("UK", "EL"):
        raise ConfigError(f"{src}: {key}: {value} is not an ISO 3166-1 code (use {'GB' if value == 'UK' else 'GR'})")
    return value


def _date(value: Any, src: str, key: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(f"{src}: {key}: must be a date YYYY-MM-DD, got {value!r}")


def _reject_unknown(raw: Mapping[str, Any], allowed: Iterable[str], src: str, key: str) -> None:
    allowed = set(allowed)
    for k in raw:
        if k not in allowed:
            where = f"{key}.{k}" if key else str(k)
            raise ConfigError(f"{src}: {where}: unknown key (known: {', '.join(sorted(allowed))})")


# ---------------------------------------------------------------------------------------------------------------
# Location maps


@dataclass(frozen=True)
class ProviderLocations:
    provider: str
    as_of: date
    source_name: str
    regions: Mapping[str, str]                      # normalised code → country
    multi: Mapping[str, tuple[str, ...]] = field(default_factory=dict)      # GCS multi-regions
    dual: Mapping[str, tuple[str, ...]] = field(default_factory=dict)       # GCS predefined dual-regions → regions
    configurable: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # GCS configurable dual-region codes
    aliases: Mapping[str, str] = field(default_factory=dict)
    unknown: Mapping[str, str] = field(default_factory=dict)                # code → why it has no country


@dataclass(frozen=True)
class LocationMaps:
    providers: Mapping[str, ProviderLocations]

    def for_provider(self, provider: str) -> ProviderLocations | None:
        return self.providers.get(provider)


def _norm(provider: str, code: str) -> str:
    code = code.strip()
    if provider == "gcs":
        return code.upper()
    if provider == "azure":
        return code.replace(" ", "").lower()
    return code.lower() if provider == "s3" and code != "EU" else code


def _parse_provider(raw: Any, src: str, provider: str) -> ProviderLocations:
    raw = _mapping(raw, src, "(top level)")
    _reject_unknown(raw, {"provider", "as_of", "sources", "aliases", "regions", "unknown", "multi_regions",
                          "dual_regions", "configurable_dual_regions"}, src, "")
    if raw.get("provider") != provider:
        raise ConfigError(f"{src}: provider: must be {provider!r}, got {raw.get('provider')!r}")
    sources = _mapping(raw.get("sources", {}), src, "sources")
    regions: dict[str, str] = {}
    for code, entry in _mapping(raw.get("regions"), src, "regions").items():
        key = f"regions.{code}"
        entry = _mapping(entry, src, key)
        _reject_unknown(entry, {"country", "name", "source", "note"}, src, key)
        if "source" in entry and entry["source"] not in sources:
            raise ConfigError(f"{src}: {key}.source: {entry['source']!r} is not in sources")
        regions[_norm(provider, str(code))] = _country(entry.get("country"), src, f"{key}.country")

    def region_list(value: Any, key: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise ConfigError(f"{src}: {key}: must be a non-empty list of region codes")
        out = []
        for i, r in enumerate(value):
            code = _norm(provider, str(r))
            if code not in regions:
                raise ConfigError(f"{src}: {key}[{i}]: {r!r} is not a region in this file")
            out.append(code)
        return tuple(out)

    multi: dict[str, tuple[str, ...]] = {}
    for code, entry in _mapping(raw.get("multi_regions", {}), src, "multi_regions").items():
        key = f"multi_regions.{code}"
        entry = _mapping(entry, src, key)
        _reject_unknown(entry, {"countries", "name", "uncertain"}, src, key)
        countries = entry.get("countries")
        if not isinstance(countries, list) or not countries:
            raise ConfigError(f"{src}: {key}.countries: must be a non-empty list")
        multi[_norm(provider, code)] = tuple(_country(c, src, f"{key}.countries[{i}]") for i, c in enumerate(countries))
    dual = {}
    for code, entry in _mapping(raw.get("dual_regions", {}), src, "dual_regions").items():
        entry = _mapping(entry, src, f"dual_regions.{code}")
        _reject_unknown(entry, {"regions"}, src, f"dual_regions.{code}")
        dual[_norm(provider, code)] = region_list(entry.get("regions"), f"dual_regions.{code}.regions")
    configurable = {}
    for code, entry in _mapping(raw.get("configurable_dual_regions", {}), src, "configurable_dual_regions").items():
        key = f"configurable_dual_regions.{code}"
        entry = _mapping(entry, src, key)
        _reject_unknown(entry, {"regions"}, src, key)
        configurable[_norm(provider, code)] = region_list(entry.get("regions"), f"{key}.regions")
    aliases = {}
    for alias, target in _mapping(raw.get("aliases", {}), src, "aliases").items():
        if _norm(provider, str(target)) not in regions:
            raise ConfigError(f"{src}: aliases.{alias}: {target!r} is not a region in this file")
        aliases[str(alias)] = _norm(provider, str(target))
    unknown = {_norm(provider, str(k)): str(v) for k, v in _mapping(raw.get("unknown", {}), src, "unknown").items()}
    return ProviderLocations(provider=provider, as_of=_date(raw.get("as_of"), src, "as_of"), source_name=src,
                             regions=regions, multi=multi, dual=dual, configurable=configurable, aliases=aliases,
                             unknown=unknown)


def load_location_maps() -> LocationMaps:
    """Load and validate ``configs/locations/{aws,gcp,azure}.yaml``."""
    providers = {}
    for provider, filename in PROVIDER_FILES.items():
        raw, src = read_config_yaml("locations", filename)
        providers[provider] = _parse_provider(raw, src, provider)
    return LocationMaps(providers=providers)


# ---------------------------------------------------------------------------------------------------------------
# On-premises mapping (from the user's config)


@dataclass(frozen=True)
class OnPremRule:
    """``match`` is a glob tried against the container URI, its host and its path; first match wins."""

    match: str
    country: str


def onprem_country(container: Container, rules: Sequence[OnPremRule]) -> str | None:
    candidates = [container.uri]
    for key in ("host", "path"):
        value = container.facts.get(key)
        if isinstance(value, str):
            candidates.append(value)
    if container.location:
        candidates.append(container.location)
    for rule in rules:
        if any(fnmatch.fnmatchcase(c, rule.match) for c in candidates):
            return rule.country
    return None


# ---------------------------------------------------------------------------------------------------------------
# Countries for a container


def _gcs_region(code: str, loc: ProviderLocations) -> str | None:
    if code in loc.regions:
        return code
    zone = re.sub(r"-[A-Z]$", "", code)   # US-CENTRAL1-A → US-CENTRAL1
    return zone if zone in loc.regions else None


def _gcs_countries(code: str, location_type: str | None, facts: Mapping[str, Any],
                   loc: ProviderLocations) -> tuple[str, ...]:
    data_locations = facts.get("data_locations")
    if data_locations:
        regions = [_gcs_region(_norm("gcs", str(r)), loc) for r in data_locations]
        known = [r for r in regions if r is not None]
        if len(known) < len(regions):
            return ()     # one unknown region makes the whole placement unknown
        return tuple(sorted({loc.regions[r] for r in known}))
    lt = (location_type or "").lower()
    if lt == "dual-region" and code in loc.configurable:
        # configurable dual-region without its dataLocations: every country it could use
        return tuple(sorted({loc.regions[r] for r in loc.configurable[code]}))
    if code in loc.dual:
        return tuple(sorted({loc.regions[r] for r in loc.dual[code]}))
    if code in loc.multi:
        return tuple(sorted(set(loc.multi[code])))
    region = _gcs_region(code, loc)
    return (loc.regions[region],) if region else ()


def countries_for(provider: str, location: str | None, location_type: str | None = None,
                  facts: Mapping[str, Any] | None = None, *, maps: LocationMaps,
                  onprem: Sequence[OnPremRule] = (), uri: str = "") -> tuple[str, ...]:
    """ISO countries a container may store data in; () when unknown."""
    facts = facts or {}
    if provider in ONPREM_PROVIDERS:
        country = onprem_country(Container(uri=uri, provider=provider, location=location, facts=facts), onprem)
        return (country,) if country else ()
    loc = maps.for_provider(provider)
    if loc is None or (not location and not facts.get("data_locations")):
        return ()
    code = _norm(provider, location or "")
    if provider == "gcs":
        return _gcs_countries(code, location_type, facts, loc)
    code = loc.aliases.get(location or "", code)
    country = loc.regions.get(code)
    return (country,) if country else ()


def enrich(container: Container, maps: LocationMaps, onprem: Sequence[OnPremRule] = ()) -> Container:
    """The container with ``countries`` filled in (never mutated)."""
    countries = countries_for(container.provider, container.location, container.location_type, container.facts,
                              maps=maps, onprem=onprem, uri=container.uri)
    return dataclasses.replace(container, countries=countries)


# ---------------------------------------------------------------------------------------------------------------
# Jurisdictions


@dataclass(frozen=True)
class Condition:
    id: str
    text: str
    requires: tuple[str, ...]
    assumed: bool


@dataclass(frozen=True)
class AdequacyEntry:
    code: str
    name: str
    status: str                      # adequate | partial
    scope: str
    adopted: date
    instrument: str
    source: tuple[str, ...]
    condition: Condition | None = None
    valid_until: date | None = None
    uncertain: str | None = None
    caveat: str | None = None          # shown with the basis: a known risk to the decision (litigation, review)


@dataclass(frozen=True)
class Jurisdiction:
    id: str
    name: str
    as_of: date
    source_name: str
    home: frozenset[str]
    entries: Mapping[str, AdequacyEntry]
    safeguards: tuple[str, ...]      # Art 46 mechanisms that count here
    conditions: Mapping[str, Condition]


KNOWN_PROVIDER_FLAGS = frozenset({"dpf_certified", "dpf_uk_extension", "pipeda_subject", "appi_subject",
                                  "pipa_subject", "lgpd_subject"})
MECHANISMS = ("SCCs", "IDTA", "Addendum", "BCRs")
_ENTRY_KEYS = {"code", "name", "status", "scope", "condition", "adopted", "in_force", "instrument", "source",
               "valid_until", "uncertain", "verify_at", "note", "caveat"}


def _parse_jurisdiction(raw: Any, src: str, expected_id: str) -> Jurisdiction:
    raw = _mapping(raw, src, "(top level)")
    _reject_unknown(raw, {"id", "name", "as_of", "compiled", "home", "safeguards", "notes", "sources", "instruments",
                          "conditions", "entries"}, src, "")
    if raw.get("id") != expected_id:
        raise ConfigError(f"{src}: id: must be {expected_id!r}, got {raw.get('id')!r}")
    sources = _mapping(raw.get("sources"), src, "sources")
    instruments = _mapping(raw.get("instruments", {}), src, "instruments")
    home = frozenset(_country(c, src, f"home[{i}]") for i, c in enumerate(raw.get("home") or []))
    if not home:
        raise ConfigError(f"{src}: home: must list at least one country")
    safeguards = tuple(raw.get("safeguards") or ())
    for i, m in enumerate(safeguards):
        if m not in MECHANISMS:
            raise ConfigError(f"{src}: safeguards[{i}]: {m!r} is not one of {', '.join(MECHANISMS)}")
    conditions = {}
    for cid, c in _mapping(raw.get("conditions", {}), src, "conditions").items():
        key = f"conditions.{cid}"
        c = _mapping(c, src, key)
        _reject_unknown(c, {"text", "requires", "assumed"}, src, key)
        requires = tuple(c.get("requires") or ())
        for i, flag in enumerate(requires):
            if flag not in KNOWN_PROVIDER_FLAGS:
                raise ConfigError(f"{src}: {key}.requires[{i}]: unknown provider setting {flag!r}")
        if not requires or not isinstance(c.get("assumed"), bool) or not isinstance(c.get("text"), str):
            raise ConfigError(f"{src}: {key}: needs text, a non-empty requires list and assumed: true|false")
        conditions[cid] = Condition(id=cid, text=c["text"], requires=requires, assumed=c["assumed"])
    entries: dict[str, AdequacyEntry] = {}
    raw_entries = raw.get("entries")
    if not isinstance(raw_entries, list):
        raise ConfigError(f"{src}: entries: must be a list")
    for i, e in enumerate(raw_entries):
        key = f"entries[{i}]"
        e = _mapping(e, src, key)
        _reject_unknown(e, _ENTRY_KEYS, src, key)
        code = _country(e.get("code"), src, f"{key}.code")
        if code in entries or code in home:
            raise ConfigError(f"{src}: {key}.code: {code} is listed twice (or is a home country)")
        status = e.get("status")
        if status not in ("adequate", "partial"):
            raise ConfigError(f"{src}: {key}.status: must be adequate or partial, got {status!r}")
        condition = None
        if status == "partial":
            if e.get("condition") not in conditions:
                raise ConfigError(f"{src}: {key}.condition: a partial entry needs a condition from `conditions`")
            condition = conditions[e["condition"]]
        elif "condition" in e:
            raise ConfigError(f"{src}: {key}.condition: only partial entries have a condition")
        src_list = e.get("source")
        if not isinstance(src_list, list) or not src_list:
            raise ConfigError(f"{src}: {key}.source: must be a non-empty list")
        for j, s in enumerate(src_list):
            if s not in sources and not str(s).startswith("http"):
                raise ConfigError(f"{src}: {key}.source[{j}]: {s!r} is neither in sources nor a URL")
        for field_name in ("name", "scope", "instrument"):
            if not isinstance(e.get(field_name), str) or not e[field_name].strip():
                raise ConfigError(f"{src}: {key}.{field_name}: must be a non-empty string")
        instrument = str(instruments.get(e["instrument"], e["instrument"]))
        entries[code] = AdequacyEntry(
            code=code, name=e["name"], status=status, scope=e["scope"],
            adopted=_date(e.get("adopted"), src, f"{key}.adopted"), instrument=instrument,
            source=tuple(str(s) for s in src_list), condition=condition,
            valid_until=_date(e["valid_until"], src, f"{key}.valid_until") if "valid_until" in e else None,
            uncertain=e.get("uncertain"), caveat=str(e["caveat"]) if e.get("caveat") else None)
    return Jurisdiction(id=expected_id, name=str(raw.get("name")), as_of=_date(raw.get("as_of"), src, "as_of"),
                        source_name=src, home=home, entries=entries, safeguards=safeguards, conditions=conditions)


def load_jurisdiction(name: str) -> Jurisdiction:
    """Load ``configs/jurisdictions/<name>.yaml`` (uk | eu)."""
    if name not in JURISDICTIONS:
        raise ConfigError(f"--jurisdiction: unknown jurisdiction {name!r} (known: {', '.join(JURISDICTIONS)})")
    raw, src = read_config_yaml("jurisdictions", f"{name}.yaml")
    return _parse_jurisdiction(raw, src, name)


# ---------------------------------------------------------------------------------------------------------------
# Transfer status


@dataclass(frozen=True)
class CountryTransfer:
    country: str
    status: TransferStatus
    basis: str
    condition: str | None = None          # text of the condition for a partial entry
    condition_met: bool | None = None     # partial only: whether the provider settings meet it


@dataclass(frozen=True)
class Transfer:
    """Transfer status of one container: the worst over every country it may use."""

    status: TransferStatus
    basis: str
    countries: tuple[CountryTransfer, ...] = ()
    condition: str | None = None
    condition_met: bool | None = None
    safeguards: tuple[str, ...] = ()      # Art 46 mechanisms on record that cover it (filled by the policy engine)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status.value, "basis": self.basis, "condition": self.condition,
                "condition_met": self.condition_met, "safeguards": list(self.safeguards),
                "countries": {c.country: c.status.value for c in self.countries}}


def _condition_met(cond: Condition, flags: Mapping[str, bool]) -> bool:
    return all(flags.get(flag, cond.assumed) for flag in cond.requires)


def country_transfer(country: str, jurisdiction: Jurisdiction, flags: Mapping[str, bool] | None = None,
                     on: date | None = None) -> CountryTransfer:
    """Status of storing data in one country, seen from ``jurisdiction``. ``flags`` are the provider's settings."""
    flags = flags or {}
    if country in jurisdiction.home:
        return CountryTransfer(country, TransferStatus.DOMESTIC, f"{country} is within {jurisdiction.name}")
    entry = jurisdiction.entries.get(country)
    if entry is not None and on is not None and entry.valid_until is not None and on > entry.valid_until:
        return CountryTransfer(country, TransferStatus.NOT_ADEQUATE,
                               f"adequacy for {entry.name} expired on {entry.valid_until.isoformat()}")
    if entry is None:
        return CountryTransfer(country, TransferStatus.NOT_ADEQUATE,
                               f"{country} has no adequacy decision under {jurisdiction.name} "
                               f"(list as of {jurisdiction.as_of.isoformat()})")
    basis = f"{entry.name}: {entry.instrument} (adopted {entry.adopted.isoformat()})"
    tail = f"; caveat: {entry.caveat}" if entry.caveat else ""
    if entry.condition is None:
        return CountryTransfer(country, TransferStatus.ADEQUATE, basis + tail)
    met = _condition_met(entry.condition, flags)
    if entry.condition.assumed and met:
        # NOTE: sector-limited decisions (PIPEDA, APPI, PIPA, LGPD) cover commercial cloud providers' local entities;
        # reported as adequate with the assumption spelt out rather than as a condition nobody can act on.
        return CountryTransfer(country, TransferStatus.ADEQUATE,
                               f"{basis}; assumes {entry.condition.text}{tail}")
    return CountryTransfer(country, TransferStatus.PARTIAL, f"{basis}; only where {entry.condition.text}{tail}",
                           condition=entry.condition.text, condition_met=met)


def transfer_status(countries: Sequence[str], jurisdiction: Jurisdiction, flags: Mapping[str, bool] | None = None,
                    on: date | None = None, unknown_basis: str = "storage country unknown") -> Transfer:
    """Status for a set of countries: the worst outcome wins (multi-region storage may use any of them)."""
    if not countries:
        return Transfer(TransferStatus.UNKNOWN, unknown_basis)
    per = tuple(country_transfer(c, jurisdiction, flags, on) for c in sorted(set(countries)))

    def badness(ct: CountryTransfer) -> tuple[int, int]:
        return (ct.status.rank, 1 if ct.condition_met is False else 0)

    worst = max(per, key=badness)
    partials = [c for c in per if c.status is TransferStatus.PARTIAL]
    condition = "; ".join(sorted({c.condition for c in partials if c.condition})) or None
    met = all(c.condition_met for c in partials) if partials else None
    basis = worst.basis if len(per) == 1 else f"worst of {', '.join(c.country for c in per)}: {worst.basis}"
    return Transfer(worst.status, basis, per, condition, met)


# ---------------------------------------------------------------------------------------------------------------
# Staleness


def stale_warning(name: str, as_of: date, max_age_days: int, today: date) -> str | None:
    """A warning when a dated list is older than ``max_age_days``."""
    age = (today - as_of).days
    if age > max_age_days:
        return (f"{name} is {age} days old (as of {as_of.isoformat()}, limit {max_age_days} days): adequacy decisions "
                f"and cloud regions change; check the sources and update it")
    return None


def stale_warnings(jurisdiction: Jurisdiction, maps: LocationMaps | None, max_age_days: int,
                   today: date) -> tuple[str, ...]:
    out = [stale_warning(jurisdiction.source_name, jurisdiction.as_of, max_age_days, today)]
    if maps is not None:
        out += [stale_warning(p.source_name, p.as_of, max_age_days, today) for p in maps.providers.values()]
    for entry in jurisdiction.entries.values():
        if entry.valid_until is not None and 0 <= (entry.valid_until - today).days <= 180:
            out.append(f"{jurisdiction.source_name}: adequacy for {entry.name} ends on {entry.valid_until.isoformat()}")
    return tuple(w for w in out if w)
