"""EBS model: volume types and limits, lifecycle, attachments, modifications, data, snapshots, bill."""

import pytest

from awskit import Cloud
from awskit.core.errors import AWSError
from awskit.ebs import BLOCK_SIZE, VOLUME_TYPES


def code(fn, *args, **kwargs) -> str:
    with pytest.raises(AWSError) as err:
        fn(*args, **kwargs)
    return err.value.code


@pytest.fixture
def ebs(cloud):
    return cloud.ebs


def ready(cloud, *args, **kwargs):
    vol = cloud.ebs.create_volume(*args, **kwargs)
    cloud.clock.advance(seconds=10)
    return vol


@pytest.fixture
def instance(cloud):
    inst = cloud.ec2.run_instance(availability_zone="us-east-1a")
    cloud.clock.advance(minutes=1)
    return inst


# -- types and limits ------------------------------------------------------------------------
@pytest.mark.parametrize("vtype,low,high", [("gp3", 1, 65536), ("gp2", 1, 16384), ("io1", 4, 16384),
                                            ("io2", 4, 65536), ("st1", 125, 16384), ("sc1", 125, 16384),
                                            ("standard", 1, 1024)])
def test_size_limits_follow_today_s_documentation(ebs, vtype, low, high):
    iops = {"io1": 100, "io2": 100}.get(vtype)
    assert code(ebs.create_volume, low - 1, vtype, "us-east-1a", iops=iops) == "InvalidParameterValue"
    assert code(ebs.create_volume, high + 1, vtype, "us-east-1a", iops=iops) == "InvalidParameterValue"
    assert ebs.create_volume(high, vtype, "us-east-1a", iops=iops).size == high


def test_gp3_defaults_to_3000_iops_and_125_mibps(ebs):
    vol = ebs.create_volume(10, "gp3", "us-east-1a")
    assert (vol.iops, vol.throughput) == (3000, 125)


def test_gp3_accepts_the_2025_maximum_of_80000_iops_and_2000_mibps(ebs):
    vol = ebs.create_volume(200, "gp3", "us-east-1a", iops=80000, throughput=2000)
    assert (vol.iops, vol.max_throughput) == (80000, 2000)


def test_gp3_iops_above_80000_are_rejected(ebs):
    assert code(ebs.create_volume, 1000, "gp3", "us-east-1a", iops=80001) == "InvalidParameterValue"


def test_gp3_iops_per_gib_ratio_is_at_most_500(ebs):
    assert code(ebs.create_volume, 10, "gp3", "us-east-1a", iops=5001) == "InvalidParameterValue"
    assert ebs.create_volume(10, "gp3", "us-east-1a", iops=5000).iops == 5000


def test_gp3_throughput_per_iops_is_at_most_a_quarter(ebs):
    assert code(ebs.create_volume, 100, "gp3", "us-east-1a", iops=3000, throughput=751) == "InvalidParameterValue"
    assert ebs.create_volume(100, "gp3", "us-east-1a", iops=3000, throughput=750).throughput == 750


def test_gp2_baseline_is_3_iops_per_gib_between_100_and_16000():
    gp2 = VOLUME_TYPES["gp2"]
    assert [gp2.baseline_iops(s) for s in (1, 33, 100, 1000, 5334, 16384)] == [100, 100, 300, 3000, 16000, 16000]


def test_iops_given_for_gp2_is_an_invalid_combination(ebs):
    assert code(ebs.create_volume, 10, "gp2", "us-east-1a", iops=300) == "InvalidParameterCombination"


def test_throughput_given_for_io1_is_an_invalid_combination(ebs):
    assert code(ebs.create_volume, 10, "io1", "us-east-1a", iops=100, throughput=200) == "InvalidParameterCombination"


def test_io1_needs_iops(ebs):
    assert code(ebs.create_volume, 10, "io1", "us-east-1a") == "MissingParameter"


def test_io1_ratio_is_50_iops_per_gib_and_io2_1000(ebs):
    assert code(ebs.create_volume, 10, "io1", "us-east-1a", iops=501) == "InvalidParameterValue"
    assert ebs.create_volume(10, "io1", "us-east-1a", iops=500).iops == 500
    assert code(ebs.create_volume, 10, "io2", "us-east-1a", iops=10001) == "InvalidParameterValue"
    assert ebs.create_volume(256, "io2", "us-east-1a", iops=256000).iops == 256000


def test_io1_iops_range_is_100_to_64000(ebs):
    assert code(ebs.create_volume, 2000, "io1", "us-east-1a", iops=99) == "InvalidParameterValue"
    assert code(ebs.create_volume, 2000, "io1", "us-east-1a", iops=64001) == "InvalidParameterValue"


