"""EC2 API, chapter 8: EBS volumes, attachments, modifications and snapshots, as boto3 speaks them.

EBS has no client of its own: CreateVolume, AttachVolume, CreateSnapshot... are EC2
operations, so they are methods of ``awskit.client("ec2")``.  The operations translate
boto3's shapes into calls on :class:`awskit.ebs.EBSService` and its objects back into EC2's
response dictionaries.  ``CopySnapshot`` is called on the destination Region's client,
as in AWS.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..core.errors import AWSError
from ._ec2_common import NetworkClientBase, describe, ident, ident_list, tag_spec, tagged
from .base import ParamValidationError, check_type

__all__ = ["EbsOps"]


def _t(clock, t: float):
    return clock.to_datetime(t)


def attachment_shape(vol, clock) -> dict[str, Any]:
    att = vol.attachment
    return {"AttachTime": _t(clock, att.attach_time), "Device": vol.device, "InstanceId": vol.instance.id,
            "State": att.status, "VolumeId": vol.id, "DeleteOnTermination": att.delete_on_termination}


def volume_shape(vol, clock) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Attachments": [attachment_shape(vol, clock)] if vol.attachment is not None else [],
        "AvailabilityZone": vol.availability_zone.name,
        "CreateTime": _t(clock, vol.create_time),
        "Encrypted": vol.encrypted,
        "Size": vol.size,
        "SnapshotId": vol.snapshot_id,
        "State": vol.state.value,
        "VolumeId": vol.id,
        "VolumeType": vol.volume_type.name,
        "MultiAttachEnabled": False,
    }
    if vol.iops is not None:
        out["Iops"] = vol.iops
    if vol.throughput is not None:
        out["Throughput"] = vol.throughput
    if vol.encrypted:
        out["KmsKeyId"] = vol.kms_key_id
    return tagged(out, vol.tags)


def snapshot_shape(snap, svc) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Description": snap.description, "Encrypted": snap.encrypted, "OwnerId": snap.owner_id,
        "Progress": f"{svc.snapshot_progress(snap)}%", "SnapshotId": snap.id,
        "StartTime": _t(svc.cloud.clock, snap.start_time), "State": snap.state.value,
        "VolumeId": snap.volume_id, "VolumeSize": snap.volume_size, "StorageTier": "standard",
    }
    if snap.encrypted:
        out["KmsKeyId"] = snap.kms_key_id
    return tagged(out, snap.tags)


def modification_shape(mod, clock) -> dict[str, Any]:
    out: dict[str, Any] = {
        "VolumeId": mod.volume_id, "ModificationState": mod.state,
        "TargetSize": mod.target_size, "TargetVolumeType": mod.target_type,
        "OriginalSize": mod.original_size, "OriginalVolumeType": mod.original_type,
        "Progress": mod.progress, "StartTime": _t(clock, mod.start_time),
        "TargetMultiAttachEnabled": False, "OriginalMultiAttachEnabled": False,
    }
    for key, value in (("TargetIops", mod.target_iops), ("OriginalIops", mod.original_iops),
                       ("TargetThroughput", mod.target_throughput), ("OriginalThroughput", mod.original_throughput)):
        if value is not None:
            out[key] = value
    if mod.end_time is not None:
        out["EndTime"] = _t(clock, mod.end_time)
    return out


def _volume_states(r: dict) -> list[str]:
    return [v["State"] for v in r.get("Volumes", [])]


def _volumes_all(state: str, failure: str | None = None):
    def predicate(r: dict):
        states = _volume_states(r)
        if states and all(s == state for s in states):
            return True
        if failure is not None and any(s == failure for s in states):
            return "failure"
        return False
    return predicate


def _snapshots_completed(r: dict):
    states = [s["State"] for s in r.get("Snapshots", [])]
    if states and all(s == "completed" for s in states):
        return True
    return "failure" if "error" in states else False


class EbsOps(NetworkClientBase):
    """Volume and snapshot operations of :class:`~awskit.api.ec2.EC2Client`."""

    error_codes: ClassVar[tuple[str, ...]] = (
        "InvalidVolume.NotFound", "InvalidVolumeID.Malformed", "InvalidVolume.ZoneMismatch", "VolumeInUse",
        "IncorrectState", "InvalidSnapshot.NotFound", "InvalidSnapshotID.Malformed", "InvalidSnapshot.InUse",
        "InvalidAttachment.NotFound", "IncorrectModificationState", "VolumeModificationRateExceeded",
        "InsufficientVolumeCapacity", "InvalidParameterDependency",
    )
    waiters: ClassVar[dict] = {
        "volume_available": ("describe_volumes", _volumes_all("available", "deleted"), 15, 40),
        "volume_in_use": ("describe_volumes", _volumes_all("in-use", "deleted"), 15, 40),
        # botocore counts InvalidVolume.NotFound as success for this waiter: the probe turns it into "deleted".
        "volume_deleted": ("_describe_volumes_or_deleted", _volumes_all("deleted"), 15, 40),
        "snapshot_completed": ("describe_snapshots", _snapshots_completed, 15, 40),
    }
    paginators: ClassVar[dict] = {
        "describe_volumes": ("NextToken", "NextToken", "MaxResults", ("Volumes",)),
        "describe_snapshots": ("NextToken", "NextToken", "MaxResults", ("Snapshots",)),
        "describe_volume_status": ("NextToken", "NextToken", "MaxResults", ("VolumeStatuses",)),
        "describe_volumes_modifications": ("NextToken", "NextToken", "MaxResults", ("VolumesModifications",)),
    }

    @property
    def _ebs(self):
        return self._region.ebs

    # -- volumes ------------------------------------------------------------------------------
    def create_volume(self, *, AvailabilityZone: str | None = None, AvailabilityZoneId: str | None = None,
                      Size: int | None = None, VolumeType: str = "gp2", Iops: int | None = None,
                      Throughput: int | None = None, SnapshotId: str | None = None, Encrypted: bool | None = None,
                      KmsKeyId: str | None = None, TagSpecifications: list | None = None,
                      MultiAttachEnabled: bool = False, ClientToken: str | None = None,
                      DryRun: bool = False) -> dict[str, Any]:
        """Create a volume in one Availability Zone.

        As in the EC2 API, the default VolumeType is gp2 (the console and ``cloud.ebs`` default to gp3).
        """
        self._dry_run(DryRun)
        zone = AvailabilityZone if AvailabilityZone is not None else AvailabilityZoneId
        if zone is None:
            raise AWSError("MissingParameter", "The request must contain the parameter AvailabilityZone or "
                                               "AvailabilityZoneId: a volume lives in one zone.")
        check_type("AvailabilityZone", zone, str)
        check_type("VolumeType", VolumeType, str)
        if MultiAttachEnabled:
            raise AWSError("UnsupportedOperation", "Multi-Attach is not modelled by awskit.", status=400)
        for name, value in (("Size", Size), ("Iops", Iops), ("Throughput", Throughput)):
            if value is not None:
                check_type(name, value, int)
        if Encrypted is not None:
            check_type("Encrypted", Encrypted, bool)
        vol = self._ebs.create_volume(Size, VolumeType, zone, iops=Iops, throughput=Throughput,
                                      snapshot=ident("SnapshotId", SnapshotId) if SnapshotId is not None else None,
                                      encrypted=Encrypted, kms_key_id=KmsKeyId,
                                      tags=tag_spec(TagSpecifications, "volume"))
        return volume_shape(vol, self._cloud.clock)

    def _volume_getters(self) -> dict[str, Any]:
        def att(key):
            return lambda v: (None if v.attachment is None else {
                "instance-id": v.instance.id, "device": v.device, "status": v.attachment.status,
                "delete-on-termination": v.attachment.delete_on_termination,
            }[key])
        return {
            "volume-id": lambda v: v.id, "status": lambda v: v.state.value,
            "availability-zone": lambda v: v.availability_zone.name, "volume-type": lambda v: v.volume_type.name,
            "size": lambda v: v.size, "encrypted": lambda v: v.encrypted, "snapshot-id": lambda v: v.snapshot_id,
            "attachment.instance-id": att("instance-id"), "attachment.device": att("device"),
            "attachment.status": att("status"), "attachment.delete-on-termination": att("delete-on-termination"),
            "multi-attach-enabled": lambda v: False,
        }

    def describe_volumes(self, *, VolumeIds: list[str] | None = None, Filters: list | None = None,
                         MaxResults: int | None = None, NextToken: str | None = None,
                         DryRun: bool = False) -> dict[str, Any]:
        """Volumes of this Region, by id and/or filter."""
        self._dry_run(DryRun)
        clock = self._cloud.clock
        return describe(items=lambda: self._ebs.volumes, ids=VolumeIds, id_param="VolumeIds",
                        lookup=self._ebs.get_volume, filters=Filters, getters=self._volume_getters(),
                        shape=lambda v: volume_shape(v, clock), result_key="Volumes", max_results=MaxResults,
                        next_token=NextToken)

    def _describe_volumes_or_deleted(self, **kwargs: Any) -> dict[str, Any]:
        """DescribeVolumes for the volume_deleted waiter: a volume that is gone counts as deleted."""
        try:
            return self.describe_volumes(**kwargs)
        except AWSError as err:
            if err.code == "InvalidVolume.NotFound":
                return {"Volumes": [{"State": "deleted"}]}
            raise

    def delete_volume(self, *, VolumeId: str, DryRun: bool = False) -> dict[str, Any]:
        self._dry_run(DryRun)
        self._ebs.delete_volume(ident("VolumeId", VolumeId))
        return {}

    def describe_volume_status(self, *, VolumeIds: list[str] | None = None, Filters: list | None = None,
                               MaxResults: int | None = None, NextToken: str | None = None,
                               DryRun: bool = False) -> dict[str, Any]:
        """Each volume's I/O status: ``impaired`` while its Availability Zone is down."""
        self._dry_run(DryRun)

        def shape(v) -> dict[str, Any]:
            status = "impaired" if v.impaired else "ok"
            return {"AvailabilityZone": v.availability_zone.name, "VolumeId": v.id, "Actions": [], "Events": [],
                    "VolumeStatus": {"Status": status, "Details": [
                        {"Name": "io-enabled", "Status": "failed" if v.impaired else "passed"},
                        {"Name": "io-performance", "Status": "not-applicable"}]}}
        return describe(items=lambda: self._ebs.volumes, ids=VolumeIds, id_param="VolumeIds",
                        lookup=self._ebs.get_volume, filters=Filters,
                        getters={"volume-status.status": lambda v: "impaired" if v.impaired else "ok",
                                 "availability-zone": lambda v: v.availability_zone.name},
                        shape=shape, result_key="VolumeStatuses", max_results=MaxResults, next_token=NextToken)

    # -- attachments -----------------------------------------------------------------------------
    def attach_volume(self, *, Device: str, InstanceId: str, VolumeId: str, DryRun: bool = False) -> dict[str, Any]:
        self._dry_run(DryRun)
        check_type("Device", Device, str)
        vol = self._ebs.attach_volume(ident("VolumeId", VolumeId), ident("InstanceId", InstanceId), Device)
        shape = attachment_shape(vol, self._cloud.clock)
        shape.pop("DeleteOnTermination")
        return shape

    def detach_volume(self, *, VolumeId: str, InstanceId: str | None = None, Device: str | None = None,
                      Force: bool = False, DryRun: bool = False) -> dict[str, Any]:
        self._dry_run(DryRun)
        check_type("Force", Force, bool)
        if InstanceId is not None:
            ident("InstanceId", InstanceId)
        if Device is not None:
            check_type("Device", Device, str)
        vol = self._ebs.detach_volume(ident("VolumeId", VolumeId), InstanceId, Device, force=Force)
        shape = attachment_shape(vol, self._cloud.clock)
        shape.pop("DeleteOnTermination")
        return shape

    # -- modifications ---------------------------------------------------------------------------
    def modify_volume(self, *, VolumeId: str, Size: int | None = None, VolumeType: str | None = None,
                      Iops: int | None = None, Throughput: int | None = None,
                      MultiAttachEnabled: bool | None = None, DryRun: bool = False) -> dict[str, Any]:
        self._dry_run(DryRun)
        for name, value in (("Size", Size), ("Iops", Iops), ("Throughput", Throughput)):
            if value is not None:
                check_type(name, value, int)
        if MultiAttachEnabled:
            raise AWSError("UnsupportedOperation", "Multi-Attach is not modelled by awskit.", status=400)
        mod = self._ebs.modify_volume(ident("VolumeId", VolumeId), size=Size, volume_type=VolumeType,
                                      iops=Iops, throughput=Throughput)
        return {"VolumeModification": modification_shape(mod, self._cloud.clock)}

    def describe_volumes_modifications(self, *, VolumeIds: list[str] | None = None, Filters: list | None = None,
                                       MaxResults: int | None = None, NextToken: str | None = None,
                                       DryRun: bool = False) -> dict[str, Any]:
        self._dry_run(DryRun)
        clock = self._cloud.clock
        ids = ident_list("VolumeIds", VolumeIds) if VolumeIds is not None else None
        mods = self._ebs.describe_volumes_modifications(ids)
        by_id = {m.volume_id: m for m in mods}
        return describe(items=lambda: mods, ids=None, id_param="VolumeIds", lookup=by_id.get, filters=Filters,
                        getters={"volume-id": lambda m: m.volume_id, "modification-state": lambda m: m.state,
                                 "target-volume-type": lambda m: m.target_type,
                                 "original-volume-type": lambda m: m.original_type},
                        shape=lambda m: modification_shape(m, clock), result_key="VolumesModifications",
                        max_results=MaxResults, next_token=NextToken)

    # -- snapshots -------------------------------------------------------------------------------
    def create_snapshot(self, *, VolumeId: str, Description: str = "", TagSpecifications: list | None = None,
                        OutpostArn: str | None = None, Location: str | None = None,
                        DryRun: bool = False) -> dict[str, Any]:
        self._dry_run(DryRun)
        check_type("Description", Description, str)
        snap = self._ebs.create_snapshot(ident("VolumeId", VolumeId), Description,
                                         tag_spec(TagSpecifications, "snapshot"))
        return snapshot_shape(snap, self._ebs)

    def describe_snapshots(self, *, SnapshotIds: list[str] | None = None, OwnerIds: list[str] | None = None,
                           RestorableByUserIds: list[str] | None = None, Filters: list | None = None,
                           MaxResults: int | None = None, NextToken: str | None = None,
                           DryRun: bool = False) -> dict[str, Any]:
        """The account's snapshots (awskit models no public or shared snapshots)."""
        self._dry_run(DryRun)
        svc = self._ebs
        items = svc.snapshots
        if OwnerIds is not None:
            wanted = ident_list("OwnerIds", OwnerIds)
            mine = {"self", self._cloud.account_id}
            items = items if any(o in mine for o in wanted) else []
        return describe(items=lambda: items, ids=SnapshotIds, id_param="SnapshotIds", lookup=svc.get_snapshot,
                        filters=Filters, getters={
                            "snapshot-id": lambda s: s.id, "volume-id": lambda s: s.volume_id,
                            "status": lambda s: s.state.value, "owner-id": lambda s: s.owner_id,
                            "description": lambda s: s.description, "encrypted": lambda s: s.encrypted,
                            "volume-size": lambda s: s.volume_size,
                            "progress": lambda s: f"{svc.snapshot_progress(s)}%"},
                        shape=lambda s: snapshot_shape(s, svc), result_key="Snapshots", max_results=MaxResults,
                        next_token=NextToken)

    def delete_snapshot(self, *, SnapshotId: str, DryRun: bool = False) -> dict[str, Any]:
        self._dry_run(DryRun)
        self._ebs.delete_snapshot(ident("SnapshotId", SnapshotId))
        return {}

    def copy_snapshot(self, *, SourceRegion: str, SourceSnapshotId: str, Description: str = "",
                      Encrypted: bool | None = None, KmsKeyId: str | None = None,
                      TagSpecifications: list | None = None, DestinationRegion: str | None = None,
                      PresignedUrl: str | None = None, DryRun: bool = False) -> dict[str, Any]:
        """Copy a snapshot INTO this client's Region from ``SourceRegion``."""
        self._dry_run(DryRun)
        check_type("SourceRegion", SourceRegion, str)
        if Encrypted is not None:
            check_type("Encrypted", Encrypted, bool)
        if SourceRegion not in self._cloud.regions:
            raise ParamValidationError(f"Invalid SourceRegion {SourceRegion!r}: a Region code such as 'us-east-1'.")
        snap = self._ebs.copy_snapshot(ident("SourceSnapshotId", SourceSnapshotId), SourceRegion,
                                       description=Description, encrypted=Encrypted, kms_key_id=KmsKeyId,
                                       tags=tag_spec(TagSpecifications, "snapshot"))
        out: dict[str, Any] = {"SnapshotId": snap.id}
        if snap.tags:
            out["Tags"] = [{"Key": k, "Value": v} for k, v in snap.tags.items()]
        return out
