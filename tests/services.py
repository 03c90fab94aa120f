"""Real servers on 127.0.0.1 for the test suite (a pytest plugin; see tests/conftest.py).

Session-scoped fixtures start each server as a subprocess on a free loopback port, wait until it
answers, and terminate it (and wait for it) at the end of the session:

    moto_server      S3 (moto[server])                     -> Endpoint(url=...)
    gcs_server       GCS (gcp-storage-emulator)            -> Endpoint(url=...)
    azurite_server   Azure Blob (npm azurite, .ci/node)    -> Endpoint(url=..., connection_string=...)
    smb_server       SMB (Debian samba smbd, run as root)  -> SMBServer(host, port, user, password, shares)
    dask_cluster     dask scheduler + 2 `dask worker`s     -> "tcp://127.0.0.1:PORT"

A missing server binary skips the test with the reason, except under CI=true, where it fails:
CI must run every server. ``no_network`` blocks (and records) any socket.connect/getaddrinfo to a
non-loopback address for the duration of a test and fails the test if one was attempted.
``FaultProxy`` is a loopback HTTP proxy that answers chosen paths with errors (403, 503) and forwards
the rest: a real HTTP hop for denied objects and retried 5xx, which moto does not produce itself.
"""
from __future__ import annotations

import contextlib
import fcntl
import http.client
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
LOOPBACK = "127.0.0.1"
# Azurite's documented, public development account key (not a secret).
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
SMB_USER = "piiscan-smb"
SMB_PASSWORD = "pii-scan-test-pw"


def unavailable(reason: str) -> None:
    """Skip on a developer machine; fail under CI, which must run every server."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def _find_binary(name: str, *candidates: Path) -> str | None:
    for cand in candidates:
        if cand.is_file() and os.access(cand, os.X_OK):
            return str(cand)
    return shutil.which(name)


@dataclass
class Process:
    """A server subprocess in its own process group, with its log file."""

    name: str
    popen: subprocess.Popen
    log: Path

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout: float = 15.0) -> None:
        if self.popen.poll() is not None:
            return
        # NOTE: the server runs in its own session (start_new_session), so its pid is its group id;
        # signalling the group also reaches smbd's and azurite's children, and nothing else.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(5)


def start_process(name: str, argv: list[str], workdir: Path, env: dict[str, str] | None = None) -> Process:
    log = workdir / f"{name}.log"
    with open(log, "wb") as fh:
        popen = subprocess.Popen(argv, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 cwd=workdir, env=env, start_new_session=True)
    return Process(name, popen, log)


def wait_until(proc: Process, ready: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll ``ready`` until it is true; fail with the server's log if it dies or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.popen.poll() is not None:
            pytest.fail(f"{proc.name} exited with {proc.popen.returncode}:\n{proc.log_tail()}", pytrace=False)
        with contextlib.suppress(Exception):
            if ready():
                return
        time.sleep(0.05)
    proc.stop()
    pytest.fail(f"{proc.name} not ready after {timeout}s:\n{proc.log_tail()}", pytrace=False)


def port_open(port: int, host: str = LOOPBACK) -> bool:
    with socket.create_connection((host, port), timeout=0.5):
        return True


def http_ok(url: str) -> bool:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=2)
    try:
        conn.request("GET", parts.path or "/")
        return conn.getresponse().status < 500
    finally:
        conn.close()


@dataclass(frozen=True)
class Endpoint:
    url: str
    connection_string: str | None = None


@pytest.fixture(scope="session")
def services_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("services")


@pytest.fixture(scope="session")
def moto_server(services_dir) -> Iterator[Endpoint]:
    """moto's standalone S3 server over HTTP (not the in-process mock_aws)."""
    binary = _find_binary("moto_server", VENV_BIN / "moto_server")
    if binary is None:
        unavailable("moto_server not installed (pip install 'moto[server]')")
    port = free_port()
    proc = start_process("moto", [binary, "-H", LOOPBACK, "-p", str(port)], services_dir)
    url = f"http://{LOOPBACK}:{port}"
    try:
        wait_until(proc, lambda: http_ok(url + "/moto-api/"))
        yield Endpoint(url)
    finally:
        proc.stop()


