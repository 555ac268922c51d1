"""boto3-shaped Classic Load Balancer client: ``cloud.client("elb")``."""

from __future__ import annotations

from typing import Any, ClassVar

from ..core.errors import AWSError, InvalidParameter
from ..elb.classic import ClassicLoadBalancer
from .base import BaseClient, check_type, from_tags, paginate_list, to_tags

__all__ = ["ELBClient"]

_ALIASES = {
    "AccessPointNotFoundException": "LoadBalancerNotFound",
    "DuplicateAccessPointNameException": "DuplicateLoadBalancerName",
    "InvalidEndPointException": "InvalidInstance",
    "CertificateNotFoundException": "CertificateNotFound",
    "DuplicateListenerException": "DuplicateListener",
    "InvalidConfigurationRequestException": "InvalidConfigurationRequest",
    "InvalidSubnetException": "InvalidSubnet",
    "SubnetNotFoundException": "SubnetNotFound",
    "InvalidSecurityGroupException": "InvalidSecurityGroup",
    "TooManyTagsException": "TooManyTags",
    "LoadBalancerAttributeNotFoundException": "LoadBalancerAttributeNotFound",
}


def _instances(state: str, *, any_: bool = False):
    def check(r: dict) -> Any:
        rows = r.get("InstanceStates", [])
        if r.get("gone"):
            return True
        hits = [x["State"] == state for x in rows]
        return bool(rows) and (any(hits) if any_ else all(hits))
    return check


