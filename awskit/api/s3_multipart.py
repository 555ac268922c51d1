"""S3 API: multipart uploads, as boto3 speaks them.

Large objects are uploaded in numbered parts and assembled by CompleteMultipartUpload;
these operations form :class:`MultipartOps`, a base class of :class:`awskit.api.s3.S3Client`.
"""

from __future__ import annotations

from typing import Any

from ._s3_common import _SSE, S3ClientBase, _canonical_id, _owner, _tagging
from .base import ParamValidationError, check_type

__all__ = ["MultipartOps"]


class MultipartOps(S3ClientBase):
    """CreateMultipartUpload, UploadPart, CompleteMultipartUpload and friends."""

    # ======================================================================
    # multipart uploads
    # ======================================================================
    def create_multipart_upload(self, *, Bucket, Key, ACL=None, CacheControl=None, ContentDisposition=None,
                                ContentEncoding=None, ContentLanguage=None, ContentType=None, Expires=None,
                                GrantFullControl=None, GrantRead=None, GrantReadACP=None, GrantWriteACP=None,
                                Metadata=None, ServerSideEncryption=None, StorageClass=None,
                                WebsiteRedirectLocation=None, SSECustomerAlgorithm=None, SSECustomerKey=None,
                                SSECustomerKeyMD5=None, SSEKMSKeyId=None, SSEKMSEncryptionContext=None,
                                BucketKeyEnabled=None, RequestPayer=None, Tagging=None, ObjectLockMode=None,
                                ObjectLockRetainUntilDate=None, ObjectLockLegalHoldStatus=None,
                                ExpectedBucketOwner=None, ChecksumAlgorithm=None, ChecksumType=None):
        up = self._s3.create_multipart_upload(Bucket, Key, content_type=ContentType, metadata=Metadata,
                                              storage_class=StorageClass or "STANDARD", tags=_tagging(Tagging))
        return {"ServerSideEncryption": _SSE, "Bucket": Bucket, "Key": Key, "UploadId": up.upload_id}

    def upload_part(self, *, Bucket, Key, PartNumber, UploadId, Body=None, ContentLength=None, ContentMD5=None,
                    ChecksumAlgorithm=None, ChecksumCRC32=None, ChecksumCRC32C=None, ChecksumSHA1=None,
                    ChecksumSHA256=None, SSECustomerAlgorithm=None, SSECustomerKey=None, SSECustomerKeyMD5=None,
                    RequestPayer=None, ExpectedBucketOwner=None):
        check_type("PartNumber", PartNumber, int)
        part = self._s3.upload_part(Bucket, Key, UploadId, PartNumber, self._body(Body) if not isinstance(
            Body, bytes) else Body)
        return {"ServerSideEncryption": _SSE, "ETag": part.etag}

    def complete_multipart_upload(self, *, Bucket, Key, UploadId, MultipartUpload=None, ChecksumCRC32=None,
                                  ChecksumCRC32C=None, ChecksumSHA1=None, ChecksumSHA256=None, ChecksumType=None,
                                  MpuObjectSize=None, RequestPayer=None, ExpectedBucketOwner=None, IfMatch=None,
                                  IfNoneMatch=None, SSECustomerAlgorithm=None, SSECustomerKey=None,
                                  SSECustomerKeyMD5=None):
        parts = (MultipartUpload or {}).get("Parts") or []
        pairs = []
        for i, p in enumerate(parts):
            if not isinstance(p, dict) or "PartNumber" not in p:
                raise ParamValidationError(f'Missing required parameter in MultipartUpload.Parts[{i}]: "PartNumber"')
            pairs.append((p["PartNumber"], p.get("ETag", "")))
        v = self._s3.complete_multipart_upload(Bucket, Key, UploadId, pairs)
        b = self._s3.bucket(Bucket)
        out = {"ServerSideEncryption": _SSE, "Location": f"https://{Bucket}.s3.{b.region}.amazonaws.com/{Key}",
               "Bucket": Bucket, "Key": Key, "ETag": v.etag}
        if v.version_id != "null":
            out["VersionId"] = v.version_id
        return out

    def abort_multipart_upload(self, *, Bucket, Key, UploadId, RequestPayer=None, ExpectedBucketOwner=None,
                               IfMatchInitiatedTime=None):
        self._s3.abort_multipart_upload(Bucket, Key, UploadId)
        return {"ResponseMetadata": self._meta(204)}

    def list_parts(self, *, Bucket, Key, UploadId, MaxParts=None, PartNumberMarker=None, RequestPayer=None,
                   ExpectedBucketOwner=None, SSECustomerAlgorithm=None, SSECustomerKey=None,
                   SSECustomerKeyMD5=None):
        up = self._s3.multipart_upload(Bucket, Key, UploadId)
        limit = 1000 if MaxParts is None else check_type("MaxParts", MaxParts, int)
        marker = int(PartNumberMarker or 0)
        numbers = [n for n in sorted(up.parts) if n > marker]
        page, truncated = numbers[:limit], len(numbers) > limit
        out: dict[str, Any] = {"Bucket": Bucket, "Key": Key, "UploadId": UploadId,
                               "PartNumberMarker": marker, "MaxParts": limit, "IsTruncated": truncated}
        if page:
            out["NextPartNumberMarker"] = page[-1]
            out["Parts"] = [{"PartNumber": n, "LastModified": self._now(up.parts[n].last_modified),
                             "ETag": up.parts[n].etag, "Size": up.parts[n].size} for n in page]
        if not truncated:
            out.pop("NextPartNumberMarker", None) if not page else None
        out["Initiator"] = {"ID": _canonical_id(self._cloud.account_id), "DisplayName": f"owner-{self._cloud.account_id}"}
        out["Owner"] = _owner(self._cloud.account_id)
        out["StorageClass"] = up.storage_class.value
        return out

    def list_multipart_uploads(self, *, Bucket, Delimiter=None, EncodingType=None, KeyMarker=None,
                               MaxUploads=None, Prefix=None, UploadIdMarker=None, ExpectedBucketOwner=None,
                               RequestPayer=None):
        b = self._s3.bucket(Bucket)
        ups = sorted((u for u in b.uploads.values() if u.key.startswith(Prefix or "")),
                     key=lambda u: (u.key, u.initiated))
        out: dict[str, Any] = {"Bucket": Bucket, "KeyMarker": KeyMarker or "", "UploadIdMarker": UploadIdMarker or "",
                               "MaxUploads": MaxUploads or 1000, "IsTruncated": False}
        if Prefix:
            out["Prefix"] = Prefix
        if ups:
            out["Uploads"] = [{"UploadId": u.upload_id, "Key": u.key, "Initiated": self._now(u.initiated),
                               "StorageClass": u.storage_class.value, "Owner": _owner(self._cloud.account_id),
                               "Initiator": _owner(self._cloud.account_id)} for u in ups]
        return out