@pytest.fixture(scope="session")
def gcs_server(services_dir) -> Iterator[Endpoint]:
    """gcp-storage-emulator (in memory); clients reach it through STORAGE_EMULATOR_HOST."""
    binary = _find_binary("gcp-storage-emulator", VENV_BIN / "gcp-storage-emulator")
    if binary is None:
        unavailable("gcp-storage-emulator not installed (pip install gcp-storage-emulator)")
    port = free_port()
    proc = start_process("gcs", [binary, "start", "--host", LOOPBACK, "--port", str(port), "--in-memory", "-q"],
                         services_dir)
    url = f"http://{LOOPBACK}:{port}"
    try:
        wait_until(proc, lambda: http_ok(url + "/storage/v1/b?project=probe"))
        yield Endpoint(url)
    finally:
        proc.stop()


@pytest.fixture(scope="session")
def azurite_server(services_dir) -> Iterator[Endpoint]:
    """Azurite's blob service, in memory, telemetry off, API-version check off (see services.md)."""
    binary = _find_binary("azurite-blob", REPO / ".ci/node/node_modules/.bin/azurite-blob")
    if binary is None:
        unavailable("azurite not installed (run .ci/install-services.sh: npm install azurite@3 under .ci/node)")
    port = free_port()
    workdir = services_dir / "azurite"
    workdir.mkdir()
    argv = [binary, "--blobHost", LOOPBACK, "--blobPort", str(port), "--inMemoryPersistence",
            "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent"]
    proc = start_process("azurite", argv, workdir)
    url = f"http://{LOOPBACK}:{port}/{AZURITE_ACCOUNT}"
    conn = (f"DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};AccountKey={AZURITE_KEY};"
            f"BlobEndpoint={url};")
    try:
        wait_until(proc, lambda: port_open(port))
        yield Endpoint(url, connection_string=conn)
    finally:
        proc.stop()


@dataclass(frozen=True)
class SMBServer:
    host: str
    port: int
    user: str
    password: str
    shares: dict[str, Path] = field(default_factory=dict)   # share name -> directory served

    def url(self, share: str, path: str = "") -> str:
        return f"smb://{self.host}:{self.port}/{share}/{path}".rstrip("/")


SMB_CONF = """\
[global]
  server role = standalone server
  smb ports = {port}
  interfaces = lo
  bind interfaces only = yes
  disable netbios = yes
  server min protocol = SMB2_02
  passdb backend = tdbsam:{d}/private/passdb.tdb
  private dir = {d}/private
  lock directory = {d}/lock
  state directory = {d}/state
  cache directory = {d}/cache
  pid directory = {d}/pid
  ncalrpc dir = {d}/lock/ncalrpc
  log file = {d}/log/log.%m
  load printers = no
  printing = bsd
  printcap name = /dev/null
  disable spoolss = yes
  map to guest = never
"""

SMB_SHARE = """\
[{name}]
  path = {path}
  read only = yes
  valid users = {user}
"""


