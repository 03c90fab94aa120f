"""Location maps and jurisdictions: the packaged data loads, validates and answers the questions that matter."""
import json
from datetime import date
from importlib.resources import files

import pytest

from scanner.errors import ConfigError
from scanner.locations import (KNOWN_PROVIDER_FLAGS, OnPremRule, TransferStatus, _parse_jurisdiction, _parse_provider,
                               countries_for, enrich, load_jurisdiction, load_location_maps, read_config_yaml,
                               stale_warning, stale_warnings, transfer_status)
from scanner.model import Container


@pytest.fixture(scope="module")
def maps():
    return load_location_maps()


@pytest.mark.parametrize("provider,location,location_type,facts,expected", [
    ("s3", "eu-west-2", "region", {}, ("GB",)),
    ("s3", "EU", None, {}, ("IE",)),                 # legacy LocationConstraint
    ("s3", "us-east-1", None, {}, ("US",)),
    ("s3", "ap-south-1", None, {}, ("IN",)),
    ("s3", None, None, {}, ()),                       # not determined ≠ us-east-1
    ("s3", "aws-global", None, {}, ()),
    ("s3", "eu-isoe-west-1", None, {}, ()),
    ("s3", "mars-north-1", None, {}, ()),
    ("gcs", "EUROPE-WEST2", "region", {}, ("GB",)),
    ("gcs", "europe-west2", "region", {}, ("GB",)),
    ("gcs", "US-CENTRAL1-A", "region", {}, ("US",)),  # zonal bucket
    ("gcs", "EUR7", "dual-region", {}, ("DE", "GB")),
    ("gcs", "NAM4", "dual-region", {}, ("US",)),
    ("gcs", "US", "multi-region", {}, ("US",)),
    ("gcs", "ASIA", "multi-region", {}, ("IN", "JP", "KR", "SG", "TH", "TW")),
    ("gcs", "EU", "dual-region", {"data_locations": ["EUROPE-WEST1", "europe-west3"]}, ("BE", "DE")),
    ("gcs", "EU", "dual-region", {}, ("BE", "DE", "ES", "FI", "FR", "IT", "NL", "PL")),
    ("gcs", "US", "dual-region", {"data_locations": ["US-EAST1", "NOWHERE1"]}, ()),
    ("azure", "uksouth", None, {}, ("GB",)),
    ("azure", "West Europe", None, {}, ("NL",)),
    ("azure", "global", None, {}, ()),
])
def test_countries_for(maps, provider, location, location_type, facts, expected):
    assert countries_for(provider, location, location_type, facts, maps=maps) == expected


def test_gcs_eu_multi_region_is_every_eu_state_and_not_london(maps):
    eu = countries_for("gcs", "EU", "multi-region", {}, maps=maps)
    assert len(eu) == 27 and "GB" not in eu and "CH" not in eu
    assert set(eu) <= load_jurisdiction("eu").home


def test_onprem_mapping_by_uri_host_or_path(maps):
    rules = [OnPremRule("smb://casework-fs01/*", "GB"), OnPremRule("dublin-*", "IE"), OnPremRule("/mnt/us/*", "US")]
    assert enrich(Container("smb://casework-fs01/cases", "smb"), maps, rules).countries == ("GB",)
    assert enrich(Container("smb://x/y", "smb", facts={"host": "dublin-nas2"}), maps, rules).countries == ("IE",)
    assert enrich(Container("file:///mnt/us/a", "file", facts={"path": "/mnt/us/a"}), maps, rules).countries == ("US",)
    assert enrich(Container("file:///home", "file"), maps, rules).countries == ()
    c = Container("s3://b", "s3", location="eu-central-1")
    assert enrich(c, maps).countries == ("DE",) and c.countries == ()          # replaced, not mutated


def test_every_aws_region_in_installed_botocore_is_mapped(maps):
    botocore = pytest.importorskip("botocore")
    from pathlib import Path
    data = json.loads((Path(botocore.__file__).parent / "data" / "partitions.json").read_text())
    aws = maps.for_provider("s3")
    missing = [r for p in data["partitions"] for r in p["regions"]
               if r not in aws.regions and r not in aws.unknown]
    assert missing == []


def test_location_files_reject_bad_data():
    raw, _ = read_config_yaml("locations", "gcp.yaml")
    bad = {**raw, "dual_regions": {"EUR9": {"regions": ["EUROPE-WEST2", "EUROPE-WEST99"]}}}
    with pytest.raises(ConfigError, match=r"gcp\.yaml: dual_regions\.EUR9\.regions\[1\]: 'EUROPE-WEST99'"):
        _parse_provider(bad, "configs/locations/gcp.yaml", "gcs")
    raw, _ = read_config_yaml("locations", "aws.yaml")
    bad = {**raw, "regions": {**raw["regions"], "eu-west-2": {"country": "UK", "name": "London"}}}
    with pytest.raises(ConfigError, match=r"aws\.yaml: regions\.eu-west-2\.country: UK is not an ISO"):
        _parse_provider(bad, "configs/locations/aws.yaml", "s3")


@pytest.mark.parametrize("name", ["uk", "eu"])
def test_jurisdictions_load_with_dates_sources_and_known_conditions(name):
    j = load_jurisdiction(name)
    assert j.entries and j.as_of >= date(2026, 1, 1)
    for e in j.entries.values():
        assert e.source and e.adopted and e.scope
        assert (e.status == "partial") == (e.condition is not None)
    for c in j.conditions.values():
        assert set(c.requires) <= KNOWN_PROVIDER_FLAGS