class ELBClient(BaseClient):
    """The classic ``elb`` API over :class:`awskit.elb.ELBService`."""

    service_name = "elasticloadbalancing"
    error_codes = tuple(sorted(set(_ALIASES.values()) | {"ValidationError"}))
    waiters: ClassVar[dict] = {
        "any_instance_in_service": ("describe_instance_health", _instances("InService", any_=True), 15, 40),
        "instance_in_service": ("describe_instance_health", _instances("InService"), 15, 40),
        "instance_deregistered": ("_health_or_gone", _instances("OutOfService"), 15, 40),
    }
    paginators: ClassVar[dict] = {
        "describe_load_balancers": ("Marker", "NextMarker", "PageSize", ("LoadBalancerDescriptions",)),
    }

    def __init__(self, cloud, region, **kwargs: Any) -> None:
        super().__init__(cloud, region, **kwargs)
        self._elb = region.elb
        for alias, code in _ALIASES.items():
            setattr(self.exceptions, alias, self.exceptions.from_code(code))

    def _describe(self, lb: ClassicLoadBalancer) -> dict[str, Any]:
        hc = lb.health_check
        listeners = []
        for lst in lb.listeners:
            d: dict[str, Any] = {"Protocol": lst.protocol, "LoadBalancerPort": lst.load_balancer_port,
                                 "InstanceProtocol": lst.instance_protocol, "InstancePort": lst.instance_port}
            if lst.ssl_certificate_id:
                d["SSLCertificateId"] = lst.ssl_certificate_id
            listeners.append({"Listener": d, "PolicyNames": []})
        sg = lb.security_groups[0] if lb.security_groups else None
        return {
            "LoadBalancerName": lb.name, "DNSName": lb.dns_name, "CanonicalHostedZoneName": lb.dns_name,
            "CanonicalHostedZoneNameID": lb.canonical_hosted_zone_id, "ListenerDescriptions": listeners,
            "Policies": {"AppCookieStickinessPolicies": [], "LBCookieStickinessPolicies": [], "OtherPolicies": []},
            "BackendServerDescriptions": [], "AvailabilityZones": lb.zone_names,
            "Subnets": [s.id for s in lb.subnets], "VPCId": lb.vpc.id,
            "Instances": [{"InstanceId": i} for i in lb.instances],
            "HealthCheck": {"Target": hc.target, "Interval": hc.interval, "Timeout": hc.timeout,
                            "UnhealthyThreshold": hc.unhealthy_threshold, "HealthyThreshold": hc.healthy_threshold},
            "SourceSecurityGroup": {"OwnerAlias": self._cloud.account_id,
                                    "GroupName": sg.group_name if sg is not None else "default"},
            "SecurityGroups": [g.id for g in lb.security_groups],
            "CreatedTime": self._cloud.clock.to_datetime(lb.created_at), "Scheme": lb.scheme,
        }

    def create_load_balancer(self, *, LoadBalancerName, Listeners, AvailabilityZones=None, Subnets=None,
                             SecurityGroups=None, Scheme=None, Tags=None):
        check_type("LoadBalancerName", LoadBalancerName, str)
        check_type("Listeners", Listeners, list)
        lb = self._elb.create_classic_load_balancer(
            LoadBalancerName, listeners=Listeners, subnets=Subnets or None,
            availability_zones=AvailabilityZones or None, security_groups=SecurityGroups,
            scheme=Scheme or "internet-facing", tags=from_tags(Tags))
        return {"DNSName": lb.dns_name}

    def describe_load_balancers(self, *, LoadBalancerNames=None, Marker=None, PageSize=None):
        lbs = ([self._elb.get_classic_load_balancer(n) for n in LoadBalancerNames] if LoadBalancerNames
               else self._elb.classic_load_balancers)
        page, token = paginate_list([self._describe(lb) for lb in lbs], Marker, PageSize, default=400, maximum=400)
        out: dict[str, Any] = {"LoadBalancerDescriptions": page}
        if token:
            out["NextMarker"] = token
        return out

    def delete_load_balancer(self, *, LoadBalancerName):
        self._elb.delete_classic_load_balancer(LoadBalancerName)
        return {}

    def configure_health_check(self, *, LoadBalancerName, HealthCheck):
        check_type("HealthCheck", HealthCheck, dict)
        for key in ("Target", "Interval", "Timeout", "UnhealthyThreshold", "HealthyThreshold"):
            if key not in HealthCheck:
                from .base import ParamValidationError

                raise ParamValidationError(f'Missing required parameter in HealthCheck: "{key}"')
        hc = self._elb.configure_health_check(
            LoadBalancerName, target=HealthCheck["Target"], interval=HealthCheck["Interval"],
            timeout=HealthCheck["Timeout"], unhealthy_threshold=HealthCheck["UnhealthyThreshold"],
            healthy_threshold=HealthCheck["HealthyThreshold"])
        return {"HealthCheck": {"Target": hc.target, "Interval": hc.interval, "Timeout": hc.timeout,
                                "UnhealthyThreshold": hc.unhealthy_threshold,
                                "HealthyThreshold": hc.healthy_threshold}}

    def register_instances_with_load_balancer(self, *, LoadBalancerName, Instances):
        check_type("Instances", Instances, list)
        ids = self._elb.register_instances_with_load_balancer(LoadBalancerName, [i["InstanceId"] for i in Instances])
        return {"Instances": [{"InstanceId": i} for i in ids]}

    def deregister_instances_from_load_balancer(self, *, LoadBalancerName, Instances):
        check_type("Instances", Instances, list)
        ids = self._elb.deregister_instances_from_load_balancer(LoadBalancerName,
                                                                [i["InstanceId"] for i in Instances])
        return {"Instances": [{"InstanceId": i} for i in ids]}

    def describe_instance_health(self, *, LoadBalancerName, Instances=None):
        rows = self._elb.describe_instance_health(
            LoadBalancerName, None if not Instances else [i["InstanceId"] for i in Instances])
        return {"InstanceStates": [{"InstanceId": c.id, "State": c.state, "ReasonCode": c.reason_code,
                                    "Description": c.description} for c in rows]}

    def _health_or_gone(self, **kwargs: Any) -> dict[str, Any]:
        """For the instance_deregistered waiter: AWS counts InvalidInstance as success."""
        try:
            return self.describe_instance_health(**kwargs)
        except AWSError as err:
            if err.code == "InvalidInstance":
                return {"gone": True}
            raise

    @staticmethod
    def _attributes(lb: ClassicLoadBalancer) -> dict[str, Any]:
        return {"CrossZoneLoadBalancing": {"Enabled": lb.cross_zone},
                "AccessLog": {"Enabled": False},
                "ConnectionDraining": {"Enabled": lb.connection_draining, "Timeout": lb.draining_timeout},
                "ConnectionSettings": {"IdleTimeout": lb.idle_timeout},
                "AdditionalAttributes": []}

    def modify_load_balancer_attributes(self, *, LoadBalancerName, LoadBalancerAttributes):
        check_type("LoadBalancerAttributes", LoadBalancerAttributes, dict)
        a = LoadBalancerAttributes
        unknown = set(a) - {"CrossZoneLoadBalancing", "ConnectionDraining", "ConnectionSettings", "AccessLog",
                            "AdditionalAttributes"}
        if unknown:
            raise InvalidParameter("ValidationError", f"Unknown attribute(s) {sorted(unknown)}.")
        if a.get("AccessLog", {}).get("Enabled"):
            raise InvalidParameter("ValidationError", "Access logs are not modelled by awskit.")
        draining = a.get("ConnectionDraining") or {}
        lb = self._elb.modify_classic_load_balancer_attributes(
            LoadBalancerName, cross_zone=(a.get("CrossZoneLoadBalancing") or {}).get("Enabled"),
            connection_draining=draining.get("Enabled"), draining_timeout=draining.get("Timeout"),
            idle_timeout=(a.get("ConnectionSettings") or {}).get("IdleTimeout"))
        return {"LoadBalancerName": lb.name, "LoadBalancerAttributes": self._attributes(lb)}

    def describe_load_balancer_attributes(self, *, LoadBalancerName):
        return {"LoadBalancerAttributes": self._attributes(self._elb.get_classic_load_balancer(LoadBalancerName))}

    def add_tags(self, *, LoadBalancerNames, Tags):
        tags = from_tags(Tags)
        lbs = [self._elb.get_classic_load_balancer(n) for n in LoadBalancerNames]
        for lb in lbs:
            if len({**lb.tags, **tags}) > 50:
                raise InvalidParameter("TooManyTags", f"{lb.name} would have more than 50 tags.")
        for lb in lbs:
            lb.tags.update(tags)
        return {}

    def remove_tags(self, *, LoadBalancerNames, Tags):
        for n in LoadBalancerNames:
            lb = self._elb.get_classic_load_balancer(n)
            for t in Tags:
                lb.tags.pop(t.get("Key"), None)
        return {}

    def describe_tags(self, *, LoadBalancerNames):
        return {"TagDescriptions": [{"LoadBalancerName": n, "Tags": to_tags(self._elb.get_classic_load_balancer(n).tags)}
                                    for n in LoadBalancerNames]}
