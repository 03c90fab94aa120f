"""`pii-scan locations --check-data`: cloud region names that the installed SDKs know but our tables do not.

A region missing from configs/locations/ maps to "unknown" in every scan; this check tells when the tables have
fallen behind the SDKs (issue 19 item 12). Only lists shipped inside installed packages are read: nothing is
fetched. botocore ships its partitions (every AWS region, by partition); google-cloud-storage and the Azure
storage SDK ship no list of locations, which the check says rather than pretending to have looked.
"""
from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scanner.locations import LocationMaps, ProviderLocations, _norm, load_location_maps


@dataclass(frozen=True)
class SdkCheck:
    provider: str                       # s3 | gcs | azure
    sdk: str                            # "botocore 1.44.8", or the packages looked at
    known: int | None                   # names the SDK lists (None: it ships no list)
    missing: tuple[str, ...] = ()       # names the SDK lists that our tables do not
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"provider": self.provider, "sdk": self.sdk, "sdk_names": self.known, "missing": list(self.missing),
                "note": self.note}


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def covered(locations: ProviderLocations | None, provider: str) -> set[str]:
    """Every name our table accounts for: regions, aliases, multi/dual-regions and known non-locations."""
    if locations is None:
        return set()
    return {*locations.regions, *(_norm(provider, a) for a in locations.aliases), *locations.multi,
            *locations.dual, *locations.configurable, *(_norm(provider, u) for u in locations.unknown)}


def botocore_regions(loader: Any = None) -> dict[str, str]:
    """AWS region code -> partition, from botocore's bundled partitions data (endpoints data as a fallback)."""
    from botocore.exceptions import DataNotFoundError
    from botocore.loaders import Loader

    loader = loader or Loader()
    out: dict[str, str] = {}
    try:
        data = loader.load_data("partitions")
        for part in data.get("partitions", ()):
            for code in part.get("regions", {}):
                out[code] = part.get("id", "")
    except DataNotFoundError:                        # NOTE: older botocore has only endpoints.json
        data = loader.load_data("endpoints")
        for part in data.get("partitions", ()):
            for code in part.get("regions", {}):
                out[code] = part.get("partition", "")
    return out


def missing_names(sdk_names: Iterable[str], locations: ProviderLocations | None, provider: str) -> tuple[str, ...]:
    have = covered(locations, provider)
    return tuple(sorted({n for n in sdk_names if _norm(provider, n) not in have}))


def check_data(maps: LocationMaps | None = None, aws_loader: Any = None) -> list[SdkCheck]:
    """One SdkCheck per provider, in a fixed order (s3, gcs, azure)."""
    maps = maps or load_location_maps()
    out: list[SdkCheck] = []
    boto = _version("botocore")
    if boto is None:
        out.append(SdkCheck("s3", "botocore (not installed)", None, note="install boto3 to check AWS regions"))
    else:
        regions = botocore_regions(aws_loader)
        out.append(SdkCheck("s3", f"botocore {boto}", len(regions),
                            missing_names(regions, maps.for_provider("s3"), "s3")))
    gcs = _version("google-cloud-storage")
    out.append(SdkCheck("gcs", f"google-cloud-storage {gcs}" if gcs else "google-cloud-storage (not installed)", None,
                        note="the SDK ships no list of bucket locations; compare configs/locations/gcp.yaml with "
                             "Google's 'Bucket locations' page"))
    azure = _version("azure-storage-blob")
    out.append(SdkCheck("azure", f"azure-storage-blob {azure}" if azure else "azure-storage-blob (not installed)",
                        None, note="the installed Azure SDKs ship no list of regions; compare "
                                   "configs/locations/azure.yaml with `az account list-locations`"))
    return out


def check_lines(checks: Iterable[SdkCheck]) -> list[str]:
    """Plain lines for the console, one block per provider."""
    lines = []
    for c in checks:
        if c.known is None:
            lines.append(f"{c.provider}: {c.sdk}: no list to compare ({c.note})")
        elif c.missing:
            lines.append(f"{c.provider}: {c.sdk} knows {len(c.missing)} region name(s) that our tables do not "
                         f"map (they are 'unknown' in scans): {', '.join(c.missing)}")
        else:
            lines.append(f"{c.provider}: {c.sdk}: all {c.known} region names are in our tables")
    return lines
