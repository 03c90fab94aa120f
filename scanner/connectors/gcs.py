"""gs:// — Google Cloud Storage through google-cloud-storage.

``gs://bucket/prefix`` scans one bucket; ``gs://`` every bucket in ``--project``. Credentials are
Application Default Credentials; ``STORAGE_EMULATOR_HOST`` (honoured by the SDK) points at an emulator.
"""
from __future__ import annotations

import io
from datetime import UTC
from typing import IO, Any, Iterator

from google.api_core import exceptions as gexc
from google.auth.exceptions import DefaultCredentialsError
from google.cloud import storage
from google.cloud.storage.retry import DEFAULT_RETRY
from requests import exceptions as rexc

from scanner.connectors.base import (
    CONNECTION_FAILED, Connector, ConnectorOptions, Deadline, NetworkLimits, Ranged, SourceURL, cut,
)
from scanner.errors import ObjectError, SourceError
from scanner.model import Container, ObjectRef

PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")
CHUNK = 8 << 20


def describe(exc: Exception) -> str:
    """A one-line reason without tokens or URLs."""
    # NOTE: the endpoint, not the object: unreachable, stalled, or an answer cut off mid-body
    if isinstance(exc, rexc.ConnectionError | rexc.Timeout | rexc.ChunkedEncodingError | gexc.RetryError):
        return f"{CONNECTION_FAILED} ({type(exc).__name__})"
    if isinstance(exc, gexc.Forbidden):
        return "access denied"
    if isinstance(exc, gexc.Unauthorized):
        return "not authenticated"
    if isinstance(exc, gexc.NotFound):
        return "not found"
    if isinstance(exc, DefaultCredentialsError):
        return "no Google credentials found (Application Default Credentials)"
    if isinstance(exc, gexc.GoogleAPICallError):
        return f"GCS error {exc.code}"
    return type(exc).__name__


