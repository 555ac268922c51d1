"""Permissions as S3 actions: policies, Block Public Access, ACLs, anonymous and presigned access.

The rules themselves (how a policy is parsed and evaluated) are in :mod:`awskit.s3.access`;
this module applies them to buckets.  :class:`~awskit.s3.service.S3Service` exposes each
function here as a method (``cloud.s3.put_bucket_policy(...)``).
"""

from __future__ import annotations

import hashlib
import hmac

from ..core.errors import AccessDenied, InvalidParameter, NotFound
from . import access
from .bucket import Bucket, PublicAccessBlock, bucket_name, no_such_bucket
from .objects import ObjectVersion

__all__ = ["anonymous_get", "delete_bucket_ownership_controls", "delete_bucket_policy", "delete_public_access_block", "generate_presigned_url", "get_bucket_policy", "get_public_access_block", "is_public", "put_bucket_acl", "put_bucket_ownership_controls", "put_bucket_policy", "put_object_acl", "put_public_access_block"]


def _changed(svc, b: Bucket, what: str) -> None:
    """Announce a change of who may read the bucket (``s3.bucket.policy``, ...) on the owner's bus."""
    svc._owner_cloud(b).events.publish(f"s3.bucket.{what}", bucket=b.name)


def _authorize(svc, b: Bucket, account: str | None, action: str, key: str | None) -> None:
    resource = f"arn:aws:s3:::{b.name}" + (f"/{key}" if key is not None else "")
    doc = b.policy_doc
    pab = b.public_access_block
    restrict = bool(pab and pab.restrict_public_buckets)
    verdict = access.evaluate_policy(doc, account, action, resource,
                                     ignore_public=restrict and account != b.owner)
    if verdict == "Deny":
        raise AccessDenied("AccessDenied", f"Access Denied: the bucket policy of {b.name!r} explicitly denies "
                           f"{action} on {resource}.")
    if account == b.owner or verdict == "Allow":
        return
    if action == "s3:GetObject" and svc._acl_allows_public_read(b, key):
        return
    who = "anonymous users" if account is None else f"account {account}"
    raise AccessDenied("AccessDenied", f"Access Denied: {who} may not {action} on {resource}; the bucket "
                       f"belongs to account {b.owner} and no policy statement allows it.")


def _acl_allows_public_read(svc, b: Bucket, key: str | None) -> bool:
    if b.ownership == "BucketOwnerEnforced":
        return False
    if b.public_access_block and b.public_access_block.ignore_public_acls:
        return False
    if b.acl in ("public-read", "public-read-write"):
        return True
    v = b.current(key) if key else None
    return v is not None and v.acl in ("public-read", "public-read-write")


def _check_acl_value(svc, acl: str) -> None:
    if acl not in access.CANNED_ACLS:
        raise InvalidParameter("InvalidArgument", f"Unknown canned ACL {acl!r}. Canned ACLs: "
                               f"{', '.join(access.CANNED_ACLS)}.")


def _check_object_acl(svc, b: Bucket, acl: str) -> None:
    svc._check_acl_value(acl)
    if b.ownership == "BucketOwnerEnforced" and acl not in ("private", "bucket-owner-full-control"):
        raise InvalidParameter("AccessControlListNotSupported",
                               f"The bucket {b.name!r} does not allow ACLs (Object Ownership is "
                               "BucketOwnerEnforced, the default since April 2023). Use a bucket policy, or "
                               "change Object Ownership to use ACLs.")
    if acl in access.PUBLIC_ACLS and b.public_access_block and b.public_access_block.block_public_acls:
        raise AccessDenied("AccessDenied", f"Block Public Access (BlockPublicAcls) on {b.name!r} refuses the "
                           f"public ACL {acl!r}. Lift it with put_public_access_block first.")


def put_bucket_acl(svc, bucket: str | Bucket, acl: str) -> None:
    """Set a canned ACL on the bucket (only when Object Ownership allows ACLs)."""
    b = svc.bucket(bucket, "s3:PutBucketAcl")
    svc._check_object_acl(b, acl)
    b.acl = acl
    _changed(svc, b, "acl")


