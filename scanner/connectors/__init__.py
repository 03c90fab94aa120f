"""Connector registry: URL scheme → "module:Class", imported on first use with an install hint."""
from __future__ import annotations

import importlib
import os
from urllib.parse import urlsplit

from scanner.connectors.base import Connector, ConnectorOptions, SourceURL
from scanner.errors import MissingDependency, UsageError

# scheme → (module:Class, extra that installs its SDK)
REGISTRY: dict[str, tuple[str, str | None]] = {
    "file": ("scanner.connectors.local:LocalConnector", None),
    "s3": ("scanner.connectors.s3:S3Connector", None),
    "gs": ("scanner.connectors.gcs:GCSConnector", None),
    "az": ("scanner.connectors.azure:AzureConnector", "azure"),
    "smb": ("scanner.connectors.smb:SMBConnector", "smb"),
}


def parse_source(raw: str) -> SourceURL:
    """Parse a source argument; a string with no ``scheme://`` is a local path."""
    if "://" not in raw:
        return SourceURL(raw=raw, scheme="file", path=raw)
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme == "file":
        return SourceURL(raw=raw, scheme="file", path=parts.path or "/")
    return SourceURL(raw=raw, scheme=scheme, netloc=parts.netloc, path=parts.path.lstrip("/"))


def connector_class(scheme: str) -> type[Connector]:
    try:
        target, extra = REGISTRY[scheme]
    except KeyError:
        known = ", ".join(f"{s}://" for s in sorted(REGISTRY))
        raise UsageError(f"unknown source scheme {scheme}:// (known: {known})") from None
    module_name, _, cls_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        hint = f"pip install 'pii-scan[{extra}]'" if extra else "pip install pii-scan"
        raise MissingDependency(f"{scheme}:// needs {exc.name or 'an optional package'}: {hint}") from None
    cls: type[Connector] = getattr(module, cls_name)
    return cls


def open_source(raw: str, options: ConnectorOptions | None = None) -> Connector:
    source = parse_source(raw)
    if source.scheme == "file":
        source = SourceURL(raw=raw, scheme="file", path=os.path.expanduser(source.path))
    return connector_class(source.scheme)(source, options)
