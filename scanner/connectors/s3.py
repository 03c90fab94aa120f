"""s3:// — Amazon S3 and S3-compatible stores through boto3.

``s3://bucket/prefix`` scans one bucket; ``s3://`` every bucket of the account. Credentials come from
boto3's default chain (or ``--profile``); ``AWS_ENDPOINT_URL`` or ``--endpoint-url`` points at an
S3-compatible store. botocore's standard retry mode retries throttling and 5xx with backoff.
"""
from __future__ import annotations

import errno
import io
import threading
from datetime import UTC
from typing import IO, Any, Callable, Iterator

import boto3
import botocore.exceptions
from botocore.config import Config

from scanner.connectors.base import (
    CONNECTION_FAILED, Connector, ConnectorOptions, Deadline, NetworkLimits, SourceURL, cut,
)
from scanner.errors import ObjectError, SourceError
from scanner.model import Container, ObjectRef

PUBLIC_GROUPS = {
    "http://acs.amazonaws.com/groups/global/AllUsers": "AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "AuthenticatedUsers",
}
# Error codes that mean "this setting is not configured", not "we could not read it".
NOT_CONFIGURED = {
    "NoSuchPublicAccessBlockConfiguration", "ServerSideEncryptionConfigurationNotFoundError",
    "NoSuchBucketPolicy", "NoSuchBucketPolicyStatus",
}
DENIED = {"AccessDenied", "AllAccessDisabled", "Forbidden", "403"}
MISSING = {"NoSuchBucket", "NoSuchKey", "NotFound", "404"}


def region_of(location_constraint: str | None) -> str:
    """GetBucketLocation's answer as a region: None/"" is us-east-1 and the legacy "EU" is eu-west-1."""
    if not location_constraint:
        return "us-east-1"
    return "eu-west-1" if location_constraint == "EU" else location_constraint


def error_code(exc: Exception) -> str:
    if isinstance(exc, botocore.exceptions.ClientError):
        return str(exc.response.get("Error", {}).get("Code") or exc.response.get("ResponseMetadata", {})
                   .get("HTTPStatusCode", "error"))
    return type(exc).__name__


def describe(exc: Exception) -> str:
    """A one-line reason without request ids, URLs with signatures or credentials."""
    code = error_code(exc)
    if code in DENIED:
        return "access denied"
    if code in MISSING:
        return "not found"
    if isinstance(exc, botocore.exceptions.ClientError):
        return f"S3 error {code}"
    if isinstance(exc, (botocore.exceptions.NoCredentialsError, botocore.exceptions.PartialCredentialsError)):
        return "no AWS credentials found (environment, ~/.aws, --profile or instance role)"
    if isinstance(exc, botocore.exceptions.EndpointConnectionError):
        return f"{CONNECTION_FAILED}: cannot connect to the S3 endpoint {exc.kwargs.get('endpoint_url', '')}".rstrip()
    if isinstance(exc, _CONNECTION_ERRORS):
        return f"{CONNECTION_FAILED} ({type(exc).__name__})"
    return f"{type(exc).__name__}"


# what a dead, stalled or dropping endpoint raises (not the object's fault)
_CONNECTION_ERRORS = (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ConnectTimeoutError,
                      botocore.exceptions.ReadTimeoutError, botocore.exceptions.ConnectionClosedError,
                      botocore.exceptions.ResponseStreamingError, botocore.exceptions.HTTPClientError)


class _Body(io.RawIOBase):
    """An object's streamed body whose network failures are OSErrors naming a connection failure, so the
    pipeline records them as read errors of a failed endpoint, not as a bug."""

    def __init__(self, body: Any, deadline: Deadline | None = None):
        self._body, self._deadline = body, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        cut(self._deadline, 0)     # NOTE: each wait is bounded by the socket timeout the GET got (see _bound_wait)
        try:
            data = self._body.read(len(b))
        except _CONNECTION_ERRORS as exc:
            raise OSError(errno.EIO, f"{CONNECTION_FAILED} ({type(exc).__name__})") from None
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._body.close()
        super().close()


