"""EBS operations of the EC2 API: the same boto3 calls against moto and awskit."""

from .conftest import error_code, keys, moto_differs

VOLUME_KEYS = {"Attachments", "AvailabilityZone", "CreateTime", "Encrypted", "Iops", "Size", "State",
               "VolumeId", "VolumeType"}
SNAPSHOT_KEYS = {"SnapshotId", "VolumeId", "State", "StartTime", "Progress", "OwnerId", "Description",
                 "VolumeSize", "Encrypted"}


def _instance(ec2, az="us-east-1a"):
    img = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    iid = ec2.run_instances(ImageId=img, InstanceType="t3.micro", MinCount=1, MaxCount=1,
                            Placement={"AvailabilityZone": az})["Instances"][0]["InstanceId"]
    ec2.get_waiter("instance_running").wait(InstanceIds=[iid], WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    return iid


def _volume(ec2, az="us-east-1a", **kw):
    vid = ec2.create_volume(AvailabilityZone=az, Size=kw.pop("Size", 10), **kw)["VolumeId"]
    ec2.get_waiter("volume_available").wait(VolumeIds=[vid], WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    return vid


def test_create_volume_shape(client):
    ec2 = client("ec2")
    v = ec2.create_volume(AvailabilityZone="us-east-1a", Size=10, VolumeType="gp3")
    assert VOLUME_KEYS <= keys(v)
    assert (v["Size"], v["VolumeType"], v["Iops"], v["Encrypted"]) == (10, "gp3", 3000, False)


def test_describe_volumes_shape(client):
    ec2 = client("ec2")
    vid = _volume(ec2, VolumeType="gp3")
    got = ec2.describe_volumes(VolumeIds=[vid])["Volumes"]
    assert len(got) == 1 and VOLUME_KEYS <= set(got[0])
    assert (got[0]["State"], got[0]["AvailabilityZone"], got[0]["Attachments"]) == ("available", "us-east-1a", [])


def test_encrypted_volume(client):
    ec2 = client("ec2")
    v = ec2.create_volume(AvailabilityZone="us-east-1a", Size=10, Encrypted=True)
    assert v["Encrypted"] is True and "KmsKeyId" in v


def test_default_volume_type_is_gp2(client):
    ec2 = client("ec2")
    assert ec2.create_volume(AvailabilityZone="us-east-1a", Size=10)["VolumeType"] == "gp2"


def test_unknown_volume_is_not_found(client):
    ec2 = client("ec2")
    assert error_code(ec2.describe_volumes, VolumeIds=["vol-0123456789abcdef0"]) == "InvalidVolume.NotFound"
    assert error_code(ec2.delete_volume, VolumeId="vol-0123456789abcdef0") == "InvalidVolume.NotFound"


@moto_differs("moto accepts any size; AWS limits gp3 to 1-65,536 GiB")
def test_size_out_of_range_is_invalid(client):
    ec2 = client("ec2")
    assert error_code(ec2.create_volume, AvailabilityZone="us-east-1a", Size=0) == "InvalidParameterValue"
    assert error_code(ec2.create_volume, AvailabilityZone="us-east-1a", Size=70000) == "InvalidParameterValue"


@moto_differs("moto answers InvalidParameterDependency; AWS refuses Iops for gp2 as InvalidParameterCombination")
def test_iops_for_gp2_is_invalid(client):
    ec2 = client("ec2")
    assert error_code(ec2.create_volume, AvailabilityZone="us-east-1a", Size=10, VolumeType="gp2",
                      Iops=300) == "InvalidParameterCombination"


def test_attach_and_detach_shapes(client):
    ec2 = client("ec2")
    iid, vid = _instance(ec2), _volume(ec2)
    att = ec2.attach_volume(VolumeId=vid, InstanceId=iid, Device="/dev/sdf")
    assert {"VolumeId", "InstanceId", "Device", "State", "AttachTime"} <= keys(att)
    assert (att["VolumeId"], att["InstanceId"], att["Device"]) == (vid, iid, "/dev/sdf")
    ec2.get_waiter("volume_in_use").wait(VolumeIds=[vid], WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    row = ec2.describe_volumes(VolumeIds=[vid])["Volumes"][0]
    assert row["State"] == "in-use" and [a["InstanceId"] for a in row["Attachments"]] == [iid]
    det = ec2.detach_volume(VolumeId=vid, InstanceId=iid, Device="/dev/sdf")
    assert det["State"] == "detaching"


def test_deleting_an_attached_volume_is_volume_in_use(client):
    ec2 = client("ec2")
    iid, vid = _instance(ec2), _volume(ec2)
    ec2.attach_volume(VolumeId=vid, InstanceId=iid, Device="/dev/sdf")
    assert error_code(ec2.delete_volume, VolumeId=vid) == "VolumeInUse"


@moto_differs("moto attaches across Availability Zones")
def test_attach_across_zones_is_a_zone_mismatch(client):
    ec2 = client("ec2")
    iid, vid = _instance(ec2), _volume(ec2, az="us-east-1b")
    assert error_code(ec2.attach_volume, VolumeId=vid, InstanceId=iid,
                      Device="/dev/sdf") == "InvalidVolume.ZoneMismatch"


@moto_differs("moto attaches a volume that is already attached")
def test_attaching_twice_is_volume_in_use(client):
    ec2 = client("ec2")
    iid, vid = _instance(ec2), _volume(ec2)
    ec2.attach_volume(VolumeId=vid, InstanceId=iid, Device="/dev/sdf")
    assert error_code(ec2.attach_volume, VolumeId=vid, InstanceId=iid, Device="/dev/sdg") == "VolumeInUse"


def test_snapshot_shapes(client):
    ec2 = client("ec2")
    vid = _volume(ec2)
    snap = ec2.create_snapshot(VolumeId=vid, Description="backup")
    assert SNAPSHOT_KEYS <= keys(snap)
    ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snap["SnapshotId"]],
                                               WaiterConfig={"Delay": 5, "MaxAttempts": 60})
    got = ec2.describe_snapshots(SnapshotIds=[snap["SnapshotId"]])["Snapshots"]
    assert SNAPSHOT_KEYS <= set(got[0]) and (got[0]["State"], got[0]["VolumeId"]) == ("completed", vid)
    assert keys(ec2.delete_snapshot(SnapshotId=snap["SnapshotId"])) == set()


def test_own_snapshots_are_listed_with_owner_self(client):
    ec2 = client("ec2")
    vid = _volume(ec2)
    sid = ec2.create_snapshot(VolumeId=vid)["SnapshotId"]
    mine = ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
    assert sid in [s["SnapshotId"] for s in mine]


def test_unknown_snapshot_is_not_found(client):
    ec2 = client("ec2")
    assert error_code(ec2.describe_snapshots, SnapshotIds=["snap-0123456789abcdef0"]) == "InvalidSnapshot.NotFound"
    assert error_code(ec2.delete_snapshot, SnapshotId="snap-0123456789abcdef0") == "InvalidSnapshot.NotFound"


def test_modify_volume_shape(client):
    ec2 = client("ec2")
    vid = _volume(ec2)
    mod = ec2.modify_volume(VolumeId=vid, Size=20)["VolumeModification"]
    assert {"VolumeId", "ModificationState", "TargetSize", "OriginalSize", "Progress", "StartTime"} <= set(mod)
    assert (mod["VolumeId"], mod["TargetSize"], mod["OriginalSize"]) == (vid, 20, 10)
