"""EC2 instances, images, key pairs and Elastic IPs: the same boto3 calls against moto and awskit."""

from .conftest import error_code, keys, moto_differs


def _ami(ec2) -> str:
    images = ec2.describe_images(Owners=["amazon"])["Images"]
    return next(i["ImageId"] for i in images if i.get("Platform") != "windows" and i["RootDeviceType"] == "ebs"
                and i["Architecture"] == "x86_64")


def _run(ec2, **kw):
    return ec2.run_instances(ImageId=_ami(ec2), InstanceType="t3.micro", MinCount=1, MaxCount=1, **kw)


def test_run_instances_returns_a_reservation(client):
    ec2 = client("ec2")
    assert keys(_run(ec2)) == {"Groups", "Instances", "OwnerId", "ReservationId"}


def test_run_instances_instance_shape(client):
    inst = _run(client("ec2"))["Instances"][0]
    for key in ("InstanceId", "ImageId", "InstanceType", "State", "PrivateIpAddress", "SubnetId", "VpcId",
                "Placement", "NetworkInterfaces", "SecurityGroups", "LaunchTime", "BlockDeviceMappings",
                "RootDeviceName", "PrivateDnsName", "Monitoring"):
        assert key in inst, key


def test_new_instance_starts_pending(client):
    assert _run(client("ec2"))["Instances"][0]["State"] == {"Code": 0, "Name": "pending"}


@moto_differs("moto draws the private address of an instance launched without SubnetId outside its subnet")
def test_private_ip_is_in_the_instance_subnet(client):
    import ipaddress

    ec2 = client("ec2")
    inst = _run(ec2)["Instances"][0]
    subnet = ec2.describe_subnets(SubnetIds=[inst["SubnetId"]])["Subnets"][0]
    assert ipaddress.ip_address(inst["PrivateIpAddress"]) in ipaddress.ip_network(subnet["CidrBlock"])
    assert subnet["AvailabilityZone"] == inst["Placement"]["AvailabilityZone"]


def test_describe_instances_after_run(client):
    ec2 = client("ec2")
    run = _run(ec2)
    iid = run["Instances"][0]["InstanceId"]
    res = ec2.describe_instances(InstanceIds=[iid])["Reservations"]
    assert [r["ReservationId"] for r in res] == [run["ReservationId"]]
    assert res[0]["Instances"][0]["InstanceId"] == iid


def test_stop_start_terminate_report_state_changes(client):
    ec2 = client("ec2")
    iid = _run(ec2)["Instances"][0]["InstanceId"]
    ec2.get_waiter("instance_running").wait(InstanceIds=[iid], WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    stop = ec2.stop_instances(InstanceIds=[iid])["StoppingInstances"][0]
    assert (stop["PreviousState"]["Name"], stop["CurrentState"]["Name"]) == ("running", "stopping")
    ec2.get_waiter("instance_stopped").wait(InstanceIds=[iid], WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    start = ec2.start_instances(InstanceIds=[iid])["StartingInstances"][0]
    assert (start["PreviousState"]["Name"], start["CurrentState"]["Name"]) == ("stopped", "pending")
    term = ec2.terminate_instances(InstanceIds=[iid])["TerminatingInstances"][0]
    assert term["CurrentState"]["Name"] == "shutting-down"


def test_unknown_instance_is_not_found(client):
    code = error_code(client("ec2").describe_instances, InstanceIds=["i-0123456789abcdef0"])
    assert code == "InvalidInstanceID.NotFound"


@moto_differs("moto answers NotFound for a malformed instance id; EC2 answers Malformed")
def test_malformed_instance_id(client):
    assert error_code(client("ec2").describe_instances, InstanceIds=["i-xyz"]) == "InvalidInstanceID.Malformed"


@moto_differs("moto lets a terminated instance start again")
def test_starting_a_terminated_instance_is_incorrect_state(client):
    ec2 = client("ec2")
    iid = _run(ec2)["Instances"][0]["InstanceId"]
    ec2.terminate_instances(InstanceIds=[iid])
    ec2.get_waiter("instance_terminated").wait(InstanceIds=[iid], WaiterConfig={"Delay": 5, "MaxAttempts": 20})
    assert error_code(ec2.start_instances, InstanceIds=[iid]) == "IncorrectInstanceState"


def test_key_pair_create_describe_delete(client):
    ec2 = client("ec2")
    created = ec2.create_key_pair(KeyName="lab")
    assert keys(created) == {"KeyFingerprint", "KeyMaterial", "KeyName", "KeyPairId"}
    described = ec2.describe_key_pairs(KeyNames=["lab"])["KeyPairs"][0]
    assert {"KeyPairId", "KeyFingerprint", "KeyName", "CreateTime"} <= set(described)
    assert "KeyMaterial" not in described
    ec2.delete_key_pair(KeyName="lab")
    assert ec2.describe_key_pairs()["KeyPairs"] == []


def test_duplicate_key_pair(client):
    ec2 = client("ec2")
    ec2.create_key_pair(KeyName="lab")
    assert error_code(ec2.create_key_pair, KeyName="lab") == "InvalidKeyPair.Duplicate"


def test_missing_key_pair(client):
    assert error_code(client("ec2").describe_key_pairs, KeyNames=["nope"]) == "InvalidKeyPair.NotFound"


def test_describe_instance_types_t3_micro(client):
    t = client("ec2").describe_instance_types(InstanceTypes=["t3.micro"])["InstanceTypes"][0]
    assert (t["VCpuInfo"]["DefaultVCpus"], t["MemoryInfo"]["SizeInMiB"]) == (2, 1024)
    assert {"InstanceType", "CurrentGeneration", "ProcessorInfo", "NetworkInfo", "EbsInfo"} <= set(t)


def test_describe_images_shape(client):
    img = client("ec2").describe_images(Owners=["amazon"])["Images"][0]
    assert {"ImageId", "Name", "OwnerId", "Architecture", "RootDeviceType", "RootDeviceName", "State",
            "BlockDeviceMappings", "ImageOwnerAlias", "Public", "VirtualizationType"} <= set(img)


def test_elastic_ip_allocate_associate_describe(client):
    ec2 = client("ec2")
    iid = _run(ec2)["Instances"][0]["InstanceId"]
    alloc = ec2.allocate_address(Domain="vpc")
    assert {"AllocationId", "PublicIp", "Domain"} <= set(alloc)
    assoc = ec2.associate_address(AllocationId=alloc["AllocationId"], InstanceId=iid)
    assert keys(assoc) == {"AssociationId"}
    addr = ec2.describe_addresses(AllocationIds=[alloc["AllocationId"]])["Addresses"][0]
    assert (addr["InstanceId"], addr["AssociationId"]) == (iid, assoc["AssociationId"])
    ec2.disassociate_address(AssociationId=assoc["AssociationId"])
    ec2.release_address(AllocationId=alloc["AllocationId"])
    assert ec2.describe_addresses()["Addresses"] == []


@moto_differs("moto releases an Elastic IP that is still associated")
def test_releasing_an_associated_elastic_ip_is_refused(client):
    ec2 = client("ec2")
    iid = _run(ec2)["Instances"][0]["InstanceId"]
    alloc = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.associate_address(AllocationId=alloc, InstanceId=iid)
    assert error_code(ec2.release_address, AllocationId=alloc) == "InvalidIPAddress.InUse"
