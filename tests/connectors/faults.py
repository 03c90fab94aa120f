"""One way to put a cloud store behind the loopback fault proxy (tests/services.FaultProxy), for every cloud
connector: the proxy, the environment that points the SDK at it, the network limits, and the request paths
that one object's reads and one container's listing send (so a test can stall, drop or cut them).

NOTE: give each test a bucket of its own: a process keeps its connectors by (source, options), so a second
scan of the same bucket could reuse a connector that still points at an earlier test's (closed) proxy."""
from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.connectors import open_source
from scanner.connectors.base import Connector
from scanner.model import Container
from tests.services import Endpoint, FaultProxy

AZURE_ACCOUNT = "devstoreaccount1"
KINDS = ("s3", "gs", "az")
SERVERS = {"s3": "moto_server", "gs": "gcs_server", "az": "azurite_server"}


@dataclass(frozen=True)
class Faulty:
    """A bucket (or Azure container) of ``kind`` reached through ``proxy``."""

    kind: str
    bucket: str
    proxy: FaultProxy

    @property
    def source(self) -> str:
        return f"az://{AZURE_ACCOUNT}/{self.bucket}" if self.kind == "az" else f"{self.kind}://{self.bucket}"

    def object_paths(self, key: str) -> list[str]:
        """Every request path that opening and reading ``key`` may send (metadata and content)."""
        if self.kind == "s3":
            return [f"/{self.bucket}/{key}"]
        if self.kind == "gs":
            return [f"/storage/v1/b/{self.bucket}/o/{key}", f"/download/storage/v1/b/{self.bucket}/o/{key}"]
        return [f"/{AZURE_ACCOUNT}/{self.bucket}/{key}"]

    @property
    def listing(self) -> tuple[str, str]:
        """The path and a query marker of the container's listing requests."""
        return {"s3": (f"/{self.bucket}", "list-type=2"), "gs": (f"/storage/v1/b/{self.bucket}/o", ""),
                "az": (f"/{AZURE_ACCOUNT}/{self.bucket}", "comp=list")}[self.kind]

    def stall(self, key: str) -> None:
        for path in self.object_paths(key):
            self.proxy.stall(path)

    def drop(self, key: str) -> None:
        for path in self.object_paths(key):
            self.proxy.drop(path)

    @contextlib.contextmanager
    def connected(self) -> Iterator[tuple[Connector, Container]]:
        """A connector of the bucket (closed afterwards) and the bucket's container, its facts read."""
        conn = open_source(self.source)
        try:
            (container,) = conn.containers()
            yield conn, container
        finally:
            conn.close()

    def scan(self, tmp_path: Path, *extra: str) -> tuple[Any, dict | None, float]:
        """``pii-scan scan`` of the bucket in this process: (result, JSON report or None, seconds taken)."""
        out = tmp_path / "r.json"
        args = ["scan", self.source, "-q", "--workers", "1", "--state", str(tmp_path / "s.db"), "-o", str(out)]
        if self.kind == "s3":
            args += ["--endpoint-url", self.proxy.url]
        if self.kind == "gs":
            args += ["--project", "test-project"]
        started = time.monotonic()
        res = CliRunner().invoke(main, [*args, *extra])
        return res, json.loads(out.read_text()) if out.exists() else None, time.monotonic() - started


def statuses(doc: dict) -> dict[str, tuple[str, str | None]]:
    """Each object's (status, reason), by the last part of its URI."""
    return {o["uri"].rsplit("/", 1)[-1]: (o["status"], o["reason"]) for o in doc["objects"]}