def test_unknown_volume_type_lists_the_valid_ones(ebs):
    assert code(ebs.create_volume, 10, "gp4", "us-east-1a") == "InvalidParameterValue"


def test_unknown_zone_is_rejected(ebs):
    assert code(ebs.create_volume, 10, "gp3", "us-east-1z") == "InvalidParameterValue"


def test_size_or_snapshot_is_required(ebs):
    assert code(ebs.create_volume, None, "gp3", "us-east-1a") == "MissingParameter"


def test_hdd_types_report_no_iops(ebs):
    assert ebs.create_volume(500, "st1", "us-east-1a").iops is None


# -- lifecycle ------------------------------------------------------------------------------
def test_volume_is_creating_then_available(cloud):
    vol = cloud.ebs.create_volume(10, "gp3", "us-east-1a")
    assert vol.state.value == "creating"
    cloud.clock.advance(seconds=10)
    assert vol.state.value == "available"


def test_deleted_volume_disappears(cloud):
    vol = ready(cloud, 10, "gp3", "us-east-1a")
    cloud.ebs.delete_volume(vol)
    assert vol.state.value == "deleting"
    cloud.clock.advance(seconds=5)
    assert code(cloud.ebs.get_volume, vol.id) == "InvalidVolume.NotFound"


def test_malformed_volume_id(ebs):
    assert code(ebs.get_volume, "vol-xyz") == "InvalidVolumeID.Malformed"


# -- encryption -------------------------------------------------------------------------------
def test_encrypted_volume_uses_the_default_key(ebs):
    vol = ebs.create_volume(10, "gp3", "us-east-1a", encrypted=True)
    assert vol.encrypted and vol.kms_key_id.startswith("arn:aws:kms:us-east-1:")


def test_kms_key_without_encrypted_is_a_dependency_error(ebs):
    assert code(ebs.create_volume, 10, "gp3", "us-east-1a", kms_key_id="alias/mine") == "InvalidParameterDependency"


def test_volume_from_encrypted_snapshot_is_encrypted(cloud):
    vol = ready(cloud, 10, "gp3", "us-east-1a", encrypted=True)
    snap = cloud.ebs.create_snapshot(vol)
    cloud.clock.advance(minutes=5)
    assert cloud.ebs.create_volume(snapshot=snap, availability_zone="us-east-1b").encrypted


def test_unencrypted_volume_from_encrypted_snapshot_is_refused(cloud):
    vol = ready(cloud, 10, "gp3", "us-east-1a", encrypted=True)
    snap = cloud.ebs.create_snapshot(vol)
    cloud.clock.advance(minutes=5)
    assert code(cloud.ebs.create_volume, snapshot=snap, availability_zone="us-east-1a",
                encrypted=False) == "InvalidParameterCombination"


# -- attachments ------------------------------------------------------------------------------
def test_instance_root_volume_is_an_ebs_volume_in_use(cloud, instance):
    att = instance.block_device_mappings[instance.root_device_name]
    root = cloud.ebs.get_volume(att.volume_id)
    assert (root.state.value, root.instance, root.is_root, root.attachment is att) == ("in-use", instance, True, True)


def test_attach_goes_attaching_then_attached(cloud, instance):
    vol = ready(cloud, 10, "gp3", "us-east-1a")
    cloud.ebs.attach_volume(vol, instance, "/dev/sdf")
    assert (vol.state.value, vol.attachment.status) == ("in-use", "attaching")
    cloud.clock.advance(seconds=5)
    assert instance.block_device_mappings["/dev/sdf"].status == "attached"


def test_attach_in_another_zone_is_a_zone_mismatch(cloud, instance):
    vol = ready(cloud, 10, "gp3", "us-east-1b")
    assert code(cloud.ebs.attach_volume, vol, instance, "/dev/sdf") == "InvalidVolume.ZoneMismatch"


def test_attach_to_a_busy_device_is_rejected(cloud, instance):
    a, b = ready(cloud, 10, "gp3", "us-east-1a"), ready(cloud, 10, "gp3", "us-east-1a")
    cloud.ebs.attach_volume(a, instance, "/dev/sdf")
    assert code(cloud.ebs.attach_volume, b, instance, "/dev/sdf") == "InvalidParameterValue"


def test_attach_with_an_invalid_device_name_is_rejected(cloud, instance):
    vol = ready(cloud, 10, "gp3", "us-east-1a")
    assert code(cloud.ebs.attach_volume, vol, instance, "sdf") == "InvalidParameterValue"


