"""EC2 API, chapter 4: how images, instance types, key pairs, instances and Elastic IPs look in boto3's responses.

Each ``*_shape`` function turns an :mod:`awskit.ec2` object into the dictionary EC2's
Describe* calls return for it; :mod:`.ec2_instances` (the operations) uses them.
"""

from __future__ import annotations

from typing import Any

from ._ec2_common import tagged

__all__ = ["address_shape", "image_shape", "instance_shape", "instance_type_shape", "key_pair_shape",
           "state_shape"]


def _t(clock, t: float):
    return clock.to_datetime(t)


def image_shape(img) -> dict[str, Any]:
    ebs = {"DeleteOnTermination": True, "SnapshotId": "snap-0" + img.id[5:21], "VolumeSize": img.root_volume_size,
           "VolumeType": "gp3" if img.os != "windows" else "gp2", "Encrypted": False}
    out: dict[str, Any] = {
        "Architecture": img.architecture, "CreationDate": img.creation_date, "ImageId": img.id,
        "ImageLocation": f"{img.owner_alias or img.owner_id}/{img.name}", "ImageType": "machine", "Public": True,
        "OwnerId": img.owner_id, "PlatformDetails": img.platform_details,
        "UsageOperation": "RunInstances:0002" if img.platform == "windows" else "RunInstances",
        "State": "available",
        "BlockDeviceMappings": [{"DeviceName": img.root_device_name, "Ebs": ebs}] if img.ebs_backed else [],
        "Description": img.description, "EnaSupport": True, "Hypervisor": "xen", "Name": img.name,
        "RootDeviceName": img.root_device_name, "RootDeviceType": img.root_device_type,
        "SriovNetSupport": "simple", "VirtualizationType": "hvm", "BootMode": "uefi-preferred",
        "DeprecationTime": "2027-12-10T00:00:00.000Z",
    }
    if img.owner_alias:
        out["ImageOwnerAlias"] = img.owner_alias
    if img.platform:
        out["Platform"] = img.platform
    return out


