"""EC2 API, chapter 4: AMIs, instance types, key pairs, instances and Elastic IPs, as boto3 speaks them.

The operations translate boto3's shapes into calls on :class:`awskit.ec2.EC2Service` and its
objects back into EC2's response dictionaries.  As boto3 does, ``UserData`` is passed as
plain text (the SDK base64-encodes it on the wire) and comes back base64-encoded from
DescribeInstanceAttribute.  The response shapes are in :mod:`._ec2_instance_shapes`.
"""

from __future__ import annotations

import base64
from typing import Any, ClassVar

from ..core.errors import InvalidParameter
from ._ec2_common import NetworkClientBase, check_max_results, flag, ident, ident_list, tagged
from ._ec2_instance_shapes import (
    address_shape,
    image_shape,
    instance_shape,
    instance_type_shape,
    key_pair_shape,
    state_shape,
)
from .base import ParamValidationError, apply_filters, check_type, from_tags

__all__ = ["InstanceOps"]

_WAIT_FAIL = "failure"


def _states(r: dict) -> list[str]:
    return [i["State"]["Name"] for res in r.get("Reservations", []) for i in res["Instances"]]


def _all_then(success: str, failures: tuple[str, ...]):
    def predicate(r: dict):
        states = _states(r)
        if states and all(s == success for s in states):
            return True
        if any(s in failures for s in states):
            return _WAIT_FAIL
        return False
    return predicate


def _statuses_ok(key: str):
    def predicate(r: dict):
        rows = r.get("InstanceStatuses", [])
        return bool(rows) and all(row[key]["Status"] == "ok" for row in rows)
    return predicate


