"""The boto3-shaped S3 client: ``cloud.client("s3")``.

Calls, response keys and error codes follow boto3 1.4x against AWS today (default
encryption reported as ``ServerSideEncryption: AES256``, CRC32 checksums, ``EncodingType:
url`` echoed in listings because boto3 always sends it).  Parameters for features awskit
does not model (SSE-C keys, Object Lock, request payer, expected bucket owner...) are
accepted and ignored, so scripts written for AWS run unchanged.

Bucket and object operations live here; bucket configuration (versioning, permissions,
tags, website, lifecycle, notifications) is in :mod:`.s3_buckets` and multipart uploads
in :mod:`.s3_multipart`, both base classes of :class:`S3Client`.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any, ClassVar

from ..core.errors import AWSError, InvalidParameter
from ..regions import REGIONS
from ..s3.objects import StreamingBody, parse_range
from ..s3.service import S3Service
from ._s3_common import _SSE, _copy_source, _owner, _tag_set, _tagging, _token, _untoken
from .base import ParamValidationError, check_type, to_tags
from .s3_buckets import BucketConfigOps
from .s3_multipart import MultipartOps

__all__ = ["S3Client"]

class S3Client(BucketConfigOps, MultipartOps):
    """Amazon S3 through boto3's calls.

    >>> from awskit import Cloud
    >>> s3 = Cloud(seed=2).client("s3")
    >>> _ = s3.create_bucket(Bucket="reports-2026")
    >>> _ = s3.put_object(Bucket="reports-2026", Key="q1.csv", Body=b"a,b\\n1,2\\n")
    >>> s3.get_object(Bucket="reports-2026", Key="q1.csv")["Body"].read()
    b'a,b\\n1,2\\n'
    """

    service_name = "s3"
    error_codes = ("NoSuchBucket", "NoSuchKey", "NoSuchUpload", "BucketAlreadyExists", "BucketAlreadyOwnedByYou",
                   "InvalidObjectState", "ObjectAlreadyInActiveTierError", "ObjectNotInActiveTierError",
                   "InvalidRequest", "TooManyParts", "EncryptionTypeMismatch", "InvalidWriteOffset",
                   "IdempotencyParameterMismatch")
    paginators: ClassVar[dict] = {
        "list_objects_v2": ("ContinuationToken", "NextContinuationToken", "MaxKeys", ("Contents", "CommonPrefixes")),
        "list_objects": ("Marker", "NextMarker", "MaxKeys", ("Contents", "CommonPrefixes")),
        "list_buckets": ("ContinuationToken", "ContinuationToken", "MaxBuckets", ("Buckets",)),
        "list_parts": ("PartNumberMarker", "NextPartNumberMarker", "MaxParts", ("Parts",)),
    }
    waiters: ClassVar[dict] = {
        "bucket_exists": ("_probe_bucket", lambda r: r["exists"], 5, 20),
        "bucket_not_exists": ("_probe_bucket", lambda r: not r["exists"], 5, 20),
        "object_exists": ("_probe_object", lambda r: r["exists"], 5, 20),
        "object_not_exists": ("_probe_object", lambda r: not r["exists"], 5, 20),
    }

    def __init__(self, cloud, region, **kwargs: Any) -> None:
        super().__init__(cloud, region, **kwargs)
        self._s3: S3Service = cloud.s3
        self._now = cloud.clock.to_datetime
        if not kwargs.get("endpoint_url"):
            self.meta.endpoint_url = ("https://s3.amazonaws.com" if region.name == "us-east-1"
                                      else f"https://s3.{region.name}.amazonaws.com")

    # -- waiters' probes (not operations) -----------------------------------------
    def _probe_bucket(self, Bucket: str) -> dict:
        return {"exists": Bucket in self._s3._names}

    def _probe_object(self, Bucket: str, Key: str, **_: Any) -> dict:
        b = self._s3._names.get(Bucket)
        v = b.current(Key) if b is not None else None
        return {"exists": v is not None and not v.delete_marker}

    # ======================================================================
    # buckets
    # ======================================================================
    def create_bucket(self, *, Bucket, ACL=None, CreateBucketConfiguration=None, ObjectOwnership=None,
                      GrantFullControl=None, GrantRead=None, GrantReadACP=None, GrantWrite=None,
                      GrantWriteACP=None, ObjectLockEnabledForBucket=None):
        check_type("Bucket", Bucket, str)
        here = self._region.name
        constraint = None
        if CreateBucketConfiguration is not None:
            check_type("CreateBucketConfiguration", CreateBucketConfiguration, dict)
            constraint = CreateBucketConfiguration.get("LocationConstraint")
        if constraint is not None:
            if constraint == "us-east-1" or constraint not in REGIONS:
                raise InvalidParameter("InvalidLocationConstraint", f"The specified location-constraint is not "
                                       f"valid: {constraint!r}. Omit CreateBucketConfiguration for us-east-1; "
                                       "otherwise give a region code such as 'eu-west-1'.",
                                       LocationConstraint=str(constraint))
            if here != "us-east-1" and constraint != here:
                raise InvalidParameter("IllegalLocationConstraintException",
                                       f"The {constraint} location constraint is incompatible for the region "
                                       f"specific endpoint this request was sent to ({here}). Use a client for "
                                       f"{constraint}.")
        elif here != "us-east-1":
            raise InvalidParameter("IllegalLocationConstraintException",
                                   "The unspecified location constraint is incompatible for the region specific "
                                   f"endpoint this request was sent to: a client in {here} must pass "
                                   f"CreateBucketConfiguration={{'LocationConstraint': '{here}'}}.")
        region = constraint or "us-east-1"
        self._s3.create_bucket(Bucket, region, acl=ACL, object_ownership=ObjectOwnership)
        location = f"/{Bucket}" if region == "us-east-1" else f"http://{Bucket}.s3.amazonaws.com/"
        return {"Location": location}

    def head_bucket(self, *, Bucket, ExpectedBucketOwner=None):
        b = self._head(lambda: self._s3.bucket(Bucket))
        return {"BucketRegion": b.region, "AccessPointAlias": False}

    def _head(self, fn):
        """HEAD responses have no body, so boto3 reports only the HTTP status as the code."""
        try:
            return fn()
        except AWSError as err:
            raise AWSError(str(err.status), {400: "Bad Request", 403: "Forbidden", 404: "Not Found",
                                             405: "Method Not Allowed"}.get(err.status, err.message),
                           status=err.status) from None

    def list_buckets(self, *, MaxBuckets=None, ContinuationToken=None, Prefix=None, BucketRegion=None):
        buckets = self._s3.list_buckets()
        if Prefix:
            buckets = [b for b in buckets if b.name.startswith(Prefix)]
        if BucketRegion:
            buckets = [b for b in buckets if b.region == BucketRegion]
        if ContinuationToken:
            after = _untoken(ContinuationToken)
            buckets = [b for b in buckets if b.name > after]
        out: dict[str, Any] = {}
        if MaxBuckets is not None:
            check_type("MaxBuckets", MaxBuckets, int)
            if len(buckets) > MaxBuckets:
                buckets = buckets[:MaxBuckets]
                out["ContinuationToken"] = _token(buckets[-1].name)
        out["Buckets"] = [{"Name": b.name, "CreationDate": self._now(b.created), "BucketRegion": b.region}
                          for b in buckets]
        out["Owner"] = _owner(self._cloud.account_id)
        if Prefix:
            out["Prefix"] = Prefix
        return out

    def get_bucket_location(self, *, Bucket, ExpectedBucketOwner=None):
        return {"LocationConstraint": self._s3.get_bucket_location(Bucket)}

    def delete_bucket(self, *, Bucket, ExpectedBucketOwner=None):
        self._s3.delete_bucket(Bucket)
        return {"ResponseMetadata": self._meta(204)}

    # ======================================================================
    # objects
    # ======================================================================
    def put_object(self, *, Bucket, Key, Body=None, ACL=None, CacheControl=None, ContentDisposition=None,
                   ContentEncoding=None, ContentLanguage=None, ContentLength=None, ContentMD5=None,
                   ContentType=None, ChecksumAlgorithm=None, ChecksumCRC32=None, ChecksumCRC32C=None,
                   ChecksumSHA1=None, ChecksumSHA256=None, Expires=None, IfMatch=None, IfNoneMatch=None,
                   GrantFullControl=None, GrantRead=None, GrantReadACP=None, GrantWriteACP=None, Metadata=None,
                   ServerSideEncryption=None, StorageClass=None, WebsiteRedirectLocation=None,
                   SSECustomerAlgorithm=None, SSECustomerKey=None, SSECustomerKeyMD5=None, SSEKMSKeyId=None,
                   SSEKMSEncryptionContext=None, BucketKeyEnabled=None, RequestPayer=None, Tagging=None,
                   ObjectLockMode=None, ObjectLockRetainUntilDate=None, ObjectLockLegalHoldStatus=None,
                   ExpectedBucketOwner=None):
        data = Body if isinstance(Body, bytes) else self._body(Body)
        if ContentMD5 is not None and base64.b64encode(hashlib.md5(data).digest()).decode() != ContentMD5:
            raise InvalidParameter("BadDigest", "The Content-MD5 you specified did not match what we received.")
        if IfNoneMatch is not None and IfNoneMatch == "*":
            b = self._s3._names.get(Bucket)
            cur = b.current(Key) if b is not None else None
            if cur is not None and not cur.delete_marker:
                raise AWSError("PreconditionFailed", f"IfNoneMatch='*' and {Key!r} already exists.", status=412,
                               Condition="If-None-Match")
        headers = {}
        for name, value in (("CacheControl", CacheControl), ("ContentDisposition", ContentDisposition),
                            ("ContentEncoding", ContentEncoding), ("ContentLanguage", ContentLanguage)):
            if value is not None:
                headers[name] = value
        v = self._s3.put_object(Bucket, Key, data, content_type=ContentType, metadata=Metadata,
                                storage_class=StorageClass or "STANDARD",
                                tags=_tagging(Tagging) if Tagging is not None else None, acl=ACL,
                                headers=headers, website_redirect=WebsiteRedirectLocation)
        out = {"ETag": v.etag, "ChecksumCRC32": v.checksum, "ChecksumType": "FULL_OBJECT",
               "ServerSideEncryption": _SSE}
        if v.version_id != "null":
            out["VersionId"] = v.version_id
        return out

    @staticmethod
    def _body(body: Any) -> bytes:
        if body is None:
            return b""
        if isinstance(body, str):
            return body.encode("utf-8")
        if isinstance(body, (bytearray, memoryview)):
            return bytes(body)
        read = getattr(body, "read", None)
        if callable(read):
            data = read()
            return data.encode("utf-8") if isinstance(data, str) else bytes(data)
        raise ParamValidationError(f"Invalid type for parameter Body, value: {body!r}, type: "
                                   f"{type(body).__name__}, valid types: bytes, bytearray, file-like object")

    def _object_fields(self, v, out: dict) -> dict:
        out["AcceptRanges"] = "bytes"
        out["LastModified"] = self._now(v.last_modified)
        out["ContentLength"] = v.size
        out["ETag"] = v.etag
        out["ContentType"] = v.content_type
        out["ServerSideEncryption"] = _SSE
        out["Metadata"] = dict(v.metadata)
        if v.headers:
            out.update(v.headers)
        if v.version_id != "null":
            out["VersionId"] = v.version_id
        if v.storage_class.value != "STANDARD":
            out["StorageClass"] = v.storage_class.value
        if v.restore is not None:
            now = self._cloud.clock.now
            if v.restore.ongoing(now):
                out["Restore"] = 'ongoing-request="true"'
            elif v.restore.expires_at is not None and now < v.restore.expires_at:
                expiry = self._now(v.restore.expires_at).strftime("%a, %d %b %Y %H:%M:%S GMT")
                out["Restore"] = f'ongoing-request="false", expiry-date="{expiry}"'
        if v.parts:
            out["PartsCount"] = v.parts
        if v.tags:
            out["TagCount"] = len(v.tags)
        if v.website_redirect:
            out["WebsiteRedirectLocation"] = v.website_redirect
        return out

    def _conditions(self, v, IfMatch, IfNoneMatch, IfModifiedSince, IfUnmodifiedSince) -> None:
        modified = self._now(v.last_modified)
        if IfMatch is not None and IfMatch.strip('"') != v.etag.strip('"') and IfMatch != "*":
            raise AWSError("PreconditionFailed", f"IfMatch {IfMatch!r} does not match the ETag {v.etag}.",
                           status=412, Condition="If-Match")
        if IfUnmodifiedSince is not None and modified > IfUnmodifiedSince:
            raise AWSError("PreconditionFailed", "The object was modified after IfUnmodifiedSince.", status=412,
                           Condition="If-Unmodified-Since")
        if IfNoneMatch is not None and (IfNoneMatch.strip('"') == v.etag.strip('"') or IfNoneMatch == "*"):
            raise AWSError("304", "Not Modified", status=304)
        if IfModifiedSince is not None and modified <= IfModifiedSince:
            raise AWSError("304", "Not Modified", status=304)

    def get_object(self, *, Bucket, Key, VersionId=None, Range=None, IfMatch=None, IfNoneMatch=None,
                   IfModifiedSince=None, IfUnmodifiedSince=None, PartNumber=None, ResponseCacheControl=None,
                   ResponseContentDisposition=None, ResponseContentEncoding=None, ResponseContentLanguage=None,
                   ResponseContentType=None, ResponseExpires=None, ChecksumMode=None, SSECustomerAlgorithm=None,
                   SSECustomerKey=None, SSECustomerKeyMD5=None, RequestPayer=None, ExpectedBucketOwner=None):
        v = self._s3.get_object(Bucket, Key, version_id=VersionId)
        if IfMatch or IfNoneMatch or IfModifiedSince or IfUnmodifiedSince:
            self._conditions(v, IfMatch, IfNoneMatch, IfModifiedSince, IfUnmodifiedSince)
        out = self._object_fields(v, {})
        data = v.data
        status = 200
        if Range is not None:
            span = parse_range(Range, len(data))
            if span is not None:
                start, end = span
                data = data[start:end + 1]
                out["ContentLength"] = len(data)
                out["ContentRange"] = f"bytes {start}-{end}/{v.size}"
                status = 206
        if ChecksumMode == "ENABLED" and Range is None:
            out["ChecksumCRC32"] = v.checksum
            out["ChecksumType"] = "FULL_OBJECT"
        if ResponseContentType:
            out["ContentType"] = ResponseContentType
        out["Body"] = StreamingBody(data)
        if status != 200:
            out["ResponseMetadata"] = self._meta(status)
        return out

    def head_object(self, *, Bucket, Key, VersionId=None, Range=None, IfMatch=None, IfNoneMatch=None,
                    IfModifiedSince=None, IfUnmodifiedSince=None, PartNumber=None, ChecksumMode=None,
                    SSECustomerAlgorithm=None, SSECustomerKey=None, SSECustomerKeyMD5=None, RequestPayer=None,
                    ExpectedBucketOwner=None):
        v = self._head(lambda: self._s3.head_object(Bucket, Key, version_id=VersionId))
        if IfMatch or IfNoneMatch or IfModifiedSince or IfUnmodifiedSince:
            self._head(lambda: self._conditions(v, IfMatch, IfNoneMatch, IfModifiedSince, IfUnmodifiedSince))
        out = self._object_fields(v, {})
        if ChecksumMode == "ENABLED":
            out["ChecksumCRC32"] = v.checksum
            out["ChecksumType"] = "FULL_OBJECT"
        return out

    def delete_object(self, *, Bucket, Key, VersionId=None, MFA=None, RequestPayer=None,
                      BypassGovernanceRetention=None, ExpectedBucketOwner=None, IfMatch=None):
        result = self._s3.delete_object(Bucket, Key, version_id=VersionId)
        out: dict[str, Any] = {"ResponseMetadata": self._meta(204)}
        if result is not None and (result.delete_marker or VersionId is not None):
            if result.delete_marker:
                out["DeleteMarker"] = True
            if result.version_id != "null" or VersionId is not None:
                out["VersionId"] = result.version_id
        return out

    def delete_objects(self, *, Bucket, Delete, MFA=None, RequestPayer=None, BypassGovernanceRetention=None,
                       ExpectedBucketOwner=None, ChecksumAlgorithm=None):
        check_type("Delete", Delete, dict)
        objects = Delete.get("Objects")
        if not isinstance(objects, list):
            raise ParamValidationError('Missing required parameter in Delete: "Objects"')
        items = []
        for i, o in enumerate(objects):
            if not isinstance(o, dict) or "Key" not in o:
                raise ParamValidationError(f'Missing required parameter in Delete.Objects[{i}]: "Key"')
            items.append((o["Key"], o.get("VersionId")))
        done, errors = self._s3.delete_objects(Bucket, items)
        out: dict[str, Any] = {}
        if not Delete.get("Quiet"):
            deleted = []
            for key, result, vid in done:
                entry: dict[str, Any] = {"Key": key}
                if vid is not None:
                    entry["VersionId"] = vid
                if result is not None and result.delete_marker:
                    entry["DeleteMarker"] = True
                    if result.version_id != "null" or vid is not None:
                        entry["DeleteMarkerVersionId"] = result.version_id
                deleted.append(entry)
            if deleted:
                out["Deleted"] = deleted
        if errors:
            out["Errors"] = [{"Key": k, "Code": e.code, "Message": e.message} for k, e in errors]
        return out

    def copy_object(self, *, Bucket, Key, CopySource, ACL=None, CacheControl=None, ContentDisposition=None,
                    ContentEncoding=None, ContentLanguage=None, ContentType=None, ChecksumAlgorithm=None,
                    CopySourceIfMatch=None, CopySourceIfModifiedSince=None, CopySourceIfNoneMatch=None,
                    CopySourceIfUnmodifiedSince=None, Expires=None, GrantFullControl=None, GrantRead=None,
                    GrantReadACP=None, GrantWriteACP=None, Metadata=None, MetadataDirective=None,
                    TaggingDirective=None, ServerSideEncryption=None, StorageClass=None,
                    WebsiteRedirectLocation=None, SSECustomerAlgorithm=None, SSECustomerKey=None,
                    SSECustomerKeyMD5=None, SSEKMSKeyId=None, SSEKMSEncryptionContext=None, BucketKeyEnabled=None,
                    CopySourceSSECustomerAlgorithm=None, CopySourceSSECustomerKey=None,
                    CopySourceSSECustomerKeyMD5=None, RequestPayer=None, Tagging=None, ObjectLockMode=None,
                    ObjectLockRetainUntilDate=None, ObjectLockLegalHoldStatus=None, ExpectedBucketOwner=None,
                    ExpectedSourceBucketOwner=None):
        src_bucket, src_key, src_vid = _copy_source(CopySource)
        if CopySourceIfMatch is not None:
            src = self._s3.head_object(src_bucket, src_key, version_id=src_vid)
            if CopySourceIfMatch.strip('"') != src.etag.strip('"'):
                raise AWSError("PreconditionFailed", "CopySourceIfMatch does not match the source ETag.",
                               status=412, Condition="x-amz-copy-source-If-Match")
        if TaggingDirective not in (None, "COPY", "REPLACE"):
            raise InvalidParameter("InvalidArgument", f"Unknown tagging directive {TaggingDirective!r}: "
                                   "use 'COPY' or 'REPLACE'.")
        tags = _tagging(Tagging) if TaggingDirective == "REPLACE" else None
        v = self._s3.copy_object(src_bucket, src_key, Bucket, Key, version_id=src_vid,
                                 metadata_directive=MetadataDirective or "COPY", metadata=Metadata,
                                 content_type=ContentType, storage_class=StorageClass, tags=tags)
        out: dict[str, Any] = {"CopyObjectResult": {"ETag": v.etag, "LastModified": self._now(v.last_modified),
                                                    "ChecksumCRC32": v.checksum},
                               "ServerSideEncryption": _SSE}
        if src_vid is not None:
            out["CopySourceVersionId"] = src_vid
        if v.version_id != "null":
            out["VersionId"] = v.version_id
        return out

    # -- listings --------------------------------------------------------------------
    def _entry(self, v, fetch_owner: bool) -> dict[str, Any]:
        e = {"Key": v.key, "LastModified": self._now(v.last_modified), "ETag": v.etag,
             "ChecksumAlgorithm": ["CRC32"], "ChecksumType": "FULL_OBJECT", "Size": v.size,
             "StorageClass": v.storage_class.value}
        if fetch_owner:
            e["Owner"] = _owner(v.owner)
        if v.restore is not None:
            e["RestoreStatus"] = {"IsRestoreInProgress": v.restore.ongoing(self._cloud.clock.now)}
        return e

    @staticmethod
    def _max_keys(value: Any) -> int:
        if value is None:
            return 1000
        check_type("MaxKeys", value, int)
        if value < 0:
            raise InvalidParameter("InvalidArgument", f"MaxKeys must be >= 0, not {value}.", ArgumentName="max-keys")
        return value

    def list_objects_v2(self, *, Bucket, Delimiter=None, EncodingType=None, MaxKeys=None, Prefix=None,
                        ContinuationToken=None, FetchOwner=None, StartAfter=None, RequestPayer=None,
                        ExpectedBucketOwner=None, OptionalObjectAttributes=None):
        max_keys = self._max_keys(MaxKeys)
        after = StartAfter
        if ContinuationToken is not None:
            after = _untoken(ContinuationToken)
        contents, prefixes, truncated, last = self._s3.list_objects(Bucket, Prefix or "", Delimiter, after,
                                                                    max_keys)
        out: dict[str, Any] = {"IsTruncated": truncated}
        if contents:
            out["Contents"] = [self._entry(v, bool(FetchOwner)) for v in contents]
        out["Name"] = Bucket
        out["Prefix"] = Prefix or ""
        if Delimiter:
            out["Delimiter"] = Delimiter
        out["MaxKeys"] = max_keys
        if prefixes:
            out["CommonPrefixes"] = [{"Prefix": p} for p in prefixes]
        out["EncodingType"] = EncodingType or "url"
        out["KeyCount"] = len(contents) + len(prefixes)
        if ContinuationToken is not None:
            out["ContinuationToken"] = ContinuationToken
        if truncated and last is not None:
            out["NextContinuationToken"] = _token(last)
        if StartAfter is not None:
            out["StartAfter"] = StartAfter
        return out

    def list_objects(self, *, Bucket, Delimiter=None, EncodingType=None, Marker=None, MaxKeys=None, Prefix=None,
                     RequestPayer=None, ExpectedBucketOwner=None, OptionalObjectAttributes=None):
        max_keys = self._max_keys(MaxKeys)
        contents, prefixes, truncated, last = self._s3.list_objects(Bucket, Prefix or "", Delimiter, Marker or None,
                                                                    max_keys)
        out: dict[str, Any] = {"IsTruncated": truncated, "Marker": Marker or ""}
        if truncated and last is not None:
            # AWS sends NextMarker only with a Delimiter; awskit always sends it so paginators work.
            out["NextMarker"] = last
        if contents:
            out["Contents"] = [self._entry(v, True) for v in contents]
        out["Name"] = Bucket
        out["Prefix"] = Prefix or ""
        if Delimiter:
            out["Delimiter"] = Delimiter
        out["MaxKeys"] = max_keys
        if prefixes:
            out["CommonPrefixes"] = [{"Prefix": p} for p in prefixes]
        out["EncodingType"] = EncodingType or "url"
        return out

    def list_object_versions(self, *, Bucket, Delimiter=None, EncodingType=None, KeyMarker=None, MaxKeys=None,
                             Prefix=None, VersionIdMarker=None, ExpectedBucketOwner=None, RequestPayer=None,
                             OptionalObjectAttributes=None):
        max_keys = self._max_keys(MaxKeys)
        entries, truncated, next_key, next_vid = self._s3.list_object_versions(
            Bucket, Prefix or "", KeyMarker, VersionIdMarker, max_keys)
        b = self._s3.bucket(Bucket)
        versions, markers = [], []
        for v in entries:
            latest = b.current(v.key) is v
            if v.delete_marker:
                markers.append({"Owner": _owner(v.owner), "Key": v.key, "VersionId": v.version_id,
                                "IsLatest": latest, "LastModified": self._now(v.last_modified)})
            else:
                versions.append({"ETag": v.etag, "ChecksumAlgorithm": ["CRC32"], "ChecksumType": "FULL_OBJECT",
                                 "Size": v.size, "StorageClass": v.storage_class.value, "Key": v.key,
                                 "VersionId": v.version_id, "IsLatest": latest,
                                 "LastModified": self._now(v.last_modified), "Owner": _owner(v.owner)})
        out: dict[str, Any] = {"IsTruncated": truncated, "KeyMarker": KeyMarker or "",
                               "VersionIdMarker": VersionIdMarker or ""}
        if truncated:
            out["NextKeyMarker"] = next_key
            out["NextVersionIdMarker"] = next_vid
        if versions:
            out["Versions"] = versions
        if markers:
            out["DeleteMarkers"] = markers
        out.update({"Name": Bucket, "Prefix": Prefix or "", "MaxKeys": max_keys,
                    "EncodingType": EncodingType or "url"})
        if Delimiter:
            out["Delimiter"] = Delimiter
        return out

    # ======================================================================
    # object tagging and restore
    # ======================================================================
    def put_object_tagging(self, *, Bucket, Key, Tagging, VersionId=None, ContentMD5=None, ChecksumAlgorithm=None,
                           ExpectedBucketOwner=None, RequestPayer=None):
        v = self._s3.head_object(Bucket, Key, version_id=VersionId)
        tags = _tag_set(Tagging, "Tagging")
        if len(tags) > 10:
            raise InvalidParameter("BadRequest", f"Object tags cannot be greater than 10; got {len(tags)}.")
        v.tags = tags
        out: dict[str, Any] = {}
        if v.version_id != "null":
            out["VersionId"] = v.version_id
        return out

    def get_object_tagging(self, *, Bucket, Key, VersionId=None, ExpectedBucketOwner=None, RequestPayer=None):
        v = self._s3.head_object(Bucket, Key, version_id=VersionId)
        out: dict[str, Any] = {"TagSet": to_tags(v.tags)}
        if v.version_id != "null":
            out["VersionId"] = v.version_id
        return out

    def restore_object(self, *, Bucket, Key, VersionId=None, RestoreRequest=None, RequestPayer=None,
                       ChecksumAlgorithm=None, ExpectedBucketOwner=None):
        req = RestoreRequest or {}
        tier = (req.get("GlacierJobParameters") or {}).get("Tier") or req.get("Tier") or "Standard"
        v = self._s3.head_object(Bucket, Key, version_id=VersionId)
        already = v.restore is not None and v.restore.available(self._cloud.clock.now)
        self._s3.restore_object(Bucket, Key, days=req.get("Days", 1), tier=tier, version_id=VersionId)
        return {"ResponseMetadata": self._meta(200 if already else 202)}


def _generate_presigned_url(self, ClientMethod, Params=None, ExpiresIn=3600, HttpMethod=None):
    """``s3.generate_presigned_url("get_object", Params={"Bucket": ..., "Key": ...}, ExpiresIn=600)``.

    Fetch it with ``cloud.s3.http_request("GET", url)``; it fails once ExpiresIn seconds
    of *simulated* time have passed.
    """
    methods = {"get_object": "GET", "put_object": "PUT", "head_object": "HEAD", "delete_object": "DELETE"}
    if ClientMethod not in methods:
        raise ParamValidationError(f"awskit presigns {', '.join(methods)}; not {ClientMethod!r}.")
    params = Params or {}
    if "Bucket" not in params or "Key" not in params:
        raise ParamValidationError('Missing required parameter in Params: "Bucket" and "Key"')
    try:
        return self._s3.generate_presigned_url(params["Bucket"], params["Key"], expires_in=ExpiresIn,
                                               method=HttpMethod or methods[ClientMethod],
                                               version_id=params.get("VersionId"))
    except AWSError as err:
        raise self._error(err, "GeneratePresignedUrl") from None


# Added after the class so the metaclass leaves it alone: like boto3's, it takes positional arguments.
S3Client.generate_presigned_url = _generate_presigned_url  # type: ignore[attr-defined]