def test_attaching_an_attached_volume_is_volume_in_use(cloud, instance):
    vol = ready(cloud, 10, "gp3", "us-east-1a")
    cloud.ebs.attach_volume(vol, instance, "/dev/sdf")
    assert code(cloud.ebs.attach_volume, vol, instance, "/dev/sdg") == "VolumeInUse"


def test_attach_to_a_terminated_instance_is_refused(cloud, instance):
    vol = ready(cloud, 10, "gp3", "us-east-1a")
    cloud.ec2.terminate_instances(instance)
    cloud.clock.advance(minutes=1)
    assert code(cloud.ebs.attach_volume, vol, instance, "/dev/sdf") == "IncorrectInstanceState"


def test_deleting_an_attached_volume_is_volume_in_use(cloud, instance):
    vol = ready(cloud, 10, "gp3", "us-east-1a")
    cloud.ebs.attach_volume(vol, instance, "/dev/sdf")
    assert code(cloud.ebs.delete_volume, vol) == "VolumeInUse"


def test_detach_returns_the_volume_available_with_its_data(cloud, instance):
    vol = ready(cloud, 10, "gp3", "us-east-1a")
    cloud.ebs.attach_volume(vol, instance, "/dev/sdf")
    vol.write(3, b"keep me")
    cloud.ebs.detach_volume(vol)
    assert vol.attachment.status == "detaching"
    cloud.clock.advance(seconds=10)
    assert (vol.state.value, vol.instance, vol.read(3)) == ("available", None, b"keep me")
    assert "/dev/sdf" not in instance.block_device_mappings


def test_root_volume_of_a_running_instance_cannot_be_detached(cloud, instance):
    root = instance.block_device_mappings[instance.root_device_name].volume_id
    assert code(cloud.ebs.detach_volume, root) == "IncorrectState"


def test_root_volume_of_a_stopped_instance_can_be_detached(cloud, instance):
    root = cloud.ebs.get_volume(instance.block_device_mappings[instance.root_device_name].volume_id)
    cloud.ec2.stop_instances(instance)
    cloud.clock.advance(minutes=1)
    cloud.ebs.detach_volume(root)
    cloud.clock.advance(seconds=10)
    assert root.state.value == "available"


def test_detach_an_unattached_volume_is_incorrect_state(cloud):
    vol = ready(cloud, 10, "gp3", "us-east-1a")
    assert code(cloud.ebs.detach_volume, vol) == "IncorrectState"


def test_detach_from_the_wrong_instance_is_attachment_not_found(cloud, instance):
    vol = ready(cloud, 10, "gp3", "us-east-1a")
    cloud.ebs.attach_volume(vol, instance, "/dev/sdf")
    assert code(cloud.ebs.detach_volume, vol, "i-0123456789abcdef0") == "InvalidAttachment.NotFound"


def test_termination_deletes_the_root_volume_and_keeps_data_volumes(cloud, instance):
    root = cloud.ebs.get_volume(instance.block_device_mappings[instance.root_device_name].volume_id)
    data = ready(cloud, 10, "gp3", "us-east-1a")
    cloud.ebs.attach_volume(data, instance, "/dev/sdf")
    cloud.clock.advance(seconds=5)
    cloud.ec2.terminate_instances(instance)
    cloud.clock.advance(minutes=1)
    assert code(cloud.ebs.get_volume, root.id) == "InvalidVolume.NotFound"
    assert (data.state.value, data.instance, instance.block_device_mappings) == ("available", None, {})


def test_delete_on_termination_can_be_set_on_a_data_volume(cloud, instance):
    data = ready(cloud, 10, "gp3", "us-east-1a")
    cloud.ebs.attach_volume(data, instance, "/dev/sdf")
    cloud.ebs.set_delete_on_termination(data, True)
    cloud.ec2.terminate_instances(instance)
    cloud.clock.advance(minutes=1)
    assert code(cloud.ebs.get_volume, data.id) == "InvalidVolume.NotFound"


# -- modifications -----------------------------------------------------------------------------
def test_modification_goes_modifying_optimizing_completed_and_grows_the_volume(cloud):
    vol = ready(cloud, 10, "gp2", "us-east-1a")
    mod = cloud.ebs.modify_volume(vol, size=20, volume_type="gp3")
    assert (mod.state, vol.size) == ("modifying", 10)
    cloud.clock.advance(seconds=15)
    assert (mod.state, vol.size, vol.volume_type.name, vol.iops) == ("optimizing", 20, "gp3", 3000)
    cloud.clock.advance(minutes=5)
    assert (mod.state, mod.progress) == ("completed", 100)


