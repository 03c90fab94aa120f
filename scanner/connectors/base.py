"""The connector interface: a URL scheme's containers, objects, byte streams and container facts.

A connector knows nothing about personal data. Filters, limits, sampling and concurrency live once in
the pipeline, not in each connector.
"""
from __future__ import annotations

import abc
import io
import time
from dataclasses import dataclass, field, replace
from typing import IO, Any, Callable, Iterator, Mapping

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


@dataclass(frozen=True)
class Deadline:
    """When an object's time budget (scan.limits.object_seconds) runs out, on the monotonic clock. Connectors cut
    every network wait of the object's reads to what is left of it: the worker's timer signal reaches only its
    main thread, never a prefetch thread or a read blocked in an SDK's retry loop."""

    at: float
    seconds: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + seconds, seconds)

    def left(self) -> float:
        return self.at - time.monotonic()

    @property
    def reason(self) -> str:
        return f"time limit ({self.seconds:g} s)"

    def timeout(self, cap: float, retrying: bool = False) -> float:
        """How long the next network wait may take: ``cap`` (the read timeout) cut to what is left. Raises
        ObjectError when nothing is left: 'time limit', or 'connection failed' when ``retrying`` (the endpoint
        already failed this object's request and the budget ran out on it, not on the object)."""
        left = self.left()
        if left <= 0:
            from scanner.errors import ObjectError

            raise ObjectError(f"{CONNECTION_FAILED}: no answer within the {self.reason}" if retrying else self.reason)
        return min(cap, left)


def cut(deadline: Deadline | None, cap: float, retrying: bool = False) -> float:
    """``cap`` cut to what is left of ``deadline`` (no deadline: ``cap``); see Deadline.timeout."""
    return cap if deadline is None else deadline.timeout(cap, retrying)


class Ranged(io.RawIOBase):
    """An object read as ranged GETs, ``fetch(start, length)`` each: every request gets its own timeouts (cut to
    the object's deadline), where an SDK's streaming reader fixes them when it is opened. Seekable when the
    size is known."""

    def __init__(self, fetch: Callable[[int, int], bytes], size: int | None):
        self._fetch, self._size, self._pos = fetch, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._size is not None

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if self._size is None:
            raise io.UnsupportedOperation("seek")
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(base + offset, 0)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        want = len(buffer) if self._size is None else min(len(buffer), self._size - self._pos)
        if want <= 0:
            return 0
        data = self._fetch(self._pos, want)
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)


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
    def open(self, ref: ObjectRef, deadline: Deadline | None = None) -> IO[bytes]:
        """A readable binary stream of the object. Raises scanner.errors.ObjectError on failure.

        Network connectors bound every wait of the open and of the stream's reads by ``deadline`` as well as by
        their read timeout: a stalled endpoint fails the object (OSError or ObjectError) soon after it."""

    def read_range(self, ref: ObjectRef, start: int, length: int) -> bytes:
        """Bytes [start, start+length). Connectors with ranged reads override this."""
        with self.open(ref) as fh:
            fh.seek(start) if fh.seekable() else fh.read(start)
            return fh.read(length)

    def close(self) -> None:  # noqa: B027 - a hook: a connector that holds nothing open need not override it
        """Release clients and sessions."""
