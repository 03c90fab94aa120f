"""Where data lives and its transfer status, from container facts only: no object content is read."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, UTC
from typing import Any, Iterable

from scanner.config import Config
from scanner.connectors import open_source
from scanner.connectors.base import ConnectorOptions
from scanner.errors import SourceError
from scanner.locations import Transfer, enrich, load_jurisdiction, load_location_maps
from scanner.model import Container, SourceFailure
from scanner.policy.transfer import container_transfers

SCHEMA = "pii-scan/locations@1"


@dataclass(frozen=True)
class LocationsResult:
    jurisdiction: str
    containers: tuple[Container, ...]
    transfers: dict[str, Transfer]
    failures: tuple[SourceFailure, ...]


def locate(sources: Iterable[str], config: Config, options: ConnectorOptions | None = None,
           today: datetime | None = None) -> LocationsResult:
    settings, policy = config.scan, config.policy
    jurisdiction = load_jurisdiction(settings.jurisdiction)
    maps = load_location_maps()
    found: dict[str, Container] = {}
    failures: list[SourceFailure] = []
    for raw in sources:
        try:
            connector = open_source(raw, options)
        except SourceError as exc:
            failures.append(SourceFailure.of(raw, exc))
            continue
        try:
            for c in connector.containers():
                found.setdefault(c.uri, enrich(c, maps, policy.onprem))
        except SourceError as exc:
            failures.append(SourceFailure.of(raw, exc))
        finally:
            connector.close()
    on = (today or datetime.now(UTC)).date()
    transfers = container_transfers(found, policy, jurisdiction, on)
    return LocationsResult(settings.jurisdiction, tuple(sorted(found.values(), key=lambda c: c.uri)), transfers,
                           tuple(failures))


def locations_document(result: LocationsResult) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "jurisdiction": result.jurisdiction,
        "containers": [
            {"uri": c.uri, "provider": c.provider, "location": c.location, "location_type": c.location_type,
             "countries": list(c.countries), "transfer": result.transfers[c.uri].as_dict(),
             "public": c.public, "encrypted": c.encrypted}
            for c in result.containers
        ],
        "source_failures": [{"source": f.source, "reason": f.reason} for f in result.failures],
    }