def _ensure_unix_user(user: str) -> None:
    # NOTE: under pytest-xdist two workers may each start an smbd: the lock keeps them from both adding the user
    with open(os.path.join(tempfile.gettempdir(), "pii-scan-smb-user.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if subprocess.run(["id", user], capture_output=True).returncode != 0:
            subprocess.run(["useradd", "-M", "-s", "/usr/sbin/nologin", user], check=True, capture_output=True)


@pytest.fixture(scope="session")
def smb_server(services_dir) -> Iterator[SMBServer]:
    """smbd with its own smb.conf on a free high port, state under a temp dir, two shares:
    ``open`` (directory mode 0755: Everyone may read) and ``closed`` (0750: only the owner's group).
    Tests put files into ``shares[name]`` directly (the server serves them as they are)."""
    smbd = _find_binary("smbd", Path("/usr/sbin/smbd"))
    smbpasswd = _find_binary("smbpasswd", Path("/usr/bin/smbpasswd"))
    if smbd is None or smbpasswd is None:
        unavailable("smbd not installed (run .ci/install-services.sh: apt-get install samba)")
    if os.geteuid() != 0:
        unavailable("smbd must run as root to serve files as the share user")
    # NOTE: pytest's basetemp is 0700 root, which the share user cannot traverse; use a 0755 dir.
    d = Path(tempfile.mkdtemp(prefix="pii-scan-smb-"))
    d.chmod(0o755)
    for sub in ("private", "lock", "state", "cache", "pid", "log", "lock/ncalrpc"):
        (d / sub).mkdir(parents=True, exist_ok=True)
    _ensure_unix_user(SMB_USER)
    shares = {"open": d / "share-open", "closed": d / "share-closed"}
    for name, path in shares.items():
        path.mkdir()
        shutil.chown(path, user=SMB_USER)
        path.chmod(0o755 if name == "open" else 0o750)
    port = free_port()
    conf = d / "smb.conf"
    conf.write_text(SMB_CONF.format(port=port, d=d) + "".join(
        SMB_SHARE.format(name=n, path=p, user=SMB_USER) for n, p in shares.items()))
    subprocess.run([smbpasswd, "-c", str(conf), "-s", "-a", SMB_USER], check=True, capture_output=True,
                   input=f"{SMB_PASSWORD}\n{SMB_PASSWORD}\n".encode())
    proc = start_process("smbd", [smbd, "--foreground", "--no-process-group", "--debug-stdout", "-d", "1",
                                  f"--configfile={conf}"], d)
    try:
        wait_until(proc, lambda: port_open(port))
        yield SMBServer(LOOPBACK, port, SMB_USER, SMB_PASSWORD, shares)
    finally:
        proc.stop()
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def dask_cluster(services_dir) -> Iterator[str]:
    """A Dask scheduler and two single-threaded workers, each its own ``dask`` CLI process."""
    binary = _find_binary("dask", VENV_BIN / "dask")
    try:
        import distributed
    except ImportError:
        distributed = None
    if binary is None or distributed is None:
        unavailable("dask distributed not installed (pip install 'dask[distributed]')")
    port = free_port()
    address = f"tcp://{LOOPBACK}:{port}"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    procs = [start_process("dask-scheduler", [binary, "scheduler", "--host", LOOPBACK, "--port", str(port),
                                              "--no-dashboard"], services_dir, env)]
    try:
        wait_until(procs[0], lambda: port_open(port))
        for i in range(2):
            procs.append(start_process(f"dask-worker-{i}", [
                binary, "worker", address, "--host", LOOPBACK, "--nworkers", "1", "--nthreads", "1",
                "--no-dashboard", "--memory-limit", "1GiB", "--name", f"worker-{i}"], services_dir, env))
        with distributed.Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for proc in reversed(procs):
            proc.stop()


# --- offline guard -------------------------------------------------------------------------------

class NetworkBlocked(OSError):
    """Raised inside the code under test when it tries to reach a non-loopback address."""


@dataclass
class NetworkGuard:
    """Audit hooks cannot be removed, so one hook is installed once and this flag switches it."""

    active: bool = False
    attempts: list[str] = field(default_factory=list)
    _installed: bool = False

    def install(self) -> None:
        if not self._installed:
            sys.addaudithook(self._hook)
            self._installed = True

    def _hook(self, event: str, args: tuple) -> None:
        if not self.active:
            return
        if event == "socket.connect":
            sock, address = args
            if sock.family not in (socket.AF_INET, socket.AF_INET6):
                return
            host = address[0]
        elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"):
            host = args[0]
        else:
            return
        if not is_loopback(host):
            self.attempts.append(f"{event} {host!r}")
            raise NetworkBlocked(f"network access to {host!r} blocked by the no_network guard")


def is_loopback(host: object) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]")
    if host in ("", "localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


GUARD = NetworkGuard()


@pytest.fixture
def no_network() -> Iterator[NetworkGuard]:
    """Block and record non-loopback connects/lookups during the test; fail it if any happened."""
    GUARD.install()
    GUARD.attempts.clear()
    GUARD.active = True
    try:
        yield GUARD
    finally:
        GUARD.active = False
    if GUARD.attempts:
        pytest.fail("non-loopback network attempts: " + "; ".join(GUARD.attempts), pytrace=False)


# --- fault-injecting HTTP proxy ------------------------------------------------------------------

S3_ACCESS_DENIED = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
                    b"<Message>Access Denied</Message></Error>")
S3_SLOW_DOWN = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>'
                b"<Message>Please reduce your request rate.</Message></Error>")


