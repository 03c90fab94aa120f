"""gs:// against gcp-storage-emulator over HTTP (STORAGE_EMULATOR_HOST)."""
from __future__ import annotations

import warnings

import pytest

from scanner.connectors import open_source

from .conftest import containers
from scanner.connectors.base import ConnectorOptions
from scanner.errors import SourceError


@pytest.fixture(scope="session")
def gcs_world(gcs_admin):
    client = gcs_admin
    eu = client.create_bucket("g-euw2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)   # the emulator only takes location by PATCH
        eu.location = "EUROPE-WEST2"
        eu.patch()
    pub = client.create_bucket("g-public")
    policy = pub.get_iam_policy(requested_policy_version=3)
    policy.bindings.append({"role": "roles/storage.objectViewer", "members": {"allUsers"}})
    pub.set_iam_policy(policy)
    kms = client.create_bucket("g-kms")
    kms.default_kms_key_name = "projects/p/locations/europe-west2/keyRings/r/cryptoKeys/k"
    kms.retention_period = 86400 * 30
    kms.patch()
    prevented = client.create_bucket("g-prevented")
    policy = prevented.get_iam_policy(requested_policy_version=3)
    policy.bindings.append({"role": "roles/storage.objectViewer", "members": {"allAuthenticatedUsers"}})
    prevented.set_iam_policy(policy)
    prevented.iam_configuration.public_access_prevention = "enforced"
    prevented.patch()
    return client


def test_location_and_type(gcs_world, gcs_env):
    eu = containers("gs://g-euw2")["gs://g-euw2"]
    assert eu.provider == "gcs" and eu.location == "EUROPE-WEST2"
    default = containers("gs://contract")["gs://contract"]
    assert default.location == "US" and default.location_type == "multi-region"


def test_every_bucket_of_the_project(gcs_world, gcs_env):
    found = containers("gs://", ConnectorOptions(project="test-project"))
    assert {"gs://contract", "gs://g-euw2", "gs://g-public", "gs://g-kms"} <= set(found)


def test_listing_all_buckets_needs_a_project(gcs_world, gcs_env):
    with pytest.raises(SourceError, match="needs --project"):
        containers("gs://")


def test_public_through_iam_binding(gcs_world, gcs_env):
    pub = containers("gs://g-public")["gs://g-public"]
    assert pub.public is True
    assert pub.facts["public_reasons"] == ["iam:allUsers:roles/storage.objectViewer"]
    assert containers("gs://contract")["gs://contract"].public is False


def test_public_access_prevention_overrides_bindings(gcs_world, gcs_env):
    prevented = containers("gs://g-prevented")["gs://g-prevented"]
    assert prevented.facts["public_access_prevention"] == "enforced"
    assert prevented.public is False
    assert prevented.facts["public_reasons"] == ["iam:allAuthenticatedUsers:roles/storage.objectViewer"]


def test_kms_key_and_retention(gcs_world, gcs_env):
    kms = containers("gs://g-kms")["gs://g-kms"]
    assert kms.encrypted is True
    assert kms.facts["encryption"] == "customer-managed"
    assert kms.facts["kms_key"].endswith("cryptoKeys/k")
    assert kms.facts["retention_seconds"] == 86400 * 30
    plain = containers("gs://contract")["gs://contract"]
    assert plain.facts["encryption"] == "google-managed" and plain.facts["retention_seconds"] is None


def test_generation_is_the_change_token(gcs_world, gcs_env):
    conn = open_source("gs://contract/docs/sub/")
    (container,) = conn.containers()
    (ref,) = conn.objects(container)
    blob = gcs_world.bucket("contract").get_blob("docs/sub/b.csv")
    assert ref.etag == str(blob.generation) and ref.key == "docs/sub/b.csv"


def test_missing_bucket_is_a_source_error(gcs_world, gcs_env):
    with pytest.raises(SourceError, match=r"^gs://nope-bucket: not found$"):
        containers("gs://nope-bucket")


def test_stays_on_loopback(gcs_world, gcs_env, no_network):
    conn = open_source("gs://contract/docs/")
    (container,) = conn.containers()
    assert len(list(conn.objects(container))) == 3