class S3Connector(Connector):
    scheme = "s3"

    def __init__(self, source: SourceURL, options: ConnectorOptions | None = None):
        super().__init__(source, options)
        self.bucket = source.netloc or None
        self.prefix = source.path
        try:
            session = boto3.session.Session(profile_name=self.options.profile)
        except botocore.exceptions.ProfileNotFound:
            raise SourceError(f"{source.raw}: AWS profile {self.options.profile!r} not found") from None
        net = NetworkLimits.from_env(self.options.network)
        config = Config(retries={"mode": "standard", "max_attempts": net.attempts}, connect_timeout=net.connect,
                        read_timeout=net.read)
        self.client = session.client("s3", endpoint_url=self.options.endpoint_url or None, config=config)
        self.net = net
        self._reading = threading.local()      # the deadline of the object this thread is reading
        self.client.meta.events.register("before-send.s3.GetObject", self._bound_wait)

    def _bound_wait(self, request: Any, **_: Any) -> None:
        """Each attempt of an object's GET (and its body's reads) waits at most what is left of the object's
        deadline: botocore takes a per-request read timeout from the request context. A retry that finds none
        left ends the object as a connection failure instead of waiting again."""
        deadline = getattr(self._reading, "deadline", None)
        if deadline is not None:
            retrying = request.context.get("retries", {}).get("attempt", 1) > 1
            request.context["read_timeout"] = deadline.timeout(self.net.read, retrying)

    # --- containers ---------------------------------------------------------------------------
    def containers(self) -> Iterator[Container]:
        if self.bucket:
            try:
                self.client.head_bucket(Bucket=self.bucket)
            except Exception as exc:  # noqa: BLE001 - every failure here means the source is unreadable
                raise SourceError(f"s3://{self.bucket}: {describe(exc)}") from None
            yield self._container(self.bucket)
            return
        try:
            names = [b["Name"] for page in self.client.get_paginator("list_buckets").paginate()
                     for b in page.get("Buckets", [])]
        except Exception as exc:  # noqa: BLE001
            raise SourceError(f"s3://: cannot list buckets: {describe(exc)}") from None
        for name in sorted(names):
            yield self._container(name)

    def _call(self, unknown: dict[str, str], fact: str, fn: Callable[..., dict[str, Any]],
              **kwargs: Any) -> dict[str, Any] | None:
        """One facts call: the response, {} if the setting is not configured, None if unreadable."""
        try:
            return fn(**kwargs)
        except Exception as exc:  # noqa: BLE001
            if error_code(exc) in NOT_CONFIGURED:
                return {}
            unknown[fact] = describe(exc)
            return None

    def _container(self, bucket: str) -> Container:
        unknown: dict[str, str] = {}
        facts: dict[str, Any] = {}
        loc = self._call(unknown, "region", self.client.get_bucket_location, Bucket=bucket)
        region = region_of(loc.get("LocationConstraint")) if loc is not None else self._head_region(bucket)
        public, reasons = self._public(bucket, unknown)
        encrypted = self._encryption(bucket, facts, unknown)
        ver = self._call(unknown, "versioning", self.client.get_bucket_versioning, Bucket=bucket)
        if ver is not None:
            facts["versioning"] = ver.get("Status", "Disabled")
        facts["public_reasons"] = reasons
        if unknown:
            facts["unknown"] = unknown
        return Container(uri=f"s3://{bucket}", provider="s3", location=region,
                         location_type="region" if region else None, public=public, encrypted=encrypted,
                         facts=facts)

    def _head_region(self, bucket: str) -> str | None:
        """HeadBucket's x-amz-bucket-region header, when GetBucketLocation is not allowed."""
        try:
            meta = self.client.head_bucket(Bucket=bucket)["ResponseMetadata"]
        except Exception:  # noqa: BLE001
            return None
        region: str | None = meta.get("HTTPHeaders", {}).get("x-amz-bucket-region")
        return region

    def _public(self, bucket: str, unknown: dict[str, str]) -> tuple[bool | None, list[str]]:
        pab = self._call(unknown, "public_access_block", self.client.get_public_access_block, Bucket=bucket)
        block = (pab or {}).get("PublicAccessBlockConfiguration", {})
        reasons: list[str] = []
        status = self._call(unknown, "policy_status", self.client.get_bucket_policy_status, Bucket=bucket)
        if status and status.get("PolicyStatus", {}).get("IsPublic") and not block.get("RestrictPublicBuckets"):
            reasons.append("policy")
        acl = self._call(unknown, "acl", self.client.get_bucket_acl, Bucket=bucket)
        if acl and not block.get("IgnorePublicAcls"):
            for grant in acl.get("Grants", []):
                group = PUBLIC_GROUPS.get(grant.get("Grantee", {}).get("URI", ""))
                if group:
                    reasons.append(f"acl:{group}:{grant.get('Permission')}")
        if reasons:
            return True, reasons
        fully_blocked = pab is not None and all(block.get(k) for k in ("IgnorePublicAcls", "RestrictPublicBuckets"))
        if fully_blocked or (status is not None and acl is not None):
            return False, reasons
        return None, reasons

    def _encryption(self, bucket: str, facts: dict[str, Any], unknown: dict[str, str]) -> bool | None:
        enc = self._call(unknown, "encryption", self.client.get_bucket_encryption, Bucket=bucket)
        if enc is None:
            return None
        rules = enc.get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
        default = rules[0].get("ApplyServerSideEncryptionByDefault", {}) if rules else {}
        if not default:
            return False
        facts["encryption"] = default.get("SSEAlgorithm")
        if default.get("KMSMasterKeyID"):
            facts["kms_key"] = default["KMSMasterKeyID"]
        return True

    # --- objects ------------------------------------------------------------------------------
    def objects(self, container: Container) -> Iterator[ObjectRef]:
        bucket = container.uri[len("s3://"):]
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=self.prefix)
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    key = item["Key"]
                    if key.endswith("/") and item.get("Size", 0) == 0:
                        continue   # a console "folder" marker, not an object
                    yield ObjectRef(uri=f"s3://{bucket}/{key}", container=container.uri, key=key,
                                    size=item.get("Size"),
                                    modified=item["LastModified"].astimezone(UTC),
                                    etag=item.get("ETag", "").strip('"') or None,
                                    facts={"storage_class": item.get("StorageClass", "STANDARD")})
        except Exception as exc:  # noqa: BLE001 - record the unlistable part and go on
            yield ObjectRef(uri=f"s3://{bucket}/{self.prefix}", container=container.uri, key=self.prefix,
                            facts={"error": f"cannot list: {describe(exc)}", "listing": "incomplete"})

    def open(self, ref: ObjectRef, deadline: Deadline | None = None) -> IO[bytes]:
        return io.BufferedReader(_Body(self._get(ref, deadline)["Body"], deadline), buffer_size=1 << 16)

    def read_range(self, ref: ObjectRef, start: int, length: int) -> bytes:
        if length <= 0:
            return b""
        try:
            data: bytes = self._get(ref, Range=f"bytes={start}-{start + length - 1}")["Body"].read()
            return data
        except ObjectError as exc:
            if exc.reason == "S3 error InvalidRange":
                return b""
            raise

    def _get(self, ref: ObjectRef, deadline: Deadline | None = None, **kwargs: Any) -> dict[str, Any]:
        bucket = ref.container[len("s3://"):]
        self._reading.deadline = deadline
        try:
            response: dict[str, Any] = self.client.get_object(Bucket=bucket, Key=ref.key, **kwargs)
            return response
        except ObjectError:
            raise                  # the deadline passed (see _bound_wait)
        except Exception as exc:  # noqa: BLE001
            raise ObjectError(describe(exc)) from None
        finally:
            self._reading.deadline = None

    def close(self) -> None:
        self.client.close()

