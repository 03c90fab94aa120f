"""Issue 15 items 2d/2e on text of our own: social handles as USERNAME, a world gazetteer of places."""
from __future__ import annotations

import pytest


def found(detector, text: str) -> set[tuple[str, str]]:
    return {(d.entity, d.text) for d in detector.analyze(text)}


@pytest.mark.parametrize(("text", "handle"), [
    ("thanks @jsmith_84 for the lift", "@jsmith_84"),
    ("@Olga_P see you at 6", "@Olga_P"),
    ("RT @newsdesk99: road closed", "@newsdesk99"),
])
def test_a_handle_is_a_username(detector, text: str, handle: str) -> None:
    assert ("USERNAME", handle) in found(detector, text)


@pytest.mark.parametrize("text", [
    "write to jo.smith@example.org today",          # an e-mail address, not a handle
    "the icon logo@2x.png is missing",              # an asset suffix
    "meet @ 5pm at the gate",                       # a lone at-sign
    "see https://example.org/@team/page",           # part of a URL path
])
def test_not_a_username(detector, text: str) -> None:
    assert not any(entity == "USERNAME" for entity, _ in found(detector, text))
