"""The connector interface: a URL scheme's containers, objects, byte streams and container facts.

A connector knows nothing about personal data. Filters, limits, sampling and concurrency live once in
the pipeline, not in each connector.
"""
from __future__ import annotations

import abc
from dataclasses import dataclass, field, replace
from typing import IO, Any, Iterator, Mapping

from scanner.model import Container, ObjectRef


@dataclass(frozen=True)
class SourceURL:
    """A parsed source: ``scheme://netloc/path`` or a bare local path (scheme ``file``)."""

    raw: str
    scheme: str
    netloc: str = ""
    path: str = ""


@dataclass(frozen=True)
class ConnectorOptions:
    """Options from the CLI/config that some connectors use (credentials never come only from here)."""

    profile: str | None = None
    endpoint_url: str | None = None
    project: str | None = None
    region_hints: Mapping[str, str] = field(default_factory=dict)   # container uri/account → location
    extra: Mapping[str, Any] = field(default_factory=dict)
    network: NetworkLimits | None = None     # scan.network of the config file (the environment overrides it)


# NOTE: a reason starting with this means the endpoint, not the object, failed: such failures make the run
# incomplete (exit 3) even without --strict, unlike per-object reasons such as "access denied"
CONNECTION_FAILED = "connection failed"


@dataclass(frozen=True)
class NetworkLimits:
    """Connect and read timeouts (seconds) and attempts per request for network sources: a stalled endpoint
    costs at most about attempts x (connect + read) per request, never a hang."""

    connect: float = 10.0
    read: float = 60.0
    attempts: int = 4

    @classmethod
    def from_env(cls, base: NetworkLimits | None = None) -> NetworkLimits:
        """PII_SCAN_CONNECT_TIMEOUT, PII_SCAN_READ_TIMEOUT, PII_SCAN_NETWORK_ATTEMPTS override ``base`` (the
        config file's scan.network), which overrides the defaults."""
        import os

        from scanner.errors import UsageError

        values: dict[str, Any] = {}
        for name, key, kind in (("PII_SCAN_CONNECT_TIMEOUT", "connect", float), ("PII_SCAN_READ_TIMEOUT", "read", float),
                                ("PII_SCAN_NETWORK_ATTEMPTS", "attempts", int)):
            raw = os.environ.get(name)
            if raw is None:
                continue
            try:
                values[key] = kind(raw)
            except ValueError:
                raise UsageError(f"{name}={raw!r}: not a number") from None
            if values[key] <= 0:
                raise UsageError(f"{name}={raw!r}: must be positive")
        return replace(base or cls(), **values)


class Connector(abc.ABC):
    """One instance per source URL."""

    scheme: str = ""

    def __init__(self, source: SourceURL, options: ConnectorOptions | None = None):
        self.source = source
        self.options = options or ConnectorOptions()

    @abc.abstractmethod
    def containers(self) -> Iterator[Container]:
        """Containers named by the source (one bucket, or every bucket of the account), with facts.

        Raises SourceError when the source cannot be read at all."""

    @abc.abstractmethod
    def objects(self, container: Container) -> Iterator[ObjectRef]:
        """Every object under the source's prefix in ``container``; metadata only, no content.

        An unreadable sub-part is yielded as an ObjectRef with ``facts['error']`` set, so it is
        recorded as failed rather than lost."""

    @abc.abstractmethod
    def open(self, ref: ObjectRef) -> IO[bytes]:
        """A readable binary stream of the object. Raises scanner.errors.ObjectError on failure."""

    def read_range(self, ref: ObjectRef, start: int, length: int) -> bytes:
        """Bytes [start, start+length). Connectors with ranged reads override this."""
        with self.open(ref) as fh:
            fh.seek(start) if fh.seekable() else fh.read(start)
            return fh.read(length)

    def close(self) -> None:
        """Release clients and sessions."""