def put_object_acl(svc, bucket: str | Bucket, key: str, acl: str, *, version_id: str | None = None) -> None:
    b = svc.bucket(bucket, "s3:PutObjectAcl", key)
    v = svc._version(b, key, version_id)
    svc._check_object_acl(b, acl)
    v.acl = acl
    _changed(svc, b, "acl")


def put_bucket_ownership_controls(svc, bucket: str | Bucket, ownership: str) -> None:
    b = svc.bucket(bucket, "s3:PutBucketOwnershipControls")
    if ownership not in ("BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"):
        raise InvalidParameter("MalformedXML", f"ObjectOwnership {ownership!r} is not valid: use "
                               "BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter.")
    if ownership == "BucketOwnerEnforced" and b.acl not in ("private", "bucket-owner-full-control"):
        raise InvalidParameter("InvalidBucketAclWithObjectOwnership",
                               f"The bucket ACL is {b.acl!r}: reset it to 'private' before enforcing "
                               "bucket-owner ownership.")
    b.ownership = ownership


def delete_bucket_ownership_controls(svc, bucket: str | Bucket) -> None:
    svc.bucket(bucket, "s3:PutBucketOwnershipControls").ownership = None


def put_public_access_block(svc, bucket: str | Bucket, *, block_public_acls: bool = False,
                            ignore_public_acls: bool = False, block_public_policy: bool = False,
                            restrict_public_buckets: bool = False) -> PublicAccessBlock:
    """Replace the bucket's Block Public Access settings (unnamed settings become False, as in S3)."""
    b = svc.bucket(bucket, "s3:PutBucketPublicAccessBlock")
    for name, value in (("BlockPublicAcls", block_public_acls), ("IgnorePublicAcls", ignore_public_acls),
                        ("BlockPublicPolicy", block_public_policy),
                        ("RestrictPublicBuckets", restrict_public_buckets)):
        if not isinstance(value, bool):
            raise InvalidParameter("InvalidRequest", f"{name} must be true or false, not {value!r}.")
    b.public_access_block = PublicAccessBlock(
        block_public_acls=block_public_acls, ignore_public_acls=ignore_public_acls,
        block_public_policy=block_public_policy, restrict_public_buckets=restrict_public_buckets)
    _changed(svc, b, "public_access_block")
    return b.public_access_block


def get_public_access_block(svc, bucket: str | Bucket) -> PublicAccessBlock:
    b = svc.bucket(bucket, "s3:GetBucketPublicAccessBlock")
    if b.public_access_block is None:
        raise NotFound("NoSuchPublicAccessBlockConfiguration",
                       f"The bucket {b.name!r} has no public access block configuration.", status=404,
                       BucketName=b.name)
    return b.public_access_block


def delete_public_access_block(svc, bucket: str | Bucket) -> None:
    """Remove Block Public Access from the bucket (account-level settings are not modelled)."""
    b = svc.bucket(bucket, "s3:PutBucketPublicAccessBlock")
    b.public_access_block = None
    _changed(svc, b, "public_access_block")


def put_bucket_policy(svc, bucket: str | Bucket, policy: str | dict) -> None:
    """Attach a bucket policy (a JSON string, or a dict awskit serialises for you).

    Raises: MalformedPolicy; AccessDenied when the policy is public and the bucket's
    BlockPublicPolicy setting is on.
    """
    import json

    b = svc.bucket(bucket, "s3:PutBucketPolicy")
    text = json.dumps(policy) if isinstance(policy, dict) else policy
    doc = access.parse_policy(text, b.name)
    pab = b.public_access_block
    if pab and pab.block_public_policy and access.policy_is_public(doc):
        raise AccessDenied("AccessDenied", f"Block Public Access (BlockPublicPolicy) on {b.name!r} refuses a "
                           "policy that grants access to everyone (Principal \"*\"). Turn it off with "
                           "put_public_access_block first if the bucket really must be public.")
    b.policy, b.policy_doc = text, doc
    _changed(svc, b, "policy")


