"""Static website hosting: a bucket served over plain HTTP at its website endpoint.

The website endpoint differs from the REST endpoint: it serves an index document for
"folders", an error document for failures, redirects, and only what anonymous users may
read (so a website bucket needs a public-read policy, which Block Public Access must
allow).  Like AWS, a missing key answers 404 only when anonymous users may list the
bucket (``s3:ListBucket``); otherwise S3 will not reveal whether the key exists and
answers 403.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import AccessDenied, AWSError, InvalidParameter, NotFound

__all__ = ["WebsiteConfiguration", "serve"]


@dataclass(slots=True, kw_only=True)
class WebsiteConfiguration:
    """A bucket's website settings."""

    index_document: str | None = "index.html"
    error_document: str | None = None
    redirect_all_to: dict[str, str] | None = None     #: {"HostName": ..., "Protocol": ...}
    routing_rules: list[dict] = field(default_factory=list)

    @classmethod
    def build(cls, index_document: Any, error_document: Any, redirect_all_to: Any, routing_rules: Any
              ) -> WebsiteConfiguration:
        if isinstance(redirect_all_to, str):
            redirect_all_to = {"HostName": redirect_all_to}
        if redirect_all_to is not None:
            if not isinstance(redirect_all_to, dict) or not redirect_all_to.get("HostName"):
                raise InvalidParameter("InvalidArgument", "RedirectAllRequestsTo needs a HostName.")
            if redirect_all_to.get("Protocol", "http") not in ("http", "https"):
                raise InvalidParameter("InvalidArgument", "RedirectAllRequestsTo Protocol is 'http' or 'https'.")
            if error_document or routing_rules:
                raise InvalidParameter("InvalidArgument", "RedirectAllRequestsTo cannot be combined with an "
                                       "ErrorDocument or RoutingRules.")
            return cls(index_document=None, redirect_all_to=dict(redirect_all_to))
        if not isinstance(index_document, str) or not index_document or "/" in index_document:
            raise InvalidParameter("InvalidArgument", f"The IndexDocument Suffix is not well formed: "
                                   f"{index_document!r}. Give a file name such as 'index.html' (no slash).")
        if error_document is not None and (not isinstance(error_document, str) or not error_document):
            raise InvalidParameter("InvalidArgument", f"The ErrorDocument Key is not valid: {error_document!r}.")
        rules = list(routing_rules or [])
        for i, rule in enumerate(rules):
            if not isinstance(rule, dict) or not isinstance(rule.get("Redirect"), dict):
                raise InvalidParameter("InvalidArgument", f"RoutingRules[{i}] needs a Redirect.")
        return cls(index_document=index_document, error_document=error_document, routing_rules=rules)

    def to_dict(self) -> dict[str, Any]:
        """The configuration as ``get_bucket_website`` returns it."""
        if self.redirect_all_to:
            return {"RedirectAllRequestsTo": dict(self.redirect_all_to)}
        out: dict[str, Any] = {"IndexDocument": {"Suffix": self.index_document}}
        if self.error_document:
            out["ErrorDocument"] = {"Key": self.error_document}
        if self.routing_rules:
            out["RoutingRules"] = [dict(r) for r in self.routing_rules]
        return out


def _page(status: int, code: str, message: str, extra: bytes = b"") -> bytes:
    return (f"<html><head><title>{status} {html.escape(code)}</title></head><body><h1>{status} "
            f"{html.escape(code)}</h1><ul><li>Code: {html.escape(code)}</li><li>Message: {html.escape(message)}"
            f"</li></ul></body></html>").encode() + extra


def _response(status: int, headers: dict[str, str] | None = None, body: bytes = b""):
    from .service import HttpResponse

    return HttpResponse(status=status, headers=headers or {}, body=body)


def _redirect(cfg: WebsiteConfiguration, key: str, status_code: int | None):
    for rule in cfg.routing_rules:
        cond = rule.get("Condition") or {}
        prefix = cond.get("KeyPrefixEquals")
        code = cond.get("HttpErrorCodeReturnedEquals")
        if prefix is not None and not key.startswith(prefix):
            continue
        if code is not None and str(code) != str(status_code):
            continue
        if code is None and status_code is not None:
            continue
        red = rule["Redirect"]
        new_key = key
        if "ReplaceKeyWith" in red:
            new_key = red["ReplaceKeyWith"]
        elif "ReplaceKeyPrefixWith" in red:
            new_key = red["ReplaceKeyPrefixWith"] + key[len(prefix or ""):]
        host = red.get("HostName")
        location = f"{red.get('Protocol', 'http')}://{host}/{new_key}" if host else f"/{new_key}"
        return _response(int(red.get("HttpRedirectCode", 301)), {"Location": location})
    return None


def serve(svc, bucket: str, path: str = "/"):
    """Answer one website request as the S3 website endpoint would."""
    from .bucket import bucket_name, no_such_bucket

    if not isinstance(path, str):
        raise InvalidParameter("InvalidArgument", f"A path is a string such as '/docs/', not {path!r}.")
    bucket = bucket_name(bucket)
    b = svc._names.get(bucket)
    if b is None:
        err = no_such_bucket(bucket)
        return _response(404, {"Content-Type": "text/html"}, _page(404, err.code, err.message))
    cfg: WebsiteConfiguration | None = b.website
    if cfg is None:
        return _response(404, {"Content-Type": "text/html"},
                         _page(404, "NoSuchWebsiteConfiguration", "The specified bucket does not have a website "
                               "configuration"))
    key = path.split("?", 1)[0].lstrip("/")
    if cfg.redirect_all_to:
        target = cfg.redirect_all_to
        return _response(301, {"Location": f"{target.get('Protocol', 'http')}://{target['HostName']}/{key}"})
    redirect = _redirect(cfg, key, None)
    if redirect is not None:
        return redirect
    if key == "" or key.endswith("/"):
        key += cfg.index_document
    try:
        v = svc.anonymous_get(bucket, key)
    except AWSError as err:
        status = err.status
        current = b.current(key)
        if (current is None or current.delete_marker) and not key.endswith("/"):
            # "docs" with no object but "docs/index.html" present: S3 redirects to "docs/".
            try:
                svc.anonymous_get(bucket, f"{key}/{cfg.index_document}")
                return _response(302, {"Location": f"/{key}/"})
            except AWSError:
                pass
        redirect = _redirect(cfg, key, status)
        if redirect is not None:
            return redirect
        if cfg.error_document and status in (403, 404):
            try:
                doc = svc.anonymous_get(bucket, cfg.error_document)
                return _response(status, {"Content-Type": doc.content_type}, doc.data)
            except AWSError:
                pass
        code = "NoSuchKey" if isinstance(err, NotFound) else ("AccessDenied" if isinstance(err, AccessDenied)
                                                              else err.code)
        return _response(status, {"Content-Type": "text/html"}, _page(status, code, err.message))
    if v.website_redirect:
        return _response(301, {"Location": v.website_redirect})
    return _response(200, {"Content-Type": v.content_type, "ETag": v.etag, "Content-Length": str(v.size)}, v.data)