@contextlib.contextmanager
def behind_proxy(kind: str, bucket: str, server: Endpoint, monkeypatch: pytest.MonkeyPatch, *,
                 connect: float | None = 1, read: float | None = 1, attempts: int | None = 1) -> Iterator[Faulty]:
    """``bucket`` of ``kind`` through a fresh fault proxy, with the PII_SCAN_* network limits set (None: unset)
    and the proxy's address where the SDK looks for its endpoint. Needs the ``*_env`` fixture of ``kind``."""
    for name, value in (("PII_SCAN_CONNECT_TIMEOUT", connect), ("PII_SCAN_READ_TIMEOUT", read),
                        ("PII_SCAN_NETWORK_ATTEMPTS", attempts)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, str(value))
    base = server.url.rsplit("/", 1)[0] if kind == "az" else server.url
    with FaultProxy(base) as proxy:
        if kind == "s3":
            monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
        elif kind == "gs":
            monkeypatch.setenv("STORAGE_EMULATOR_HOST", proxy.url)
            monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
        else:
            assert server.connection_string and base in server.connection_string
            monkeypatch.setenv("AZURE_STORAGE_CONNECTION_STRING", server.connection_string.replace(base, proxy.url))
        yield Faulty(kind, bucket, proxy)


def seed(request: pytest.FixtureRequest, kind: str, bucket: str, files: dict[str, bytes]) -> Endpoint:
    """Create ``bucket`` of ``kind`` holding ``files`` (once per session: a second call only finds it)."""
    if kind == "s3":
        s3 = request.getfixturevalue("s3_admin")
        if bucket not in {b["Name"] for b in s3.list_buckets()["Buckets"]}:
            s3.create_bucket(Bucket=bucket)
            for key, data in files.items():
                s3.put_object(Bucket=bucket, Key=key, Body=data)
        request.getfixturevalue("s3_env")
    elif kind == "gs":
        gcs = request.getfixturevalue("gcs_admin")
        if gcs.lookup_bucket(bucket) is None:
            made = gcs.create_bucket(bucket)
            for key, data in files.items():
                made.blob(key).upload_from_string(data)
        request.getfixturevalue("gcs_env")
    else:
        azure = request.getfixturevalue("azure_admin")
        if bucket not in {c.name for c in azure.list_containers()}:
            made = azure.create_container(bucket)
            for key, data in files.items():
                made.upload_blob(key, data)
        request.getfixturevalue("azure_env")
    return request.getfixturevalue(SERVERS[kind])


SMB2_READ, SMB2_QUERY_DIRECTORY = 0x08, 0x0E


class SMBStallProxy:
    """A loopback TCP proxy in front of an SMB server. It forwards both ways until a client sends, for the first
    time on any connection, an SMB2 request with ``command`` (READ or QUERY_DIRECTORY: after the session is set
    up); from then on it holds everything that client sends on that connection, which stays open and silent
    until the proxy stops. Later connections pass. ``stalled`` is set once a request was held."""

    def __init__(self, upstream_port: int, command: int):
        self.upstream_port, self.command = upstream_port, command
        self.stalled = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []

    def __enter__(self) -> SMBStallProxy:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._listener.close()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return                                      # the proxy stopped
            server = socket.create_connection(("127.0.0.1", self.upstream_port))
            self._sockets += [client, server]
            threading.Thread(target=self._requests, args=(client, server), daemon=True).start()
            threading.Thread(target=self._answers, args=(server, client), daemon=True).start()

    def _holds(self, message: bytes) -> bool:
        """Whether a request (SMB2 headers chained by NextCommand) holds ``command``, the first time only."""
        commands = set()
        while message[:4] == b"\xfeSMB":
            commands.add(int.from_bytes(message[12:14], "little"))
            step = int.from_bytes(message[20:24], "little")
            if not step:
                break
            message = message[step:]
        with self._lock:
            if self.command in commands and not self.stalled.is_set():
                self.stalled.set()
                return True
        return False

    def _requests(self, src: socket.socket, dst: socket.socket) -> None:
        buffer, held = b"", False
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                if held:
                    continue
                buffer += data
                while len(buffer) >= 4 and len(buffer) >= 4 + int.from_bytes(buffer[1:4], "big"):
                    end = 4 + int.from_bytes(buffer[1:4], "big")       # Direct TCP: a 4-byte length, then SMB2
                    frame, buffer = buffer[:end], buffer[end:]
                    if self._holds(frame[4:]):
                        held = True
                        break
                    dst.sendall(frame)

    @staticmethod
    def _answers(src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
