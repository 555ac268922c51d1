"""boto3-shaped Elastic Load Balancing v2 client (ALB and NLB): ``cloud.client("elbv2")``."""

from __future__ import annotations

from typing import Any, ClassVar

from ..core.errors import AWSError, InvalidParameter
from ..elb.application import Action, Condition, Listener, LoadBalancer, Rule
from ..elb.targets import TargetGroup
from .base import BaseClient, check_type, from_tags, paginate_list, to_tags

__all__ = ["ELBv2Client"]

#: boto3's exception class names -> the error codes they carry
_ALIASES = {
    "LoadBalancerNotFoundException": "LoadBalancerNotFound",
    "TargetGroupNotFoundException": "TargetGroupNotFound",
    "ListenerNotFoundException": "ListenerNotFound",
    "RuleNotFoundException": "RuleNotFound",
    "DuplicateLoadBalancerNameException": "DuplicateLoadBalancerName",
    "DuplicateTargetGroupNameException": "DuplicateTargetGroupName",
    "DuplicateListenerException": "DuplicateListener",
    "PriorityInUseException": "PriorityInUse",
    "InvalidTargetException": "InvalidTarget",
    "InvalidConfigurationRequestException": "InvalidConfigurationRequest",
    "InvalidSubnetException": "InvalidSubnet",
    "SubnetNotFoundException": "SubnetNotFound",
    "InvalidSecurityGroupException": "InvalidSecurityGroup",
    "CertificateNotFoundException": "CertificateNotFound",
    "ResourceInUseException": "ResourceInUse",
    "OperationNotPermittedException": "OperationNotPermitted",
    "IncompatibleProtocolsException": "IncompatibleProtocols",
    "TargetGroupAssociationLimitException": "TargetGroupAssociationLimit",
    "TooManyTagsException": "TooManyTags",
}

_HC = {"HealthCheckProtocol": "health_check_protocol", "HealthCheckPort": "health_check_port",
       "HealthCheckPath": "health_check_path", "HealthCheckIntervalSeconds": "health_check_interval",
       "HealthCheckTimeoutSeconds": "health_check_timeout", "HealthyThresholdCount": "healthy_threshold",
       "UnhealthyThresholdCount": "unhealthy_threshold", "HealthCheckEnabled": "health_check_enabled"}


def _all_states(state: str):
    def check(r: dict) -> Any:
        rows = r.get("TargetHealthDescriptions", [])
        return bool(rows) and all(d["TargetHealth"]["State"] == state for d in rows)
    return check


def _lbs_active(r: dict) -> Any:
    lbs = r.get("LoadBalancers", [])
    return bool(lbs) and all(lb["State"]["Code"] == "active" for lb in lbs)


