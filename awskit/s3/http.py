"""Plain HTTP requests to S3 URLs: public object URLs, presigned URLs and website endpoints.

A presigned URL carries the signer's access key, the time it was signed, how long it is
valid (``X-Amz-Expires``, at most 7 days) and a signature over all of that.  Whoever holds
it acts with the signer's permissions until it expires on the simulated clock.
"""

from __future__ import annotations

import hmac
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ..core.clock import EPOCH
from ..core.errors import AWSError

__all__ = ["MAX_PRESIGN_SECONDS", "handle"]

MAX_PRESIGN_SECONDS = 7 * 24 * 3600

_WEBSITE = re.compile(r"^(?P<bucket>.+)\.s3-website[.-](?P<region>[a-z0-9-]+)\.amazonaws\.com$")
_VHOST = re.compile(r"^(?P<bucket>.+)\.s3(?:[.-](?P<region>[a-z0-9-]+))?\.amazonaws\.com$")
_PATH = re.compile(r"^s3(?:[.-](?P<region>[a-z0-9-]+))?\.amazonaws\.com$")


def _error(status: int, code: str, message: str):
    from .service import HttpResponse

    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}'
            f"</Message></Error>").encode()
    return HttpResponse(status=status, headers={"Content-Type": "application/xml"}, body=body)


def _ok(v, head: bool = False):
    from .service import HttpResponse

    headers = {"Content-Type": v.content_type, "Content-Length": str(v.size), "ETag": v.etag}
    headers.update({f"x-amz-meta-{k}": val for k, val in v.metadata.items()})
    if v.version_id != "null":
        headers["x-amz-version-id"] = v.version_id
    return HttpResponse(status=200, headers=headers, body=b"" if head else v.data)


def handle(svc, method: str, url: str, body: Any = None):
    """Route one HTTP request; errors come back as responses, never as exceptions."""
    if not isinstance(url, str):
        return _error(400, "InvalidURI", f"A URL is a string, not {url!r}.")
    method = method.upper() if isinstance(method, str) else method
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    m = _WEBSITE.match(host)
    if m:
        if method not in ("GET", "HEAD"):
            return _error(405, "MethodNotAllowed", "A website endpoint answers only GET and HEAD.")
        return svc.website_request(m.group("bucket"), unquote(parts.path) or "/")
    m = _VHOST.match(host)
    if m and m.group("bucket") not in ("s3",):
        bucket, key = m.group("bucket"), unquote(parts.path.lstrip("/"))
    else:
        m = _PATH.match(host)
        if not m:
            return _error(400, "InvalidURI", f"{host!r} is not an S3 endpoint.")
        bucket, _, key = unquote(parts.path.lstrip("/")).partition("/")
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    try:
        if "X-Amz-Signature" in query:
            return _presigned(svc, method, bucket, "/" + parts.path.lstrip("/"), key, query, body)
        if method not in ("GET", "HEAD"):
            return _error(403, "AccessDenied", "Anonymous users may only read; sign the request (a presigned URL).")
        return _ok(svc.anonymous_get(bucket, key), head=method == "HEAD")
    except AWSError as err:
        return _error(err.status, err.code, err.message)


def _presigned(svc, method: str, bucket: str, path: str, key: str, query: dict[str, str], body: Any):
    credential = query.get("X-Amz-Credential", "")
    access_key = credential.split("/", 1)[0]
    signer = next((c for c in svc.cloud.accounts.values() if c.s3.access_key_id == access_key), None)
    if signer is None:
        return _error(403, "InvalidAccessKeyId", f"The AWS access key id {access_key!r} does not exist in our records.")
    params = {k: v for k, v in query.items()}
    expected = signer.s3._sign(method, bucket, path, params)
    if not hmac.compare_digest(expected, query["X-Amz-Signature"]):
        return _error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the "
                      "signature you provided (was the URL changed, or used with another HTTP method?).")
    try:
        expires = int(query.get("X-Amz-Expires", ""))
        signed = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except (KeyError, ValueError):
        return _error(400, "AuthorizationQueryParametersError", "X-Amz-Date and X-Amz-Expires must be given.")
    if not 1 <= expires <= MAX_PRESIGN_SECONDS:
        return _error(400, "AuthorizationQueryParametersError", "X-Amz-Expires must be less than a week (in "
                      f"seconds) that is 604800; got {expires}.")
    now = svc.cloud.clock.now
    if now > (signed - EPOCH).total_seconds() + expires:
        return _error(403, "AccessDenied", f"Request has expired: the URL was valid for {expires} s from "
                      f"{query['X-Amz-Date']}; it is now {svc.cloud.clock.isoformat()}.")
    s3 = signer.s3
    vid = query.get("versionId")
    if method in ("GET", "HEAD"):
        return _ok(s3.get_object(bucket, key, version_id=vid, _head=method == "HEAD"), head=method == "HEAD")
    if method == "PUT":
        v = s3.put_object(bucket, key, body if body is not None else b"")
        return _ok(v, head=True)
    if method == "DELETE":
        s3.delete_object(bucket, key, version_id=vid)
        from .service import HttpResponse

        return HttpResponse(status=204)
    return _error(405, "MethodNotAllowed", f"Method {method} is not allowed here.")