class FaultProxy:
    """A loopback HTTP proxy in front of ``upstream`` that answers chosen requests with errors.

    ``deny(path)`` answers every request for that path with 403 AccessDenied; ``fail(path, times)``
    answers the first ``times`` requests with 503 SlowDown and forwards the rest; ``drop(path, after)``
    forwards the first ``after`` requests and then closes the connection without an answer (the endpoint
    died); ``cut(path)`` forwards the answer's headers and half its body, then closes the connection (the
    endpoint died mid-answer); ``stall(path)`` never answers (until the proxy stops). ``hits[path]`` counts
    the requests the proxy saw, so a test can prove that a retry happened."""

    def __init__(self, upstream: str):
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname, parts.port)
        self.denied: set[str] = set()
        self.failures: dict[str, int] = {}
        self.hits: dict[str, int] = {}
        self.dropped: dict[str, list] = {}          # path -> [requests still forwarded, query it must hold]
        self.stalled: set[str] = set()
        self.cuts: dict[str, str] = {}              # path -> query it must hold
        self._closing = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((LOOPBACK, 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://{LOOPBACK}:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def deny(self, path: str) -> None:
        self.denied.add(path)

    def fail(self, path: str, times: int = 1) -> None:
        self.failures[path] = times

    def drop(self, path: str, after: int = 0, query: str = "") -> None:
        """Only requests whose query string holds ``query`` count (``list-type=2``: the listing)."""
        self.dropped[path] = [after, query]

    def stall(self, path: str) -> None:
        self.stalled.add(path)

    def cut(self, path: str, query: str = "") -> None:
        self.cuts[path] = query

    def _verdict(self, path: str, query: str = "") -> tuple[int, bytes] | str | None:
        with self._lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            if path in self.stalled:
                return "stall"
            if path in self.cuts and self.cuts[path] in query:
                return "cut"
            if path in self.dropped and self.dropped[path][1] in query:
                if self.dropped[path][0] <= 0:
                    return "drop"
                self.dropped[path][0] -= 1
            if path in self.denied:
                return 403, S3_ACCESS_DENIED
            if self.failures.get(path, 0) > 0:
                self.failures[path] -= 1
                return 503, S3_SLOW_DOWN
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:   # keep pytest output clean
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                verdict = proxy._verdict(urlsplit(self.path).path, urlsplit(self.path).query)
                if verdict in ("stall", "drop"):
                    if verdict == "stall":
                        proxy._closing.wait(60)
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if verdict is not None and verdict != "cut":
                    status, payload = verdict
                    self.send_response(status)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(payload)
                    return
                conn = http.client.HTTPConnection(*proxy.upstream, timeout=30)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                    conn.request(self.command, self.path, body=body, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                finally:
                    conn.close()
                self.send_response(resp.status)
                for key, value in resp.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if verdict == "cut":
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                elif self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _any

        return Handler

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


__all__ = ["Endpoint", "FaultProxy", "NetworkBlocked", "SMBServer", "unavailable", "free_port",
           "is_loopback"]
