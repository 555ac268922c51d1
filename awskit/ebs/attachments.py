"""Attaching volumes to instances, detaching them, and what happens when an instance ends.

A volume attaches to ONE instance in the SAME Availability Zone, under a device name
(``/dev/sdf`` ... ``/dev/sdp`` for data volumes).  The attachment goes ``attaching`` ->
``attached`` in a few seconds; detaching goes ``detaching`` -> gone, and the volume is
``available`` again with its data intact.  An instance's root volume can be detached only
while the instance is stopped.  When an instance terminates, volumes marked
DeleteOnTermination (the root volume, by default) are deleted and the others are detached
and kept.

The attachment record is the EC2 model's own :class:`~awskit.ec2.BlockDeviceAttachment` in
``instance.block_device_mappings[device]``; the volume points at its instance and device.
Private to :mod:`awskit.ebs`: these are methods of :class:`~awskit.ebs.EBSService`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._common import fail
from .volumes import Volume, VolumeState, VolumeType, check_device_name

if TYPE_CHECKING:
    from .service import EBSService

__all__ = ["ATTACH_SECONDS", "DETACH_SECONDS"]

ATTACH_SECONDS = 3
DETACH_SECONDS = 5


class _AttachmentOps:
    """Attachment actions of :class:`~awskit.ebs.EBSService`."""

    def attach_volume(self: EBSService, volume: Any, instance: Any, device: str) -> Volume:
        """Attach an available volume to a running or stopped instance in the same AZ.

        Raises: InvalidVolume.NotFound, InvalidInstanceID.NotFound, InvalidParameterValue
        (bad or busy device name), VolumeInUse, IncorrectState, IncorrectInstanceState,
        InvalidVolume.ZoneMismatch.

        >>> from awskit import Cloud
        >>> cloud = Cloud(seed=1)
        >>> web = cloud.ec2.run_instance(availability_zone="us-east-1a")
        >>> data = cloud.ebs.create_volume(size=20, availability_zone="us-east-1a")
        >>> cloud.clock.advance(minutes=1)
        >>> cloud.ebs.attach_volume(data, web, "/dev/sdf").attachment.status
        'attaching'
        >>> cloud.clock.advance(seconds=5); data.state.value, data.attachment.status
        ('in-use', 'attached')
        """
        from ..ec2.instances import BlockDeviceAttachment, InstanceState

        vol = self.get_volume(volume)
        inst = self.region.ec2.get_instance(instance)
        check_device_name(device)
        if vol.state is VolumeState.IN_USE:
            fail("VolumeInUse", f"{vol.id} is already attached to an instance ({vol.instance.id} as {vol.device}). "
                                "Detach it first; a volume attaches to one instance at a time.")
        if vol.state is not VolumeState.AVAILABLE:
            fail("IncorrectState", f"Volume '{vol.id}' is in the '{vol.state.value}' state; only an available "
                                   "volume can be attached.")
        if inst.state not in (InstanceState.RUNNING, InstanceState.STOPPED):
            fail("IncorrectInstanceState", f"Instance '{inst.id}' is {inst.state.value}: a volume attaches to a "
                                           "running or stopped instance.")
        if inst.availability_zone.name != vol.availability_zone.name:
            fail("InvalidVolume.ZoneMismatch",
                 f"The volume '{vol.id}' is not in the same availability zone as instance '{inst.id}' "
                 f"({vol.availability_zone.name} vs {inst.availability_zone.name}). A volume attaches only in "
                 "its own AZ: snapshot it and create a volume from the snapshot in the instance's AZ.")
        if device in inst.block_device_mappings:
            fail("InvalidParameterValue", f"Invalid value '{device}' for unixDevice. Attachment point {device} is "
                                          f"already in use on {inst.id}. Devices in use: "
                                          f"{', '.join(inst.block_device_mappings)}.")
        if device == inst.root_device_name and inst.state is not InstanceState.STOPPED:
            fail("InvalidParameterValue", f"{device} is the root device of {inst.id}: attach a root volume only "
                                          "while the instance is stopped.")
        now = self.cloud.clock.now
        inst.block_device_mappings[device] = BlockDeviceAttachment(
            volume_id=vol.id, delete_on_termination=False, attach_time=now, status="attaching",
            size_gb=vol.size, volume_type=vol.volume_type.name)
        vol.instance, vol.device, vol.state = inst, device, VolumeState.IN_USE
        vol._timer = self.cloud.clock.schedule(ATTACH_SECONDS, lambda: self._finish_attach(vol),
                                               name=f"{vol.id} attach")
        self._publish("ebs.volume.attaching", vol, instance=inst.id, device=device)
        return vol

    def _finish_attach(self: EBSService, vol: Volume) -> None:
        att = vol.attachment
        if att is not None and att.status == "attaching":
            att.status = "attached"
            self._publish("ebs.volume.attached", vol, instance=vol.instance.id, device=vol.device)

    def detach_volume(self: EBSService, volume: Any, instance: Any = None, device: str | None = None,
                      force: bool = False) -> Volume:
        """Start detaching a volume; it is ``available`` again a few seconds later.

        Raises: IncorrectState (not attached, or the root volume of an instance that is not
        stopped), InvalidAttachment.NotFound (instance or device given do not match).
        """
        from ..ec2.instances import InstanceState

        vol = self.get_volume(volume)
        if not isinstance(force, bool):
            fail("InvalidParameterValue", f"force is True or False, not {force!r}.")
        if vol.instance is None:
            fail("IncorrectState", f"Volume '{vol.id}' is in the '{vol.state.value}' state: it is not attached.")
        if instance is not None:
            inst_id = instance if isinstance(instance, str) else getattr(instance, "id", instance)
            if inst_id != vol.instance.id:
                fail("InvalidAttachment.NotFound", f"Volume '{vol.id}' is not attached to instance '{inst_id}' "
                                                   f"(it is attached to {vol.instance.id}).")
        if device is not None and device != vol.device:
            fail("InvalidAttachment.NotFound", f"Volume '{vol.id}' is not attached as '{device}' (it is "
                                               f"{vol.device}).")
        if vol.is_root and vol.instance.state not in (InstanceState.STOPPED, InstanceState.TERMINATED):
            fail("IncorrectState", f"Unable to detach root volume '{vol.id}' from instance '{vol.instance.id}': "
                                   f"the instance is {vol.instance.state.value}. Stop it first.")
        att = vol.attachment
        if att is not None and att.status != "detaching":
            att.status = "detaching"
            if vol._timer is not None:
                vol._timer.cancel()
            vol._timer = self.cloud.clock.schedule(DETACH_SECONDS, lambda: self._finish_detach(vol),
                                                   name=f"{vol.id} detach")
            self._publish("ebs.volume.detaching", vol, instance=vol.instance.id, device=vol.device)
        return vol

    def _finish_detach(self: EBSService, vol: Volume) -> None:
        vol._timer = None
        inst, device = vol.instance, vol.device
        if inst is None:
            return
        inst.block_device_mappings.pop(device, None)
        vol.instance = vol.device = None
        if vol.state is VolumeState.IN_USE:
            vol.state = VolumeState.AVAILABLE
        self._publish("ebs.volume.detached", vol, instance=inst.id, device=device)

    def set_delete_on_termination(self: EBSService, volume: Any, delete: bool) -> Volume:
        """Change an attached volume's DeleteOnTermination flag (ModifyInstanceAttribute in AWS)."""
        vol = self.get_volume(volume)
        if not isinstance(delete, bool):
            fail("InvalidParameterValue", f"DeleteOnTermination is True or False, not {delete!r}.")
        if vol.attachment is None:
            fail("IncorrectState", f"Volume '{vol.id}' is not attached, so it has no DeleteOnTermination flag.")
        vol.attachment.delete_on_termination = delete
        return vol

    # -- hooks the EC2 model calls ------------------------------------------------------------
    def _create_root_volume(self: EBSService, inst: Any, size: int, volume_type: str, tags: dict) -> Volume:
        """The root volume of a launching instance (called by ``cloud.ec2.run_instances``).

        It is created in use and attached at once: the EC2 model adds the attachment record.
        """
        vtype: VolumeType = self._volume_type(volume_type)
        vol = self._new_volume(size=size, vtype=vtype, az=inst.availability_zone, iops=vtype.iops_default,
                               throughput=vtype.throughput_default, encrypted=False, kms_key_id=None,
                               snapshot=None, tags=dict(tags or {}))
        vol.state = VolumeState.IN_USE
        vol.instance, vol.device = inst, inst.root_device_name
        self._publish("ebs.volume.created", vol, root_of=inst.id)
        return vol

    def _delete_root_volume(self: EBSService, inst: Any, att: Any) -> None:
        """A DeleteOnTermination volume of a terminating instance (called by the EC2 model)."""
        vol = self._volumes.get(att.volume_id)
        if vol is None:
            return
        vol.instance = vol.device = None
        vol.state = VolumeState.AVAILABLE
        self._begin_delete(vol)

    def _on_instance_state(self: EBSService, message) -> None:
        """A terminated instance leaves its other volumes detached and available."""
        if message.data.get("region") != self.region_name or message.data.get("new") != "terminated":
            return
        inst = self.region.ec2._instances.get(message["id"])
        if inst is None:
            return
        for device, att in list(inst.block_device_mappings.items()):
            vol = self._volumes.get(att.volume_id)
            if vol is None:
                continue
            if att.delete_on_termination:
                self._delete_root_volume(inst, att)
            else:
                vol.instance = vol.device = None
                vol.state = VolumeState.AVAILABLE
                self._publish("ebs.volume.detached", vol, instance=inst.id, device=device)
            del inst.block_device_mappings[device]
