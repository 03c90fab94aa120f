"""The connector contract, run against every connector's real server (and the local file system)."""
from __future__ import annotations

from datetime import datetime, timedelta, UTC

import pytest

from scanner.connectors import open_source
from scanner.errors import ObjectError
from scanner.model import Container, ObjectRef

from .conftest import CONTRACT_FILES, PREFIX


EXPECTED_PUBLIC = {"file": True, "s3": False, "gcs": False, "azure": False, "smb": True}
EXPECTED_FACTS = {"file": {"exposed", "mount"}, "s3": {"public_reasons"},
                  "gcs": {"public_reasons", "encryption", "public_access_prevention"}, "azure": {"public_access"},
                  "smb": {"share_acl", "root_readable_by"}}


def listing(case) -> tuple[Container, dict[str, ObjectRef], object]:
    conn = open_source(case.url, case.options)
    containers = list(conn.containers())
    assert len(containers) == 1
    refs = {ref.uri.split(f"/{PREFIX}/", 1)[1]: ref for ref in conn.objects(containers[0])}
    return containers[0], refs, conn


def test_container_facts(contract_case):
    container, _, conn = listing(contract_case)
    conn.close()
    assert container.provider == contract_case.provider
    assert container.uri.split("://", 1)[0] == contract_case.url.split("://", 1)[0]
    # NOTE: every store is seeded private, except the local tree and the SMB share (world-readable files; see
    # tests/connectors/conftest.py): each connector must tell which, and say why in its facts
    assert container.public is EXPECTED_PUBLIC[contract_case.provider]
    assert EXPECTED_FACTS[contract_case.provider] <= set(container.facts)
    if contract_case.provider in ("s3", "gcs", "azure"):
        assert container.location, "cloud containers report where they are"
    if contract_case.provider == "smb":
        assert container.location_type == "on-prem"


def test_objects_have_size_etag_and_utc_mtime(contract_case):
    container, refs, conn = listing(contract_case)
    conn.close()
    assert sorted(refs) == sorted(CONTRACT_FILES)
    now = datetime.now(UTC)
    for name, ref in refs.items():
        assert ref.container == container.uri
        assert ref.size == len(CONTRACT_FILES[name])
        assert ref.etag
        assert ref.modified is not None and ref.modified.utcoffset() == timedelta(0)
        assert now - timedelta(hours=1) < ref.modified <= now + timedelta(minutes=1)
        assert "error" not in ref.facts
    assert len({ref.etag for ref in refs.values()}) == len(refs)


def test_open_returns_the_bytes(contract_case):
    _, refs, conn = listing(contract_case)
    try:
        for name, ref in refs.items():
            with conn.open(ref) as fh:
                assert fh.read() == CONTRACT_FILES[name]
        with conn.open(refs["big.bin"]) as fh:    # streaming in pieces gives the same bytes
            pieces = iter(lambda: fh.read(65536), b"")
            assert b"".join(pieces) == CONTRACT_FILES["big.bin"]
    finally:
        conn.close()


@pytest.mark.parametrize("start,length", [(0, 10), (1000, 70000), (307190, 100), (400000, 5)])
def test_read_range(contract_case, start, length):
    _, refs, conn = listing(contract_case)
    try:
        assert conn.read_range(refs["big.bin"], start, length) == CONTRACT_FILES["big.bin"][start:start + length]
    finally:
        conn.close()


def test_open_missing_object_is_an_object_error(contract_case):
    _container, refs, conn = listing(contract_case)
    ref = refs["a.txt"]
    gone = ObjectRef(uri=ref.uri + ".gone", container=ref.container, key=ref.key + ".gone",
                     size=ref.size, etag=None)
    try:
        with pytest.raises(ObjectError) as err:
            with conn.open(gone) as fh:
                fh.read()
        assert err.value.reason and "\n" not in err.value.reason
    finally:
        conn.close()
