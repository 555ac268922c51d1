"""EC2 API, chapter 3: security groups and network interfaces, as boto3 speaks them.

A group's rules come back as EC2 lists them: rules with the same protocol and ports are
merged into one ``IpPermissions`` item whose ``IpRanges`` and ``UserIdGroupPairs`` list
the peers.  Authorize and revoke take all their permissions or none, as EC2 does.
IPv6 ranges and prefix lists are refused with ``UnsupportedOperation``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..core.errors import InvalidParameter
from ._ec2_common import (
    NetworkClientBase,
    describe,
    flag,
    ident,
    ident_list,
    tag_spec,
    tagged,
    unsupported,
)
from .base import ParamValidationError, check_type

__all__ = ["SecurityOps"]


# -- shapes ------------------------------------------------------------------------------

def _permissions(rules) -> list[dict[str, Any]]:
    merged: dict[tuple, dict[str, Any]] = {}
    for r in rules:
        key = (r.ip_protocol, r.from_port, r.to_port)
        perm = merged.get(key)
        if perm is None:
            perm = {"IpProtocol": r.ip_protocol}
            if r.ip_protocol != "-1":
                perm["FromPort"], perm["ToPort"] = r.from_port, r.to_port
            perm.update(UserIdGroupPairs=[], IpRanges=[], Ipv6Ranges=[], PrefixListIds=[])
            merged[key] = perm
        if r.cidr_ip is not None:
            peer: dict[str, Any] = {"CidrIp": str(r.cidr_ip)}
            bucket = perm["IpRanges"]
        else:
            peer = {"UserId": r.source_group.owner_id, "GroupId": r.source_group.id}
            bucket = perm["UserIdGroupPairs"]
        if r.description is not None:
            peer["Description"] = r.description
        bucket.append(peer)
    return list(merged.values())


def security_group_shape(sg) -> dict[str, Any]:
    return tagged({
        "GroupId": sg.id,
        "IpPermissionsEgress": _permissions(sg.egress),
        "VpcId": sg.vpc.id,
        "SecurityGroupArn": sg.arn,
        "OwnerId": sg.owner_id,
        "GroupName": sg.group_name,
        "Description": sg.description,
        "IpPermissions": _permissions(sg.ingress),
    }, sg.tags)


def rule_shape(r) -> dict[str, Any]:
    out: dict[str, Any] = {
        "SecurityGroupRuleId": r.id,
        "GroupId": r.group.id,
        "GroupOwnerId": r.group.owner_id,
        "IsEgress": r.egress,
        "IpProtocol": r.ip_protocol,
        "FromPort": r.from_port,
        "ToPort": r.to_port,
    }
    if r.cidr_ip is not None:
        out["CidrIpv4"] = str(r.cidr_ip)
    else:
        out["ReferencedGroupInfo"] = {"GroupId": r.source_group.id, "UserId": r.source_group.owner_id}
    if r.description is not None:
        out["Description"] = r.description
    out["SecurityGroupRuleArn"] = r.arn
    return out


def _revoked_shape(r) -> dict[str, Any]:
    out: dict[str, Any] = {"SecurityGroupRuleId": r.id, "GroupId": r.group.id, "IsEgress": r.egress,
                           "IpProtocol": r.ip_protocol, "FromPort": r.from_port, "ToPort": r.to_port}
    if r.cidr_ip is not None:
        out["CidrIpv4"] = str(r.cidr_ip)
    else:
        out["ReferencedGroupId"] = r.source_group.id
    if r.description is not None:
        out["Description"] = r.description
    return out


def _dns_name(ip, region: str, public: bool = False) -> str:
    dashed = str(ip).replace(".", "-")
    if public:
        return f"ec2-{dashed}.compute-1.amazonaws.com" if region == "us-east-1" else \
            f"ec2-{dashed}.{region}.compute.amazonaws.com"
    return f"ip-{dashed}.ec2.internal" if region == "us-east-1" else f"ip-{dashed}.{region}.compute.internal"


def network_interface_shape(e) -> dict[str, Any]:
    private_dns = _dns_name(e.private_ip_address, e.region)
    association = None
    if e.public_ip is not None:
        # A public DNS name exists only while the VPC has DNS hostnames enabled.
        association = {"IpOwnerId": "amazon", "PublicIp": str(e.public_ip),
                       "PublicDnsName": _dns_name(e.public_ip, e.region, public=True)
                       if e.vpc.enable_dns_hostnames else ""}
    primary: dict[str, Any] = {"Primary": True, "PrivateDnsName": private_dns,
                               "PrivateIpAddress": str(e.private_ip_address)}
    out: dict[str, Any] = {}
    if association is not None:
        out["Association"] = association
        primary["Association"] = association
    if e.attachment is not None:
        att = e.attachment
        out["Attachment"] = {k: v for k, v in (
            ("AttachmentId", getattr(att, "id", None)), ("InstanceId", getattr(att, "instance_id", None)),
            ("DeviceIndex", getattr(att, "device_index", None)), ("Status", "attached"),
            ("DeleteOnTermination", getattr(att, "delete_on_termination", None))) if v is not None}
    out.update({
        "AvailabilityZone": e.availability_zone.name,
        "Description": e.description,
        "Groups": [{"GroupId": g.id, "GroupName": g.group_name} for g in e.security_groups],
        "InterfaceType": "interface",
        "Ipv6Addresses": [],
        "MacAddress": e.mac_address,
        "NetworkInterfaceId": e.id,
        "OwnerId": e.owner_id,
        "PrivateDnsName": private_dns,
        "PrivateIpAddress": str(e.private_ip_address),
        "PrivateIpAddresses": [primary],
        "RequesterManaged": False,
        "SourceDestCheck": e.source_dest_check,
        "Status": str(e.status),
        "SubnetId": e.subnet.id,
        "VpcId": e.vpc.id,
    })
    return tagged(out, e.tags, "TagSet")


# -- filters -------------------------------------------------------------------------------

def _rule_filters(prefix: str, egress: bool) -> dict[str, Any]:
    def rules(sg):
        return sg.egress if egress else sg.ingress

    return {
        f"{prefix}ip-permission.protocol": lambda sg: [r.ip_protocol for r in rules(sg)],
        f"{prefix}ip-permission.from-port": lambda sg: [r.from_port for r in rules(sg)],
        f"{prefix}ip-permission.to-port": lambda sg: [r.to_port for r in rules(sg)],
        f"{prefix}ip-permission.cidr": lambda sg: [str(r.cidr_ip) for r in rules(sg) if r.cidr_ip is not None],
        f"{prefix}ip-permission.group-id": lambda sg: [r.source_group.id for r in rules(sg)
                                                       if r.source_group is not None],
        f"{prefix}ip-permission.group-name": lambda sg: [r.source_group.group_name for r in rules(sg)
                                                         if r.source_group is not None],
        f"{prefix}ip-permission.user-id": lambda sg: [r.source_group.owner_id for r in rules(sg)
                                                      if r.source_group is not None],
    }


_SG_FILTERS = {
    "group-id": lambda sg: sg.id,
    "group-name": lambda sg: sg.group_name,
    "description": lambda sg: sg.description,
    "vpc-id": lambda sg: sg.vpc.id,
    "owner-id": lambda sg: sg.owner_id,
    **_rule_filters("", False),
    **_rule_filters("egress.", True),
}

_RULE_FILTERS = {
    "group-id": lambda r: r.group.id,
    "security-group-rule-id": lambda r: r.id,
}

_ENI_FILTERS = {
    "network-interface-id": lambda e: e.id,
    "subnet-id": lambda e: e.subnet.id,
    "vpc-id": lambda e: e.vpc.id,
    "availability-zone": lambda e: e.availability_zone.name,
    "group-id": lambda e: [g.id for g in e.security_groups],
    "group-name": lambda e: [g.group_name for g in e.security_groups],
    "private-ip-address": lambda e: str(e.private_ip_address),
    "addresses.private-ip-address": lambda e: str(e.private_ip_address),
    "association.public-ip": lambda e: str(e.public_ip) if e.public_ip is not None else None,
    "status": lambda e: str(e.status),
    "description": lambda e: e.description,
    "mac-address": lambda e: e.mac_address,
    "owner-id": lambda e: e.owner_id,
    "source-dest-check": lambda e: e.source_dest_check,
    "interface-type": lambda e: "interface",
    "attachment.instance-id": lambda e: getattr(e.attachment, "instance_id", None),
    "attachment.status": lambda e: "attached" if e.attachment is not None else None,
}


class SecurityOps(NetworkClientBase):
    """Security group and network interface operations of :class:`~awskit.api.ec2.EC2Client`."""

    waiters: ClassVar[dict] = {
        "security_group_exists": ("describe_security_groups", lambda r: len(r["SecurityGroups"]) > 0, 5, 6),
        "network_interface_available": (
            "describe_network_interfaces",
            lambda r: bool(r["NetworkInterfaces"]) and all(e["Status"] == "available" for e in r["NetworkInterfaces"]),
            20, 10),
    }
    paginators: ClassVar[dict] = {
        "describe_security_groups": ("NextToken", "NextToken", "MaxResults", ("SecurityGroups",)),
        "describe_security_group_rules": ("NextToken", "NextToken", "MaxResults", ("SecurityGroupRules",)),
        "describe_network_interfaces": ("NextToken", "NextToken", "MaxResults", ("NetworkInterfaces",)),
    }

    # -- security groups -------------------------------------------------------------------
    def _group(self, GroupId: Any, GroupName: Any):
        """A group by id, or by name in the default VPC (as EC2 resolves GroupName)."""
        if GroupId is not None:
            if GroupName is not None:
                raise InvalidParameter("InvalidParameterCombination", "Give GroupId or GroupName, not both.")
            return self._net.get_security_group(ident("GroupId", GroupId))
        if GroupName is None:
            raise InvalidParameter("MissingParameter", "The request must contain the parameter GroupId "
                                                       "(or GroupName for a group of the default VPC).")
        return self._net.security_group_by_name(None, check_type("GroupName", GroupName, str))

    def create_security_group(self, *, GroupName: str, Description: str, VpcId: str | None = None,
                              TagSpecifications: list | None = None, DryRun: bool = False) -> dict[str, Any]:
        """A group allowing all outbound and no inbound traffic (default VPC when ``VpcId`` is left out).

        >>> from awskit import Cloud
        >>> ec2 = Cloud(seed=1).client("ec2")
        >>> sorted(ec2.create_security_group(GroupName="web", Description="web tier"))
        ['GroupId', 'ResponseMetadata', 'SecurityGroupArn']
        """
        check_type("GroupName", GroupName, str)
        check_type("Description", Description, str)
        if VpcId is not None:
            ident("VpcId", VpcId)
        tags = tag_spec(TagSpecifications, "security-group")
        self._dry_run(DryRun)
        sg = self._net.create_security_group(VpcId, GroupName, Description, tags=tags)
        return tagged({"GroupId": sg.id, "SecurityGroupArn": sg.arn}, sg.tags)

    def describe_security_groups(self, *, GroupIds: list[str] | None = None, GroupNames: list[str] | None = None,
                                 Filters: list | None = None, MaxResults: int | None = None,
                                 NextToken: str | None = None, DryRun: bool = False) -> dict[str, Any]:
        """Groups by id, by name (default VPC only, as EC2), and/or filter (``vpc-id``,
        ``group-name``, ``ip-permission.from-port``, ``ip-permission.group-id``, ...)."""
        self._dry_run(DryRun)
        net = self._net
        ids = GroupIds
        if GroupNames is not None:
            names = ident_list("GroupNames", GroupNames)
            by_name = [net.security_group_by_name(None, n).id for n in names]
            ids = by_name if GroupIds is None else [i for i in ident_list("GroupIds", GroupIds) if i in by_name]
            if GroupIds is not None and not ids:
                return {"SecurityGroups": []}
        return describe(items=lambda: net._security_groups.values(), ids=ids, id_param="GroupIds",
                        lookup=net.get_security_group, filters=Filters, getters=_SG_FILTERS,
                        shape=security_group_shape, result_key="SecurityGroups", max_results=MaxResults,
                        next_token=NextToken)

    def delete_security_group(self, *, GroupId: str | None = None, GroupName: str | None = None,
                              DryRun: bool = False) -> dict[str, Any]:
        """Delete a group (not a VPC's default one; not while interfaces or rules use it)."""
        sg = self._group(GroupId, GroupName)
        self._dry_run(DryRun)
        self._net.delete_security_group(sg)
        return {"Return": True, "GroupId": sg.id}

    def _rules_from(self, IpPermissions: Any, legacy: dict[str, Any]) -> list[dict[str, Any]]:
        """boto3's permissions (or the legacy top-level fields) -> the model's rule dicts."""
        given = {k: v for k, v in legacy.items() if v is not None}
        if IpPermissions is not None and given:
            raise InvalidParameter("InvalidParameterCombination",
                                   f"Give IpPermissions or the single-rule fields ({', '.join(given)}), not both.")
        if IpPermissions is None:
            if not given:
                raise InvalidParameter("MissingParameter", "Describe the rule: IpPermissions=[{...}], or "
                                                           "IpProtocol/FromPort/ToPort/CidrIp.")
            if legacy.get("SourceSecurityGroupOwnerId") is not None:
                unsupported("SourceSecurityGroupOwnerId", "groups of other accounts")
            source = legacy.get("SourceSecurityGroupName")
            rule = {"ip_protocol": legacy.get("IpProtocol") or "-1", "from_port": legacy.get("FromPort"),
                    "to_port": legacy.get("ToPort"), "cidr_ip": legacy.get("CidrIp")}
            if source is not None:  # a source group by name: the default VPC's group of that name
                rule["source_group"] = self._net.security_group_by_name(
                    None, check_type("SourceSecurityGroupName", source, str))
            return [rule]
        check_type("IpPermissions", IpPermissions, list)
        rules: list[dict[str, Any]] = []
        for i, perm in enumerate(IpPermissions):
            where = f"IpPermissions[{i}]"
            check_type(where, perm, dict)
            if perm.get("Ipv6Ranges"):
                unsupported(f"{where}.Ipv6Ranges", "IPv6 rules")
            if perm.get("PrefixListIds"):
                unsupported(f"{where}.PrefixListIds", "prefix lists")
            if "IpProtocol" not in perm:
                raise ParamValidationError(f'Missing required parameter in {where}: "IpProtocol"')
            base = {"ip_protocol": check_type(f"{where}.IpProtocol", perm["IpProtocol"], str),
                    "from_port": perm.get("FromPort"), "to_port": perm.get("ToPort")}
            peers = 0
            for j, rng in enumerate(check_type(f"{where}.IpRanges", perm.get("IpRanges", []), list)):
                check_type(f"{where}.IpRanges[{j}]", rng, dict)
                if "CidrIp" not in rng:
                    raise ParamValidationError(f'Missing required parameter in {where}.IpRanges[{j}]: "CidrIp"')
                rules.append({**base, "cidr_ip": check_type(f"{where}.IpRanges[{j}].CidrIp", rng["CidrIp"], str),
                              "description": rng.get("Description")})
                peers += 1
            for j, pair in enumerate(check_type(f"{where}.UserIdGroupPairs", perm.get("UserIdGroupPairs", []),
                                                list)):
                check_type(f"{where}.UserIdGroupPairs[{j}]", pair, dict)
                if pair.get("GroupId") is not None:
                    source = ident(f"{where}.UserIdGroupPairs[{j}].GroupId", pair["GroupId"])
                elif pair.get("GroupName") is not None:
                    source = self._net.security_group_by_name(None, pair["GroupName"])
                else:
                    raise InvalidParameter("MissingParameter",
                                           f"{where}.UserIdGroupPairs[{j}] needs a GroupId (or GroupName).")
                rules.append({**base, "source_group": source, "description": pair.get("Description")})
                peers += 1
            if not peers:
                rules.append(base)  # the model answers that a rule needs a peer
        return rules

    def _authorize(self, egress: bool, sg, IpPermissions, legacy, TagSpecifications, DryRun) -> dict[str, Any]:
        rules = self._rules_from(IpPermissions, legacy)
        if tag_spec(TagSpecifications, "security-group-rule"):
            unsupported("TagSpecifications", "tags on security group rules")
        self._dry_run(DryRun)
        added = self._net.authorize_security_group_rules(sg, "egress" if egress else "ingress", rules)
        return {"Return": True, "SecurityGroupRules": [rule_shape(r) for r in added]}

    def authorize_security_group_ingress(
            self, *, GroupId: str | None = None, GroupName: str | None = None, IpPermissions: list | None = None,
            IpProtocol: str | None = None, FromPort: int | None = None, ToPort: int | None = None,
            CidrIp: str | None = None, SourceSecurityGroupName: str | None = None,
            SourceSecurityGroupOwnerId: str | None = None, TagSpecifications: list | None = None,
            DryRun: bool = False) -> dict[str, Any]:
        """Allow inbound traffic: ``IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
        "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]`` or the legacy ``IpProtocol``/``FromPort``/``ToPort``/``CidrIp``."""
        sg = self._group(GroupId, GroupName)
        return self._authorize(False, sg, IpPermissions, {
            "IpProtocol": IpProtocol, "FromPort": FromPort, "ToPort": ToPort, "CidrIp": CidrIp,
            "SourceSecurityGroupName": SourceSecurityGroupName,
            "SourceSecurityGroupOwnerId": SourceSecurityGroupOwnerId}, TagSpecifications, DryRun)

    def authorize_security_group_egress(
            self, *, GroupId: str, IpPermissions: list | None = None, IpProtocol: str | None = None,
            FromPort: int | None = None, ToPort: int | None = None, CidrIp: str | None = None,
            SourceSecurityGroupName: str | None = None, SourceSecurityGroupOwnerId: str | None = None,
            TagSpecifications: list | None = None, DryRun: bool = False) -> dict[str, Any]:
        """Allow outbound traffic (same shapes as ingress; the group is named by ``GroupId``)."""
        sg = self._group(GroupId, None)
        return self._authorize(True, sg, IpPermissions, {
            "IpProtocol": IpProtocol, "FromPort": FromPort, "ToPort": ToPort, "CidrIp": CidrIp,
            "SourceSecurityGroupName": SourceSecurityGroupName,
            "SourceSecurityGroupOwnerId": SourceSecurityGroupOwnerId}, TagSpecifications, DryRun)

    def _revoke(self, egress: bool, sg, IpPermissions, legacy, SecurityGroupRuleIds, DryRun) -> dict[str, Any]:
        if SecurityGroupRuleIds is not None:
            if IpPermissions is not None or any(v is not None for v in legacy.values()):
                raise InvalidParameter("InvalidParameterCombination",
                                       "Give SecurityGroupRuleIds or the rules' fields, not both.")
            rules, ids = [], ident_list("SecurityGroupRuleIds", SecurityGroupRuleIds)
        else:
            rules, ids = self._rules_from(IpPermissions, legacy), []
        self._dry_run(DryRun)
        gone = self._net.revoke_security_group_rules(sg, "egress" if egress else "ingress", rules, ids)
        return {"Return": True, "RevokedSecurityGroupRules": [_revoked_shape(r) for r in gone]}

    def revoke_security_group_ingress(
            self, *, GroupId: str | None = None, GroupName: str | None = None, IpPermissions: list | None = None,
            IpProtocol: str | None = None, FromPort: int | None = None, ToPort: int | None = None,
            CidrIp: str | None = None, SourceSecurityGroupName: str | None = None,
            SourceSecurityGroupOwnerId: str | None = None, SecurityGroupRuleIds: list[str] | None = None,
            DryRun: bool = False) -> dict[str, Any]:
        """Remove inbound rules, named by their fields or by ``SecurityGroupRuleIds``."""
        sg = self._group(GroupId, GroupName)
        return self._revoke(False, sg, IpPermissions, {
            "IpProtocol": IpProtocol, "FromPort": FromPort, "ToPort": ToPort, "CidrIp": CidrIp,
            "SourceSecurityGroupName": SourceSecurityGroupName,
            "SourceSecurityGroupOwnerId": SourceSecurityGroupOwnerId}, SecurityGroupRuleIds, DryRun)

    def revoke_security_group_egress(
            self, *, GroupId: str, IpPermissions: list | None = None, IpProtocol: str | None = None,
            FromPort: int | None = None, ToPort: int | None = None, CidrIp: str | None = None,
            SourceSecurityGroupName: str | None = None, SourceSecurityGroupOwnerId: str | None = None,
            SecurityGroupRuleIds: list[str] | None = None, DryRun: bool = False) -> dict[str, Any]:
        """Remove outbound rules, named by their fields or by ``SecurityGroupRuleIds``."""
        sg = self._group(GroupId, None)
        return self._revoke(True, sg, IpPermissions, {
            "IpProtocol": IpProtocol, "FromPort": FromPort, "ToPort": ToPort, "CidrIp": CidrIp,
            "SourceSecurityGroupName": SourceSecurityGroupName,
            "SourceSecurityGroupOwnerId": SourceSecurityGroupOwnerId}, SecurityGroupRuleIds, DryRun)

    def describe_security_group_rules(self, *, SecurityGroupRuleIds: list[str] | None = None,
                                      Filters: list | None = None, MaxResults: int | None = None,
                                      NextToken: str | None = None, DryRun: bool = False) -> dict[str, Any]:
        """Rules one per item (filters ``group-id``, ``security-group-rule-id``)."""
        self._dry_run(DryRun)
        net = self._net
        groups = net._security_groups.values()
        # A group-id filter without wildcards narrows the walk to those groups.
        for flt in Filters or ():
            if isinstance(flt, dict) and flt.get("Name") == "group-id" and isinstance(flt.get("Values"), list) \
                    and not any("*" in v or "?" in v for v in flt["Values"] if isinstance(v, str)):
                groups = [net._security_groups[v] for v in flt["Values"] if v in net._security_groups]
        rules = [r for sg in groups for r in sg.rules]
        if SecurityGroupRuleIds is not None:
            wanted = ident_list("SecurityGroupRuleIds", SecurityGroupRuleIds)
            by_id = {r.id: r for r in rules}
            missing = [w for w in wanted if w not in by_id]
            if missing:
                raise InvalidParameter("InvalidSecurityGroupRuleId.NotFound",
                                       f"The security group rule ID '{missing[0]}' does not exist.")
            rules = [by_id[w] for w in dict.fromkeys(wanted)]
        return describe(items=lambda: rules, ids=None, id_param="SecurityGroupRuleIds", lookup=None,
                        filters=Filters, getters=_RULE_FILTERS, shape=rule_shape, result_key="SecurityGroupRules",
                        max_results=MaxResults, next_token=NextToken)

    # -- network interfaces -------------------------------------------------------------------
    def create_network_interface(self, *, SubnetId: str, Groups: list[str] | None = None,
                                 PrivateIpAddress: str | None = None, Description: str | None = None,
                                 TagSpecifications: list | None = None, DryRun: bool = False) -> dict[str, Any]:
        """An interface in a subnet (default: the lowest free address and the VPC's default group)."""
        ident("SubnetId", SubnetId)
        groups = ident_list("Groups", Groups) if Groups is not None else None
        if PrivateIpAddress is not None:
            check_type("PrivateIpAddress", PrivateIpAddress, str)
        if Description is not None:
            check_type("Description", Description, str)
        tags = tag_spec(TagSpecifications, "network-interface")
        self._dry_run(DryRun)
        eni = self._net.create_network_interface(SubnetId, groups=groups, private_ip_address=PrivateIpAddress,
                                                 description=Description or "", tags=tags)
        return {"NetworkInterface": network_interface_shape(eni)}

    def describe_network_interfaces(self, *, NetworkInterfaceIds: list[str] | None = None,
                                    Filters: list | None = None, MaxResults: int | None = None,
                                    NextToken: str | None = None, DryRun: bool = False) -> dict[str, Any]:
        """Interfaces by id and/or filter (``subnet-id``, ``vpc-id``, ``group-id``, ``status``, ...)."""
        self._dry_run(DryRun)
        net = self._net
        return describe(items=lambda: net._network_interfaces.values(), ids=NetworkInterfaceIds,
                        id_param="NetworkInterfaceIds", lookup=net.get_network_interface, filters=Filters,
                        getters=_ENI_FILTERS, shape=network_interface_shape, result_key="NetworkInterfaces",
                        max_results=MaxResults, next_token=NextToken)

    def delete_network_interface(self, *, NetworkInterfaceId: str, DryRun: bool = False) -> dict[str, Any]:
        ident("NetworkInterfaceId", NetworkInterfaceId)
        self._dry_run(DryRun)
        self._net.delete_network_interface(NetworkInterfaceId)
        return {}

    def modify_network_interface_attribute(self, *, NetworkInterfaceId: str, Groups: list[str] | None = None,
                                           Description: dict | None = None, SourceDestCheck: dict | None = None,
                                           DryRun: bool = False) -> dict[str, Any]:
        """Replace the groups, or set ``Description={"Value": ...}`` or ``SourceDestCheck={"Value": bool}``."""
        ident("NetworkInterfaceId", NetworkInterfaceId)
        groups = ident_list("Groups", Groups) if Groups is not None else None
        description = None
        if Description is not None:
            check_type("Description", Description, dict)
            description = check_type("Description.Value", Description.get("Value", ""), str)
        check = flag("SourceDestCheck", SourceDestCheck)
        if groups is None and description is None and check is None:
            raise InvalidParameter("MissingParameter", "Name the attribute to change: Groups, Description "
                                                       "or SourceDestCheck.")
        self._dry_run(DryRun)
        self._net.modify_network_interface_attribute(NetworkInterfaceId, groups=groups, description=description,
                                                     source_dest_check=check)
        return {}
