"""The boto3-shaped CloudFront client: ``cloud.client("cloudfront")``.

CloudFront's API wraps every list in ``{"Quantity": n, "Items": [...]}`` (``Items`` is left
out when the list is empty), takes ``MaxItems`` as a string, and guards every change with
the ``ETag`` of the last read (``IfMatch``).  Requests and responses here keep those shapes;
the simulation itself lives in :mod:`awskit.cloudfront`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..cloudfront.config import CACHE_POLICIES, ONE_YEAR, CacheBehavior, DistributionConfig, Origin
from ..cloudfront.service import Distribution, Invalidation, OriginAccessControl
from ..core.errors import InvalidParameter
from .base import BaseClient, ParamValidationError, check_type

__all__ = ["CloudFrontClient"]

_API = "https://cloudfront.amazonaws.com/2020-05-31"


def _bad(msg: str):
    raise InvalidParameter("InvalidArgument", msg)


def _items(value: Any, param: str, required: bool = False) -> list:
    """The Items of a ``{"Quantity", "Items"}`` wrapper, checking that Quantity agrees."""
    if value is None:
        if required:
            raise ParamValidationError(f'Missing required parameter in input: "{param}"')
        return []
    check_type(param, value, dict)
    if "Quantity" not in value:
        raise ParamValidationError(f'Missing required parameter in {param}: "Quantity"')
    items = value.get("Items", [])
    check_type(f"{param}.Items", items, list)
    if value["Quantity"] != len(items):
        _bad(f"{param}: Quantity is {value['Quantity']} but Items holds {len(items)}; they must agree.")
    return items


def _wrap(items: list) -> dict:
    return {"Quantity": len(items), "Items": list(items)} if items else {"Quantity": 0}


def _need(d: dict, param: str, *names: str) -> None:
    for n in names:
        if n not in d:
            raise ParamValidationError(f'Missing required parameter in {param}: "{n}"')


def _behavior_in(b: Any, param: str, default: bool) -> CacheBehavior:
    check_type(param, b, dict)
    _need(b, param, *(("TargetOriginId", "ViewerProtocolPolicy") if default else
                      ("PathPattern", "TargetOriginId", "ViewerProtocolPolicy")))
    allowed = b.get("AllowedMethods")
    methods, cached = ("GET", "HEAD"), ("GET", "HEAD")
    if allowed is not None:
        methods = tuple(_items(allowed, f"{param}.AllowedMethods"))
        if allowed.get("CachedMethods") is not None:
            cached = tuple(_items(allowed["CachedMethods"], f"{param}.AllowedMethods.CachedMethods"))
    policy = b.get("CachePolicyId")
    legacy = [k for k in ("ForwardedValues", "MinTTL", "DefaultTTL", "MaxTTL") if k in b]
    if policy and legacy:
        _bad(f"{param}: with a CachePolicyId, leave out the legacy settings {', '.join(legacy)} (the policy "
             "decides TTLs and the cache key).")
    if not policy and "ForwardedValues" not in b:
        _bad(f"{param}: give a CachePolicyId (e.g. CachingOptimized {next(iter(CACHE_POLICIES))}) or the legacy "
             "ForwardedValues with MinTTL/DefaultTTL/MaxTTL.")
    fv = b.get("ForwardedValues") or {}
    headers = tuple(_items(fv.get("Headers"), f"{param}.ForwardedValues.Headers")) if fv else ()
    return CacheBehavior(
        path_pattern=b.get("PathPattern", "*"), target_origin_id=b["TargetOriginId"],
        viewer_protocol_policy=b["ViewerProtocolPolicy"], allowed_methods=methods, cached_methods=cached,
        cache_policy_id=policy or None, min_ttl=b.get("MinTTL", 0), default_ttl=b.get("DefaultTTL", 86400),
        max_ttl=b.get("MaxTTL", ONE_YEAR), forward_query_string=bool(fv.get("QueryString", False)),
        forwarded_headers=headers, compress=bool(b.get("Compress", False)))


def _origin_in(o: Any, i: int) -> Origin:
    param = f"DistributionConfig.Origins.Items[{i}]"
    check_type(param, o, dict)
    _need(o, param, "Id", "DomainName")
    custom = o.get("CustomOriginConfig")
    if custom is None and o.get("S3OriginConfig") is None:
        _bad(f"Origin {o['Id']!r}: give S3OriginConfig (an S3 bucket) or CustomOriginConfig (any web server).")
    headers = {h["HeaderName"]: h["HeaderValue"] for h in _items(o.get("CustomHeaders"), f"{param}.CustomHeaders")}
    if custom is not None:
        _need(custom, f"{param}.CustomOriginConfig", "HTTPPort", "HTTPSPort", "OriginProtocolPolicy")
        return Origin(id=o["Id"], domain_name=o["DomainName"], kind="custom", origin_path=o.get("OriginPath", ""),
                      protocol_policy=custom["OriginProtocolPolicy"], http_port=custom["HTTPPort"],
                      https_port=custom["HTTPSPort"], custom_headers=headers)
    return Origin(id=o["Id"], domain_name=o["DomainName"], kind="s3", origin_path=o.get("OriginPath", ""),
                  origin_access_control_id=o.get("OriginAccessControlId", "") or "", custom_headers=headers)


def _config_in(cfg: Any) -> DistributionConfig:
    check_type("DistributionConfig", cfg, dict)
    _need(cfg, "DistributionConfig", "CallerReference", "Origins", "DefaultCacheBehavior", "Comment", "Enabled")
    origins = [_origin_in(o, i) for i, o in enumerate(_items(cfg["Origins"], "DistributionConfig.Origins", True))]
    behaviors = [_behavior_in(b, f"DistributionConfig.CacheBehaviors.Items[{i}]", False)
                 for i, b in enumerate(_items(cfg.get("CacheBehaviors"), "DistributionConfig.CacheBehaviors"))]
    errors = {}
    for e in _items(cfg.get("CustomErrorResponses"), "DistributionConfig.CustomErrorResponses"):
        _need(e, "CustomErrorResponses.Items[]", "ErrorCode")
        errors[e["ErrorCode"]] = e.get("ErrorCachingMinTTL", 10)
    check_type("DistributionConfig.Enabled", cfg["Enabled"], bool)
    return DistributionConfig(
        caller_reference=cfg["CallerReference"], origins=origins,
        default_behavior=_behavior_in(cfg["DefaultCacheBehavior"], "DistributionConfig.DefaultCacheBehavior", True),
        behaviors=behaviors, default_root_object=cfg.get("DefaultRootObject", ""),
        price_class=cfg.get("PriceClass", "PriceClass_All"), enabled=cfg["Enabled"], comment=cfg["Comment"],
        aliases=tuple(_items(cfg.get("Aliases"), "DistributionConfig.Aliases")),
        http_version=cfg.get("HttpVersion", "http2"), ipv6=bool(cfg.get("IsIPV6Enabled", True)),
        error_caching_min_ttl=errors)


def _behavior_out(b: CacheBehavior, default: bool) -> dict:
    out: dict[str, Any] = {} if default else {"PathPattern": b.path_pattern}
    out.update({
        "TargetOriginId": b.target_origin_id,
        "TrustedSigners": {"Enabled": False, "Quantity": 0},
        "TrustedKeyGroups": {"Enabled": False, "Quantity": 0},
        "ViewerProtocolPolicy": b.viewer_protocol_policy,
        "AllowedMethods": {**_wrap(list(b.allowed_methods)), "CachedMethods": _wrap(list(b.cached_methods))},
        "SmoothStreaming": False, "Compress": b.compress,
        "LambdaFunctionAssociations": {"Quantity": 0}, "FunctionAssociations": {"Quantity": 0},
        "FieldLevelEncryptionId": "",
    })
    if b.cache_policy_id:
        out["CachePolicyId"] = b.cache_policy_id
    else:
        out["ForwardedValues"] = {"QueryString": b.forward_query_string, "Cookies": {"Forward": "none"},
                                  "Headers": _wrap(list(b.forwarded_headers))}
        out.update(MinTTL=b.min_ttl, DefaultTTL=b.default_ttl, MaxTTL=b.max_ttl)
    return out


def _origin_out(o: Origin) -> dict:
    out: dict[str, Any] = {
        "Id": o.id, "DomainName": o.domain_name, "OriginPath": o.origin_path,
        "CustomHeaders": _wrap([{"HeaderName": k, "HeaderValue": v} for k, v in o.custom_headers.items()]),
        "ConnectionAttempts": 3, "ConnectionTimeout": 10, "OriginShield": {"Enabled": False},
    }
    if o.kind == "s3":
        out["S3OriginConfig"] = {"OriginAccessIdentity": ""}
        out["OriginAccessControlId"] = o.origin_access_control_id
    else:
        out["CustomOriginConfig"] = {"HTTPPort": o.http_port, "HTTPSPort": o.https_port,
                                     "OriginProtocolPolicy": o.protocol_policy,
                                     "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
                                     "OriginReadTimeout": 30, "OriginKeepaliveTimeout": 5}
    return out


def _config_body(cfg: DistributionConfig) -> dict:
    """The fields a DistributionConfig and a DistributionSummary share."""
    return {
        "Aliases": _wrap(list(cfg.aliases)),
        "Origins": _wrap([_origin_out(o) for o in cfg.origins]),
        "OriginGroups": {"Quantity": 0},
        "DefaultCacheBehavior": _behavior_out(cfg.default_behavior, True),
        "CacheBehaviors": _wrap([_behavior_out(b, False) for b in cfg.behaviors]),
        "CustomErrorResponses": _wrap([{"ErrorCode": c, "ErrorCachingMinTTL": t}
                                       for c, t in cfg.error_caching_min_ttl.items()]),
        "Comment": cfg.comment,
        "PriceClass": cfg.price_class,
        "Enabled": cfg.enabled,
        "ViewerCertificate": {"CloudFrontDefaultCertificate": True, "SSLSupportMethod": "vip",
                              "MinimumProtocolVersion": "TLSv1", "CertificateSource": "cloudfront"},
        "Restrictions": {"GeoRestriction": {"RestrictionType": "none", "Quantity": 0}},
        "WebACLId": "",
        "HttpVersion": cfg.http_version,
        "IsIPV6Enabled": cfg.ipv6,
    }


def _config_out(cfg: DistributionConfig) -> dict:
    body = _config_body(cfg)
    return {"CallerReference": cfg.caller_reference, "DefaultRootObject": cfg.default_root_object, **body,
            "Logging": {"Enabled": False, "IncludeCookies": False, "Bucket": "", "Prefix": ""}}


class CloudFrontClient(BaseClient):
    """Amazon CloudFront through boto3's calls.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=6)
    >>> _ = cloud.s3.create_bucket("cf-facade-demo")
    >>> cf = cloud.client("cloudfront")
    >>> created = cf.create_distribution(DistributionConfig={
    ...     "CallerReference": "demo-1", "Comment": "", "Enabled": True,
    ...     "Origins": {"Quantity": 1, "Items": [{"Id": "s3", "DomainName":
    ...         "cf-facade-demo.s3.us-east-1.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
    ...     "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https",
    ...         "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"}})
    >>> did = created["Distribution"]["Id"]
    >>> created["Distribution"]["Status"]
    'InProgress'
    >>> cf.get_waiter("distribution_deployed").wait(Id=did)
    >>> cf.get_distribution(Id=did)["Distribution"]["Status"]
    'Deployed'
    """

    service_name = "cloudfront"
    error_codes = ("NoSuchDistribution", "DistributionNotDisabled", "PreconditionFailed", "InvalidIfMatchVersion",
                   "InvalidArgument", "NoSuchOrigin", "IllegalUpdate", "DistributionAlreadyExists",
                   "NoSuchInvalidation", "InvalidationBatchAlreadyExists", "NoSuchOriginAccessControl",
                   "OriginAccessControlAlreadyExists", "OriginAccessControlInUse", "NoSuchCachePolicy",
                   "CNAMEAlreadyExists", "InvalidTTLOrder", "InvalidDefaultRootObject", "AccessDenied")
    waiters: ClassVar[dict] = {
        "distribution_deployed": ("get_distribution", lambda r: r["Distribution"]["Status"] == "Deployed", 60, 35),
        "invalidation_completed": ("get_invalidation", lambda r: r["Invalidation"]["Status"] == "Completed",
                                   20, 30),
    }

    def __init__(self, cloud, region, **kwargs: Any) -> None:
        super().__init__(cloud, region, **kwargs)
        self._cf = self._cloud.cloudfront

    # -- shapes ---------------------------------------------------------------------------------------
    def _time(self, t: float):
        return self._cloud.clock.to_datetime(t)

    def _distribution(self, d: Distribution) -> dict:
        return {"Id": d.id, "ARN": d.arn, "Status": d.status.value, "LastModifiedTime": self._time(d.last_modified),
                "InProgressInvalidationBatches": d.in_progress_invalidations, "DomainName": d.domain_name,
                "ActiveTrustedSigners": {"Enabled": False, "Quantity": 0},
                "ActiveTrustedKeyGroups": {"Enabled": False, "Quantity": 0},
                "DistributionConfig": _config_out(d.config), "AliasICPRecordals": []}

    def _summary(self, d: Distribution) -> dict:
        return {"Id": d.id, "ARN": d.arn, "Status": d.status.value, "LastModifiedTime": self._time(d.last_modified),
                "DomainName": d.domain_name, **_config_body(d.config), "AliasICPRecordals": [], "Staging": False}

    def _invalidation(self, inv: Invalidation) -> dict:
        return {"Id": inv.id, "Status": inv.status.value, "CreateTime": self._time(inv.created),
                "InvalidationBatch": {"Paths": _wrap(list(inv.paths)), "CallerReference": inv.caller_reference}}

    @staticmethod
    def _oac_config(o: OriginAccessControl) -> dict:
        return {"Name": o.name, "Description": o.description, "SigningProtocol": o.signing_protocol,
                "SigningBehavior": o.signing_behavior, "OriginAccessControlOriginType": o.origin_type}

    @staticmethod
    def _page(items: list, marker: Any, max_items: Any) -> tuple[list, dict]:
        if marker is not None:
            check_type("Marker", marker, str)
        if max_items is not None:
            check_type("MaxItems", max_items, str)
            if not max_items.isdigit() or not 1 <= int(max_items) <= 1000:
                _bad(f"MaxItems is a number from 1 to 1000 (as a string), not {max_items!r}.")
        size = int(max_items) if max_items else 100
        ids = [x.id for x in items]
        start = ids.index(marker) if marker and marker in ids else 0
        page = items[start:start + size]
        meta: dict[str, Any] = {"Marker": marker or "", "MaxItems": size,
                                "IsTruncated": start + size < len(items), "Quantity": len(page)}
        if meta["IsTruncated"]:
            meta["NextMarker"] = ids[start + size]
        return page, meta

    # -- distributions ----------------------------------------------------------------------------------
    def create_distribution(self, *, DistributionConfig):
        d = self._cf.create_distribution(config=_config_in(DistributionConfig))
        return {"Location": f"{_API}/distribution/{d.id}", "ETag": d.etag, "Distribution": self._distribution(d)}

    def get_distribution(self, *, Id):
        d = self._cf.get_distribution(check_type("Id", Id, str))
        return {"ETag": d.etag, "Distribution": self._distribution(d)}

    def get_distribution_config(self, *, Id):
        d = self._cf.get_distribution(check_type("Id", Id, str))
        return {"ETag": d.etag, "DistributionConfig": _config_out(d.config)}

    def list_distributions(self, *, Marker=None, MaxItems=None):
        page, meta = self._page(self._cf.list_distributions(), Marker, MaxItems)
        if page:
            meta["Items"] = [self._summary(d) for d in page]
        return {"DistributionList": meta}

    def update_distribution(self, *, DistributionConfig, Id, IfMatch=None):
        d = self._cf.get_distribution(check_type("Id", Id, str))
        cfg = _config_in(DistributionConfig)
        d = self._cf.update_distribution(d, if_match=IfMatch, config=cfg)
        return {"ETag": d.etag, "Distribution": self._distribution(d)}

    def delete_distribution(self, *, Id, IfMatch=None):
        self._cf.delete_distribution(check_type("Id", Id, str), if_match=IfMatch)
        return {}

    # -- invalidations ------------------------------------------------------------------------------------
    def create_invalidation(self, *, DistributionId, InvalidationBatch):
        check_type("InvalidationBatch", InvalidationBatch, dict)
        _need(InvalidationBatch, "InvalidationBatch", "Paths", "CallerReference")
        paths = _items(InvalidationBatch["Paths"], "InvalidationBatch.Paths", True)
        inv = self._cf.create_invalidation(check_type("DistributionId", DistributionId, str), paths,
                                           caller_reference=InvalidationBatch["CallerReference"])
        return {"Location": f"{_API}/distribution/{DistributionId}/invalidation/{inv.id}",
                "Invalidation": self._invalidation(inv)}

    def get_invalidation(self, *, DistributionId, Id):
        return {"Invalidation": self._invalidation(self._cf.get_invalidation(DistributionId, Id))}

    def list_invalidations(self, *, DistributionId, Marker=None, MaxItems=None):
        page, meta = self._page(self._cf.list_invalidations(DistributionId), Marker, MaxItems)
        if page:
            meta["Items"] = [{"Id": i.id, "CreateTime": self._time(i.created), "Status": i.status.value}
                             for i in page]
        return {"InvalidationList": meta}

    # -- origin access control ------------------------------------------------------------------------------
    def create_origin_access_control(self, *, OriginAccessControlConfig):
        c = check_type("OriginAccessControlConfig", OriginAccessControlConfig, dict)
        _need(c, "OriginAccessControlConfig", "Name", "SigningProtocol", "SigningBehavior",
              "OriginAccessControlOriginType")
        o = self._cf.create_origin_access_control(c["Name"], origin_type=c["OriginAccessControlOriginType"],
                                                  signing_behavior=c["SigningBehavior"],
                                                  signing_protocol=c["SigningProtocol"],
                                                  description=c.get("Description", ""))
        return {"Location": f"{_API}/origin-access-control/{o.id}", "ETag": o.etag,
                "OriginAccessControl": {"Id": o.id, "OriginAccessControlConfig": self._oac_config(o)}}

    def get_origin_access_control(self, *, Id):
        o = self._cf.get_origin_access_control(Id)
        return {"ETag": o.etag, "OriginAccessControl": {"Id": o.id, "OriginAccessControlConfig": self._oac_config(o)}}

    def get_origin_access_control_config(self, *, Id):
        o = self._cf.get_origin_access_control(Id)
        return {"ETag": o.etag, "OriginAccessControlConfig": self._oac_config(o)}

    def list_origin_access_controls(self, *, Marker=None, MaxItems=None):
        page, meta = self._page(self._cf.list_origin_access_controls(), Marker, MaxItems)
        if page:
            meta["Items"] = [{"Id": o.id, **self._oac_config(o)} for o in page]
        return {"OriginAccessControlList": meta}

    def delete_origin_access_control(self, *, Id, IfMatch=None):
        self._cf.delete_origin_access_control(Id, if_match=IfMatch)
        return {}