def _tags_by_type(specs: Any, allowed: tuple[str, ...]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    if specs is None:
        return out
    check_type("TagSpecifications", specs, list, tuple)
    for i, spec in enumerate(specs):
        check_type(f"TagSpecifications[{i}]", spec, dict)
        rtype = spec.get("ResourceType")
        if rtype not in allowed:
            raise InvalidParameter("InvalidParameterValue",
                                   f"'{rtype}' is not a valid taggable resource type for this operation. "
                                   f"Use one of: {', '.join(allowed)}.")
        out.setdefault(rtype, {}).update(from_tags(spec.get("Tags", []), f"TagSpecifications[{i}].Tags"))
    return out


_INSTANCE_FILTERS = {
    "instance-id": lambda i: i.id,
    "instance-state-name": lambda i: i.state.value,
    "instance-state-code": lambda i: str(i.state.code),
    "instance-type": lambda i: i.instance_type.name,
    "subnet-id": lambda i: i.subnet.id if i.primary_network_interface else None,
    "vpc-id": lambda i: i.vpc.id if i.primary_network_interface else None,
    "availability-zone": lambda i: i.availability_zone.name,
    "image-id": lambda i: i.image.id,
    "key-name": lambda i: i.key_name,
    "private-ip-address": lambda i: str(i.private_ip_address) if i.private_ip_address else None,
    "ip-address": lambda i: str(i.public_ip_address) if i.public_ip_address else None,
    "instance.group-id": lambda i: [g.id for g in i.security_groups],
    "instance.group-name": lambda i: [g.group_name for g in i.security_groups],
    "architecture": lambda i: i.image.architecture,
    "reservation-id": lambda i: i.reservation.id,
    "root-device-type": lambda i: i.image.root_device_type,
    "platform": lambda i: i.image.platform,
    "private-dns-name": lambda i: i.private_dns_name,
    "dns-name": lambda i: i.public_dns_name,
    "monitoring-state": lambda i: "enabled" if i.monitoring else "disabled",
    "owner-id": lambda i: i.owner_id,
}

_IMAGE_FILTERS = {
    "name": lambda i: i.name, "image-id": lambda i: i.id, "architecture": lambda i: i.architecture,
    "root-device-type": lambda i: i.root_device_type, "owner-alias": lambda i: i.owner_alias,
    "owner-id": lambda i: i.owner_id, "platform": lambda i: i.platform, "state": lambda i: "available",
    "is-public": lambda i: "true", "image-type": lambda i: "machine", "virtualization-type": lambda i: "hvm",
    "description": lambda i: i.description, "platform-details": lambda i: i.platform_details,
    "root-device-name": lambda i: i.root_device_name,
}

_TYPE_FILTERS = {
    "instance-type": lambda t: t.name,
    "vcpu-info.default-vcpus": lambda t: str(t.vcpus),
    "memory-info.size-in-mib": lambda t: str(t.memory_mib),
    "current-generation": lambda t: str(t.current_generation).lower(),
    "processor-info.supported-architecture": lambda t: list(t.architectures),
    "burstable-performance-supported": lambda t: str(t.burstable).lower(),
    "instance-storage-supported": lambda t: str(t.instance_storage is not None).lower(),
    "network-info.network-performance": lambda t: t.network_performance,
    "free-tier-eligible": lambda t: str(t.name in ("t2.micro", "t3.micro")).lower(),
}


def _page(items: list, max_results: Any, next_token: Any, minimum: int = 5, maximum: int = 1000):
    limit = check_max_results(max_results, minimum, maximum)
    start = 0
    if next_token is not None:
        check_type("NextToken", next_token, str)
        head, _, num = next_token.partition("-")
        if head != "page" or not num.isdigit():
            raise InvalidParameter("InvalidNextToken", f"The token '{next_token}' is invalid: pass the NextToken "
                                                       "of the previous page unchanged.")
        start = int(num)
    end = len(items) if limit is None else start + limit
    return items[start:end], (f"page-{end}" if end < len(items) else None)


class InstanceOps(NetworkClientBase):
    """Instance, image, key pair and Elastic IP operations of :class:`~awskit.api.ec2.EC2Client`."""

    error_codes: ClassVar[tuple[str, ...]] = (
        "InvalidInstanceID.NotFound", "InvalidInstanceID.Malformed", "InvalidAMIID.NotFound",
        "InvalidAMIID.Malformed", "InvalidInstanceType", "InvalidKeyPair.NotFound", "InvalidKeyPair.Duplicate",
        "InvalidKey.Format", "IncorrectInstanceState", "OperationNotPermitted", "VcpuLimitExceeded",
        "InsufficientInstanceCapacity", "InvalidAllocationID.NotFound", "InvalidAddress.NotFound",
        "AddressLimitExceeded", "InvalidBlockDeviceMapping",
    )
    waiters: ClassVar[dict] = {
        "instance_exists": ("describe_instances", lambda r: len(r["Reservations"]) > 0, 5, 40),
        "instance_running": ("describe_instances",
                             _all_then("running", ("shutting-down", "terminated", "stopping")), 15, 40),
        "instance_stopped": ("describe_instances", _all_then("stopped", ("pending", "terminated")), 15, 40),
        "instance_terminated": ("describe_instances", _all_then("terminated", ("pending", "stopping")), 15, 40),
        "instance_status_ok": ("describe_instance_status", _statuses_ok("InstanceStatus"), 15, 40),
        "system_status_ok": ("describe_instance_status", _statuses_ok("SystemStatus"), 15, 40),
        "key_pair_exists": ("describe_key_pairs", lambda r: len(r["KeyPairs"]) > 0, 5, 6),
        "image_available": ("describe_images", lambda r: bool(r["Images"]) and all(
            i["State"] == "available" for i in r["Images"]), 15, 40),
    }
    paginators: ClassVar[dict] = {
        "describe_instances": ("NextToken", "NextToken", "MaxResults", ("Reservations",)),
        "describe_instance_status": ("NextToken", "NextToken", "MaxResults", ("InstanceStatuses",)),
        "describe_instance_types": ("NextToken", "NextToken", "MaxResults", ("InstanceTypes",)),
        "describe_images": ("NextToken", "NextToken", "MaxResults", ("Images",)),
    }

    @property
    def _ec2(self):
        return self._region.ec2

    # -- images and instance types --------------------------------------------------------------
    def describe_images(self, *, ImageIds: list[str] | None = None, Owners: list[str] | None = None,
                        ExecutableUsers: list[str] | None = None, Filters: list | None = None,
                        IncludeDeprecated: bool = False, IncludeDisabled: bool = False,
                        MaxResults: int | None = None, NextToken: str | None = None,
                        DryRun: bool = False) -> dict[str, Any]:
        """Public AMIs of the Region (awskit offers a small catalog; there are no private AMIs)."""
        self._dry_run(DryRun)
        ids = ident_list("ImageIds", ImageIds) if ImageIds is not None else None
        owners = ident_list("Owners", Owners) if Owners is not None else None
        if owners is not None and "self" in owners:
            owners = [o for o in owners if o != "self"] + [self._cloud.account_id]
        images = self._ec2.describe_images(image_ids=ids, owners=owners)
        images = apply_filters(images, Filters, _IMAGE_FILTERS, tag_getter=lambda i: i.tags)
        page, token = _page(images, MaxResults, NextToken)
        out: dict[str, Any] = {"Images": [image_shape(i) for i in page]}
        if token:
            out["NextToken"] = token
        return out

    def describe_instance_types(self, *, InstanceTypes: list[str] | None = None, Filters: list | None = None,
                                MaxResults: int | None = None, NextToken: str | None = None,
                                DryRun: bool = False) -> dict[str, Any]:
        """The hardware catalog: vCPUs, memory, network, storage of each instance type."""
        from ..ec2 import INSTANCE_TYPES

        self._dry_run(DryRun)
        if InstanceTypes is not None:
            names = ident_list("InstanceTypes", InstanceTypes)
            types = [self._ec2.get_instance_type(n) for n in names]
        else:
            types = list(INSTANCE_TYPES.values())
        types = apply_filters(types, Filters, _TYPE_FILTERS)
        page, token = _page(types, MaxResults, NextToken, 5, 100)
        out: dict[str, Any] = {"InstanceTypes": [instance_type_shape(t) for t in page]}
        if token:
            out["NextToken"] = token
        return out

    # -- key pairs ----------------------------------------------------------------------------------
    def create_key_pair(self, *, KeyName: str, KeyType: str = "rsa", KeyFormat: str = "pem",
                        TagSpecifications: list | None = None, DryRun: bool = False) -> dict[str, Any]:
        """Create a key pair; the response carries the private key (KeyMaterial) this once."""
        check_type("KeyName", KeyName, str)
        tags = _tags_by_type(TagSpecifications, ("key-pair",)).get("key-pair")
        self._dry_run(DryRun)
        key, material = self._ec2.create_key_pair(KeyName, key_type=KeyType, key_format=KeyFormat, tags=tags)
        out = {"KeyFingerprint": key.fingerprint, "KeyMaterial": material, "KeyName": key.name,
               "KeyPairId": key.id}
        return tagged(out, key.tags)

    def import_key_pair(self, *, KeyName: str, PublicKeyMaterial: bytes | str,
                        TagSpecifications: list | None = None, DryRun: bool = False) -> dict[str, Any]:
        check_type("KeyName", KeyName, str)
        check_type("PublicKeyMaterial", PublicKeyMaterial, bytes, bytearray, str)
        tags = _tags_by_type(TagSpecifications, ("key-pair",)).get("key-pair")
        self._dry_run(DryRun)
        key = self._ec2.import_key_pair(KeyName, bytes(PublicKeyMaterial) if not isinstance(PublicKeyMaterial, str)
                                        else PublicKeyMaterial, tags=tags)
        return tagged({"KeyFingerprint": key.fingerprint, "KeyName": key.name, "KeyPairId": key.id}, key.tags)

    def describe_key_pairs(self, *, KeyNames: list[str] | None = None, KeyPairIds: list[str] | None = None,
                           Filters: list | None = None, IncludePublicKey: bool = False,
                           DryRun: bool = False) -> dict[str, Any]:
        self._dry_run(DryRun)
        keys = self._ec2.key_pairs
        if KeyNames is not None:
            keys = [self._ec2.get_key_pair(n) for n in ident_list("KeyNames", KeyNames)]
        if KeyPairIds is not None:
            wanted = ident_list("KeyPairIds", KeyPairIds)
            by_id = {k.id: k for k in self._ec2.key_pairs}
            missing = [w for w in wanted if w not in by_id]
            if missing:
                raise InvalidParameter("InvalidKeyPair.NotFound", f"The key pair id '{missing[0]}' does not exist.")
            keys = [k for k in keys if k.id in wanted]
        keys = apply_filters(keys, Filters, {"key-name": lambda k: k.name, "key-pair-id": lambda k: k.id,
                                             "fingerprint": lambda k: k.fingerprint,
                                             "key-type": lambda k: k.key_type}, tag_getter=lambda k: k.tags)
        clock = self._cloud.clock
        return {"KeyPairs": [key_pair_shape(k, clock, IncludePublicKey) for k in keys]}

    def delete_key_pair(self, *, KeyName: str | None = None, KeyPairId: str | None = None,
                        DryRun: bool = False) -> dict[str, Any]:
        if KeyName is None and KeyPairId is None:
            raise InvalidParameter("MissingParameter", "The request must contain the parameter KeyName or KeyPairId.")
        self._dry_run(DryRun)
        target = ident("KeyPairId", KeyPairId) if KeyPairId is not None else ident("KeyName", KeyName)
        found = next((k for k in self._ec2.key_pairs if target in (k.name, k.id)), None)
        self._ec2.delete_key_pair(target)
        return {"Return": True, **({"KeyPairId": found.id} if found else {})}

    # -- instances ------------------------------------------------------------------------------------
    def run_instances(self, *, MinCount: int, MaxCount: int, ImageId: str | None = None,
                      InstanceType: str = "m1.small", KeyName: str | None = None,
                      SecurityGroupIds: list[str] | None = None, SecurityGroups: list[str] | None = None,
                      SubnetId: str | None = None, UserData: str | None = None,
                      TagSpecifications: list | None = None, IamInstanceProfile: dict | None = None,
                      NetworkInterfaces: list | None = None, PrivateIpAddress: str | None = None,
                      Placement: dict | None = None, InstanceInitiatedShutdownBehavior: str = "stop",
                      DisableApiTermination: bool = False, Monitoring: dict | None = None,
                      EbsOptimized: bool = False, BlockDeviceMappings: list | None = None,
                      ClientToken: str | None = None, MetadataOptions: dict | None = None,
                      DryRun: bool = False) -> dict[str, Any]:
        """Launch instances; the response is the Reservation, instances ``pending``."""
        check_type("MinCount", MinCount, int)
        check_type("MaxCount", MaxCount, int)
        if ImageId is None:
            raise InvalidParameter("MissingParameter", "The request must contain the parameter ImageId.")
        check_type("ImageId", ImageId, str)
        check_type("InstanceType", InstanceType, str)
        tags = _tags_by_type(TagSpecifications, ("instance", "volume", "network-interface"))
        public = None
        subnet = SubnetId
        groups = ident_list("SecurityGroupIds", SecurityGroupIds) if SecurityGroupIds is not None else None
        names = ident_list("SecurityGroups", SecurityGroups) if SecurityGroups is not None else None
        private_ip = PrivateIpAddress
        if NetworkInterfaces is not None:
            check_type("NetworkInterfaces", NetworkInterfaces, list)
            if len(NetworkInterfaces) != 1:
                raise InvalidParameter("InvalidParameterValue", "awskit launches instances with one network "
                                                                "interface (DeviceIndex 0).")
            spec = check_type("NetworkInterfaces[0]", NetworkInterfaces[0], dict)
            if spec.get("DeviceIndex", 0) != 0:
                raise InvalidParameter("InvalidParameterValue", "The primary network interface has DeviceIndex 0.")
            if SubnetId is not None or SecurityGroupIds is not None:
                raise InvalidParameter("InvalidParameterCombination",
                                       "Network interfaces and an instance-level subnet ID / security groups may "
                                       "not be specified on the same request: put them in NetworkInterfaces.")
            subnet = spec.get("SubnetId")
            groups = spec.get("Groups")
            private_ip = spec.get("PrivateIpAddress", private_ip)
            if "AssociatePublicIpAddress" in spec:
                public = check_type("AssociatePublicIpAddress", spec["AssociatePublicIpAddress"], bool)
        az = None
        if Placement is not None:
            check_type("Placement", Placement, dict)
            az = Placement.get("AvailabilityZone")
        profile = None
        if IamInstanceProfile is not None:
            check_type("IamInstanceProfile", IamInstanceProfile, dict)
            profile = IamInstanceProfile.get("Arn") or IamInstanceProfile.get("Name")
        monitoring = False
        if Monitoring is not None:
            check_type("Monitoring", Monitoring, dict)
            monitoring = check_type("Monitoring.Enabled", Monitoring.get("Enabled", False), bool)
        root_size = None
        delete_root = True
        if BlockDeviceMappings is not None:
            check_type("BlockDeviceMappings", BlockDeviceMappings, list)
            for bdm in BlockDeviceMappings:
                ebs = check_type("BlockDeviceMappings[].Ebs", bdm.get("Ebs", {}), dict)
                root_size = ebs.get("VolumeSize", root_size)
                delete_root = ebs.get("DeleteOnTermination", delete_root)
        if UserData is not None:
            check_type("UserData", UserData, str, bytes)
        self._dry_run(DryRun)
        res = self._ec2.run_instances(
            ImageId, InstanceType, min_count=MinCount, max_count=MaxCount, subnet=subnet, security_groups=groups,
            security_group_names=names, key_name=KeyName, user_data=UserData, tags=tags.get("instance"),
            volume_tags=tags.get("volume"), iam_instance_profile=profile, associate_public_ip=public,
            private_ip_address=private_ip, availability_zone=az,
            shutdown_behavior=InstanceInitiatedShutdownBehavior, disable_api_termination=DisableApiTermination,
            monitoring=monitoring, ebs_optimized=EbsOptimized, root_volume_size=root_size,
            delete_root_on_termination=delete_root)
        return self._reservation_shape(res, res.instances)

    def _reservation_shape(self, res, instances) -> dict[str, Any]:
        groups = {}
        for inst in instances:
            for g in inst.security_groups:
                groups.setdefault(g.id, {"GroupId": g.id, "GroupName": g.group_name})
        return {"ReservationId": res.id, "OwnerId": res.owner_id, "Groups": [],
                "Instances": [instance_shape(i, self._ec2) for i in instances]}

    def describe_instances(self, *, InstanceIds: list[str] | None = None, Filters: list | None = None,
                           MaxResults: int | None = None, NextToken: str | None = None,
                           DryRun: bool = False) -> dict[str, Any]:
        """Instances grouped by reservation; terminated ones show for about an hour."""
        self._dry_run(DryRun)
        if InstanceIds is not None:
            wanted = ident_list("InstanceIds", InstanceIds)
            if MaxResults is not None and wanted:
                raise InvalidParameter("InvalidParameterCombination",
                                       "The parameter instancesSet cannot be used with the parameter maxResults")
            insts = self._lookup(wanted) if wanted else self._ec2.instances
        else:
            insts = self._ec2.instances
        insts = apply_filters(insts, Filters, _INSTANCE_FILTERS, tag_getter=lambda i: i.tags)
        page, token = _page(insts, MaxResults, NextToken, 5, 1000)
        reservations: dict[str, list] = {}
        for inst in page:
            reservations.setdefault(inst.reservation.id, []).append(inst)
        out: dict[str, Any] = {"Reservations": [self._reservation_shape(group[0].reservation, group)
                                                for group in reservations.values()]}
        if token:
            out["NextToken"] = token
        return out

    def _lookup(self, ids: list[str]) -> list:
        """All ids at once: EC2 lists every unknown id in one NotFound message."""
        for i in ids:  # Malformed first, as EC2 checks the format before existence
            if not (i.startswith("i-") and len(i) in (10, 19)):
                self._ec2.get_instance(i)
        missing = [i for i in ids if i not in self._ec2._instances]
        if missing:
            raise InvalidParameter("InvalidInstanceID.NotFound",
                                   f"The instance IDs '{', '.join(missing)}' do not exist" if len(missing) > 1
                                   else f"The instance ID '{missing[0]}' does not exist")
        seen: dict[str, Any] = {}
        for i in ids:
            seen.setdefault(i, self._ec2._instances[i])
        return list(seen.values())

    def describe_instance_status(self, *, InstanceIds: list[str] | None = None, Filters: list | None = None,
                                 IncludeAllInstances: bool = False, MaxResults: int | None = None,
                                 NextToken: str | None = None, DryRun: bool = False) -> dict[str, Any]:
        """Status checks; only running instances unless ``IncludeAllInstances``."""
        self._dry_run(DryRun)
        check_type("IncludeAllInstances", IncludeAllInstances, bool)
        insts = self._lookup(ident_list("InstanceIds", InstanceIds)) if InstanceIds else self._ec2.instances
        if not IncludeAllInstances:
            insts = [i for i in insts if i.state.value == "running"]
        insts = apply_filters(insts, Filters, {
            "instance-state-name": lambda i: i.state.value, "instance-state-code": lambda i: str(i.state.code),
            "availability-zone": lambda i: i.availability_zone.name,
            "system-status.status": lambda i: i.system_status, "instance-status.status": lambda i: i.instance_status,
        })
        page, token = _page(insts, MaxResults, NextToken, 5, 1000)

        def check(status: str) -> dict[str, Any]:
            detail = {"ok": "passed", "impaired": "failed", "initializing": "initializing"}.get(status)
            return {"Status": status, "Details": [{"Name": "reachability", "Status": detail}] if detail else []}

        rows = [{"AvailabilityZone": i.availability_zone.name, "InstanceId": i.id,
                 "InstanceState": state_shape(i.state), "InstanceStatus": check(i.instance_status),
                 "SystemStatus": check(i.system_status)} for i in page]
        out: dict[str, Any] = {"InstanceStatuses": rows}
        if token:
            out["NextToken"] = token
        return out

    def _changes(self, triples, key: str) -> dict[str, Any]:
        return {key: [{"CurrentState": state_shape(cur), "InstanceId": inst.id, "PreviousState": state_shape(prev)}
                      for inst, prev, cur in triples]}

    def start_instances(self, *, InstanceIds: list[str], AdditionalInfo: str | None = None,
                        DryRun: bool = False) -> dict[str, Any]:
        ids = ident_list("InstanceIds", InstanceIds)
        self._dry_run(DryRun)
        return self._changes(self._ec2.start_instances(self._lookup(ids)), "StartingInstances")

    def stop_instances(self, *, InstanceIds: list[str], Hibernate: bool = False, Force: bool = False,
                       DryRun: bool = False) -> dict[str, Any]:
        ids = ident_list("InstanceIds", InstanceIds)
        if Hibernate:
            raise InvalidParameter("UnsupportedOperation", "Hibernation is not modelled by awskit.")
        self._dry_run(DryRun)
        return self._changes(self._ec2.stop_instances(self._lookup(ids), force=Force), "StoppingInstances")

    def terminate_instances(self, *, InstanceIds: list[str], DryRun: bool = False) -> dict[str, Any]:
        ids = ident_list("InstanceIds", InstanceIds)
        self._dry_run(DryRun)
        return self._changes(self._ec2.terminate_instances(self._lookup(ids)), "TerminatingInstances")

    def reboot_instances(self, *, InstanceIds: list[str], DryRun: bool = False) -> dict[str, Any]:
        ids = ident_list("InstanceIds", InstanceIds)
        self._dry_run(DryRun)
        self._ec2.reboot_instances(self._lookup(ids))
        return {}

    _ATTRIBUTES = ("instanceType", "userData", "disableApiTermination", "instanceInitiatedShutdownBehavior",
                   "rootDeviceName", "blockDeviceMapping", "groupSet", "ebsOptimized", "sourceDestCheck")

    def describe_instance_attribute(self, *, Attribute: str, InstanceId: str, DryRun: bool = False) -> dict[str, Any]:
        check_type("Attribute", Attribute, str)
        inst = self._ec2.get_instance(ident("InstanceId", InstanceId))
        self._dry_run(DryRun)
        out: dict[str, Any] = {"InstanceId": inst.id}
        if Attribute == "instanceType":
            out["InstanceType"] = {"Value": inst.instance_type.name}
        elif Attribute == "userData":
            out["UserData"] = ({"Value": base64.b64encode(inst.user_data.encode()).decode()}
                               if inst.user_data is not None else {})
        elif Attribute == "disableApiTermination":
            out["DisableApiTermination"] = {"Value": inst.disable_api_termination}
        elif Attribute == "instanceInitiatedShutdownBehavior":
            out["InstanceInitiatedShutdownBehavior"] = {"Value": inst.shutdown_behavior}
        elif Attribute == "rootDeviceName":
            out["RootDeviceName"] = {"Value": inst.root_device_name}
        elif Attribute == "blockDeviceMapping":
            out["BlockDeviceMappings"] = instance_shape(inst, self._ec2)["BlockDeviceMappings"]
        elif Attribute == "groupSet":
            out["Groups"] = [{"GroupId": g.id} for g in inst.security_groups]
        elif Attribute == "ebsOptimized":
            out["EbsOptimized"] = {"Value": inst.ebs_optimized}
        elif Attribute == "sourceDestCheck":
            eni = inst.primary_network_interface
            out["SourceDestCheck"] = {"Value": eni.source_dest_check if eni else True}
        else:
            raise InvalidParameter("InvalidParameterValue",
                                   f"Value ({Attribute}) for parameter attribute is invalid. Valid values: "
                                   f"{', '.join(self._ATTRIBUTES)}.")
        return out

    def modify_instance_attribute(self, *, InstanceId: str, InstanceType: dict | None = None,
                                  DisableApiTermination: dict | None = None, Groups: list[str] | None = None,
                                  InstanceInitiatedShutdownBehavior: dict | None = None,
                                  UserData: dict | None = None, Attribute: str | None = None,
                                  Value: str | None = None, DryRun: bool = False) -> dict[str, Any]:
        inst = self._ec2.get_instance(ident("InstanceId", InstanceId))
        kwargs: dict[str, Any] = {}
        if Attribute is not None:
            mapping = {"instanceType": "instance_type", "disableApiTermination": "disable_api_termination",
                       "instanceInitiatedShutdownBehavior": "shutdown_behavior"}
            if Attribute not in mapping:
                raise InvalidParameter("InvalidParameterValue", f"Attribute {Attribute!r}: use one of "
                                                                f"{', '.join(mapping)}.")
            kwargs[mapping[Attribute]] = (Value.lower() == "true") if Attribute == "disableApiTermination" \
                else Value
        if InstanceType is not None:
            kwargs["instance_type"] = check_type("InstanceType.Value", check_type(
                "InstanceType", InstanceType, dict).get("Value"), str)
        if DisableApiTermination is not None:
            kwargs["disable_api_termination"] = flag("DisableApiTermination", DisableApiTermination)
        if InstanceInitiatedShutdownBehavior is not None:
            kwargs["shutdown_behavior"] = check_type("InstanceInitiatedShutdownBehavior.Value", check_type(
                "InstanceInitiatedShutdownBehavior", InstanceInitiatedShutdownBehavior, dict).get("Value"), str)
        if UserData is not None:
            raw = check_type("UserData", UserData, dict).get("Value", b"")
            kwargs["user_data"] = raw.decode() if isinstance(raw, bytes) else str(raw)
        if Groups is not None:
            kwargs["groups"] = ident_list("Groups", Groups)
        if not kwargs:
            raise ParamValidationError("Give one attribute to modify (InstanceType, DisableApiTermination, Groups...).")
        self._dry_run(DryRun)
        self._ec2.modify_instance_attribute(inst, **kwargs)
        return {}

    # -- Elastic IPs -------------------------------------------------------------------------------
    def allocate_address(self, *, Domain: str = "vpc", TagSpecifications: list | None = None,
                         PublicIpv4Pool: str | None = None, NetworkBorderGroup: str | None = None,
                         DryRun: bool = False) -> dict[str, Any]:
        tags = _tags_by_type(TagSpecifications, ("elastic-ip",)).get("elastic-ip")
        self._dry_run(DryRun)
        a = self._ec2.allocate_address(domain=Domain, tags=tags)
        return {"AllocationId": a.allocation_id, "PublicIpv4Pool": "amazon", "NetworkBorderGroup": a.region,
                "Domain": a.domain, "PublicIp": str(a.public_ip)}

    def associate_address(self, *, AllocationId: str | None = None, InstanceId: str | None = None,
                          PublicIp: str | None = None, NetworkInterfaceId: str | None = None,
                          AllowReassociation: bool = True, PrivateIpAddress: str | None = None,
                          DryRun: bool = False) -> dict[str, Any]:
        target = AllocationId if AllocationId is not None else PublicIp
        if target is None:
            raise InvalidParameter("MissingParameter", "Give AllocationId (or PublicIp).")
        self._dry_run(DryRun)
        a = self._ec2.associate_address(target, instance=InstanceId, network_interface=NetworkInterfaceId,
                                        allow_reassociation=AllowReassociation)
        return {"AssociationId": a.association_id}

    def disassociate_address(self, *, AssociationId: str | None = None, PublicIp: str | None = None,
                             DryRun: bool = False) -> dict[str, Any]:
        target = AssociationId if AssociationId is not None else PublicIp
        if target is None:
            raise InvalidParameter("MissingParameter", "Give AssociationId (or PublicIp).")
        self._dry_run(DryRun)
        self._ec2.disassociate_address(target)
        return {}

    def release_address(self, *, AllocationId: str | None = None, PublicIp: str | None = None,
                        NetworkBorderGroup: str | None = None, DryRun: bool = False) -> dict[str, Any]:
        target = AllocationId if AllocationId is not None else PublicIp
        if target is None:
            raise InvalidParameter("MissingParameter", "Give AllocationId (or PublicIp).")
        self._dry_run(DryRun)
        self._ec2.release_address(target)
        return {}

    def describe_addresses(self, *, AllocationIds: list[str] | None = None, PublicIps: list[str] | None = None,
                           Filters: list | None = None, DryRun: bool = False) -> dict[str, Any]:
        self._dry_run(DryRun)
        addrs = self._ec2.addresses
        if AllocationIds is not None:
            addrs = [self._ec2.get_address(a) for a in ident_list("AllocationIds", AllocationIds)]
        if PublicIps is not None:
            addrs = [self._ec2.get_address(a) for a in ident_list("PublicIps", PublicIps)]
        addrs = apply_filters(addrs, Filters, {
            "allocation-id": lambda a: a.allocation_id, "public-ip": lambda a: str(a.public_ip),
            "association-id": lambda a: a.association_id, "domain": lambda a: a.domain,
            "instance-id": lambda a: a.instance.id if a.instance else None,
            "network-interface-id": lambda a: a.network_interface.id if a.network_interface else None,
        }, tag_getter=lambda a: a.tags)
        return {"Addresses": [address_shape(a) for a in addrs]}
