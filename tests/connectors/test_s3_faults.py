"""Issue 17 items 3 and 4: a listing that breaks part-way, and an endpoint that drops or stalls, make the run
incomplete (exit 3, the container named) and never hang it: through the loopback proxy in front of moto."""
from __future__ import annotations

import pytest

from scanner.connectors import open_source
from scanner.connectors.base import ConnectorOptions
from tests.services import FaultProxy

from .conftest import put_all
from .faults import behind_proxy, statuses

MANY = 1001          # one more than a listing page


@pytest.fixture(scope="module")
def s3_world(s3_admin):
    """Buckets of its own (s3-faulty-* so test_s3's session buckets are left alone), created once."""
    s3 = s3_admin
    s3.create_bucket(Bucket="s3-faulty-many")
    put_all(lambda k, v: s3.put_object(Bucket="s3-faulty-many", Key=k, Body=v),
            {f"rows/{i:05d}.txt": str(i).encode() for i in range(MANY)})
    s3.create_bucket(Bucket="s3-faulty-scan")
    for key in ("ok.txt", "denied.txt", "flaky.txt"):
        s3.put_object(Bucket="s3-faulty-scan", Key=key, Body=f"content of {key}".encode())


def test_a_listing_that_breaks_part_way_ends_with_a_marked_incomplete_entry(s3_world, s3_env, monkeypatch):
    monkeypatch.setenv("PII_SCAN_NETWORK_ATTEMPTS", "1")
    with FaultProxy(s3_env.url) as proxy:
        proxy.drop("/s3-faulty-many", after=1, query="list-type=2")     # the first page of 1,000 keys, then it dies
        conn = open_source("s3://s3-faulty-many", ConnectorOptions(endpoint_url=proxy.url))
        (container,) = conn.containers()
        refs = list(conn.objects(container))
        conn.close()
    assert len(refs[:-1]) == 1000 < MANY                 # the first page, then the marked entry
    assert refs[-1].facts.get("listing") == "incomplete" and "connection failed" in refs[-1].facts["error"]
    assert all("error" not in r.facts for r in refs[:-1])


def test_a_listing_that_fails_makes_its_container_incomplete(s3_world, s3_env, tmp_path, monkeypatch):
    with behind_proxy("s3", "s3-faulty-scan", s3_env, monkeypatch, connect=None, read=None) as store:
        store.proxy.drop("/s3-faulty-scan", query="list-type=2")        # bucket facts are read; the listing dies
        res, doc, _ = store.scan(tmp_path)
    assert res.exit_code == 3, res.output
    failures = doc["summary"]["source_failures"]
    assert any(f["source"] == "s3://s3-faulty-scan" and "listing incomplete" in f["reason"] for f in failures)


def test_a_stalled_or_dropping_endpoint_fails_the_run_as_incomplete_without_hanging(s3_world, s3_env, tmp_path,
                                                                                     monkeypatch):
    with behind_proxy("s3", "s3-faulty-scan", s3_env, monkeypatch) as store:
        store.stall("ok.txt")
        store.drop("flaky.txt")
        store.proxy.deny("/s3-faulty-scan/denied.txt")
        res, doc, elapsed = store.scan(tmp_path)
    assert elapsed < 30
    assert res.exit_code == 3, res.output                  # incomplete without --strict
    status = statuses(doc)
    assert status["ok.txt"][0] == "failed" and "connection failed" in status["ok.txt"][1]
    assert "connection failed" in status["flaky.txt"][1]
    assert status["denied.txt"] == ("failed", "access denied")
    (failure,) = doc["summary"]["source_failures"]
    assert failure["source"] == "s3://s3-faulty-scan" and failure["reason"].startswith("2 object(s) not read")


def test_only_denied_objects_do_not_make_the_run_incomplete(s3_world, s3_env, tmp_path, monkeypatch):
    with behind_proxy("s3", "s3-faulty-scan", s3_env, monkeypatch, connect=None, read=None, attempts=None) as store:
        store.proxy.deny("/s3-faulty-scan/denied.txt")
        res, doc, _ = store.scan(tmp_path)
    assert res.exit_code == 0, res.output
    assert doc["summary"]["source_failures"] == []