def get_bucket_policy(svc, bucket: str | Bucket) -> str:
    b = svc.bucket(bucket, "s3:GetBucketPolicy")
    if b.policy is None:
        raise NotFound("NoSuchBucketPolicy", f"The bucket {b.name!r} has no bucket policy.", status=404,
                       BucketName=b.name)
    return b.policy


def delete_bucket_policy(svc, bucket: str | Bucket) -> None:
    b = svc.bucket(bucket, "s3:DeleteBucketPolicy")
    b.policy = b.policy_doc = None
    _changed(svc, b, "policy")


def is_public(svc, bucket: str | Bucket) -> bool:
    """Can an anonymous user read objects? (a public policy or ACL not blocked by BPA)."""
    b = svc.bucket(bucket, "s3:GetBucketPolicyStatus")
    pab = b.public_access_block
    doc = b.policy_doc
    if doc and access.policy_is_public(doc) and not (pab and pab.restrict_public_buckets):
        return True
    return svc._acl_allows_public_read(b, None)


def anonymous_get(svc, bucket: str, key: str) -> ObjectVersion:
    """GET an object as an anonymous internet user would: only a policy or ACL can allow it."""
    name = bucket_name(bucket)
    b = svc._names.get(name)
    if b is None:
        raise no_such_bucket(name)
    svc._authorize(b, None, "s3:GetObject", key)
    try:
        v = svc._version(b, key, None)
    except NotFound:
        try:
            svc._authorize(b, None, "s3:ListBucket", None)
        except AccessDenied:
            # Without s3:ListBucket S3 will not say whether a key exists: 403, not 404.
            raise AccessDenied("AccessDenied", f"Access Denied for {key!r} (the key may not exist; "
                               "grant s3:ListBucket to get 404 for missing keys).") from None
        raise
    svc._request(b, "GET", v.storage_class)
    svc._check_readable(b, v)
    return v

# presigned URLs ------------------------------------------------------------------
def generate_presigned_url(svc, bucket: str, key: str, *, expires_in: int = 3600, method: str = "GET",
                           version_id: str | None = None) -> str:
    """A URL anyone can use until it expires, acting with this account's permissions.

    Signing happens locally (as in boto3): nothing checks that the bucket exists until
    the URL is used with :meth:`http_request`.
    """
    from urllib.parse import quote, urlencode

    from .names import validate_bucket_name
    from .service import _check_key

    bucket = bucket_name(bucket)
    if bucket not in svc._names:
        validate_bucket_name(bucket)
    _check_key(key)
    if version_id is not None and not isinstance(version_id, str):
        raise InvalidParameter("InvalidArgument", f"VersionId is the id string of an object version (from "
                               f"list_object_versions), not {version_id!r:.80}.")
    if not isinstance(expires_in, int) or isinstance(expires_in, bool) or expires_in < 1:
        raise InvalidParameter("InvalidArgument", f"ExpiresIn is a positive number of seconds, not "
                               f"{expires_in!r}.")
    if method not in ("GET", "PUT", "HEAD", "DELETE"):
        raise InvalidParameter("InvalidArgument", f"HttpMethod {method!r}: use GET, PUT, HEAD or DELETE.")
    d = svc.cloud.clock.datetime
    stamp = d.strftime("%Y%m%dT%H%M%SZ")
    params = {"X-Amz-Algorithm": "AWS4-HMAC-SHA256",
              "X-Amz-Credential": f"{svc.access_key_id}/{d:%Y%m%d}/{svc.cloud.region_name}/s3/aws4_request",
              "X-Amz-Date": stamp, "X-Amz-Expires": str(expires_in), "X-Amz-SignedHeaders": "host"}
    if version_id:
        params["versionId"] = version_id
    path = "/" + quote(key, safe="/~")
    params["X-Amz-Signature"] = svc._sign(method, bucket, path, params)
    return f"https://{bucket}.s3.amazonaws.com{path}?{urlencode(params)}"


def _sign(svc, method: str, bucket: str, path: str, params: dict[str, str]) -> str:
    canonical = "\n".join([method, bucket, path] + [f"{k}={params[k]}" for k in sorted(params)
                                                     if k != "X-Amz-Signature"])
    return hmac.new(svc.secret.encode(), canonical.encode(), hashlib.sha256).hexdigest()
