"""smb:// — SMB2/3 file shares through smbprotocol (extra ``smb``).

``smb://host[:port]/share/path``. Credentials come from PII_SCAN_SMB_USER / PII_SCAN_SMB_PASSWORD /
PII_SCAN_SMB_DOMAIN or from a smbclient-style file named by PII_SCAN_SMB_CREDENTIALS
(``username=`` / ``password=`` / ``domain=`` lines), never from the command line alone.

Exposure: the share-level ACL needs the SRVSVC RPC, which smbprotocol does not implement, so
``facts["share_acl"]`` is "unknown". The share root's DACL is read instead; a root that grants read to
Everyone (or Anonymous) makes the share exposed.
"""
from __future__ import annotations

import contextlib
import errno
import io
import os
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, UTC
from typing import IO, Any, Iterator

import smbclient
from smbclient._pool import ClientConfig, get_smb_tree
from smbprotocol import exceptions as smbexc
from smbprotocol.connection import Connection
from smbprotocol.file_info import InfoType
from smbprotocol.open import (
    CreateDisposition, CreateOptions, FileAttributes, FilePipePrinterAccessMask, ImpersonationLevel, Open,
    ShareAccess, SMB2QueryInfoRequest, SMB2QueryInfoResponse,
)
from smbprotocol.security_descriptor import AceType, SMB2CreateSDBuffer

from scanner.connectors.base import (
    CONNECTION_FAILED, Connector, ConnectorOptions, Deadline, NetworkLimits, SourceURL, cut,
)
from scanner.errors import ObjectError, SourceError, UsageError
from scanner.model import Container, ObjectRef

EXPOSED_SIDS = {"S-1-1-0": "Everyone", "S-1-5-7": "Anonymous"}
NOTED_SIDS = {"S-1-5-11": "Authenticated Users", "S-1-5-32-545": "BUILTIN\\Users"}
READ_BITS = 0x1 | 0x80000000 | 0x10000000          # FILE_READ_DATA | GENERIC_READ | GENERIC_ALL
DACL_SECURITY_INFORMATION = 0x4
FILE_ATTRIBUTE_DIRECTORY = 0x10
FILE_ATTRIBUTE_REPARSE_POINT = 0x400
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def change_token(mtime: datetime, size: int) -> str:
    """SMB has no etag: last-write time in whole microseconds plus size."""
    return f"{(mtime - EPOCH) // timedelta(microseconds=1)}-{size}"


@dataclass(frozen=True)
class Credentials:
    username: str | None = None
    password: str | None = None
    domain: str | None = None

    @property
    def principal(self) -> str | None:
        if self.username and self.domain and "\\" not in self.username and "@" not in self.username:
            return f"{self.domain}\\{self.username}"
        return self.username


def read_credentials_file(path: str) -> dict[str, str]:
    """A smbclient-style credentials file: ``key = value`` lines for username, password, domain."""
    values: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                key, sep, value = line.partition("=")
                if sep and key.strip().lower() in ("username", "password", "domain"):
                    values[key.strip().lower()] = value.strip()
    except OSError as exc:
        raise SourceError(f"PII_SCAN_SMB_CREDENTIALS: cannot read {path}: {exc.strerror}") from None
    return values


def load_credentials(url_user: str | None, environ: Any = os.environ) -> Credentials:
    """Environment variables win over the credentials file; the URL may name only the user."""
    values = read_credentials_file(environ["PII_SCAN_SMB_CREDENTIALS"]) if environ.get("PII_SCAN_SMB_CREDENTIALS") else {}
    return Credentials(username=environ.get("PII_SCAN_SMB_USER") or values.get("username") or url_user,
                       password=environ.get("PII_SCAN_SMB_PASSWORD") or values.get("password"),
                       domain=environ.get("PII_SCAN_SMB_DOMAIN") or values.get("domain"))


def describe(exc: Exception) -> str:
    """A one-line reason; never the password."""
    status = getattr(exc, "ntstatus", None) or getattr(exc, "status", None)
    names = {0xC0000022: "access denied", 0xC0000034: "not found", 0xC000003A: "not found",
             0xC000006D: "logon failure (check PII_SCAN_SMB_USER/PASSWORD)", 0xC00000CC: "no such share"}
    if status in names:
        return names[status]
    if isinstance(exc, smbexc.SMBAuthenticationError):
        return "authentication failed (check PII_SCAN_SMB_USER/PASSWORD or PII_SCAN_SMB_CREDENTIALS)"
    if isinstance(exc, (ValueError, ConnectionError, TimeoutError)) and "connect" in str(exc).lower():
        return f"{CONNECTION_FAILED}: cannot connect"
    if type(exc) is smbexc.SMBException and "timeout" in str(exc).lower():     # no answer within the timeout
        return f"{CONNECTION_FAILED}: no answer (timeout)"
    if isinstance(exc, smbexc.SMBConnectionClosed):
        return f"{CONNECTION_FAILED}: connection closed"
    if isinstance(exc, smbexc.SMBResponseException):
        return f"SMB error 0x{exc.status:08X}"
    if isinstance(exc, OSError) and exc.errno in (errno.ENOENT, errno.EACCES):
        return "not found" if exc.errno == errno.ENOENT else "access denied"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return type(exc).__name__


