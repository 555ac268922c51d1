"""How a distribution reaches its origins: Origin Access Control and custom origin apps.

An Origin Access Control (OAC, the successor of the origin access identity) makes
CloudFront sign its requests to an S3 bucket, so the bucket can stay private and allow only
the distribution (:meth:`bucket_policy_for` writes that policy).  A custom origin is any web
server; in awskit, :meth:`register_origin` names the app that answers for a domain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..core.errors import AlreadyExists, InvalidState, NotFound
from ._common import _fail
from .resources import Distribution, OriginAccessControl

if TYPE_CHECKING:
    from .service import CloudFrontService

__all__: list[str] = []


class _OriginAccessOps:
    """Origin access controls and origin apps, for :class:`~awskit.cloudfront.CloudFrontService`."""

    def _oac_id(self: CloudFrontService, oac: Any) -> str:
        if oac is None or oac == "":
            return ""
        oid = oac.id if isinstance(oac, OriginAccessControl) else oac
        if not isinstance(oid, str) or oid not in self.origin_access_controls:
            _fail("NoSuchOriginAccessControl", f"The origin access control {oac!r} does not exist. Create one with "
                  "create_origin_access_control(name).", NotFound, 404)
        return oid

    def create_origin_access_control(self: CloudFrontService, name: str, *, origin_type: str = "s3",
                                     signing_behavior: str = "always", signing_protocol: str = "sigv4",
                                     description: str = "") -> OriginAccessControl:
        """An Origin Access Control that signs CloudFront's requests to a private bucket.

        Raises: OriginAccessControlAlreadyExists, InvalidArgument.
        """
        if not isinstance(name, str) or not 1 <= len(name) <= 64:
            _fail("InvalidArgument", f"An origin access control name is 1-64 characters, not {name!r}.")
        if any(o.name == name for o in self.origin_access_controls.values()):
            _fail("OriginAccessControlAlreadyExists", f"An origin access control named {name!r} already exists.",
                  AlreadyExists, 409)
        for label, value, valid in (("OriginAccessControlOriginType", origin_type, ("s3", "mediastore", "lambda",
                                                                                    "mediapackagev2")),
                                    ("SigningBehavior", signing_behavior, ("never", "always", "no-override")),
                                    ("SigningProtocol", signing_protocol, ("sigv4",))):
            if value not in valid:
                _fail("InvalidArgument", f"{label} {value!r} is not valid: use {', '.join(valid)}.")
        oid = self._token("E")
        oac = OriginAccessControl(id=oid, name=name, etag=self._token("E"), origin_type=origin_type,
                                  signing_behavior=signing_behavior, signing_protocol=signing_protocol,
                                  description=description)
        self.origin_access_controls[oid] = oac
        return oac

    def get_origin_access_control(self: CloudFrontService, oac: str | OriginAccessControl) -> OriginAccessControl:
        if oac is None or oac == "":
            _fail("NoSuchOriginAccessControl", "Give the id of an origin access control "
                  "(list_origin_access_controls() lists them).", NotFound, 404)
        return self.origin_access_controls[self._oac_id(oac)]

    def list_origin_access_controls(self: CloudFrontService) -> list[OriginAccessControl]:
        return list(self.origin_access_controls.values())

    def delete_origin_access_control(self: CloudFrontService, oac: str | OriginAccessControl, *, if_match: str) -> None:
        """Raises: NoSuchOriginAccessControl, InvalidIfMatchVersion, PreconditionFailed, OriginAccessControlInUse."""
        o = self.get_origin_access_control(oac)
        self._check_if_match(o.etag, if_match, "origin access control")
        users = [d.id for d in self.distributions.values()
                 if any(x.origin_access_control_id == o.id for x in d.origins)]
        if users:
            _fail("OriginAccessControlInUse", f"{o.id} is used by distribution(s) {', '.join(users)}; remove it from "
                  "their origins first.", InvalidState, 409)
        del self.origin_access_controls[o.id]

    def bucket_policy_for(self: CloudFrontService, distribution: str | Distribution, bucket: str) -> dict:
        """The bucket policy AWS recommends for OAC: only this distribution may read the bucket."""
        d = self.get_distribution(distribution)
        return {"Version": "2012-10-17", "Statement": [{
            "Sid": "AllowCloudFrontServicePrincipalReadOnly", "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{bucket}/*",
            "Condition": {"StringEquals": {"AWS:SourceArn": d.arn}}}]}

    def register_origin(self: CloudFrontService, domain_name: str, app: Callable, *, region: str = "us-east-1") -> None:
        """Make ``domain_name`` a custom origin answered by ``app(request) -> Response`` in ``region``."""
        from ..regions import region_info

        if not isinstance(domain_name, str) or "." not in domain_name or not callable(app):
            _fail("InvalidArgument", "register_origin(domain_name, app): a domain such as 'api.example.com' and a "
                  "callable taking an awskit.http.Request.")
        region_info(region)
        self._apps[domain_name.lower()] = (app, region)
