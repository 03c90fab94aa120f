"""s3:// against moto's standalone server (HTTP), with a fault-injecting proxy for 403s and 503s."""
from __future__ import annotations

import json

import pytest

from scanner.connectors import open_source
from scanner.connectors.base import ConnectorOptions
from scanner.connectors.s3 import region_of
from scanner.errors import ObjectError, SourceError
from tests.services import FaultProxy

from .conftest import containers, put_all

PUBLIC_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::s3-pub-policy/*"}]}
MANY = 1205


@pytest.fixture(scope="session")
def s3_world(s3_admin, moto_server):
    """Buckets in several regions and with different security settings, created once."""
    import boto3

    def client(region):
        return boto3.client("s3", endpoint_url=moto_server.url, region_name=region,
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    s3 = s3_admin
    s3.create_bucket(Bucket="s3-us")
    for name, region in (("s3-euw2", "eu-west-2"), ("s3-aps1", "ap-south-1")):
        client(region).create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    s3.create_bucket(Bucket="s3-pub-acl", ACL="public-read")
    s3.create_bucket(Bucket="s3-pub-policy")
    s3.put_bucket_policy(Bucket="s3-pub-policy", Policy=json.dumps(PUBLIC_POLICY))
    s3.create_bucket(Bucket="s3-blocked", ACL="public-read")
    s3.put_public_access_block(Bucket="s3-blocked", PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    s3.create_bucket(Bucket="s3-kms")
    s3.put_bucket_encryption(Bucket="s3-kms", ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:eu-west-2:123456789012:key/k1"}}]})
    s3.put_bucket_versioning(Bucket="s3-kms", VersioningConfiguration={"Status": "Enabled"})
    s3.create_bucket(Bucket="s3-many")
    put_all(lambda k, v: s3.put_object(Bucket="s3-many", Key=k, Body=v),
            {f"rows/{i:05d}.txt": str(i).encode() for i in range(MANY)})
    s3.create_bucket(Bucket="s3-faulty")
    for key in ("ok.txt", "denied.txt", "flaky.txt"):
        s3.put_object(Bucket="s3-faulty", Key=key, Body=f"content of {key}".encode())
    s3.create_bucket(Bucket="s3-locked")
    s3.put_object(Bucket="s3-locked", Key="x.txt", Body=b"x")
    return s3


@pytest.mark.parametrize("constraint,region", [(None, "us-east-1"), ("", "us-east-1"), ("EU", "eu-west-1"),
                                               ("eu-west-2", "eu-west-2")])
def test_region_of_location_constraint(constraint, region):
    assert region_of(constraint) == region


def test_every_bucket_of_the_account_with_its_region(s3_world, s3_env):
    found = containers("s3://")
    assert {"s3://s3-us", "s3://s3-euw2", "s3://s3-aps1", "s3://contract"} <= set(found)
    assert found["s3://s3-us"].location == "us-east-1"
    assert found["s3://s3-euw2"].location == "eu-west-2"
    assert found["s3://s3-aps1"].location == "ap-south-1"
    assert all(c.provider == "s3" and c.location_type == "region" for c in found.values())


@pytest.mark.parametrize("bucket,public,reason", [
    ("s3-pub-acl", True, "acl:AllUsers:READ"),
    ("s3-pub-policy", True, "policy"),
    ("s3-blocked", False, None),      # a public ACL neutralised by the public access block
    ("s3-us", False, None),
])
def test_public_exposure(s3_world, s3_env, bucket, public, reason):
    (container,) = containers(f"s3://{bucket}").values()
    assert container.public is public
    if reason:
        assert reason in container.facts["public_reasons"]
    else:
        assert container.facts["public_reasons"] == []


def test_encryption_and_versioning(s3_world, s3_env):
    kms = containers("s3://s3-kms")["s3://s3-kms"]
    assert kms.encrypted is True
    assert kms.facts["encryption"] == "aws:kms"
    assert kms.facts["kms_key"].endswith("key/k1")
    assert kms.facts["versioning"] == "Enabled"
    plain = containers("s3://s3-us")["s3://s3-us"]
    assert plain.encrypted is False and plain.facts["versioning"] == "Disabled"


def test_pagination_past_1000_keys(s3_world, s3_env):
    conn = open_source("s3://s3-many/rows/")
    (container,) = conn.containers()
    keys = [ref.key for ref in conn.objects(container)]
    assert len(keys) == MANY and len(set(keys)) == MANY
    assert keys[0] == "rows/00000.txt" and keys[-1] == f"rows/{MANY - 1:05d}.txt"


def test_prefix_limits_the_listing(s3_world, s3_env):
    conn = open_source("s3://contract/docs/sub")
    (container,) = conn.containers()
    assert [ref.key for ref in conn.objects(container)] == ["docs/sub/b.csv"]


def test_endpoint_from_options_instead_of_environment(s3_world, s3_env, monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    assert "s3://s3-us" in containers("s3://s3-us", ConnectorOptions(endpoint_url=s3_env.url))


def test_denied_object_is_recorded_and_503_is_retried(s3_world, s3_env):
    """Through a real HTTP proxy: 403 AccessDenied on one key, 503 SlowDown twice on another and once
    on the listing. The scan goes on; the retries succeed."""
    with FaultProxy(s3_env.url) as proxy:
        proxy.deny("/s3-faulty/denied.txt")
        proxy.fail("/s3-faulty/flaky.txt", times=2)
        proxy.fail("/s3-faulty", times=1)
        conn = open_source("s3://s3-faulty", ConnectorOptions(endpoint_url=proxy.url))
        (container,) = conn.containers()
        outcomes = {}
        for ref in conn.objects(container):
            try:
                with conn.open(ref) as fh:
                    outcomes[ref.key] = fh.read()
            except ObjectError as err:
                outcomes[ref.key] = err.reason
        conn.close()
    assert outcomes == {"denied.txt": "access denied", "flaky.txt": b"content of flaky.txt",
                        "ok.txt": b"content of ok.txt"}
    assert proxy.hits["/s3-faulty/flaky.txt"] == 3          # two 503s, then the object
    assert proxy.failures["/s3-faulty"] == 0                  # the listing's 503 was served and retried


def test_denied_bucket_in_account_scan_is_recorded(s3_world, s3_env):
    with FaultProxy(s3_env.url) as proxy:
        proxy.deny("/s3-locked")
        conn = open_source("s3://", ConnectorOptions(endpoint_url=proxy.url))
        found = {c.uri: c for c in conn.containers()}
        locked = found["s3://s3-locked"]
        refs = list(conn.objects(locked))
        conn.close()
    assert locked.location is None and locked.public is None
    assert locked.facts["unknown"]["region"] == "access denied"
    assert [r.facts["error"] for r in refs] == ["cannot list: access denied"]
    assert found["s3://s3-euw2"].location == "eu-west-2"     # the others are unaffected


def test_missing_bucket_is_a_source_error(s3_world, s3_env):
    with pytest.raises(SourceError, match=r"^s3://no-such-bucket: not found$"):
        containers("s3://no-such-bucket")


def test_profile_from_config_file(s3_world, s3_env, tmp_path, monkeypatch):
    creds = tmp_path / "credentials"
    creds.write_text("[scan]\naws_access_key_id = profilekey\naws_secret_access_key = profilesecret\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    conn = open_source("s3://s3-us", ConnectorOptions(profile="scan"))
    assert conn.client._request_signer._credentials.access_key == "profilekey"
    assert [c.uri for c in conn.containers()] == ["s3://s3-us"]
    with pytest.raises(SourceError, match="AWS profile 'nope' not found") as err:
        open_source("s3://s3-us", ConnectorOptions(profile="nope"))
    assert "profilesecret" not in str(err.value)


def test_stays_on_loopback(s3_world, s3_env, no_network):
    conn = open_source("s3://contract/docs/")
    (container,) = conn.containers()
    assert len(list(conn.objects(container))) == 3
    assert no_network.attempts == []
