"""az:// against Azurite over HTTP (AZURE_STORAGE_CONNECTION_STRING)."""
from __future__ import annotations

import sys

import pytest

from scanner.connectors import open_source

from .conftest import containers
from scanner.connectors.base import ConnectorOptions
from scanner.errors import MissingDependency, ObjectError, SourceError, UsageError
from scanner.model import ObjectRef

ACCOUNT = "devstoreaccount1"


@pytest.fixture(scope="session")
def azure_world(azure_admin):
    azure_admin.create_container("az-container-public", public_access="container")
    azure_admin.create_container("az-blob-public", public_access="blob")
    azure_admin.create_container("az-private")
    return azure_admin


@pytest.mark.parametrize("name,public,level", [("az-container-public", True, "container"),
                                               ("az-blob-public", True, "blob"), ("az-private", False, None)])
def test_public_access_level(azure_world, azure_env, name, public, level):
    container = containers(f"az://{ACCOUNT}/{name}")[f"az://{ACCOUNT}/{name}"]
    assert container.public is public
    assert container.facts["public_access"] == level


def test_every_container_of_the_account(azure_world, azure_env):
    found = containers(f"az://{ACCOUNT}")
    assert {f"az://{ACCOUNT}/{n}" for n in ("contract", "az-private", "az-blob-public")} <= set(found)


def test_region_comes_from_config_when_the_api_has_none(azure_world, azure_env):
    uri = f"az://{ACCOUNT}/az-private"
    unknown = containers(uri)[uri]
    assert unknown.location is None and unknown.facts["location_source"] == "unknown"
    by_account = containers(uri, ConnectorOptions(region_hints={ACCOUNT: "uksouth"}))[uri]
    assert by_account.location == "uksouth" and by_account.location_type == "region"
    by_container = containers(uri, ConnectorOptions(region_hints={ACCOUNT: "uksouth", uri: "westeurope"}))[uri]
    assert by_container.location == "westeurope"
    assert by_account.facts["sku"] == "Standard_RAGRS" and by_account.facts["geo_replicated"] is True


def test_missing_container_is_a_source_error(azure_world, azure_env):
    with pytest.raises(SourceError, match=rf"^az://{ACCOUNT}/nope: not found$"):
        containers(f"az://{ACCOUNT}/nope")


def test_missing_blob_is_an_object_error(azure_world, azure_env):
    conn = open_source(f"az://{ACCOUNT}/az-private")
    ref = ObjectRef(uri=f"az://{ACCOUNT}/az-private/none", container=f"az://{ACCOUNT}/az-private", key="none")
    with pytest.raises(ObjectError, match=r"^not found$"):
        conn.read_range(ref, 0, 10)


def test_url_needs_an_account():
    with pytest.raises(UsageError):
        open_source("az:///container")


def test_other_account_without_azure_identity_names_the_extra(monkeypatch):
    # NOTE: simulates a default install without the extra: a None entry makes `import azure.identity` fail
    monkeypatch.setitem(sys.modules, "azure.identity", None)
    monkeypatch.setenv("AZURE_STORAGE_CONNECTION_STRING", "AccountName=devstoreaccount1;AccountKey=eA==")
    with pytest.raises(MissingDependency, match=r"pii-scan\[azure\]"):
        open_source("az://someotheraccount/c")


def test_stays_on_loopback(azure_world, azure_env, no_network):
    conn = open_source(f"az://{ACCOUNT}/contract/docs/")
    (container,) = conn.containers()
    assert len(list(conn.objects(container))) == 3
