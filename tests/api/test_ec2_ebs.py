"""The EBS operations of the EC2 facade: shapes, filters, waiters, errors."""

import pytest

from awskit import Cloud
from awskit.core.errors import AWSError


@pytest.fixture
def ec2():
    return Cloud(seed=0).client("ec2")


def instance(ec2, az="us-east-1a"):
    img = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    iid = ec2.run_instances(ImageId=img, InstanceType="t3.micro", MinCount=1, MaxCount=1,
                            Placement={"AvailabilityZone": az})["Instances"][0]["InstanceId"]
    ec2.get_waiter("instance_running").wait(InstanceIds=[iid])
    return iid


def volume(ec2, **kw):
    vid = ec2.create_volume(AvailabilityZone=kw.pop("AvailabilityZone", "us-east-1a"), Size=kw.pop("Size", 10),
                            **kw)["VolumeId"]
    ec2.get_waiter("volume_available").wait(VolumeIds=[vid])
    return vid


def err(call, **kw) -> str:
    with pytest.raises(AWSError) as e:
        call(**kw)
    return e.value.code


def test_create_volume_shape(ec2):
    v = ec2.create_volume(AvailabilityZone="us-east-1a", Size=10, VolumeType="gp3",
                          TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": "d"}]}])
    assert (v["State"], v["Iops"], v["Throughput"], v["Attachments"], v["Tags"]) == (
        "creating", 3000, 125, [], [{"Key": "Name", "Value": "d"}])


def test_create_volume_needs_a_zone(ec2):
    assert err(ec2.create_volume, Size=10) == "MissingParameter"


def test_client_exceptions_has_ebs_codes(ec2):
    with pytest.raises(ec2.exceptions.ClientError):
        ec2.describe_volumes(VolumeIds=["vol-0123456789abcdef0"])
    assert hasattr(ec2.exceptions, "VolumeInUse")


def test_describe_volumes_filters(ec2):
    a = volume(ec2, VolumeType="gp2")
    volume(ec2, AvailabilityZone="us-east-1b")
    got = ec2.describe_volumes(Filters=[{"Name": "volume-type", "Values": ["gp2"]},
                                        {"Name": "availability-zone", "Values": ["us-east-1a"]}])["Volumes"]
    assert [v["VolumeId"] for v in got] == [a]


def test_attach_detach_and_waiters(ec2):
    iid, vid = instance(ec2), volume(ec2)
    att = ec2.attach_volume(VolumeId=vid, InstanceId=iid, Device="/dev/sdf")
    assert att["State"] == "attaching"
    ec2.get_waiter("volume_in_use").wait(VolumeIds=[vid])
    by_instance = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [iid]},
                                                {"Name": "attachment.device", "Values": ["/dev/sdf"]}])["Volumes"]
    assert [v["VolumeId"] for v in by_instance] == [vid]
    devices = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["BlockDeviceMappings"]
    assert "/dev/sdf" in [d["DeviceName"] for d in devices]
    assert ec2.detach_volume(VolumeId=vid)["State"] == "detaching"
    ec2.get_waiter("volume_available").wait(VolumeIds=[vid])


def test_volume_deleted_waiter_counts_not_found_as_done(ec2):
    vid = volume(ec2)
    ec2.delete_volume(VolumeId=vid)
    ec2.get_waiter("volume_deleted").wait(VolumeIds=[vid])
    assert err(ec2.describe_volumes, VolumeIds=[vid]) == "InvalidVolume.NotFound"


def test_zone_mismatch(ec2):
    iid, vid = instance(ec2), volume(ec2, AvailabilityZone="us-east-1b")
    assert err(ec2.attach_volume, VolumeId=vid, InstanceId=iid, Device="/dev/sdf") == "InvalidVolume.ZoneMismatch"


def test_snapshot_lifecycle_and_restore(ec2):
    vid = volume(ec2)
    snap = ec2.create_snapshot(VolumeId=vid, Description="nightly")
    assert (snap["State"], snap["Progress"]) == ("pending", "0%")
    ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snap["SnapshotId"]])
    mine = ec2.describe_snapshots(OwnerIds=["self"], Filters=[{"Name": "volume-id", "Values": [vid]}])["Snapshots"]
    assert [(s["SnapshotId"], s["Progress"]) for s in mine] == [(snap["SnapshotId"], "100%")]
    restored = ec2.create_volume(SnapshotId=snap["SnapshotId"], AvailabilityZone="us-east-1c")
    assert (restored["SnapshotId"], restored["Size"]) == (snap["SnapshotId"], 10)
    ec2.delete_snapshot(SnapshotId=snap["SnapshotId"])
    assert err(ec2.describe_snapshots, SnapshotIds=[snap["SnapshotId"]]) == "InvalidSnapshot.NotFound"


def test_modify_volume_and_describe_modifications(ec2):
    vid = volume(ec2, VolumeType="gp3")
    mod = ec2.modify_volume(VolumeId=vid, Size=20, Iops=4000)["VolumeModification"]
    assert (mod["ModificationState"], mod["TargetSize"], mod["TargetIops"]) == ("modifying", 20, 4000)
    rows = ec2.describe_volumes_modifications(VolumeIds=[vid])["VolumesModifications"]
    assert [r["VolumeId"] for r in rows] == [vid]
    assert err(ec2.modify_volume, VolumeId=vid, Size=30) == "IncorrectModificationState"


def test_copy_snapshot_is_called_on_the_destination_region():
    cloud = Cloud(seed=0)
    us, eu = cloud.client("ec2"), cloud.client("ec2", region_name="eu-west-1")
    vid = volume(us)
    sid = us.create_snapshot(VolumeId=vid)["SnapshotId"]
    us.get_waiter("snapshot_completed").wait(SnapshotIds=[sid])
    copy = eu.copy_snapshot(SourceRegion="us-east-1", SourceSnapshotId=sid, Encrypted=True)["SnapshotId"]
    eu.get_waiter("snapshot_completed").wait(SnapshotIds=[copy])
    snap = eu.describe_snapshots(SnapshotIds=[copy])["Snapshots"][0]
    assert (snap["Encrypted"], snap["VolumeSize"], snap["VolumeId"]) == (True, 10, "vol-ffffffff")


def test_volume_status_is_impaired_during_an_outage():
    cloud = Cloud(seed=0)
    ec2 = cloud.client("ec2")
    vid = volume(ec2)
    cloud.fail_az("us-east-1a")
    row = ec2.describe_volume_status(VolumeIds=[vid])["VolumeStatuses"][0]
    assert row["VolumeStatus"]["Status"] == "impaired"


def test_describe_volumes_paginates(ec2):
    for _ in range(7):
        volume(ec2)
    pages = list(ec2.get_paginator("describe_volumes").paginate(PaginationConfig={"PageSize": 5}))
    assert [len(p["Volumes"]) for p in pages] == [5, 2]
