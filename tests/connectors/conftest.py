"""Seeded servers and per-connector environments for the connector tests.

Servers come from tests/services.py. Each ``*_env`` fixture points the SDK at its server through the
environment variables the SDK already honours (set with monkeypatch, so nothing leaks between tests).
"""
from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from scanner.connectors import REGISTRY
from scanner.connectors.base import ConnectorOptions

# The contract corpus, under the prefix "docs/" in every store.
CONTRACT_FILES = {
    "a.txt": b"Dear Jo,\nsee you on Tuesday.\n",
    "sub/b.csv": b"name,email\nA. Person,a.person@example.org\n",
    "big.bin": bytes(range(256)) * 1200,   # 300 KiB: ranged reads cross SDK chunk boundaries
}
PREFIX = "docs"


def containers(url: str, options: ConnectorOptions | None = None) -> dict:
    """The containers a source names, by URI (the connector closed afterwards)."""
    from scanner.connectors import open_source

    conn = open_source(url, options)
    try:
        return {c.uri: c for c in conn.containers()}
    finally:
        conn.close()


def put_all(put: Callable[[str, bytes], None], files: dict[str, bytes], workers: int = 8) -> None:
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda kv: put(*kv), files.items()))


# --- S3 ------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def s3_admin(moto_server):
    boto3 = pytest.importorskip("boto3")
    client = boto3.client("s3", endpoint_url=moto_server.url, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    client.create_bucket(Bucket="contract")
    put_all(lambda k, v: client.put_object(Bucket="contract", Key=f"{PREFIX}/{k}", Body=v), CONTRACT_FILES)
    return client


@pytest.fixture
def s3_env(moto_server, monkeypatch, tmp_path):
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server.url)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config-absent"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials-absent"))
    return moto_server


# --- GCS -----------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def gcs_admin(gcs_server):
    storage = pytest.importorskip("google.cloud.storage")
    from google.auth.credentials import AnonymousCredentials

    client = storage.Client(project="test-project", credentials=AnonymousCredentials(),
                            client_options={"api_endpoint": gcs_server.url})
    bucket = client.create_bucket("contract")
    put_all(lambda k, v: bucket.blob(f"{PREFIX}/{k}").upload_from_string(v), CONTRACT_FILES, workers=1)
    return client


@pytest.fixture
def gcs_env(gcs_server, monkeypatch):
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", gcs_server.url)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    return gcs_server


# --- Azure ---------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def azure_admin(azurite_server):
    blob = pytest.importorskip("azure.storage.blob")
    service = blob.BlobServiceClient.from_connection_string(azurite_server.connection_string, retry_total=0)
    container = service.create_container("contract")
    put_all(lambda k, v: container.upload_blob(f"{PREFIX}/{k}", v), CONTRACT_FILES)
    return service


@pytest.fixture
def azure_env(azurite_server, monkeypatch):
    monkeypatch.setenv("AZURE_STORAGE_CONNECTION_STRING", azurite_server.connection_string)
    return azurite_server


# --- SMB -----------------------------------------------------------------------------------------

def write_tree(root: Path, files: dict[str, bytes], owner: str | None) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if owner:
        for path in [root, *root.rglob("*")]:
            shutil.chown(path, user=owner)


@pytest.fixture(scope="session")
def smb_seeded(smb_server):
    pytest.importorskip("smbclient")
    write_tree(smb_server.shares["open"] / PREFIX, CONTRACT_FILES, smb_server.user)
    return smb_server


@pytest.fixture
def smb_env(smb_server, monkeypatch):
    monkeypatch.delenv("PII_SCAN_SMB_CREDENTIALS", raising=False)
    monkeypatch.delenv("PII_SCAN_SMB_DOMAIN", raising=False)
    monkeypatch.setenv("PII_SCAN_SMB_USER", smb_server.user)
    monkeypatch.setenv("PII_SCAN_SMB_PASSWORD", smb_server.password)
    return smb_server


# --- the contract: one case per connector --------------------------------------------------------

@dataclass(frozen=True)
class Case:
    url: str
    provider: str
    options: ConnectorOptions = field(default_factory=ConnectorOptions)


CONNECTORS = ["file", "s3", "gcs", "azure", "smb"]


@pytest.fixture(params=CONNECTORS)
def contract_case(request, tmp_path) -> Case:
    kind = request.param
    if kind == "file":
        module = REGISTRY["file"][0].partition(":")[0]
        spec_path = Path(__file__).resolve().parents[2] / (module.replace(".", os.sep) + ".py")
        if not spec_path.exists():
            pytest.skip("scanner/connectors/local.py is not written yet")
        write_tree(tmp_path / PREFIX, CONTRACT_FILES, None)
        for path in [tmp_path, *tmp_path.rglob("*")]:        # world-readable whatever the umask: public
            path.chmod(0o755 if path.is_dir() else 0o644)
        return Case((tmp_path / PREFIX).as_uri(), "file")
    if kind == "s3":
        request.getfixturevalue("s3_admin")
        request.getfixturevalue("s3_env")
        return Case(f"s3://contract/{PREFIX}/", "s3")
    if kind == "gcs":
        request.getfixturevalue("gcs_admin")
        request.getfixturevalue("gcs_env")
        return Case(f"gs://contract/{PREFIX}/", "gcs")
    if kind == "azure":
        request.getfixturevalue("azure_admin")
        server = request.getfixturevalue("azure_env")
        account = server.connection_string.split("AccountName=")[1].split(";")[0]
        return Case(f"az://{account}/contract/{PREFIX}/", "azure",
                    ConnectorOptions(region_hints={account: "uksouth"}))
    server = request.getfixturevalue("smb_seeded")
    request.getfixturevalue("smb_env")
    return Case(server.url("open", PREFIX), "smb")
