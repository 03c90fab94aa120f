"""Masking and keyed hashing: the only forms in which a found value leaves the detector."""
from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

import platformdirs

from scanner.errors import ConfigError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from _hashlib import HASH

SECRET_BYTES = 32
_BLOCK = 64                         # SHA-256's block size: HMAC pads (or first hashes) the key to it


def data_dir() -> Path:
    """The per-user data directory (secret, default store); PII_SCAN_HOME overrides it."""
    override = os.environ.get("PII_SCAN_HOME")
    return Path(override) if override else Path(platformdirs.user_data_dir("pii-scan", appauthor=False))


def load_or_create_secret(path: Path | None = None) -> bytes:
    """Read the installation secret, creating it (mode 0600, atomically) on first use."""
    path = path or data_dir() / "secret.key"
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(secrets.token_hex(SECRET_BYTES).encode())
    try:
        os.link(tmp, path)          # NOTE: link, not rename: a concurrent first run must not overwrite a secret
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return _read_secret(path)


def _read_secret(path: Path) -> bytes:
    raw = path.read_bytes().strip()
    if len(raw) < 32:
        raise ConfigError(f"{path}: installation secret is too short or empty; delete it to create a new one")
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
    return raw


@dataclass(frozen=True)
class Hasher:
    """HMAC-SHA256 keyed by the installation secret; output is hex, truncated to 32 chars."""

    key: bytes
    _pads: tuple[Callable[[], HASH], Callable[[], HASH]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # NOTE: HMAC as RFC 2104 builds it: SHA-256 states that have absorbed the key XOR ipad and XOR opad are
        # made once and copied per value, instead of re-deriving them on every call (hmac.digest does): the
        # same digests, about 3x faster, and the subject index hashes every value of an identifier column.
        key = hashlib.sha256(self.key).digest() if len(self.key) > _BLOCK else self.key
        key = key.ljust(_BLOCK, b"\0")
        inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
        object.__setattr__(self, "_pads", (inner.copy, outer.copy))

    def __reduce__(self) -> tuple[type[Hasher], tuple[bytes]]:
        return (Hasher, (self.key,))

    def value(self, entity_family: str, normalised: str) -> str:
        return self.digest(f"{entity_family}\x1f{normalised}".encode())

    def values(self, entity_family: str, normalised: Iterable[str]) -> list[str]:
        """value() of each of ``normalised`` (one entity), in order."""
        prefix = f"{entity_family}\x1f".encode()
        return [self.digest(prefix + n.encode()) for n in normalised]

    def digest(self, message: bytes) -> str:
        inner_copy, outer_copy = self._pads
        inner = inner_copy()
        inner.update(message)
        outer = outer_copy()
        outer.update(inner.digest())
        return outer.hexdigest()[:32]

    def content(self) -> hmac.HMAC:
        return hmac.new(self.key, b"content\x1f", hashlib.sha256)


@dataclass(frozen=True)
class Sealer:
    """What the store keeps of an object whose names hold personal data (scanner.object_names): a keyed token
    in place of its URI, to find it again by its real URI, and the real URI itself sealed (AES-GCM under a key
    derived from the installation secret), to read the object again (``subject --verify``)."""

    key: bytes = field(repr=False)

    @functools.cached_property
    def _hasher(self) -> Hasher:
        return Hasher(self.key)

    @functools.cached_property
    def _aead(self) -> AESGCM:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM     # NOTE: on first use, not at start-up

        return AESGCM(hmac.new(self.key, b"seal", hashlib.sha256).digest())

    def token(self, uri: str) -> str:
        """Checked for every listed object by an incremental scan: the Hasher's HMAC, its pads made once."""
        return "sealed:" + self._hasher.digest(b"uri\x1f" + uri.encode("utf-8", "surrogateescape"))

    def seal(self, text: str) -> str:
        nonce = secrets.token_bytes(12)
        data = self._aead.encrypt(nonce, text.encode("utf-8", "surrogateescape"), b"pii-scan uri")
        return base64.b64encode(nonce + data).decode("ascii")

    def unseal(self, sealed: str) -> str:
        raw = base64.b64decode(sealed)
        return self._aead.decrypt(raw[:12], raw[12:], b"pii-scan uri").decode("utf-8", "surrogateescape")


def mask(entity: str, value: str) -> str:
    """A preview that shows the shape but not the value (j***@e***.org, ******5919, J*** S***)."""
    value = value.strip()
    if not value:
        return ""
    if entity == "EMAIL_ADDRESS" and "@" in value:
        local, _, domain = value.rpartition("@")
        host, dot, tld = domain.rpartition(".")
        host = host or tld
        return f"{local[:1]}***@{host[:1]}***{dot}{tld if dot else ''}"
    digits = [c for c in value if c.isalnum()]
    if len(digits) >= 8 and sum(c.isdigit() for c in digits) >= len(digits) // 2:
        keep = 2 if len(digits) < 12 else 4
        shown = "".join(digits[-keep:])
        return "*" * (len(digits) - keep) + shown
    words = value.split()
    return " ".join(w[:1] + "***" for w in words)