def test_uk_list_contents():
    uk = load_jurisdiction("uk")
    eea = load_jurisdiction("eu").home
    assert uk.home == {"GB"}
    assert eea | {"GI"} <= set(uk.entries)
    assert {c for c, e in uk.entries.items() if e.status == "partial"} == {"CA", "JP", "KR", "US"}
    assert uk.entries["US"].condition.requires == ("dpf_certified", "dpf_uk_extension")
    assert uk.entries["US"].adopted == date(2023, 9, 21)
    assert "BR" not in uk.entries and "IN" not in uk.entries
    assert set(uk.safeguards) == {"IDTA", "Addendum", "BCRs"}


def test_eu_list_contents():
    eu = load_jurisdiction("eu")
    assert len(eu.home) == 30 and "GB" not in eu.home
    assert {"GB", "JP", "KR", "CH", "US", "BR", "CA"} <= set(eu.entries)
    assert eu.entries["GB"].valid_until == date(2031, 12, 27)
    assert eu.entries["US"].condition.requires == ("dpf_certified",)


def test_transfer_status_partial_and_assumed_conditions():
    uk = load_jurisdiction("uk")
    us = transfer_status(["US"], uk)
    assert (us.status, us.condition_met) == (TransferStatus.PARTIAL, False) and "UK Extension" in us.condition
    assert transfer_status(["US"], uk, {"dpf_certified": True, "dpf_uk_extension": True}).condition_met is True
    # sector-limited decisions count as adequate for a commercial provider unless the config says otherwise
    assert transfer_status(["JP"], uk).status is TransferStatus.ADEQUATE
    assert transfer_status(["CA"], uk, {"pipeda_subject": False}).status is TransferStatus.PARTIAL


def test_multi_country_storage_takes_the_worst():
    uk = load_jurisdiction("uk")
    assert transfer_status(["GB", "DE"], uk).status is TransferStatus.ADEQUATE
    assert transfer_status(["GB", "US"], uk).status is TransferStatus.PARTIAL
    mixed = transfer_status(["JP", "SG", "US"], uk)
    assert mixed.status is TransferStatus.NOT_ADEQUATE and "SG" in mixed.basis
    assert {c.country: c.status for c in mixed.countries}["JP"] is TransferStatus.ADEQUATE
    assert transfer_status([], uk).status is TransferStatus.UNKNOWN


def test_unknown_jurisdiction_is_a_config_error():
    with pytest.raises(ConfigError, match="--jurisdiction: unknown jurisdiction 'us'"):
        load_jurisdiction("us")


def test_jurisdiction_validation_names_key():
    raw, src = read_config_yaml("jurisdictions", "uk.yaml")
    entries = list(raw["entries"])
    entries[0] = {**entries[0], "status": "maybe"}
    with pytest.raises(ConfigError, match=r"uk\.yaml: entries\[0\]\.status: must be adequate or partial"):
        _parse_jurisdiction({**raw, "entries": entries}, src, "uk")
    entries[0] = {**raw["entries"][0], "source": ["nowhere"]}
    with pytest.raises(ConfigError, match=r"entries\[0\]\.source\[0\]: 'nowhere' is neither"):
        _parse_jurisdiction({**raw, "entries": entries}, src, "uk")


def test_stale_list_warning():
    assert stale_warning("x.yaml", date(2026, 1, 1), 365, date(2026, 12, 31)) is None
    w = stale_warning("x.yaml", date(2026, 1, 1), 30, date(2026, 3, 1))
    assert w and "x.yaml is 59 days old" in w and "limit 30 days" in w
    uk, maps = load_jurisdiction("uk"), load_location_maps()
    assert stale_warnings(uk, maps, 3650, date(2026, 11, 24)) == ()
    names = " ".join(stale_warnings(uk, maps, 100, date(2026, 11, 24)))
    assert "uk.yaml" in names and "gcp.yaml" in names and "azure.yaml" not in names
    eu = load_jurisdiction("eu")
    assert any("ends on 2031-12-27" in w for w in stale_warnings(eu, None, 3650, date(2031, 9, 1)))


def test_packaged_files_are_package_data():
    assert (files("configs") / "jurisdictions" / "uk.yaml").is_file()
    assert (files("configs") / "locations" / "gcp.yaml").is_file()


def test_locations_accepts_a_config_with_an_allowlist(tmp_path):
    """The same config file serves scan and locations: its allowlist section is not a policy error."""
    from click.testing import CliRunner

    from scanner.cli import main

    share = tmp_path / "share"
    share.mkdir()
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("allowlist:\n  paths: ['*/templates/*']\n")
    result = CliRunner().invoke(main, ["locations", str(share), "--config", str(cfg), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)


def test_every_packaged_yaml_file_reads_the_same_with_libyaml():
    """Packaged files are parsed with libyaml when PyYAML has it: it must give what the pure-Python parser
    gives, for every file we ship."""
    import yaml

    from detectors.lexicon import load_packaged_yaml

    root = files("configs")
    paths = [p for p in _walk(root) if p.name.endswith(".yaml")]
    assert len(paths) > 10
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert load_packaged_yaml(text) == yaml.safe_load(text), path.name


def _walk(node):
    for child in node.iterdir():
        if child.is_dir():
            yield from _walk(child)
        else:
            yield child
