"""Synthetic containers and results for the pure policy tests (no scanning, no network)."""
from __future__ import annotations

from datetime import datetime, timedelta, UTC
from types import SimpleNamespace

import pytest

from scanner.locations import enrich, load_jurisdiction, load_location_maps
from scanner.model import Container, Holding, ObjectRef, ObjectResult, Status
from scanner.policy.config import PolicyConfig

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def bucket(uri: str, provider: str = "s3", location: str | None = "eu-west-2", **kw) -> Container:
    return Container(uri=uri, provider=provider, location=location, **kw)


def result(uri: str, container: str, entities=None, special=(), children=False, subjects=1, age_days=10,
           content_hash=None, facts=None) -> ObjectResult:
    ref = ObjectRef(uri=uri, container=container, key=uri.rsplit("/", 1)[-1],
                    modified=NOW - timedelta(days=age_days), facts=facts or {})
    holding = Holding(entities=dict(entities if entities is not None else {"PERSON": 2, "EMAIL_ADDRESS": 2}),
                      special_categories=tuple(special), children=children, subjects_estimate=subjects)
    return ObjectResult(ref=ref, status=Status.SCANNED, holding=holding, content_hash=content_hash)


@pytest.fixture(scope="session")
def maps():
    return load_location_maps()


@pytest.fixture(scope="session")
def uk():
    return load_jurisdiction("uk")


@pytest.fixture(scope="session")
def eu():
    return load_jurisdiction("eu")


@pytest.fixture
def f(maps):
    """Factories: f.bucket, f.result, f.policy(dict), f.containers(*c) (enriched with countries), f.now."""
    def containers(*cs, onprem=()):
        return {c.uri: enrich(c, maps, onprem) for c in cs}

    def policy(data=None):
        return PolicyConfig.from_mapping(data or {}, "test.yaml")

    return SimpleNamespace(bucket=bucket, result=result, containers=containers, policy=policy, now=NOW)
