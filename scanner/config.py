"""Configuration: packaged defaults from configs/ merged with the user's YAML, validated once, immutable."""
from __future__ import annotations

import importlib.resources
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

import yaml

from detectors.lexicon import load_packaged_yaml
from scanner.errors import ConfigError


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
    max_line_chars: int = 1_000_000                # a longer "line" is cut into pieces
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
class ScanSettings:
    """What a scan does; built from the packaged defaults, the user's file and CLI options."""

    jurisdiction: str = "uk"
    exclude: tuple[str, ...] = ()
    show_values: bool = False
    full_counts: bool = False
    watch: frozenset[str] = frozenset()   # keyed hashes whose every location is reported (subject --verify)
    examples_per_entity: int = 3
    limits: Limits = field(default_factory=Limits)
    policy: Mapping[str, Any] = field(default_factory=dict)   # raw policy section, parsed by scanner.policy
    detection: Mapping[str, Any] = field(default_factory=dict)
    source_name: str = "configs/default.yaml"


_SCAN_KEYS = {"exclude", "examples_per_entity", "limits", "detection"}


def build_settings(user_path: str | Path | None = None, **overrides: Any) -> ScanSettings:
    """Packaged defaults ← user YAML ← CLI overrides (None values ignored)."""
    defaults = read_packaged_yaml("default.yaml") or {}
    data: dict[str, Any] = dict(defaults.get("scan", {}))
    policy: dict[str, Any] = {}
    source = "configs/default.yaml"
    if user_path is not None:
        user = load_user_yaml(user_path)
        source = str(user_path)
        scan_part = user.pop("scan", {}) or {}
        if not isinstance(scan_part, dict):
            raise ConfigError(f"{source}: scan: must be a mapping")
        for key in scan_part:
            if key not in _SCAN_KEYS:
                raise ConfigError(f"{source}: scan.{key}: unknown key (known: {', '.join(sorted(_SCAN_KEYS))})")
        data.update(scan_part)
        policy = user
    limits = _limits(data.pop("limits", {}) or {}, source)
    exclude = data.pop("exclude", []) or []
    if not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude):
        raise ConfigError(f"{source}: scan.exclude: must be a list of glob strings")
    settings = ScanSettings(
        jurisdiction=str(policy.get("jurisdiction") or defaults.get("jurisdiction", "uk")),
        exclude=tuple(exclude),
        examples_per_entity=_int(data.get("examples_per_entity", 3), source, "scan.examples_per_entity"),
        detection=_detection(data.get("detection", {}), source),
        limits=limits,
        policy=policy,
        source_name=source,
    )
    clean = {k: v for k, v in overrides.items() if v is not None}
    if "exclude" in clean:
        clean["exclude"] = settings.exclude + tuple(clean["exclude"])
    from dataclasses import replace

    return replace(settings, **clean)


def _int(value: Any, source: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{source}: {key}: must be a non-negative integer, got {value!r}")
    return value


def _positive(value: Any, source: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{source}: {key}: must be a positive integer, got {value!r}")
    return value


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
            raise ConfigError(f"{source}: scan.limits.{key}: unknown key")
    # NOTE: every limit bounds something that must be allowed to happen at least once: 0 would silently
    # skip every object ("empty") or read nothing, so non-positive limits are rejected
    return Limits(**{k: _positive(v, source, f"scan.limits.{k}") for k, v in raw.items()})


def _detection(value: Any, source: str) -> Mapping[str, Any]:
    """``scan.detection``: a mapping; ``phone_regions`` checked here so a bad code fails before any I/O."""
    detection = _mapping(value, source, "scan.detection")
    if "phone_regions" in detection:
        from detectors.recognizers.phones import RegionsError, validate_regions

        try:
            validate_regions(detection["phone_regions"], "scan.detection.phone_regions")
        except RegionsError as exc:
            raise ConfigError(f"{source}: {exc}") from None
    return detection