def test_volumes_only_grow(cloud):
    vol = ready(cloud, 20, "gp3", "us-east-1a")
    assert code(cloud.ebs.modify_volume, vol, size=10) == "InvalidParameterValue"


def test_a_modification_in_progress_blocks_another(cloud):
    vol = ready(cloud, 20, "gp3", "us-east-1a")
    cloud.ebs.modify_volume(vol, size=30)
    assert code(cloud.ebs.modify_volume, vol, size=40) == "IncorrectModificationState"


def test_modifications_are_six_hours_apart(cloud):
    vol = ready(cloud, 20, "gp3", "us-east-1a")
    cloud.ebs.modify_volume(vol, size=30)
    cloud.clock.advance(hours=1)
    assert code(cloud.ebs.modify_volume, vol, size=40) == "VolumeModificationRateExceeded"
    cloud.clock.advance(hours=5)
    assert cloud.ebs.modify_volume(vol, size=40).target_size == 40


def test_modification_to_io1_checks_the_new_type_s_limits(cloud):
    vol = ready(cloud, 10, "gp3", "us-east-1a")
    assert code(cloud.ebs.modify_volume, vol, volume_type="io1", iops=1000) == "InvalidParameterValue"


# -- data, snapshots and AZs ------------------------------------------------------------------------
def test_write_splits_data_into_512_kib_blocks(cloud):
    vol = ready(cloud, 1, "gp3", "us-east-1a")
    data = bytes(range(256)) * (3 * BLOCK_SIZE // 256) + b"tail"
    assert vol.write(0, data) == 4
    assert vol.read(0, 4) == data


def test_write_beyond_the_volume_is_rejected(cloud):
    vol = ready(cloud, 1, "gp3", "us-east-1a")
    assert code(vol.write, vol.block_count, b"x") == "InvalidParameterValue"


def test_write_needs_bytes(cloud):
    vol = ready(cloud, 1, "gp3", "us-east-1a")
    assert code(vol.write, 0, "text") == "InvalidParameterValue"


def test_snapshot_is_point_in_time(cloud):
    vol = ready(cloud, 1, "gp3", "us-east-1a")
    vol.write(0, b"before")
    snap = cloud.ebs.create_snapshot(vol)
    vol.write(0, b"after")
    cloud.clock.advance(minutes=5)
    assert (snap.state.value, snap.read(0)) == ("completed", b"before")


def test_snapshot_progress_rises_while_pending(cloud):
    vol = ready(cloud, 1, "gp3", "us-east-1a")
    snap = cloud.ebs.create_snapshot(vol)
    cloud.clock.advance(seconds=15)
    assert 0 < cloud.ebs.snapshot_progress(snap) < 100 and snap.state.value == "pending"


def test_snapshots_are_incremental(cloud):
    vol = ready(cloud, 1, "gp3", "us-east-1a")
    for b in range(10):
        vol.write(b, b"x%d" % b)
    first = cloud.ebs.create_snapshot(vol)
    vol.write(2, b"changed")
    vol.write(20, b"new")
    second = cloud.ebs.create_snapshot(vol)
    third = cloud.ebs.create_snapshot(vol)
    assert (first.stored_blocks, second.stored_blocks, third.stored_blocks) == (10, 2, 0)
    assert second.data_blocks == 11


def test_deleting_a_snapshot_moves_its_needed_blocks_to_the_next(cloud):
    vol = ready(cloud, 1, "gp3", "us-east-1a")
    for b in range(10):
        vol.write(b, b"x")
    first = cloud.ebs.create_snapshot(vol)
    vol.write(0, b"y")
    second = cloud.ebs.create_snapshot(vol)
    cloud.clock.advance(minutes=5)
    cloud.ebs.delete_snapshot(first)
    assert (second.stored_blocks, second.read(0, 10)) == (10, b"y" + b"x" * 9)


def test_restore_in_another_zone_round_trips_the_data_exactly(cloud):
    vol = ready(cloud, 2, "gp3", "us-east-1a")
    payload = {0: b"\x00\x01binary", 7: b"z" * BLOCK_SIZE, 4095: b"last block"}
    for b, d in payload.items():
        vol.write(b, d)
    snap = cloud.ebs.create_snapshot(vol)
    cloud.clock.advance(minutes=10)
    copy = ready(cloud, snapshot=snap, availability_zone="us-east-1c")
    assert copy.availability_zone.name == "us-east-1c" and copy.size == 2
    assert {b: copy.read(b) for b in payload} == payload


def test_restore_from_a_pending_snapshot_is_refused(cloud):
    vol = ready(cloud, 1, "gp3", "us-east-1a")
    snap = cloud.ebs.create_snapshot(vol)
    assert code(cloud.ebs.create_volume, snapshot=snap, availability_zone="us-east-1a") == "IncorrectState"


def test_restore_smaller_than_the_snapshot_is_refused(cloud):
    vol = ready(cloud, 10, "gp3", "us-east-1a")
    snap = cloud.ebs.create_snapshot(vol)
    cloud.clock.advance(minutes=5)
    assert code(cloud.ebs.create_volume, 5, snapshot=snap, availability_zone="us-east-1a") == "InvalidParameterValue"


def test_az_outage_impairs_io_without_losing_data(cloud):
    vol = ready(cloud, 1, "gp3", "us-east-1a")
    vol.write(0, b"safe")
    cloud.fail_az("us-east-1a")
    assert vol.impaired and code(vol.read, 0) == "IncorrectState"
    cloud.restore_az("us-east-1a")
    assert vol.read(0) == b"safe"


def test_snapshot_restores_elsewhere_during_an_outage(cloud):
    vol = ready(cloud, 1, "gp3", "us-east-1a")
    vol.write(0, b"data")
    snap = cloud.ebs.create_snapshot(vol)
    cloud.clock.advance(minutes=5)
    cloud.fail_az("us-east-1a")
    assert code(cloud.ebs.create_volume, snapshot=snap, availability_zone="us-east-1a") == "InsufficientVolumeCapacity"
    assert ready(cloud, snapshot=snap, availability_zone="us-east-1b").read(0) == b"data"


def test_copy_snapshot_to_another_region_and_encrypt_it(cloud):
    vol = ready(cloud, 1, "gp3", "us-east-1a")
    vol.write(0, b"abroad")
    snap = cloud.ebs.create_snapshot(vol)
    cloud.clock.advance(minutes=5)
    eu = cloud.region("eu-west-1").ebs
    copy = eu.copy_snapshot(snap.id, source_region="us-east-1", encrypted=True)
    cloud.clock.advance(minutes=5)
    restored = eu.create_volume(snapshot=copy, availability_zone="eu-west-1a")
    cloud.clock.advance(seconds=10)
    assert (copy.encrypted, restored.encrypted, restored.read(0)) == (True, True, b"abroad")


def test_copy_of_a_pending_snapshot_is_refused(cloud):
    vol = ready(cloud, 1, "gp3", "us-east-1a")
    snap = cloud.ebs.create_snapshot(vol)
    assert code(cloud.region("eu-west-1").ebs.copy_snapshot, snap.id, source_region="us-east-1") == "IncorrectState"


def test_unknown_snapshot_is_not_found(ebs):
    assert code(ebs.get_snapshot, "snap-0123456789abcdef0") == "InvalidSnapshot.NotFound"


# -- the bill ---------------------------------------------------------------------------------------
def test_gp3_monthly_cost_includes_extra_iops_and_throughput(cloud):
    vol = cloud.ebs.create_volume(100, "gp3", "us-east-1a", iops=4000, throughput=250)
    assert cloud.ebs.monthly_cost(vol) == pytest.approx(100 * 0.08 + 1000 * 0.005 + 125 * 0.04)


def test_io2_iops_are_priced_in_tiers(cloud):
    vol = cloud.ebs.create_volume(100, "io2", "us-east-1a", iops=40000)
    assert cloud.ebs.monthly_cost(vol) == pytest.approx(100 * 0.125 + 32000 * 0.065 + 8000 * 0.0455)


def test_a_month_of_gp2_storage_appears_on_the_bill():
    cloud = Cloud(seed=0)
    cloud.ebs.create_volume(100, "gp2", "us-east-1a")
    cloud.clock.advance(hours=730)
    assert cloud.bill.by_service()["ebs"] == pytest.approx(10.0)


def test_snapshot_storage_is_billed_on_stored_blocks():
    cloud = Cloud(seed=0)
    vol = ready(cloud, 1, "gp3", "us-east-1a")
    for block in range(2048):  # 2048 blocks of 512 KiB = 1 GiB stored
        vol.write(block, b"x")
    snap = cloud.ebs.create_snapshot(vol)
    cloud.clock.advance(hours=1)
    meter = snap._meter
    assert meter.rate == pytest.approx(0.05)


def test_snapshot_progress_of_an_unknown_snapshot_is_not_found(cloud):
    assert code(cloud.ebs.snapshot_progress, "snap-0000000000000000f") == "InvalidSnapshot.NotFound"
