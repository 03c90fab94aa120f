"""az:// — Azure Blob Storage through azure-storage-blob (extra ``azure``).

``az://account/container/prefix`` scans one container; ``az://account`` every container of the account.
Credentials: ``AZURE_STORAGE_CONNECTION_STRING`` when it names this account, else
DefaultAzureCredential (azure-identity). The data-plane API does not tell an account's region, so the
location comes from ``ConnectorOptions.region_hints`` (keyed by container URI or account name).
"""
from __future__ import annotations

import io
import os
from typing import IO, Any, Iterator

from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    IncompleteReadError,
    ResourceNotFoundError,
    ServiceRequestError,
    ServiceResponseError,
)
from azure.storage.blob import BlobServiceClient, ContainerProperties, ExponentialRetry

from scanner.connectors.base import (
    CONNECTION_FAILED, Connector, ConnectorOptions, Deadline, NetworkLimits, Ranged, SourceURL, cut,
)
from scanner.errors import MissingDependency, ObjectError, SourceError, UsageError
from scanner.model import Container, ObjectRef

CHUNK = 4 << 20
GEO_REPLICATED = ("GRS", "RAGRS", "GZRS", "RAGZRS")


def describe(exc: Exception) -> str:
    """A one-line reason without keys, SAS tokens or request ids."""
    # NOTE: the endpoint, not the blob: unreachable, stalled, or an answer cut off mid-body (IncompleteReadError)
    if isinstance(exc, ServiceRequestError | ServiceResponseError | IncompleteReadError):
        return f"{CONNECTION_FAILED} ({type(exc).__name__})"
    if isinstance(exc, ResourceNotFoundError):
        return "not found"
    if isinstance(exc, ClientAuthenticationError):
        return "authentication failed"
    if isinstance(exc, HttpResponseError):
        if exc.status_code == 403:
            return "access denied"
        return f"Azure error {exc.status_code} {getattr(exc, 'error_code', '') or ''}".rstrip()
    return type(exc).__name__


def connection_string_account(conn: str) -> str | None:
    for part in conn.split(";"):
        key, _, value = part.partition("=")
        if key.strip().lower() == "accountname":
            return value.strip()
    return None


class _DeadlineRetry(ExponentialRetry):
    """ExponentialRetry that stops at the object's deadline, given per call as ``deadline=``: no retry once it
    has passed, no backoff beyond it, and each retry's read timeout cut to what is left of it."""

    def __init__(self, read_timeout: float, **kwargs: Any):
        super().__init__(**kwargs)
        self.read_timeout = read_timeout

    def configure_retries(self, request: Any) -> dict[str, Any]:
        settings = super().configure_retries(request)
        settings["deadline"] = request.context.options.pop("deadline", None)
        settings["options"] = request.context.options        # what the transport is given, at every attempt
        return settings

    def increment(self, settings: dict[str, Any], request: Any, response: Any = None, error: Any = None) -> bool:
        deadline: Deadline | None = settings["deadline"]
        if deadline is not None and deadline.left() <= 0:
            return False                                       # the failure stands: a connection failure
        again = super().increment(settings, request, response, error)
        if again and deadline is not None:
            settings["options"]["read_timeout"] = min(self.read_timeout, max(deadline.left(), 0.001))
        return again

    def get_backoff_time(self, settings: dict[str, Any]) -> float:
        backoff = super().get_backoff_time(settings)
        deadline: Deadline | None = settings["deadline"]
        return backoff if deadline is None else min(backoff, max(deadline.left(), 0))


