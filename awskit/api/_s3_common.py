"""What the S3 client's concept modules share: response helpers and the client base.

:mod:`awskit.api.s3` composes :class:`~awskit.api.s3.S3Client` from the operations in
:mod:`.s3_buckets` (bucket configuration) and :mod:`.s3_multipart` (multipart uploads)
on top of the object and listing operations it defines itself.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any
from urllib.parse import parse_qsl, unquote

from ..core.errors import InvalidParameter
from .base import BaseClient, ParamValidationError, check_type, from_tags

__all__ = ["S3ClientBase"]

_SSE = "AES256"


def _canonical_id(account: str) -> str:
    return hashlib.sha256(f"canonical:{account}".encode()).hexdigest()


def _owner(account: str) -> dict[str, str]:
    return {"DisplayName": f"owner-{account}", "ID": _canonical_id(account)}


def _token(last: str) -> str:
    return base64.b64encode(f"awskit:{last}".encode()).decode()


def _untoken(token: str) -> str:
    try:
        text = base64.b64decode(token.encode(), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        text = ""
    if not text.startswith("awskit:"):
        raise InvalidParameter("InvalidArgument", f"The continuation token provided is incorrect: {token!r}. "
                               "Pass the NextContinuationToken of the previous page unchanged.",
                               ArgumentName="continuation-token")
    return text[7:]


def _tagging(value: Any) -> dict[str, str]:
    """``Tagging="k1=v1&k2=v2"`` (URL-encoded, as put_object takes it) into a dict."""
    if value is None:
        return {}
    check_type("Tagging", value, str)
    return dict(parse_qsl(value, keep_blank_values=True))


def _tag_set(value: Any, param: str) -> dict[str, str]:
    if not isinstance(value, dict) or "TagSet" not in value:
        raise ParamValidationError(f'Missing required parameter in {param}: "TagSet"')
    return from_tags(value["TagSet"], f"{param}.TagSet")


def _copy_source(value: Any) -> tuple[str, str, str | None]:
    if isinstance(value, dict):
        if "Bucket" not in value or "Key" not in value:
            raise ParamValidationError('CopySource dict needs "Bucket" and "Key"')
        return value["Bucket"], value["Key"], value.get("VersionId")
    check_type("CopySource", value, str)
    text, _, query = value.lstrip("/").partition("?")
    bucket, _, key = text.partition("/")
    if not bucket or not key:
        raise InvalidParameter("InvalidArgument", f"Copy Source must mention the source bucket and key: "
                               f"sourcebucket/sourcekey, not {value!r}.", ArgumentName="x-amz-copy-source")
    vid = dict(parse_qsl(query)).get("versionId")
    return bucket, unquote(key), vid


class S3ClientBase(BaseClient):
    """What every S3 operation module builds on: the S3 model and HTTP status helpers."""

    _s3: Any  # the S3Service (``cloud.s3``), set by S3Client.__init__

    def _meta(self, status: int) -> dict[str, Any]:
        m = self._metadata()
        m["HTTPStatusCode"] = status
        return m
