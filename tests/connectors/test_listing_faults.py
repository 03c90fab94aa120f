"""Issue 17 items 3 and 4 for GCS and Azure (S3: test_s3_faults.py): a listing that stalls ends within the read
timeout as an incomplete listing, and a listing that breaks part-way (the endpoint dies in the middle of its
answer) makes its container incomplete: named in the report as 'listing incomplete', exit 3 without --strict.
The emulators answer a listing in one page, so the break is inside that page's body."""
from __future__ import annotations

import time

import pytest

from .faults import behind_proxy, seed

FILES = {f"rows/{i:03d}.txt": f"row {i}".encode() for i in range(40)}


@pytest.mark.parametrize("kind", ["gs", "az"])
def test_a_stalled_listing_ends_within_the_read_timeout_as_incomplete(kind, request, monkeypatch):
    server = seed(request, kind, "listing-stall", FILES)
    with behind_proxy(kind, "listing-stall", server, monkeypatch, read=1, attempts=1) as store:
        with store.connected() as (conn, container):
            store.proxy.stall(store.listing[0])      # the bucket's facts were read; its listing never answers
            started = time.monotonic()
            refs = list(conn.objects(container))
            elapsed = time.monotonic() - started
    assert elapsed < 1 + 3
    (ref,) = refs
    assert ref.facts.get("listing") == "incomplete" and "connection failed" in ref.facts["error"]


@pytest.mark.parametrize("kind", ["gs", "az"])
def test_a_listing_cut_off_part_way_makes_the_container_incomplete_and_the_run_exit_3(kind, request, monkeypatch,
                                                                                      tmp_path):
    server = seed(request, kind, "listing-cut", FILES)
    with behind_proxy(kind, "listing-cut", server, monkeypatch, read=1, attempts=1) as store:
        path, query = store.listing
        store.proxy.cut(path, query)         # the listing's answer stops half-way through its body
        res, doc, _ = store.scan(tmp_path)
    assert res.exit_code == 3, res.output
    failures = doc["summary"]["source_failures"]
    assert any(f["source"] == store.source and f["reason"].startswith("listing incomplete")
               and "connection failed" in f["reason"] for f in failures), failures
    assert len(doc["objects"]) < len(FILES)