class _Connection(Connection):  # type: ignore[misc]  # smbprotocol has no type hints
    """smbprotocol's Connection whose every wait for an answer is bounded: smbprotocol waits for ever unless the
    caller passes a timeout, and smbclient never does (jborean93/smbprotocol#161). A wait takes at most the read
    timeout, cut to the deadline of the object this thread is reading; an answer that does not come in time
    drops the connection (without a goodbye the server would not answer either), so what is waiting on it fails
    at once and the next request connects afresh instead of queueing behind the stalled one."""

    def __init__(self, *args: Any, read_timeout: float, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.read_timeout = read_timeout
        self._reading = threading.local()

    @contextlib.contextmanager
    def reading(self, deadline: Deadline | None) -> Iterator[None]:
        """Waits in this thread are cut to ``deadline`` as well."""
        self._reading.deadline = deadline
        try:
            yield
        finally:
            self._reading.deadline = None

    def receive(self, request: Any, wait: bool = True, timeout: float | None = None,
                resolve_symlinks: bool = True) -> Any:
        if timeout is None:
            timeout = cut(getattr(self._reading, "deadline", None), self.read_timeout)
        try:
            return super().receive(request, wait=wait, timeout=timeout, resolve_symlinks=resolve_symlinks)
        except smbexc.SMBException as exc:
            if type(exc) is smbexc.SMBException and "timeout" in str(exc).lower():
                self.disconnect(close=False)
            raise


class _Stream(io.RawIOBase):
    """An open SMB file whose reads wait no longer than the object's deadline, and whose failures are read errors
    (OSError) naming them; closing a file of a dropped connection is no error."""

    def __init__(self, raw: Any, conn: _Connection, deadline: Deadline | None):
        self._raw, self._conn, self._deadline = raw, conn, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            with self._conn.reading(self._deadline):
                count: int = self._raw.readinto(buffer)
                return count
        except smbexc.SMBException as exc:
            raise OSError(errno.EIO, describe(exc)) from None

    def close(self) -> None:
        with contextlib.suppress(smbexc.SMBException, OSError):
            with self._conn.reading(None):
                self._raw.close()
        super().close()


class SMBConnector(Connector):
    scheme = "smb"

    def __init__(self, source: SourceURL, options: ConnectorOptions | None = None):
        super().__init__(source, options)
        userinfo, _, hostport = source.netloc.rpartition("@")
        if ":" in userinfo:
            raise UsageError("put the SMB password in PII_SCAN_SMB_PASSWORD or PII_SCAN_SMB_CREDENTIALS, "
                             "not in the URL")
        host, _, port = hostport.partition(":")
        share, _, subpath = source.path.partition("/")
        if not host or not share:
            raise UsageError(f"{source.raw}: expected smb://host[:port]/share/path")
        self.host, self.port = host, int(port) if port else 445
        self.share, self.subpath = share, subpath.strip("/")
        self.hostport = hostport
        self.creds = load_credentials(userinfo or None)
        self._cache: dict[str, Any] = {}   # this connector's own connection pool
        # NOTE: smbprotocol's connection timeout bounds the TCP connect and the negotiate exchange; every later
        # wait is bounded by the read timeout (see _Connection)
        self.net = NetworkLimits.from_env(self.options.network)

    def _connection(self) -> _Connection:
        """This connector's connection to the server, connected afresh if it was dropped; smbclient's calls
        find it in the connection cache (under smbclient's own key) and open their session on it."""
        key = f"{self.host.lower()}:{self.port}"
        conn = self._cache.get(key)
        if not isinstance(conn, _Connection) or not conn.transport.connected:
            conn = _Connection(ClientConfig().client_guid, self.host, self.port, read_timeout=self.net.read)
            conn.connect(timeout=self.net.connect)
            self._cache[key] = conn
        return conn

    @property
    def _kw(self) -> dict[str, Any]:
        self._connection()
        return {"port": self.port, "connection_cache": self._cache, "username": self.creds.principal,
                "password": self.creds.password, "connection_timeout": self.net.connect}

    def _unc(self, key: str = "") -> str:
        return "\\\\" + "\\".join([self.host, self.share, *[p for p in key.split("/") if p]])

    def containers(self) -> Iterator[Container]:
        uri = f"smb://{self.hostport}/{self.share}"
        try:
            smbclient.stat(self._unc(self.subpath), **self._kw)
        except Exception as exc:  # noqa: BLE001 - the source is unreadable as a whole
            raise SourceError(f"{uri}: {describe(exc)}") from None
        facts: dict[str, Any] = {"share_acl": "unknown"}
        public: bool | None
        try:
            readers = self._root_readers()
        except Exception as exc:  # noqa: BLE001 - exposure unknown, not fatal
            facts["root_dacl"] = f"unknown: {describe(exc)}"
            public = None
        else:
            facts["root_readable_by"] = readers
            public = any(r in EXPOSED_SIDS.values() for r in readers)
        yield Container(uri=uri, provider="smb", location=self.host, location_type="on-prem", public=public,
                        facts=facts)

    def _root_readers(self) -> list[str]:
        """Well-known groups that the share root's DACL lets read (allowed and not denied)."""
        tree, _ = get_smb_tree(self._unc(), **self._kw)
        fd = Open(tree, "")
        fd.create(ImpersonationLevel.Impersonation, FilePipePrinterAccessMask.READ_CONTROL,
                  FileAttributes.FILE_ATTRIBUTE_DIRECTORY,
                  ShareAccess.FILE_SHARE_READ | ShareAccess.FILE_SHARE_WRITE | ShareAccess.FILE_SHARE_DELETE,
                  CreateDisposition.FILE_OPEN, CreateOptions.FILE_DIRECTORY_FILE)
        try:
            req = SMB2QueryInfoRequest()
            req["info_type"] = InfoType.SMB2_0_INFO_SECURITY
            req["output_buffer_length"] = 65536
            req["additional_information"] = DACL_SECURITY_INFORMATION
            req["file_id"] = fd.file_id
            conn = tree.session.connection
            response = conn.receive(conn.send(req, sid=tree.session.session_id, tid=tree.tree_connect_id))
            resp = SMB2QueryInfoResponse()
            resp.unpack(response["data"].get_value())
            sd = SMB2CreateSDBuffer()
            sd.unpack(resp["buffer"].get_value())
        finally:
            fd.close()
        dacl = sd.get_dacl()
        allowed: set[str] = set()
        denied: set[str] = set()
        for ace in dacl["aces"].get_value() if dacl else []:
            if not hasattr(ace, "fields") or "sid" not in ace.fields:
                continue
            if not ace["mask"].get_value() & READ_BITS:
                continue
            sid = str(ace["sid"].get_value())
            kind = ace["ace_type"].get_value()
            (allowed if kind == AceType.ACCESS_ALLOWED_ACE_TYPE else denied if kind == AceType.ACCESS_DENIED_ACE_TYPE
             else set()).add(sid)
        names = {**EXPOSED_SIDS, **NOTED_SIDS}
        return sorted(names[s] for s in allowed - denied if s in names)

    def objects(self, container: Container) -> Iterator[ObjectRef]:
        stack = [self.subpath]
        try:
            st = smbclient.stat(self._unc(self.subpath), **self._kw)
        except Exception as exc:  # noqa: BLE001
            yield self._error_ref(container, self.subpath, exc)
            return
        if not st.st_file_attributes & FILE_ATTRIBUTE_DIRECTORY:   # the URL names a single file
            stack = []
            yield self._ref(container, self.subpath, st.st_size, st.st_mtime_ns)
        while stack:
            rel = stack.pop()
            try:
                entries = sorted(smbclient.scandir(self._unc(rel), **self._kw), key=lambda e: e.name)
            except Exception as exc:  # noqa: BLE001 - an unreadable folder is recorded, the walk goes on
                yield self._error_ref(container, rel, exc)
                continue
            subdirs = []
            for entry in entries:
                info = entry.smb_info
                key = f"{rel}/{entry.name}" if rel else entry.name
                if info.file_attributes & FILE_ATTRIBUTE_REPARSE_POINT:
                    continue   # links and junctions are not followed
                if info.file_attributes & FILE_ATTRIBUTE_DIRECTORY:
                    subdirs.append(key)
                    continue
                mtime = info.last_write_time.astimezone(UTC)
                yield ObjectRef(uri=f"{container.uri}/{key}", container=container.uri, key=key,
                                size=info.end_of_file, modified=mtime,
                                etag=change_token(mtime, info.end_of_file))
            stack.extend(reversed(subdirs))

    def _ref(self, container: Container, key: str, size: int, mtime_ns: int) -> ObjectRef:
        mtime = EPOCH + timedelta(microseconds=mtime_ns // 1000)
        return ObjectRef(uri=f"{container.uri}/{key}", container=container.uri, key=key, size=size,
                         modified=mtime, etag=change_token(mtime, size))

    def _error_ref(self, container: Container, key: str, exc: Exception) -> ObjectRef:
        uri = f"{container.uri}/{key}".rstrip("/")
        reason = describe(exc)
        # NOTE: a folder the server stopped answering for leaves the listing unfinished; a denied one does not
        unfinished = {"listing": "incomplete"} if reason.startswith(CONNECTION_FAILED) else {}
        return ObjectRef(uri=uri, container=container.uri, key=key,
                         facts={"error": f"cannot list: {reason}", **unfinished})

    def open(self, ref: ObjectRef, deadline: Deadline | None = None) -> IO[bytes]:
        try:
            kw = self._kw
            conn = self._connection()
            with conn.reading(deadline):
                raw = smbclient.open_file(self._unc(ref.key), mode="rb", buffering=0, share_access="r", **kw)
        except ObjectError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise ObjectError(describe(exc)) from None
        return io.BufferedReader(_Stream(raw, conn, deadline), buffer_size=1 << 16)

    def close(self) -> None:
        smbclient.reset_connection_cache(fail_on_error=False, connection_cache=self._cache)