class AzureConnector(Connector):
    scheme = "az"

    def __init__(self, source: SourceURL, options: ConnectorOptions | None = None):
        super().__init__(source, options)
        self.account = source.netloc
        if not self.account:
            raise UsageError(f"{source.raw}: expected az://account/container/prefix")
        self.container_name, _, self.prefix = source.path.partition("/")
        self.service = self._service()

    def _service(self) -> BlobServiceClient:
        net = self.net = NetworkLimits.from_env(self.options.network)
        kwargs: dict[str, Any] = {
            "retry_policy": _DeadlineRetry(net.read, initial_backoff=2, increment_base=2, retry_total=net.attempts - 1),
            "connection_timeout": net.connect, "read_timeout": net.read,
            "max_single_get_size": CHUNK, "max_chunk_get_size": CHUNK,
        }
        conn = os.environ.get("AZURE_STORAGE_CONNECTION_STRING", "")
        if conn and connection_string_account(conn) == self.account:
            try:
                return BlobServiceClient.from_connection_string(conn, **kwargs)
            except ValueError:
                raise SourceError(f"az://{self.account}: AZURE_STORAGE_CONNECTION_STRING is malformed") from None
        try:
            from azure.identity import DefaultAzureCredential
        except ImportError:
            raise MissingDependency(
                f"az://{self.account} without AZURE_STORAGE_CONNECTION_STRING needs azure-identity: "
                "pip install 'pii-scan[azure]'") from None
        return BlobServiceClient(f"https://{self.account}.blob.core.windows.net",
                                 credential=DefaultAzureCredential(), **kwargs)

    def _uri(self, container: str) -> str:
        return f"az://{self.account}/{container}"

    def containers(self) -> Iterator[Container]:
        account = self._account_facts()
        if self.container_name:
            try:
                props = self.service.get_container_client(self.container_name).get_container_properties()
            except Exception as exc:  # noqa: BLE001
                raise SourceError(f"{self._uri(self.container_name)}: {describe(exc)}") from None
            yield self._container(props, account)
            return
        try:
            listing = sorted(self.service.list_containers(), key=lambda c: c.name)
        except Exception as exc:  # noqa: BLE001
            raise SourceError(f"az://{self.account}: cannot list containers: {describe(exc)}") from None
        for props in listing:
            yield self._container(props, account)

    def _account_facts(self) -> dict[str, Any]:
        try:
            info = self.service.get_account_information()
        except Exception as exc:  # noqa: BLE001 - needs account-level rights a SAS may not have
            return {"unknown": {"account": describe(exc)}}
        sku = info.get("sku_name") or ""
        return {"sku": sku, "account_kind": info.get("account_kind"),
                "geo_replicated": sku.split("_")[-1].upper() in GEO_REPLICATED}

    def _container(self, props: ContainerProperties, account: dict[str, Any]) -> Container:
        uri = self._uri(props.name)
        hints = self.options.region_hints
        location = hints.get(uri) or hints.get(self.account)
        scope = getattr(props, "encryption_scope", None)
        facts = dict(account, public_access=props.public_access,
                     location_source="config" if location else "unknown",
                     encryption_scope=getattr(scope, "default_encryption_scope", None),
                     immutability_policy=bool(props.has_immutability_policy),
                     legal_hold=bool(props.has_legal_hold))
        return Container(uri=uri, provider="azure", location=location,
                         location_type="region" if location else None,
                         public=props.public_access is not None,
                         encrypted=True,   # Azure Storage encrypts all data at rest
                         facts=facts)

    def objects(self, container: Container) -> Iterator[ObjectRef]:
        name = container.uri.rsplit("/", 1)[1]
        client = self.service.get_container_client(name)
        try:
            for blob in client.list_blobs(name_starts_with=self.prefix or None):
                yield ObjectRef(uri=f"{container.uri}/{blob.name}", container=container.uri, key=blob.name,
                                size=blob.size, modified=blob.last_modified, etag=blob.etag.strip('"'),
                                facts={"blob_type": str(blob.blob_type.value if blob.blob_type else ""),
                                       "access_tier": blob.blob_tier})
        except Exception as exc:  # noqa: BLE001 - record the unlistable part and go on
            yield ObjectRef(uri=f"{container.uri}/{self.prefix}", container=container.uri, key=self.prefix,
                            facts={"error": f"cannot list: {describe(exc)}", "listing": "incomplete"})

    def open(self, ref: ObjectRef, deadline: Deadline | None = None) -> IO[bytes]:
        return io.BufferedReader(Ranged(lambda start, n: self._range(ref, start, n, deadline), ref.size),
                                 buffer_size=CHUNK)

    def read_range(self, ref: ObjectRef, start: int, length: int) -> bytes:
        return self._range(ref, start, length)

    def _range(self, ref: ObjectRef, start: int, length: int, deadline: Deadline | None = None) -> bytes:
        if length <= 0 or (ref.size is not None and start >= ref.size):
            return b""
        if ref.size is not None:
            length = min(length, ref.size - start)
        blob = self.service.get_blob_client(ref.container.rsplit("/", 1)[1], ref.key)
        try:
            return blob.download_blob(offset=start, length=length, max_concurrency=1, deadline=deadline,
                                      read_timeout=cut(deadline, self.net.read)).readall()
        except HttpResponseError as exc:
            if exc.status_code == 416:            # past the end of a blob whose size was not listed
                return b""
            raise ObjectError(describe(exc)) from None
        except ObjectError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise ObjectError(describe(exc)) from None

    def close(self) -> None:
        self.service.close()
