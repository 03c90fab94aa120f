"""Masks and keyed hashes: the only forms a found value takes in outputs."""
from __future__ import annotations

import hmac
import pickle
import stat

import pytest

from scanner.errors import ConfigError
from scanner.privacy import Hasher, data_dir, load_or_create_secret, mask


def test_secret_is_created_once_with_mode_0600(pii_home):
    first = load_or_create_secret()
    path = data_dir() / "secret.key"
    assert path.parent == pii_home
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret() == first and len(first) >= 32


def test_empty_secret_is_a_config_error(pii_home):
    (pii_home / "secret.key").write_text("")
    with pytest.raises(ConfigError, match="secret"):
        load_or_create_secret()


def test_hash_is_keyed_and_stable():
    a, b = Hasher(b"k" * 32), Hasher(b"j" * 32)
    assert a.value("EMAIL_ADDRESS", "x@y.org") == a.value("EMAIL_ADDRESS", "x@y.org")
    assert a.value("EMAIL_ADDRESS", "x@y.org") != b.value("EMAIL_ADDRESS", "x@y.org")
    assert a.value("UK_NHS", "9434765919") != a.value("UK_NINO", "9434765919")


@pytest.mark.parametrize("key", [b"k" * 32, b"0123456789abcdef" * 4, b"x" * 65, b"short"])
def test_hash_is_hmac_sha256_of_kind_and_value(key):
    """The precomputed pads give HMAC-SHA256 exactly (keys shorter than, equal to and longer than a block),
    so stores, baselines and subject indexes written before stay valid."""
    hasher = Hasher(key)
    for kind, value in [("EMAIL_ADDRESS", "jane.doe@example.org"), ("PERSON", "zoë ó briain"), ("UK_NHS", "")]:
        expected = hmac.digest(key, f"{kind}\x1f{value}".encode(), "sha256").hex()[:32]
        assert hasher.value(kind, value) == expected
        assert hasher.values(kind, [value, value]) == [expected, expected]
    copy = pickle.loads(pickle.dumps(hasher))
    assert copy == hasher and copy.value("PERSON", "a b") == hasher.value("PERSON", "a b")


@pytest.mark.parametrize("entity, value, expected", [
    ("EMAIL_ADDRESS", "jane.doe@example.org", "j***@e***.org"),
    ("UK_NHS", "943 476 5919", "********19"),
    ("IBAN_CODE", "GB82 WEST 1234 5698 7654 32", "******************5432"),
    ("PERSON", "Jane Doe", "J*** D***"),
])
def test_mask_hides_the_value(entity, value, expected):
    assert mask(entity, value) == expected
