"""Who may read a bucket: bucket policies, ACLs and Block Public Access.

S3 decides a request in three steps: an explicit ``Deny`` in the bucket policy wins; then
the bucket owner (or a principal an ``Allow`` names) gets through; anything else is
denied.  Block Public Access sits on top: it refuses to *store* a public policy or ACL
and can make S3 *ignore* ones already stored.  awskit evaluates bucket policies only (no
IAM identity policies, no Condition keys: a statement with a Condition is treated as
not matching, which errs on the side of denying).
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any

from ..core.errors import InvalidParameter

__all__ = ["CANNED_ACLS", "PUBLIC_ACLS", "evaluate_policy", "parse_policy", "policy_is_public"]

CANNED_ACLS = ("private", "public-read", "public-read-write", "authenticated-read", "aws-exec-read",
               "bucket-owner-read", "bucket-owner-full-control", "log-delivery-write")
PUBLIC_ACLS = frozenset({"public-read", "public-read-write", "authenticated-read"})


def _malformed(msg: str) -> InvalidParameter:
    return InvalidParameter("MalformedPolicy", msg)


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def parse_policy(text: Any, bucket: str) -> dict:
    """Parse and check a bucket policy document; raise ``MalformedPolicy`` saying what is wrong."""
    if not isinstance(text, str):
        raise _malformed(f"A policy is a JSON string, not {type(text).__name__}. Use json.dumps(policy).")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise _malformed(f"Policies must be valid JSON: {err.msg} at character {err.pos}.") from None
    if not isinstance(doc, dict):
        raise _malformed("A policy is a JSON object with a Statement.")
    if doc.get("Version", "2012-10-17") not in ("2012-10-17", "2008-10-17"):
        raise _malformed(f"Version {doc.get('Version')!r} is not valid: use \"2012-10-17\".")
    if "Statement" not in doc:
        raise _malformed("Missing required field Statement.")
    statements = _as_list(doc["Statement"])
    if not statements:
        raise _malformed("Statement must hold at least one statement.")
    for i, st in enumerate(statements):
        if not isinstance(st, dict):
            raise _malformed(f"Statement[{i}] must be a JSON object.")
        if st.get("Effect") not in ("Allow", "Deny"):
            raise _malformed(f"Statement[{i}]: Effect must be \"Allow\" or \"Deny\", not {st.get('Effect')!r}.")
        if "Principal" not in st and "NotPrincipal" not in st:
            raise _malformed(f"Statement[{i}]: a bucket policy statement needs a Principal "
                             "(\"*\" for everyone, or {\"AWS\": \"arn:aws:iam::ACCOUNT:root\"}).")
        if "Action" not in st and "NotAction" not in st:
            raise _malformed(f"Statement[{i}]: missing required field Action.")
        for action in _as_list(st.get("Action", st.get("NotAction"))):
            if not isinstance(action, str) or not (action == "*" or action.lower().startswith("s3:")):
                raise _malformed(f"Statement[{i}]: policy has invalid action {action!r}; S3 actions look "
                                 "like \"s3:GetObject\" or \"s3:*\".")
        if "Resource" not in st and "NotResource" not in st:
            raise _malformed(f"Statement[{i}]: missing required field Resource.")
        for res in _as_list(st.get("Resource", st.get("NotResource"))):
            if not isinstance(res, str) or not (
                    res == "*" or fnmatch.fnmatchcase(f"arn:aws:s3:::{bucket}", res)
                    or res.startswith(f"arn:aws:s3:::{bucket}/")
                    or fnmatch.fnmatchcase(f"arn:aws:s3:::{bucket}/x", res)):
                raise _malformed(f"Statement[{i}]: policy has invalid resource {res!r}: a bucket policy's "
                                 f"resources are arn:aws:s3:::{bucket} and arn:aws:s3:::{bucket}/<key pattern>.")
    return doc


def _principal_is_public(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        return "*" in _as_list(principal.get("AWS", []))
    return False


def policy_is_public(doc: dict) -> bool:
    """AWS calls a policy public when an Allow grants access to everyone without a condition."""
    return any(st.get("Effect") == "Allow" and "Condition" not in st and _principal_is_public(st.get("Principal"))
               for st in _as_list(doc.get("Statement", [])))


def _principal_matches(principal: Any, account: str | None) -> bool:
    if _principal_is_public(principal):
        return True
    if account is None or not isinstance(principal, dict):
        return False
    for p in _as_list(principal.get("AWS", [])):
        if isinstance(p, str) and (p == account or p.startswith(f"arn:aws:iam::{account}:")):
            return True
    return False


def _any_match(patterns: Any, value: str, case: bool) -> bool:
    for p in _as_list(patterns):
        if not isinstance(p, str):
            continue
        if case and fnmatch.fnmatchcase(value, p):
            return True
        if not case and fnmatch.fnmatchcase(value.lower(), p.lower()):
            return True
    return False


def evaluate_policy(doc: dict | None, account: str | None, action: str, resource: str,
                    *, ignore_public: bool = False) -> str | None:
    """``"Deny"``, ``"Allow"`` or None (no statement applies) for one request.

    ``account`` is the caller's account id (None for an anonymous request).  With
    ``ignore_public`` (RestrictPublicBuckets) statements that allow everyone are skipped.

    >>> doc = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:Get*",
    ...                       "Resource": "arn:aws:s3:::site/*"}]}
    >>> evaluate_policy(doc, None, "s3:GetObject", "arn:aws:s3:::site/index.html")
    'Allow'
    """
    if not doc:
        return None
    verdict = None
    for st in _as_list(doc.get("Statement", [])):
        if "Condition" in st:
            continue  # Conditions are not modelled: the statement does not apply
        if "Principal" in st:
            if not _principal_matches(st["Principal"], account):
                continue
            if ignore_public and st["Effect"] == "Allow" and _principal_is_public(st["Principal"]):
                continue
        elif _principal_matches(st.get("NotPrincipal"), account):
            continue
        if "Action" in st:
            if not _any_match(st["Action"], action, case=False):
                continue
        elif _any_match(st.get("NotAction"), action, case=False):
            continue
        if "Resource" in st:
            if not _any_match(st["Resource"], resource, case=True):
                continue
        elif _any_match(st.get("NotResource"), resource, case=True):
            continue
        if st["Effect"] == "Deny":
            return "Deny"
        verdict = "Allow"
    return verdict