class ELBv2Client(BaseClient):
    """The ``elbv2`` API over :class:`awskit.elb.ELBService` (Application and Network Load Balancers)."""

    service_name = "elasticloadbalancing"
    error_codes = tuple(sorted(set(_ALIASES.values()) | {"ValidationError"}))
    waiters: ClassVar[dict] = {
        "load_balancer_available": ("describe_load_balancers", _lbs_active, 15, 40),
        "load_balancer_exists": ("describe_load_balancers", lambda r: True, 15, 40),
        "load_balancers_deleted": ("_lbs_gone", lambda r: r.get("gone", False), 15, 40),
        "target_in_service": ("describe_target_health", _all_states("healthy"), 15, 40),
        "target_deregistered": ("_targets_gone", lambda r: r.get("gone", False) or _all_states("unused")(r), 15, 40),
    }
    paginators: ClassVar[dict] = {
        "describe_load_balancers": ("Marker", "NextMarker", "PageSize", ("LoadBalancers",)),
        "describe_target_groups": ("Marker", "NextMarker", "PageSize", ("TargetGroups",)),
        "describe_listeners": ("Marker", "NextMarker", "PageSize", ("Listeners",)),
        "describe_rules": ("Marker", "NextMarker", "PageSize", ("Rules",)),
    }

    def __init__(self, cloud, region, **kwargs: Any) -> None:
        super().__init__(cloud, region, **kwargs)
        self._elb = region.elb
        for alias, code in _ALIASES.items():
            setattr(self.exceptions, alias, self.exceptions.from_code(code))

    # -- shapes -------------------------------------------------------------------------------
    def _lb(self, lb: LoadBalancer) -> dict[str, Any]:
        zones = []
        for node in lb.nodes:
            z: dict[str, Any] = {"ZoneName": node.availability_zone, "SubnetId": node.subnet.id,
                                 "LoadBalancerAddresses": []}
            if lb.type == "network":
                z["LoadBalancerAddresses"] = [{"IpAddress": node.ip, **({"AllocationId": node.allocation_id}
                                                                          if node.internet_facing else
                                                                          {"PrivateIPv4Address": node.private_ip})}]
            zones.append(z)
        out = {"LoadBalancerArn": lb.arn, "DNSName": lb.dns_name, "CanonicalHostedZoneId": lb.canonical_hosted_zone_id,
               "CreatedTime": self._cloud.clock.to_datetime(lb.created_at), "LoadBalancerName": lb.name,
               "Scheme": lb.scheme, "VpcId": lb.vpc.id, "State": {"Code": lb.state.value}, "Type": lb.type,
               "AvailabilityZones": zones, "IpAddressType": lb.ip_address_type}
        if lb.security_groups:
            out["SecurityGroups"] = [g.id for g in lb.security_groups]
        return out

    @staticmethod
    def _action(a: Action) -> dict[str, Any]:
        if a.type == "forward":
            out: dict[str, Any] = {"Type": "forward"}
            if len(a.target_groups) == 1:
                out["TargetGroupArn"] = a.target_groups[0][0].arn
            out["ForwardConfig"] = {"TargetGroups": [{"TargetGroupArn": tg.arn, "Weight": w}
                                                     for tg, w in a.target_groups],
                                    "TargetGroupStickinessConfig": {"Enabled": a.stickiness, **(
                                        {"DurationSeconds": a.stickiness_seconds} if a.stickiness else {})}}
            return out
        if a.type == "redirect":
            return {"Type": "redirect", "RedirectConfig": dict(a.redirect)}
        return {"Type": "fixed-response", "FixedResponseConfig": dict(a.fixed_response)}

    @staticmethod
    def _condition(c: Condition) -> dict[str, Any]:
        f = c.field
        if f == "path-pattern":
            return {"Field": f, "Values": list(c.values), "PathPatternConfig": {"Values": list(c.values)}}
        if f == "host-header":
            return {"Field": f, "Values": list(c.values), "HostHeaderConfig": {"Values": list(c.values)}}
        if f == "http-header":
            return {"Field": f, "HttpHeaderConfig": {"HttpHeaderName": c.header_name, "Values": list(c.values)}}
        if f == "query-string":
            return {"Field": f, "QueryStringConfig": {"Values": [
                {"Key": k, "Value": v} if k is not None else {"Value": v} for k, v in c.values]}}
        if f == "http-request-method":
            return {"Field": f, "HttpRequestMethodConfig": {"Values": list(c.values)}}
        return {"Field": f, "SourceIpConfig": {"Values": list(c.values)}}

    def _listener(self, lst: Listener) -> dict[str, Any]:
        out: dict[str, Any] = {"ListenerArn": lst.arn, "LoadBalancerArn": lst.load_balancer.arn, "Port": lst.port,
                               "Protocol": lst.protocol,
                               "DefaultActions": [self._action(a) for a in lst.default_actions]}
        if lst.certificates:
            out["Certificates"] = [{"CertificateArn": c} for c in lst.certificates]
            out["SslPolicy"] = lst.ssl_policy
        return out

    def _rule(self, r: Rule) -> dict[str, Any]:
        return {"RuleArn": r.arn, "Priority": "default" if r.is_default else str(r.priority),
                "Conditions": [self._condition(c) for c in r.conditions],
                "Actions": [self._action(a) for a in r.actions], "IsDefault": r.is_default}

    @staticmethod
    def _tg(tg: TargetGroup) -> dict[str, Any]:
        hc = tg.health_check
        out: dict[str, Any] = {
            "TargetGroupArn": tg.arn, "TargetGroupName": tg.name, "Protocol": tg.protocol, "Port": tg.port,
            "VpcId": tg.vpc.id, "HealthCheckProtocol": hc.protocol, "HealthCheckPort": hc.port,
            "HealthCheckEnabled": hc.enabled, "HealthCheckIntervalSeconds": hc.interval,
            "HealthCheckTimeoutSeconds": hc.timeout, "HealthyThresholdCount": hc.healthy_threshold,
            "UnhealthyThresholdCount": hc.unhealthy_threshold,
            "LoadBalancerArns": [lb.arn for lb in tg.load_balancers], "TargetType": tg.target_type,
            "IpAddressType": "ipv4"}
        if hc.protocol != "TCP":
            out["HealthCheckPath"] = hc.path
            out["Matcher"] = {"HttpCode": hc.matcher}
        if tg.protocol_version:
            out["ProtocolVersion"] = tg.protocol_version
        return out

    @staticmethod
    def _page(items: list, key: str, marker: str | None, size: int | None) -> dict[str, Any]:
        page, token = paginate_list(items, marker, size, default=400, maximum=400)
        out: dict[str, Any] = {key: page}
        if token:
            out["NextMarker"] = token
        return out

    # -- load balancers ------------------------------------------------------------------------
    def create_load_balancer(self, *, Name, Subnets=None, SubnetMappings=None, SecurityGroups=None,
                             Scheme="internet-facing", Tags=None, Type="application", IpAddressType="ipv4",
                             CustomerOwnedIpv4Pool=None, EnablePrefixForIpv6SourceNat=None, IpamPools=None):
        check_type("Name", Name, str)
        subnets = list(Subnets or []) + [m.get("SubnetId") for m in SubnetMappings or []]
        if not subnets:
            raise InvalidParameter("ValidationError", "Subnets or SubnetMappings must be specified.")
        if Type == "gateway":
            raise InvalidParameter("ValidationError", "Gateway Load Balancers are not modelled by awskit.")
        lb = self._elb.create_load_balancer(Name, subnets=subnets, security_groups=SecurityGroups, scheme=Scheme,
                                            type=Type, tags=from_tags(Tags))
        return {"LoadBalancers": [self._lb(lb)]}

    def describe_load_balancers(self, *, LoadBalancerArns=None, Names=None, Marker=None, PageSize=None):
        if LoadBalancerArns:
            lbs = [self._elb.get_load_balancer(a) for a in LoadBalancerArns]
        elif Names:
            lbs = [self._elb.get_load_balancer(n) for n in Names]
        else:
            lbs = self._elb.load_balancers
        return self._page([self._lb(lb) for lb in lbs], "LoadBalancers", Marker, PageSize)

    def delete_load_balancer(self, *, LoadBalancerArn):
        try:
            self._elb.delete_load_balancer(self._elb.get_load_balancer(LoadBalancerArn))
        except AWSError as err:
            if err.code != "LoadBalancerNotFound":  # deleting what is gone succeeds, as in AWS
                raise
        return {}

    def modify_load_balancer_attributes(self, *, LoadBalancerArn, Attributes):
        check_type("Attributes", Attributes, list)
        attrs = self._elb.modify_load_balancer_attributes(LoadBalancerArn, {a["Key"]: a["Value"] for a in Attributes})
        keys = {a["Key"] for a in Attributes}
        return {"Attributes": [{"Key": k, "Value": v} for k, v in attrs.items() if k in keys]}

    def describe_load_balancer_attributes(self, *, LoadBalancerArn):
        lb = self._elb.get_load_balancer(LoadBalancerArn)
        return {"Attributes": [{"Key": k, "Value": v} for k, v in lb.attributes.items()]}

    # -- listeners -----------------------------------------------------------------------------
    def create_listener(self, *, LoadBalancerArn, DefaultActions, Protocol=None, Port=None, SslPolicy=None,
                        Certificates=None, AlpnPolicy=None, Tags=None, MutualAuthentication=None):
        check_type("DefaultActions", DefaultActions, list)
        if Port is None:
            raise InvalidParameter("ValidationError", "A listener port must be specified.")
        lst = self._elb.create_listener(LoadBalancerArn, port=Port, protocol=Protocol, default_actions=DefaultActions,
                                        certificates=Certificates, ssl_policy=SslPolicy, tags=from_tags(Tags))
        return {"Listeners": [self._listener(lst)]}

    def describe_listeners(self, *, LoadBalancerArn=None, ListenerArns=None, Marker=None, PageSize=None):
        if ListenerArns:
            lsts = [self._elb.get_listener(a) for a in ListenerArns]
        elif LoadBalancerArn:
            lsts = list(self._elb.get_load_balancer(LoadBalancerArn).listeners)
        else:
            raise InvalidParameter("ValidationError", "You must specify either listener ARNs or a load balancer ARN.")
        return self._page([self._listener(x) for x in lsts], "Listeners", Marker, PageSize)

    def modify_listener(self, *, ListenerArn, Port=None, Protocol=None, SslPolicy=None, Certificates=None,
                        DefaultActions=None, AlpnPolicy=None, MutualAuthentication=None):
        lst = self._elb.modify_listener(ListenerArn, port=Port, protocol=Protocol, default_actions=DefaultActions,
                                        certificates=Certificates)
        return {"Listeners": [self._listener(lst)]}

    def delete_listener(self, *, ListenerArn):
        self._elb.delete_listener(ListenerArn)
        return {}

    # -- rules -----------------------------------------------------------------------------------
    def create_rule(self, *, ListenerArn, Conditions, Priority, Actions, Tags=None):
        check_type("Priority", Priority, int)
        rule = self._elb.create_rule(ListenerArn, priority=Priority, conditions=Conditions, actions=Actions,
                                     tags=from_tags(Tags))
        return {"Rules": [self._rule(rule)]}

    def describe_rules(self, *, ListenerArn=None, RuleArns=None, Marker=None, PageSize=None):
        if RuleArns:
            rules = [self._elb.get_rule(a) for a in RuleArns]
        elif ListenerArn:
            rules = self._elb.get_listener(ListenerArn).ordered_rules()
        else:
            raise InvalidParameter("ValidationError", "You must specify either listener rule ARNs or a listener ARN.")
        return self._page([self._rule(r) for r in rules], "Rules", Marker, PageSize)

    def modify_rule(self, *, RuleArn, Conditions=None, Actions=None, ResetTransforms=None, Transforms=None):
        rule = self._elb.modify_rule(RuleArn, conditions=Conditions, actions=Actions)
        return {"Rules": [self._rule(rule)]}

    def set_rule_priorities(self, *, RulePriorities):
        check_type("RulePriorities", RulePriorities, list)
        rules = self._elb.set_rule_priorities({p["RuleArn"]: p["Priority"] for p in RulePriorities})
        return {"Rules": [self._rule(r) for r in rules]}

    def delete_rule(self, *, RuleArn):
        self._elb.delete_rule(RuleArn)
        return {}

    # -- target groups -----------------------------------------------------------------------------
    def create_target_group(self, *, Name, Protocol=None, ProtocolVersion=None, Port=None, VpcId=None,
                            HealthCheckProtocol=None, HealthCheckPort=None, HealthCheckEnabled=None,
                            HealthCheckPath=None, HealthCheckIntervalSeconds=None, HealthCheckTimeoutSeconds=None,
                            HealthyThresholdCount=None, UnhealthyThresholdCount=None, Matcher=None,
                            TargetType="instance", Tags=None, IpAddressType=None, TargetControlPort=None):
        check_type("Name", Name, str)
        if VpcId is None:
            raise InvalidParameter("ValidationError", "A VPC ID must be specified for a target group of type "
                                                      f"{TargetType}.")
        if Protocol is None:
            raise InvalidParameter("ValidationError", "A protocol must be specified for a target group of type "
                                                      f"{TargetType}.")
        given = {"HealthCheckProtocol": HealthCheckProtocol, "HealthCheckPort": HealthCheckPort,
                 "HealthCheckPath": HealthCheckPath, "HealthCheckIntervalSeconds": HealthCheckIntervalSeconds,
                 "HealthCheckTimeoutSeconds": HealthCheckTimeoutSeconds,
                 "HealthyThresholdCount": HealthyThresholdCount, "UnhealthyThresholdCount": UnhealthyThresholdCount,
                 "HealthCheckEnabled": HealthCheckEnabled}
        health = {_HC[k]: v for k, v in given.items() if v is not None}
        if Matcher is not None:
            health["matcher"] = Matcher.get("HttpCode")
        tg = self._elb.create_target_group(Name, protocol=Protocol, port=Port, vpc=VpcId, target_type=TargetType,
                                           protocol_version=ProtocolVersion, tags=from_tags(Tags), **health)
        return {"TargetGroups": [self._tg(tg)]}

    def describe_target_groups(self, *, LoadBalancerArn=None, TargetGroupArns=None, Names=None, Marker=None,
                               PageSize=None):
        if TargetGroupArns:
            tgs = [self._elb.get_target_group(a) for a in TargetGroupArns]
        elif Names:
            tgs = [self._elb.get_target_group(n) for n in Names]
        elif LoadBalancerArn:
            tgs = self._elb.get_load_balancer(LoadBalancerArn).target_groups_in_use()
        else:
            tgs = self._elb.target_groups
        return self._page([self._tg(t) for t in tgs], "TargetGroups", Marker, PageSize)

    def modify_target_group(self, *, TargetGroupArn, HealthCheckProtocol=None, HealthCheckPort=None,
                            HealthCheckPath=None, HealthCheckEnabled=None, HealthCheckIntervalSeconds=None,
                            HealthCheckTimeoutSeconds=None, HealthyThresholdCount=None, UnhealthyThresholdCount=None,
                            Matcher=None):
        given = {"HealthCheckProtocol": HealthCheckProtocol, "HealthCheckPort": HealthCheckPort,
                 "HealthCheckPath": HealthCheckPath, "HealthCheckIntervalSeconds": HealthCheckIntervalSeconds,
                 "HealthCheckTimeoutSeconds": HealthCheckTimeoutSeconds,
                 "HealthyThresholdCount": HealthyThresholdCount, "UnhealthyThresholdCount": UnhealthyThresholdCount,
                 "HealthCheckEnabled": HealthCheckEnabled}
        health = {_HC[k]: v for k, v in given.items() if v is not None}
        if Matcher is not None:
            health["matcher"] = Matcher.get("HttpCode")
        tg = self._elb.modify_target_group(TargetGroupArn, **health)
        return {"TargetGroups": [self._tg(tg)]}

    def delete_target_group(self, *, TargetGroupArn):
        self._elb.delete_target_group(TargetGroupArn)
        return {}

    def modify_target_group_attributes(self, *, TargetGroupArn, Attributes):
        check_type("Attributes", Attributes, list)
        attrs = self._elb.modify_target_group_attributes(TargetGroupArn, {a["Key"]: a["Value"] for a in Attributes})
        keys = {a["Key"] for a in Attributes}
        return {"Attributes": [{"Key": k, "Value": v} for k, v in attrs.items() if k in keys]}

    def describe_target_group_attributes(self, *, TargetGroupArn):
        tg = self._elb.get_target_group(TargetGroupArn)
        return {"Attributes": [{"Key": k, "Value": v} for k, v in tg.attributes.items()]}

    # -- targets -----------------------------------------------------------------------------------
    @staticmethod
    def _targets_arg(Targets: Any) -> list[dict]:
        check_type("Targets", Targets, list)
        for i, t in enumerate(Targets):
            if not isinstance(t, dict) or "Id" not in t:
                from .base import ParamValidationError

                raise ParamValidationError(f'Missing required parameter in Targets[{i}]: "Id"')
        return [{"Id": t["Id"], "Port": t.get("Port")} for t in Targets]

    def register_targets(self, *, TargetGroupArn, Targets):
        self._elb.register_targets(TargetGroupArn, self._targets_arg(Targets))
        return {}

    def deregister_targets(self, *, TargetGroupArn, Targets):
        self._elb.deregister_targets(TargetGroupArn, self._targets_arg(Targets))
        return {}

    def describe_target_health(self, *, TargetGroupArn, Targets=None, Include=None):
        rows = self._elb.describe_target_health(TargetGroupArn, None if Targets is None else self._targets_arg(Targets))
        out = []
        for d in rows:
            target: dict[str, Any] = {"Id": d.target_id, "Port": d.port}
            health: dict[str, Any] = {"State": d.state.value}
            if d.reason:
                health["Reason"] = d.reason
                health["Description"] = d.description
            out.append({"Target": target, "HealthCheckPort": d.health_check_port, "TargetHealth": health})
        return {"TargetHealthDescriptions": out}

    def _targets_gone(self, **kwargs: Any) -> dict[str, Any]:
        """For the target_deregistered waiter: AWS counts InvalidTarget as success."""
        try:
            return self.describe_target_health(**kwargs)
        except AWSError as err:
            if err.code == "InvalidTarget":
                return {"gone": True}
            raise

    def _lbs_gone(self, **kwargs: Any) -> dict[str, Any]:
        try:
            r = self.describe_load_balancers(**kwargs)
        except AWSError as err:
            if err.code == "LoadBalancerNotFound":
                return {"gone": True}
            raise
        return {"gone": not r["LoadBalancers"]}

    # -- tags ----------------------------------------------------------------------------------------
    def _resource(self, arn: str) -> Any:
        elb = self._elb
        if ":targetgroup/" in arn:
            return elb.get_target_group(arn)
        if ":loadbalancer/" in arn:
            return elb.get_load_balancer(arn)
        if ":listener-rule/" in arn:
            return elb.get_rule(arn)
        if ":listener/" in arn:
            return elb.get_listener(arn)
        raise InvalidParameter("ValidationError", f"{arn!r} is not the ARN of a load balancer, target group, "
                                                  "listener or rule.")

    def add_tags(self, *, ResourceArns, Tags):
        check_type("ResourceArns", ResourceArns, list)
        tags = from_tags(Tags)
        resources = [self._resource(a) for a in ResourceArns]
        for r in resources:
            if len({**r.tags, **tags}) > 50:
                raise InvalidParameter("TooManyTags", f"{getattr(r, 'arn', r)} would have more than 50 tags.")
        for r in resources:
            r.tags.update(tags)
        return {}

    def remove_tags(self, *, ResourceArns, TagKeys):
        for a in ResourceArns:
            r = self._resource(a)
            for k in TagKeys:
                r.tags.pop(k, None)
        return {}

    def describe_tags(self, *, ResourceArns):
        check_type("ResourceArns", ResourceArns, list)
        return {"TagDescriptions": [{"ResourceArn": a, "Tags": to_tags(self._resource(a).tags)}
                                    for a in ResourceArns]}
