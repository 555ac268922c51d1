"""The EC2 facade for instances, images, key pairs and Elastic IPs (awskit only)."""

import base64

import pytest

from awskit import Cloud
from awskit.core.errors import AWSError, WaiterError


@pytest.fixture
def ec2():
    return Cloud(seed=0).client("ec2")


def _ami(ec2, name="al2023-ami-*", arch="x86_64"):
    return ec2.describe_images(Owners=["amazon", "099720109477"], Filters=[
        {"Name": "name", "Values": [name]}, {"Name": "architecture", "Values": [arch]}])["Images"][0]["ImageId"]


def _run(ec2, count=1, **kw):
    return ec2.run_instances(ImageId=_ami(ec2), InstanceType="t3.micro", MinCount=count, MaxCount=count, **kw)


def _code(fn, **kw):
    with pytest.raises(AWSError) as info:
        fn(**kw)
    return info.value.code


def test_image_name_filter_takes_wildcards(ec2):
    names = [i["Name"] for i in ec2.describe_images(Filters=[{"Name": "name", "Values": ["ubuntu/*"]}])["Images"]]
    assert names and all(n.startswith("ubuntu/") for n in names)


def test_owner_alias_filter_excludes_canonical(ec2):
    images = ec2.describe_images(Filters=[{"Name": "owner-alias", "Values": ["amazon"]}])["Images"]
    assert "099720109477" not in {i["OwnerId"] for i in images}


def test_instance_type_filter_on_vcpus(ec2):
    types = ec2.describe_instance_types(Filters=[{"Name": "vcpu-info.default-vcpus", "Values": ["8"]}])
    assert [t["InstanceType"] for t in types["InstanceTypes"]] == ["p3.2xlarge"]


def test_unknown_instance_type_in_describe(ec2):
    assert _code(ec2.describe_instance_types, InstanceTypes=["t3.huge"]) == "InvalidInstanceType"


def test_user_data_comes_back_base64_encoded(ec2):
    iid = _run(ec2, UserData="#!/bin/bash\necho hi")["Instances"][0]["InstanceId"]
    value = ec2.describe_instance_attribute(InstanceId=iid, Attribute="userData")["UserData"]["Value"]
    assert base64.b64decode(value).decode() == "#!/bin/bash\necho hi"


def test_tag_specifications_tag_the_instance(ec2):
    spec = [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}]
    iid = _run(ec2, TagSpecifications=spec)["Instances"][0]["InstanceId"]
    found = ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": ["web"]}])["Reservations"]
    assert found[0]["Instances"][0]["InstanceId"] == iid


def test_state_filter_finds_running_instances(ec2):
    iid = _run(ec2)["Instances"][0]["InstanceId"]
    ec2.get_waiter("instance_running").wait(InstanceIds=[iid])
    rows = ec2.describe_instances(Filters=[{"Name": "instance-state-name", "Values": ["running"]}])["Reservations"]
    assert rows[0]["Instances"][0]["InstanceId"] == iid


def test_not_found_lists_every_unknown_id(ec2):
    with pytest.raises(AWSError) as info:
        ec2.describe_instances(InstanceIds=["i-0123456789abcdef0", "i-0123456789abcdef1"])
    assert info.value.code == "InvalidInstanceID.NotFound" and "i-0123456789abcdef1" in info.value.message


def test_instances_of_one_call_share_a_reservation(ec2):
    _run(ec2, count=3)
    assert [len(r["Instances"]) for r in ec2.describe_instances()["Reservations"]] == [3]


def test_describe_instances_pages(ec2):
    _run(ec2, count=7)
    pages = list(ec2.get_paginator("describe_instances").paginate(PaginationConfig={"PageSize": 5}))
    assert [sum(len(r["Instances"]) for r in p["Reservations"]) for p in pages] == [5, 2]


def test_instance_status_lists_running_instances_only_by_default(ec2):
    _run(ec2)
    assert ec2.describe_instance_status()["InstanceStatuses"] == []
    assert len(ec2.describe_instance_status(IncludeAllInstances=True)["InstanceStatuses"]) == 1


def test_status_ok_waiter_advances_simulated_time(ec2):
    iid = _run(ec2)["Instances"][0]["InstanceId"]
    ec2.get_waiter("instance_status_ok").wait(InstanceIds=[iid])
    row = ec2.describe_instance_status(InstanceIds=[iid])["InstanceStatuses"][0]
    assert row["InstanceStatus"]["Status"] == "ok"


def test_running_waiter_fails_when_the_instance_terminates(ec2):
    iid = _run(ec2)["Instances"][0]["InstanceId"]
    ec2.terminate_instances(InstanceIds=[iid])
    with pytest.raises(WaiterError):
        ec2.get_waiter("instance_running").wait(InstanceIds=[iid])


def test_type_change_while_running_is_incorrect_state(ec2):
    iid = _run(ec2)["Instances"][0]["InstanceId"]
    assert _code(ec2.modify_instance_attribute, InstanceId=iid,
                 InstanceType={"Value": "t3.small"}) == "IncorrectInstanceState"


def test_termination_protection_via_the_api(ec2):
    iid = _run(ec2)["Instances"][0]["InstanceId"]
    ec2.modify_instance_attribute(InstanceId=iid, DisableApiTermination={"Value": True})
    assert _code(ec2.terminate_instances, InstanceIds=[iid]) == "OperationNotPermitted"


def test_vcpu_limit_is_reported(ec2):
    assert _code(ec2.run_instances, ImageId=_ami(ec2), InstanceType="m5.xlarge", MinCount=9,
                 MaxCount=9) == "VcpuLimitExceeded"


def test_network_interfaces_can_request_a_public_ip(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    inst = ec2.run_instances(ImageId=_ami(ec2), InstanceType="t3.micro", MinCount=1, MaxCount=1,
                             NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet,
                                                 "AssociatePublicIpAddress": True}])["Instances"][0]
    assert "PublicIpAddress" in inst and inst["SubnetId"] == subnet


def test_elastic_ip_shows_as_the_instance_public_ip(ec2):
    iid = _run(ec2)["Instances"][0]["InstanceId"]
    alloc = ec2.allocate_address(Domain="vpc")
    ec2.associate_address(AllocationId=alloc["AllocationId"], InstanceId=iid)
    inst = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
    assert inst["PublicIpAddress"] == alloc["PublicIp"]


def test_exceptions_are_catchable_like_boto3(ec2):
    with pytest.raises(ec2.exceptions.ClientError):
        ec2.describe_key_pairs(KeyNames=["nope"])
