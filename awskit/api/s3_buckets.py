"""S3 API: bucket configuration, as boto3 speaks it.

A bucket carries settings beside its objects: versioning, who may read it (public access
block, bucket policy, canned ACLs, object ownership), tags, static-website hosting,
lifecycle rules and event notifications.  These operations form
:class:`BucketConfigOps`, a base class of :class:`awskit.api.s3.S3Client`.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import InvalidParameter, NotFound
from ._s3_common import S3ClientBase, _canonical_id, _owner, _tag_set
from .base import check_type, to_tags

__all__ = ["BucketConfigOps"]


class BucketConfigOps(S3ClientBase):
    """Bucket settings: versioning, permissions, tags, website, lifecycle, notifications."""

    # ======================================================================
    # versioning
    # ======================================================================
    def put_bucket_versioning(self, *, Bucket, VersioningConfiguration, MFA=None, ChecksumAlgorithm=None,
                              ContentMD5=None, ExpectedBucketOwner=None):
        check_type("VersioningConfiguration", VersioningConfiguration, dict)
        status = VersioningConfiguration.get("Status")
        if status is None:
            raise InvalidParameter("MalformedXML", "VersioningConfiguration needs Status: 'Enabled' or 'Suspended'.")
        self._s3.put_bucket_versioning(Bucket, status)
        return {}

    def get_bucket_versioning(self, *, Bucket, ExpectedBucketOwner=None):
        status = self._s3.get_bucket_versioning(Bucket)
        return {"Status": status} if status else {}

    # ======================================================================
    # permissions
    # ======================================================================
    def put_public_access_block(self, *, Bucket, PublicAccessBlockConfiguration, ContentMD5=None,
                                ChecksumAlgorithm=None, ExpectedBucketOwner=None):
        check_type("PublicAccessBlockConfiguration", PublicAccessBlockConfiguration, dict)
        c = PublicAccessBlockConfiguration
        self._s3.put_public_access_block(
            Bucket, block_public_acls=c.get("BlockPublicAcls", False), ignore_public_acls=c.get("IgnorePublicAcls", False),
            block_public_policy=c.get("BlockPublicPolicy", False),
            restrict_public_buckets=c.get("RestrictPublicBuckets", False))
        return {}

    def get_public_access_block(self, *, Bucket, ExpectedBucketOwner=None):
        return {"PublicAccessBlockConfiguration": self._s3.get_public_access_block(Bucket).to_dict()}

    def delete_public_access_block(self, *, Bucket, ExpectedBucketOwner=None):
        self._s3.delete_public_access_block(Bucket)
        return {"ResponseMetadata": self._meta(204)}

    def put_bucket_policy(self, *, Bucket, Policy, ConfirmRemoveSelfBucketAccess=None, ContentMD5=None,
                          ChecksumAlgorithm=None, ExpectedBucketOwner=None):
        check_type("Policy", Policy, str)
        self._s3.put_bucket_policy(Bucket, Policy)
        return {"ResponseMetadata": self._meta(204)}

    def get_bucket_policy(self, *, Bucket, ExpectedBucketOwner=None):
        return {"Policy": self._s3.get_bucket_policy(Bucket)}

    def delete_bucket_policy(self, *, Bucket, ExpectedBucketOwner=None):
        self._s3.delete_bucket_policy(Bucket)
        return {"ResponseMetadata": self._meta(204)}

    def get_bucket_policy_status(self, *, Bucket, ExpectedBucketOwner=None):
        return {"PolicyStatus": {"IsPublic": self._s3.is_public(Bucket)}}

    def _grants(self, owner: str, acl: str) -> dict[str, Any]:
        grants = [{"Grantee": {"DisplayName": f"owner-{owner}", "ID": _canonical_id(owner), "Type": "CanonicalUser"},
                   "Permission": "FULL_CONTROL"}]
        if acl in ("public-read", "public-read-write"):
            grants.append({"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
                           "Permission": "READ"})
        if acl == "public-read-write":
            grants.append({"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
                           "Permission": "WRITE"})
        return {"Owner": _owner(owner), "Grants": grants}

    def put_bucket_acl(self, *, Bucket, ACL=None, AccessControlPolicy=None, ChecksumAlgorithm=None,
                       ContentMD5=None, GrantFullControl=None, GrantRead=None, GrantReadACP=None, GrantWrite=None,
                       GrantWriteACP=None, ExpectedBucketOwner=None):
        if ACL is None:
            raise InvalidParameter("InvalidArgument", "awskit models canned ACLs only: pass ACL='private' or "
                                   "'public-read' (grant lists are not modelled).")
        self._s3.put_bucket_acl(Bucket, ACL)
        return {}

    def get_bucket_acl(self, *, Bucket, ExpectedBucketOwner=None):
        b = self._s3.bucket(Bucket, "s3:GetBucketAcl")
        return self._grants(b.owner, b.acl)

    def put_object_acl(self, *, Bucket, Key, ACL=None, AccessControlPolicy=None, ChecksumAlgorithm=None,
                       ContentMD5=None, GrantFullControl=None, GrantRead=None, GrantReadACP=None, GrantWrite=None,
                       GrantWriteACP=None, RequestPayer=None, VersionId=None, ExpectedBucketOwner=None):
        if ACL is None:
            raise InvalidParameter("InvalidArgument", "awskit models canned ACLs only: pass ACL='private' or "
                                   "'public-read'.")
        self._s3.put_object_acl(Bucket, Key, ACL, version_id=VersionId)
        return {}

    def get_object_acl(self, *, Bucket, Key, VersionId=None, RequestPayer=None, ExpectedBucketOwner=None):
        v = self._s3.head_object(Bucket, Key, version_id=VersionId)
        return self._grants(v.owner, v.acl)

    def put_bucket_ownership_controls(self, *, Bucket, OwnershipControls, ContentMD5=None,
                                      ExpectedBucketOwner=None, ChecksumAlgorithm=None):
        rules = (OwnershipControls or {}).get("Rules") or []
        if len(rules) != 1 or "ObjectOwnership" not in rules[0]:
            raise InvalidParameter("MalformedXML", "OwnershipControls needs exactly one rule: "
                                   "{'Rules': [{'ObjectOwnership': 'BucketOwnerEnforced'}]}.")
        self._s3.put_bucket_ownership_controls(Bucket, rules[0]["ObjectOwnership"])
        return {}

    def get_bucket_ownership_controls(self, *, Bucket, ExpectedBucketOwner=None):
        b = self._s3.bucket(Bucket, "s3:GetBucketOwnershipControls")
        if b.ownership is None:
            raise NotFound("OwnershipControlsNotFoundError", f"The bucket {Bucket!r} has no ownership controls.",
                           status=404, BucketName=Bucket)
        return {"OwnershipControls": {"Rules": [{"ObjectOwnership": b.ownership}]}}

    def delete_bucket_ownership_controls(self, *, Bucket, ExpectedBucketOwner=None):
        self._s3.delete_bucket_ownership_controls(Bucket)
        return {"ResponseMetadata": self._meta(204)}

    # ======================================================================
    # tagging
    # ======================================================================
    def put_bucket_tagging(self, *, Bucket, Tagging, ContentMD5=None, ChecksumAlgorithm=None,
                           ExpectedBucketOwner=None):
        self._s3.bucket(Bucket, "s3:PutBucketTagging").tags = _tag_set(Tagging, "Tagging")
        return {"ResponseMetadata": self._meta(204)}

    def get_bucket_tagging(self, *, Bucket, ExpectedBucketOwner=None):
        b = self._s3.bucket(Bucket, "s3:GetBucketTagging")
        if not b.tags:
            raise NotFound("NoSuchTagSet", f"The bucket {Bucket!r} has no tags.", status=404, BucketName=Bucket)
        return {"TagSet": to_tags(b.tags)}

    def delete_bucket_tagging(self, *, Bucket, ExpectedBucketOwner=None):
        self._s3.bucket(Bucket, "s3:PutBucketTagging").tags = {}
        return {"ResponseMetadata": self._meta(204)}

    # ======================================================================
    # websites, lifecycle, notifications
    # ======================================================================
    def put_bucket_website(self, *, Bucket, WebsiteConfiguration, ContentMD5=None, ChecksumAlgorithm=None,
                           ExpectedBucketOwner=None):
        check_type("WebsiteConfiguration", WebsiteConfiguration, dict)
        c = WebsiteConfiguration
        self._s3.put_bucket_website(Bucket, index_document=(c.get("IndexDocument") or {}).get("Suffix"),
                                    error_document=(c.get("ErrorDocument") or {}).get("Key"),
                                    redirect_all_to=c.get("RedirectAllRequestsTo"),
                                    routing_rules=c.get("RoutingRules"))
        return {}

    def get_bucket_website(self, *, Bucket, ExpectedBucketOwner=None):
        return self._s3.get_bucket_website(Bucket).to_dict()

    def delete_bucket_website(self, *, Bucket, ExpectedBucketOwner=None):
        self._s3.delete_bucket_website(Bucket)
        return {"ResponseMetadata": self._meta(204)}

    def put_bucket_lifecycle_configuration(self, *, Bucket, LifecycleConfiguration=None, ChecksumAlgorithm=None,
                                           ExpectedBucketOwner=None, TransitionDefaultMinimumObjectSize=None):
        self._s3.put_bucket_lifecycle_configuration(Bucket, LifecycleConfiguration)
        return {"TransitionDefaultMinimumObjectSize": TransitionDefaultMinimumObjectSize or "all_storage_classes_128K"}

    def get_bucket_lifecycle_configuration(self, *, Bucket, ExpectedBucketOwner=None):
        rules = self._s3.get_bucket_lifecycle_configuration(Bucket)
        return {"Rules": [dict(r.raw) for r in rules], "TransitionDefaultMinimumObjectSize": "all_storage_classes_128K"}

    def delete_bucket_lifecycle(self, *, Bucket, ExpectedBucketOwner=None):
        self._s3.delete_bucket_lifecycle(Bucket)
        return {"ResponseMetadata": self._meta(204)}

    def put_bucket_notification_configuration(self, *, Bucket, NotificationConfiguration,
                                              ExpectedBucketOwner=None, SkipDestinationValidation=None):
        self._s3.put_bucket_notification_configuration(Bucket, NotificationConfiguration)
        return {}

    def get_bucket_notification_configuration(self, *, Bucket, ExpectedBucketOwner=None):
        return {k: [dict(e) for e in v] if isinstance(v, list) else dict(v)
                for k, v in self._s3.get_bucket_notification_configuration(Bucket).items()}