class GCSConnector(Connector):
    scheme = "gs"

    def __init__(self, source: SourceURL, options: ConnectorOptions | None = None):
        super().__init__(source, options)
        self.bucket = source.netloc or None
        self.prefix = source.path
        self.limits = NetworkLimits.from_env(self.options.network)
        self.net = self._net()
        try:
            self.client = storage.Client(project=self.options.project)
        except Exception as exc:  # noqa: BLE001 - credentials/project discovery
            raise SourceError(f"{source.raw}: {describe(exc)}") from None

    def _net(self, deadline: Deadline | None = None) -> dict[str, Any]:
        """Every request's (connect, read) timeouts; retries (of transient errors) stop after about the time
        the attempts would take, and one attempt means none. Both are cut to what is left of ``deadline``."""
        net = self.limits
        budget = cut(deadline, net.attempts * (net.connect + net.read))
        return {"timeout": (net.connect, cut(deadline, net.read)),
                "retry": DEFAULT_RETRY.with_timeout(budget) if net.attempts > 1 else None}

    def containers(self) -> Iterator[Container]:
        if self.bucket:
            try:
                bucket = self.client.get_bucket(self.bucket)
            except Exception as exc:  # noqa: BLE001
                raise SourceError(f"gs://{self.bucket}: {describe(exc)}") from None
            yield self._container(bucket)
            return
        if not self.options.project:
            raise SourceError("gs://: listing every bucket needs --project")
        try:
            buckets = sorted(self.client.list_buckets(project=self.options.project), key=lambda b: b.name)
        except Exception as exc:  # noqa: BLE001
            raise SourceError(f"gs://: cannot list buckets of {self.options.project}: {describe(exc)}") from None
        for bucket in buckets:
            yield self._container(bucket)

    def _container(self, bucket: storage.Bucket) -> Container:
        facts: dict[str, Any] = {}
        unknown: dict[str, str] = {}
        data_locations = bucket.data_locations
        if data_locations:
            facts["data_locations"] = list(data_locations)
        facts["kms_key"] = bucket.default_kms_key_name
        facts["encryption"] = "customer-managed" if bucket.default_kms_key_name else "google-managed"
        facts["retention_seconds"] = bucket.retention_period
        facts["retention_locked"] = bool(bucket.retention_policy_locked)
        facts["versioning"] = bool(bucket.versioning_enabled)
        pap = bucket.iam_configuration.public_access_prevention
        facts["public_access_prevention"] = pap
        public, reasons = self._public(bucket, pap, unknown)
        facts["public_reasons"] = reasons
        if unknown:
            facts["unknown"] = unknown
        location_type = (bucket.location_type or "").lower() or None
        return Container(uri=f"gs://{bucket.name}", provider="gcs", location=bucket.location,
                         location_type=location_type, public=public,
                         encrypted=True,   # GCS encrypts every object at rest; the key kind is in facts
                         facts=facts)

    def _public(self, bucket: storage.Bucket, pap: str | None, unknown: dict[str, str]) -> tuple[bool | None, list[str]]:
        reasons: list[str] = []
        try:
            policy = bucket.get_iam_policy(requested_policy_version=3)
            for binding in policy.bindings:
                for member in sorted(binding.get("members", ())):
                    if member in PUBLIC_MEMBERS:
                        reasons.append(f"iam:{member}:{binding['role']}")
        except Exception as exc:  # noqa: BLE001
            unknown["iam"] = describe(exc)
        if pap == "enforced":
            return False, reasons   # public access prevention overrides any grant
        if reasons:
            return True, reasons
        return (None if unknown else False), reasons

    def objects(self, container: Container) -> Iterator[ObjectRef]:
        name = container.uri[len("gs://"):]
        try:
            for blob in self.client.list_blobs(name, prefix=self.prefix or None, **self.net):
                if blob.name.endswith("/") and not blob.size:
                    continue   # a "folder" placeholder
                yield ObjectRef(uri=f"gs://{name}/{blob.name}", container=container.uri, key=blob.name,
                                size=blob.size, modified=blob.updated.astimezone(UTC),
                                etag=str(blob.generation) if blob.generation else blob.etag,
                                facts={"storage_class": blob.storage_class, "md5": blob.md5_hash})
        except Exception as exc:  # noqa: BLE001 - record the unlistable part and go on
            yield ObjectRef(uri=f"gs://{name}/{self.prefix}", container=container.uri, key=self.prefix,
                            facts={"error": f"cannot list: {describe(exc)}", "listing": "incomplete"})

    def _blob(self, ref: ObjectRef) -> storage.Blob:
        generation = int(ref.etag) if ref.etag and ref.etag.isdigit() else None
        return self.client.bucket(ref.container[len("gs://"):]).blob(ref.key, generation=generation)

    def open(self, ref: ObjectRef, deadline: Deadline | None = None) -> IO[bytes]:
        blob = self._blob(ref)
        try:
            # NOTE: one metadata GET first, so a denied/missing object fails here (as ObjectError)
            # rather than in the middle of the pipeline's first read; it also gives seek() the size.
            blob.reload(**self._net(deadline))
        except ObjectError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise ObjectError(describe(exc)) from None
        size = blob.size if blob.size is not None else ref.size
        return io.BufferedReader(Ranged(lambda start, n: self._range(ref, start, n, deadline), size),
                                 buffer_size=CHUNK)

    def read_range(self, ref: ObjectRef, start: int, length: int) -> bytes:
        return self._range(ref, start, length)

    def _range(self, ref: ObjectRef, start: int, length: int, deadline: Deadline | None = None) -> bytes:
        if length <= 0 or (ref.size is not None and start >= ref.size):
            return b""
        try:
            # NOTE: a fresh blob (no media link): the download URL is built from the client's endpoint
            data: bytes = self._blob(ref).download_as_bytes(start=start, end=start + length - 1, checksum=None,
                                                            **self._net(deadline))
            return data
        except gexc.RequestRangeNotSatisfiable:
            return b""
        except ObjectError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise ObjectError(describe(exc)) from None

    def close(self) -> None:
        self.client.close()
