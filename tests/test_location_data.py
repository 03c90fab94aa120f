"""Location data current to 2026-12 (issue 19 item 12): new GCS and Azure names, the UK list's terminology and its
caveat on the US bridge, and `pii-scan locations --check-data` against the SDKs' own region lists."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from botocore.loaders import Loader
from click.testing import CliRunner

from scanner.cli import main
from scanner.location_check import botocore_regions, check_data, check_lines
from scanner.locations import (
    countries_for,
    load_jurisdiction,
    load_location_maps,
    read_config_yaml,
    transfer_status,
)


@pytest.fixture(scope="module")
def maps():
    return load_location_maps()


@pytest.mark.parametrize("provider,location,expected", [
    ("gcs", "EUROPE-NORTH3", ("NO",)), ("gcs", "europe-north3", ("NO",)),
    ("azure", "israelnorthwest", ("IL",)), ("azure", "malaysiasouth", ("MY",)),
    ("azure", "southcentralus2", ("US",)), ("azure", "eastus3", ("US",)), ("azure", "southeastasia3", ("SG",)),
    ("azure", "Saudi Arabia East", ("SA",)), ("azure", "taiwannorthwest", ("TW",)),
])
def test_new_region_names_are_mapped(maps, provider, location, expected):
    assert countries_for(provider, location, "region", {}, maps=maps) == expected


def test_oslo_is_adequate_from_the_uk_and_domestic_from_the_eu(maps):
    assert transfer_status(("NO",), load_jurisdiction("uk")).status.value == "adequate"
    assert transfer_status(("NO",), load_jurisdiction("eu")).status.value == "domestic"
    assert transfer_status(("SA",), load_jurisdiction("uk")).status.value == "not_adequate"


@pytest.mark.parametrize("name", ["uk", "eu"])
def test_us_basis_carries_the_caveat_on_the_dpf(name):
    basis = transfer_status(("US",), load_jurisdiction(name)).basis
    assert "caveat:" in basis and "Supreme Court" in basis and "FTC" in basis


def test_uk_list_uses_the_2026_terminology_with_sources():
    raw, _ = read_config_yaml("jurisdictions", "uk.yaml")
    notes = " ".join(raw["notes"])
    assert '"regulations approving transfers" (Art 45A UK GDPR)' in notes and '"data protection test"' in notes
    assert "5 Feb 2026" in notes
    assert {"duaa_sch7", "si_2026_82", "duaa_sch9", "slaughter"} <= set(raw["sources"])
    us = next(e for e in raw["entries"] if e["code"] == "US")
    assert "slaughter" in us["source"] and us["caveat"]


def _loader_with_extra_region(tmp_path: Path) -> Loader:
    """A botocore data path whose partitions.json has one region our tables cannot know."""
    real = Loader().load_data("partitions")
    real["partitions"][0]["regions"]["xx-newplace-1"] = {"description": "Somewhere (New)"}
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "partitions.json").write_text(json.dumps(real))
    return Loader(extra_search_paths=[str(folder)], include_default_search_paths=True)


def test_check_data_names_regions_the_sdk_knows_and_we_do_not(tmp_path, maps):
    loader = _loader_with_extra_region(tmp_path)
    assert "xx-newplace-1" in botocore_regions(loader)
    s3 = check_data(maps, aws_loader=loader)[0]
    assert s3.provider == "s3" and s3.sdk.startswith("botocore ")
    assert s3.missing == ("xx-newplace-1",)             # every real region, alias and global pseudo-region is known
    assert "xx-newplace-1" in check_lines([s3])[0]


def test_check_data_without_the_new_region_in_the_tables(tmp_path):
    """Take a known region out of our table: the check must name it."""
    maps = load_location_maps()
    s3 = maps.for_provider("s3")
    trimmed = replace(maps, providers={**maps.providers,
                                       "s3": replace(s3, regions={k: v for k, v in s3.regions.items()
                                                                  if k != "eu-west-2"})})
    assert check_data(trimmed)[0].missing == ("eu-west-2",)


def test_locations_check_data_command():
    result = CliRunner().invoke(main, ["locations", "--check-data", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert [p["provider"] for p in doc["providers"]] == ["s3", "gcs", "azure"]
    assert doc["providers"][0]["sdk_names"] > 30
    assert doc["providers"][1]["sdk_names"] is None and "no list" in doc["providers"][1]["note"]
    text = CliRunner().invoke(main, ["locations", "--check-data"], catch_exceptions=False)
    assert text.exit_code == 0 and text.output.startswith("s3: botocore ")


def test_locations_without_a_source_is_a_usage_error():
    result = CliRunner().invoke(main, ["locations"])
    assert result.exit_code == 2 and "--check-data" in result.output
