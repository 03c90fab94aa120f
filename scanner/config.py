"""Configuration: packaged defaults from configs/ merged with the user's YAML, validated once, immutable."""
from __future__ import annotations

import importlib.resources
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

from detectors.lexicon import load_packaged_yaml
from scanner.baseline import Allowlist
from scanner.connectors.base import NetworkLimits
from scanner.errors import ConfigError
from scanner.policy.config import SPECIAL_CATEGORIES, TOP_KEYS, PolicyConfig


def read_packaged_yaml(*parts: str) -> Any:
    """Load a YAML file shipped in the ``configs`` package (works for wheels and editable installs)."""
    res = importlib.resources.files("configs").joinpath(*parts)
    name = "configs/" + "/".join(parts)
    try:
        return load_packaged_yaml(res.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{name}: packaged configuration file is missing") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: invalid YAML: {_yaml_line(exc)}") from None


def _yaml_line(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or "syntax error"
    return f"{problem} at line {mark.line + 1}" if mark else str(problem)


def load_user_yaml(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{p}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read config: {exc.__class__.__name__}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{p}: invalid YAML: {_yaml_line(exc)}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: top level must be a mapping")
    return data


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile or huge object from costing unbounded time or memory."""

    max_object_bytes: int = 256 * 1024 * 1024      # read at most this much of one object
    # decoded text handed to detection per object: as many characters as max_object_bytes can hold, so the
    # identifier pass reads every object within max_object_bytes whole (a cut is recorded on the object)
    max_text_chars: int = 256 * 1024 * 1024
    pdf_max_pages: int = 5000                      # PDF pages read (a cut is recorded on the object)
    sniff_bytes: int = 8192
    table_sample_rows: int = 128                   # rows sampled per column (as Macie samples 128 rows)
    table_max_rows: int = 1_000_000
    table_index_rows: int = 20_000                 # rows per column hashed into the subject index (not sampled)
    json_max_depth: int = 64
    archive_max_depth: int = 3
    archive_max_members: int = 10_000
    archive_max_total_bytes: int = 1024 * 1024 * 1024
    archive_max_ratio: int = 200
    object_seconds: int = 300                      # wall-clock budget per top-level object; then "time limit"

    @property
    def table_read_rows(self) -> int:
        """Rows a columnar or SQLite table is read to: the classified sample, and every row up to
        table_index_rows for the subject index (as CSV and spreadsheets are indexed)."""
        return max(self.table_sample_rows, self.table_index_rows)


@dataclass(frozen=True)
class DetectionSettings:
    """The ``scan.detection`` section, validated against the entity taxonomy in the main process; workers build
    their detector from it (``overrides()``), never from raw YAML."""

    thresholds: Mapping[str, float] = field(default_factory=dict)
    scores: Mapping[str, float] = field(default_factory=dict)
    min_count: Mapping[str, int] = field(default_factory=dict)
    phone_regions: tuple[str, ...] | None = None

    def overrides(self) -> dict[str, Any]:
        """The settings as detectors.engine.DetectorSettings takes them: only the keys that were given."""
        out: dict[str, Any] = {k: dict(v) for k, v in (("thresholds", self.thresholds), ("scores", self.scores),
                                                        ("min_count", self.min_count)) if v}
        if self.phone_regions is not None:
            out["phone_regions"] = list(self.phone_regions)
        return out


@dataclass(frozen=True)
class ScanSettings:
    """What a scan does; built from the packaged defaults, the user's file and CLI options."""

    jurisdiction: str = "uk"
    exclude: tuple[str, ...] = ()
    show_values: bool = False
    full_counts: bool = False
    watch: frozenset[str] = frozenset()   # keyed hashes whose every location is reported (subject --verify)
    examples_per_entity: int = 3
    limits: Limits = field(default_factory=Limits)
    network: NetworkLimits | None = None   # scan.network; PII_SCAN_CONNECT_TIMEOUT etc. override it
    detection: DetectionSettings = field(default_factory=DetectionSettings)
    source_name: str = "configs/default.yaml"


@dataclass(frozen=True)
class Config:
    """Everything a run is configured with, parsed and validated once, before anything is listed or read."""

    scan: ScanSettings
    policy: PolicyConfig
    allowlist: Allowlist

    @property
    def detection(self) -> DetectionSettings:
        return self.scan.detection


_SCAN_KEYS = ("detection", "examples_per_entity", "exclude", "limits", "network")
_NETWORK_KEYS = {"connect_timeout": "connect", "read_timeout": "read", "attempts": "attempts"}
_DETECTION_KEYS = ("min_count", "phone_regions", "scores", "thresholds")
_TOP_KEYS = ("allowlist", "scan") + TOP_KEYS


def load_config(user_path: str | Path | None = None, **overrides: Any) -> Config:
    """The one loader: packaged defaults ← the user's YAML ← CLI overrides (None values ignored), every section
    validated (unknown keys, bad values, entity names) so that a bad config fails before any I/O, naming
    ``file: key.path``."""
    defaults = read_packaged_yaml("default.yaml") or {}
    user: dict[str, Any] = {}
    source = "configs/default.yaml"
    if user_path is not None:
        user = load_user_yaml(user_path)
        source = str(user_path)
    for key in user:
        if key not in _TOP_KEYS:
            raise ConfigError(f"{source}: {key}: unknown key (known: {', '.join(sorted(_TOP_KEYS))})")
    scan = _scan(dict(defaults.get("scan", {})), user.pop("scan", {}), source, overrides)
    policy = PolicyConfig.from_mapping({k: v for k, v in user.items() if k != "allowlist"}, source)
    allowlist = Allowlist.from_mapping(user.get("allowlist"), source)
    jurisdiction = overrides.get("jurisdiction") or policy.jurisdiction or defaults.get("jurisdiction", "uk")
    scan = replace(scan, jurisdiction=str(jurisdiction))
    policy, allowlist = _canonical_entity_names(policy, allowlist, source)
    return Config(scan=scan, policy=policy, allowlist=allowlist)


def build_settings(user_path: str | Path | None = None, **overrides: Any) -> ScanSettings:
    """The scan section of ``load_config`` (for callers that need no policy)."""
    return load_config(user_path, **overrides).scan


def _scan(data: dict[str, Any], scan_part: Any, source: str, overrides: Mapping[str, Any]) -> ScanSettings:
    scan_part = _mapping(scan_part, source, "scan")
    for key in scan_part:
        if key not in _SCAN_KEYS:
            raise ConfigError(f"{source}: scan.{key}: unknown key (known: {', '.join(_SCAN_KEYS)})")
    data.update(scan_part)
    exclude = data.pop("exclude", []) or []
    if not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude):
        raise ConfigError(f"{source}: scan.exclude: must be a list of glob strings")
    settings = ScanSettings(
        exclude=tuple(exclude),
        examples_per_entity=_int(data.get("examples_per_entity", 3), source, "scan.examples_per_entity"),
        detection=_detection(data.get("detection", {}), source),
        limits=_limits(data.pop("limits", {}) or {}, source),
        network=_network(data.pop("network", None), source),
        source_name=source,
    )
    clean = {k: v for k, v in overrides.items() if v is not None and k != "jurisdiction"}
    unknown = set(clean) - {f.name for f in fields(ScanSettings)}
    if unknown:
        raise TypeError(f"load_config: unknown override {min(unknown)}")   # a bug, not a user error
    if "exclude" in clean:
        clean["exclude"] = settings.exclude + tuple(clean["exclude"])
    return replace(settings, **clean)


def _int(value: Any, source: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{source}: {key}: must be a non-negative integer, got {value!r}")
    return value


def _positive(value: Any, source: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{source}: {key}: must be a positive integer, got {value!r}")
    return value


def _network(raw: Any, source: str) -> NetworkLimits | None:
    """``scan.network``: connect_timeout and read_timeout (positive seconds), attempts (a positive integer)."""
    if raw is None:
        return None
    raw = _mapping(raw, source, "scan.network")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in _NETWORK_KEYS:
            raise ConfigError(f"{source}: scan.network.{key}: unknown key (known: {', '.join(_NETWORK_KEYS)})")
        if key == "attempts":
            values["attempts"] = _positive(value, source, "scan.network.attempts")
        elif isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(f"{source}: scan.network.{key}: must be a positive number of seconds, got {value!r}")
        else:
            values[_NETWORK_KEYS[key]] = float(value)
    return NetworkLimits(**values)


def _mapping(value: Any, source: str, key: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(f"{source}: {key}: must be a mapping, got {value!r}")
    return dict(value)


def _limits(raw: Mapping[str, Any], source: str) -> Limits:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{source}: scan.limits: must be a mapping")
    known = {f.name for f in fields(Limits)}
    for key in raw:
        if key not in known:
            raise ConfigError(f"{source}: scan.limits.{key}: unknown key (known: {', '.join(sorted(known))})")
    # NOTE: every limit bounds something that must be allowed to happen at least once: 0 would silently
    # skip every object ("empty") or read nothing, so non-positive limits are rejected
    return Limits(**{k: _positive(v, source, f"scan.limits.{k}") for k, v in raw.items()})


def _detection(value: Any, source: str) -> DetectionSettings:
    """``scan.detection``: every key known, every entity in the taxonomy, every number a number, and
    ``phone_regions`` region codes phonenumbers knows (checked here, so a worker never meets a bad value)."""
    from detectors.entities import EntityTaxonomy, TaxonomyError
    from detectors.regions import RegionsError, validate_regions

    detection = _mapping(value, source, "scan.detection")
    for key in detection:
        if key not in _DETECTION_KEYS:
            raise ConfigError(f"{source}: scan.detection.{key}: unknown key (known: {', '.join(_DETECTION_KEYS)})")
    regions = None
    if "phone_regions" in detection:
        try:
            regions = validate_regions(detection["phone_regions"], "scan.detection.phone_regions")
        except RegionsError as exc:
            raise ConfigError(f"{source}: {exc}") from None
    parts = {k: _mapping(detection.get(k), source, f"scan.detection.{k}") for k in ("thresholds", "scores",
                                                                                    "min_count")}
    name = _entity_namer(source)
    for key, part in parts.items():
        cast = _positive if key == "min_count" else _score
        named: dict[str, Any] = {}
        for entity, number in part.items():
            canonical = name(f"scan.detection.{key}.{entity}", str(entity))
            cast(number, source, f"scan.detection.{key}.{entity}")
            if canonical in named:
                raise ConfigError(f"{source}: scan.detection.{key}.{entity}: {canonical} is given twice")
            named[canonical] = number
        parts[key] = named
    try:
        EntityTaxonomy.load({k: v for k, v in parts.items() if v})
    except TaxonomyError as exc:                     # NOTE: not expected after the checks above; still exit 2
        raise ConfigError(f"{source}: scan.{exc}") from None
    return DetectionSettings(thresholds={k: float(v) for k, v in parts["thresholds"].items()},
                             scores={k: float(v) for k, v in parts["scores"].items()},
                             min_count=dict(parts["min_count"]), phone_regions=regions)


def _score(value: Any, source: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ConfigError(f"{source}: {key}: must be a number from 0 to 1, got {value!r}")
    return float(value)


def _entity_namer(source: str) -> Callable[[str, str], str]:
    """``name(key, entity)``: the canonical name of an entity named in a config (an alias from configs/entities.yaml
    is read as its entity); an unknown name (a typo such as EMAIL) is an error naming the key."""
    from detectors.entities import EntityTaxonomy

    taxonomy = EntityTaxonomy.load()

    def name(key: str, entity: str) -> str:
        found = taxonomy.canonical_name(entity)
        if found is None:
            shown = "" if key.endswith(f".{entity}") else f" {entity!r}"      # a key path that names it already
            raise ConfigError(f"{source}: {key}: unknown entity{shown} (known: {', '.join(sorted(taxonomy.canonical))})")
        return found
    return name


def _canonical_entity_names(policy: PolicyConfig, allowlist: Allowlist,
                            source: str) -> tuple[PolicyConfig, Allowlist]:
    """The policy and the allowlist with every entity name canonical (aliases resolved; unknown names an error)."""
    name = _entity_namer(source)
    purposes = tuple(replace(p, entities=tuple(name(f"purposes[{i}].entities[{j}]", e)
                                               for j, e in enumerate(p.entities)))
                     if p.entities is not None else p for i, p in enumerate(policy.purposes))
    retention = tuple(replace(r, applies_to=tuple(
        e if e in ("*", "children") or e in SPECIAL_CATEGORIES else name(f"retention[{i}].applies_to[{j}]", e)
        for j, e in enumerate(r.applies_to))) for i, r in enumerate(policy.retention))
    entities = frozenset(name(f"allowlist.entities[{j}]", e) for j, e in enumerate(sorted(allowlist.entities)))
    return replace(policy, purposes=purposes, retention=retention), replace(allowlist, entities=entities)