def instance_type_shape(t) -> dict[str, Any]:
    out: dict[str, Any] = {
        "InstanceType": t.name, "CurrentGeneration": t.current_generation, "FreeTierEligible": t.name in (
            "t2.micro", "t3.micro"),
        "SupportedUsageClasses": ["on-demand", "spot"], "SupportedRootDeviceTypes": ["ebs"]
        + (["instance-store"] if t.instance_storage else []),
        "SupportedVirtualizationTypes": ["hvm"], "BareMetal": False, "Hypervisor": "nitro",
        "ProcessorInfo": {"SupportedArchitectures": list(t.architectures),
                          "SustainedClockSpeedInGhz": 3.1 if "arm64" not in t.architectures else 2.5},
        "VCpuInfo": {"DefaultVCpus": t.vcpus, "DefaultCores": max(1, t.vcpus // 2) if "arm64" not in
                     t.architectures else t.vcpus, "DefaultThreadsPerCore": 1 if t.vcpus == 1 or "arm64" in
                     t.architectures else 2},
        "MemoryInfo": {"SizeInMiB": t.memory_mib},
        "InstanceStorageSupported": t.instance_storage is not None,
        "EbsInfo": {"EbsOptimizedSupport": "default", "EncryptionSupport": "supported",
                    "NvmeSupport": "required"},
        "NetworkInfo": {"NetworkPerformance": t.network_performance, "MaximumNetworkInterfaces": 3,
                        "Ipv4AddressesPerInterface": 6, "Ipv6Supported": True, "EnaSupport": "required"},
        "PlacementGroupInfo": {"SupportedStrategies": ["partition", "spread"] + ([] if t.burstable else ["cluster"])},
        "HibernationSupported": "arm64" not in t.architectures, "BurstablePerformanceSupported": t.burstable,
        "DedicatedHostsSupported": not t.burstable, "AutoRecoverySupported": t.instance_storage is None,
        "SupportedBootModes": ["legacy-bios", "uefi"] if "arm64" not in t.architectures else ["uefi"],
    }
    if t.instance_storage:
        s = t.instance_storage
        out["InstanceStorageInfo"] = {"TotalSizeInGB": s.total_gb,
                                      "Disks": [{"SizeInGB": s.size_gb, "Count": s.count, "Type": s.kind}],
                                      "NvmeSupport": "required" if s.nvme else "unsupported"}
    if t.accelerators:
        count, _, rest = t.accelerators.partition(" x ")
        manufacturer, _, name = rest.partition(" ")
        key = "GpuInfo" if "GPU" in rest else "InferenceAcceleratorInfo"
        out[key] = {"Gpus" if key == "GpuInfo" else "Accelerators": [
            {"Name": name.replace(" GPU", ""), "Manufacturer": manufacturer, "Count": int(count)}]}
    return out


def key_pair_shape(k, clock, include_public: bool = False) -> dict[str, Any]:
    # DescribeKeyPairs always carries a tag list, empty or not.
    out = {"KeyPairId": k.id, "KeyFingerprint": k.fingerprint, "KeyName": k.name, "KeyType": k.key_type,
           "CreateTime": _t(clock, k.create_time), "Tags": [{"Key": a, "Value": b} for a, b in k.tags.items()]}
    if include_public:
        out["PublicKey"] = k.public_key
    return out


def state_shape(state) -> dict[str, Any]:
    return {"Code": state.code, "Name": state.value}


def instance_shape(inst, svc) -> dict[str, Any]:
    clock = svc.cloud.clock
    img, itype = inst.image, inst.instance_type
    terminated = inst.state.value == "terminated"
    eni = inst.primary_network_interface
    groups = [{"GroupId": g.id, "GroupName": g.group_name} for g in inst.security_groups]
    out: dict[str, Any] = {
        "AmiLaunchIndex": inst.launch_index, "ImageId": img.id, "InstanceId": inst.id,
        "InstanceType": itype.name, "LaunchTime": _t(clock, inst.launch_time),
        "Monitoring": {"State": "enabled" if inst.monitoring else "disabled"},
        "Placement": {"AvailabilityZone": inst.availability_zone.name, "GroupName": "", "Tenancy": "default"},
        "PrivateDnsName": "" if terminated else inst.private_dns_name,
        "ProductCodes": [], "PublicDnsName": "" if terminated else inst.public_dns_name,
        "State": state_shape(inst.state), "StateTransitionReason": inst.state_transition_reason,
        "Architecture": img.architecture,
        "BlockDeviceMappings": [{"DeviceName": dev, "Ebs": {
            "AttachTime": _t(clock, att.attach_time), "DeleteOnTermination": att.delete_on_termination,
            "Status": att.status, "VolumeId": att.volume_id}} for dev, att in inst.block_device_mappings.items()],
        "ClientToken": "", "EbsOptimized": inst.ebs_optimized, "EnaSupport": True, "Hypervisor": "xen",
        "NetworkInterfaces": [], "RootDeviceName": inst.root_device_name,
        "RootDeviceType": img.root_device_type, "SecurityGroups": groups,
        "VirtualizationType": "hvm",
        "CpuOptions": {"CoreCount": max(1, itype.vcpus // 2) if "arm64" not in itype.architectures else itype.vcpus,
                       "ThreadsPerCore": 1 if itype.vcpus == 1 or "arm64" in itype.architectures else 2},
        "CapacityReservationSpecification": {"CapacityReservationPreference": "open"},
        "HibernationOptions": {"Configured": False},
        "MetadataOptions": {"State": "applied", "HttpTokens": "required", "HttpPutResponseHopLimit": 2,
                            "HttpEndpoint": "enabled", "HttpProtocolIpv6": "disabled",
                            "InstanceMetadataTags": "disabled"},
        "EnclaveOptions": {"Enabled": False}, "PlatformDetails": img.platform_details,
        "UsageOperation": "RunInstances:0002" if img.platform == "windows" else "RunInstances",
        "UsageOperationUpdateTime": _t(clock, inst.launch_time),
        "MaintenanceOptions": {"AutoRecovery": "default"},
        "CurrentInstanceBootMode": "uefi" if "arm64" in itype.architectures else "legacy-bios",
    }
    if inst.key_name:
        out["KeyName"] = inst.key_name
    if img.platform:
        out["Platform"] = img.platform
    if eni is not None:
        out["PrivateIpAddress"] = str(eni.private_ip_address)
        out["SubnetId"] = inst.subnet.id
        out["VpcId"] = inst.vpc.id
        out["SourceDestCheck"] = eni.source_dest_check
        out["PrivateDnsNameOptions"] = {"HostnameType": "ip-name", "EnableResourceNameDnsARecord": False,
                                        "EnableResourceNameDnsAAAARecord": False}
        if eni.public_ip is not None:
            out["PublicIpAddress"] = str(eni.public_ip)
        out["NetworkInterfaces"] = [_instance_eni_shape(inst, eni, svc)]
    if inst.state_reason is not None:
        out["StateReason"] = {"Code": inst.state_reason.code, "Message": inst.state_reason.message}
    if inst.iam_instance_profile is not None:
        out["IamInstanceProfile"] = {"Arn": inst.iam_instance_profile.arn, "Id": inst.iam_instance_profile.id}
    return tagged(out, inst.tags)


def _association(eni, svc) -> dict[str, Any] | None:
    if eni.public_ip is None:
        return None
    address = svc._address_by_eni.get(eni.id)
    inst = getattr(eni.attachment, "instance", None)
    return {"IpOwnerId": eni.owner_id if address is not None else "amazon",
            "PublicDnsName": inst.public_dns_name if inst is not None else "", "PublicIp": str(eni.public_ip)}


def _instance_eni_shape(inst, eni, svc) -> dict[str, Any]:
    att = eni.attachment
    assoc = _association(eni, svc)
    private = {"Primary": True, "PrivateDnsName": inst.private_dns_name,
               "PrivateIpAddress": str(eni.private_ip_address)}
    out: dict[str, Any] = {
        "Attachment": {"AttachTime": _t(svc.cloud.clock, att.attach_time), "AttachmentId": att.id,
                       "DeleteOnTermination": att.delete_on_termination, "DeviceIndex": att.device_index,
                       "Status": att.status, "NetworkCardIndex": 0},
        "Description": eni.description,
        "Groups": [{"GroupId": g.id, "GroupName": g.group_name} for g in eni.security_groups],
        "Ipv6Addresses": [], "MacAddress": eni.mac_address, "NetworkInterfaceId": eni.id,
        "OwnerId": eni.owner_id, "PrivateDnsName": inst.private_dns_name,
        "PrivateIpAddress": str(eni.private_ip_address), "PrivateIpAddresses": [private],
        "SourceDestCheck": eni.source_dest_check, "Status": "in-use", "SubnetId": eni.subnet.id,
        "VpcId": eni.vpc.id, "InterfaceType": "interface",
    }
    if assoc is not None:
        out["Association"] = assoc
        private["Association"] = assoc
    return out


def address_shape(a) -> dict[str, Any]:
    out: dict[str, Any] = {"AllocationId": a.allocation_id, "PublicIp": str(a.public_ip), "Domain": a.domain,
                           "PublicIpv4Pool": "amazon", "NetworkBorderGroup": a.region}
    if a.network_interface is not None:
        eni = a.network_interface
        out.update({"AssociationId": a.association_id, "NetworkInterfaceId": eni.id,
                    "NetworkInterfaceOwnerId": eni.owner_id, "PrivateIpAddress": str(eni.private_ip_address)})
        if a.instance is not None:
            out["InstanceId"] = a.instance.id
    return tagged(out, a.tags)
