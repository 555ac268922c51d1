"""Launching instances and moving them through their states on the simulated clock.

Private to :mod:`awskit.ec2`: the actions here are methods of
:class:`~awskit.ec2.EC2Service` (``cloud.ec2.run_instances(...)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._common import check_tags, fail, listing
from .instances import (
    BOOT_SECONDS,
    OS_SHUTDOWN,
    SHUTDOWN_SECONDS,
    STATUS_CHECK_SECONDS,
    STOP_SECONDS,
    TERMINATED_VISIBLE_SECONDS,
    USER_SHUTDOWN,
    BlockDeviceAttachment,
    Instance,
    InstanceState,
    InterfaceAttachment,
    Reservation,
    StateReason,
)

if TYPE_CHECKING:
    from .service import EC2Service

S = InstanceState

#: Default On-Demand vCPU quotas per quota class.  AWS sets these per account and Region
#: (new accounts often start lower, and AWS raises them with use); awskit fixes them at
#: values that let a course run and lets you change them: ``cloud.ec2.vcpu_quotas["standard"] = 8``.
DEFAULT_VCPU_QUOTAS = {"standard": 32, "G": 8, "P": 8, "Inf": 8}
_QUOTA_NAMES = {"standard": "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances",
                "G": "Running On-Demand G and VT instances", "P": "Running On-Demand P instances",
                "Inf": "Running On-Demand Inf instances"}
#: Raw user data may be at most 16 KB.
USER_DATA_MAX = 16 * 1024
#: States in which an instance counts against the vCPU quota.
_COUNTED = (S.PENDING, S.RUNNING, S.STOPPING, S.SHUTTING_DOWN)


def _reason_text(what: str, t: str) -> str:
    return f"{what} ({t} GMT)"


class _InstanceOps:
    """Instance actions of :class:`~awskit.ec2.EC2Service`."""

    # -- lookups ------------------------------------------------------------------------------
    @property
    def instances(self: EC2Service) -> list[Instance]:
        """Every instance still visible (terminated ones for an hour), in launch order."""
        return list(self._instances.values())

    def get_instance(self: EC2Service, instance: Any) -> Instance:
        """An instance by id or object.

        Raises: InvalidInstanceID.Malformed, InvalidInstanceID.NotFound.
        """
        if isinstance(instance, Instance):
            if self._instances.get(instance.id) is instance:
                return instance
            instance = instance.id
        if not isinstance(instance, str):
            fail("InvalidParameterValue", f"Expected an instance or its id ('i-...'), got {instance!r}.")
        prefix, _, body = instance.partition("-")
        if prefix != "i" or len(body) not in (8, 17) or not all(c in "0123456789abcdef" for c in body):
            fail("InvalidInstanceID.Malformed",
                 f"Invalid id: {instance!r} (expecting 'i-' followed by 8 or 17 hex digits).")
        found = self._instances.get(instance)
        if found is None:
            fail("InvalidInstanceID.NotFound",
                 f"The instance ID '{instance}' does not exist. Instances in {self.region_name}: "
                 f"{listing(self._instances)}.")
        return found

    def vcpus_in_use(self: EC2Service, quota_class: str = "standard") -> int:
        return sum(i.instance_type.vcpus for i in self._instances.values()
                   if i.state in _COUNTED and i.instance_type.quota_class == quota_class)

    # -- launching ----------------------------------------------------------------------------
    def run_instance(self: EC2Service, image: Any = None, instance_type: Any = "t3.micro", **kwargs: Any) -> Instance:
        """Launch one instance (see :meth:`run_instances`) and return it."""
        return self.run_instances(image, instance_type, **kwargs).instances[0]

    def run_instances(self: EC2Service, image: Any = None, instance_type: Any = "t3.micro", *,
                      min_count: int = 1, max_count: int | None = None, subnet: Any = None,
                      security_groups: Any = None, security_group_names: Any = None, key_name: Any = None,
                      user_data: str | bytes | None = None, tags: dict[str, str] | None = None,
                      volume_tags: dict[str, str] | None = None, iam_instance_profile: Any = None,
                      associate_public_ip: bool | None = None, private_ip_address: str | None = None,
                      availability_zone: str | None = None, shutdown_behavior: str = "stop",
                      disable_api_termination: bool = False, monitoring: bool = False,
                      ebs_optimized: bool = False, root_volume_size: int | None = None,
                      delete_root_on_termination: bool = True) -> Reservation:
        """Launch ``min_count`` to ``max_count`` instances; they start ``pending``.

        Args:
            image: an AMI (object or ``ami-`` id); default: the newest Amazon Linux 2023 for the
                type's architecture.
            instance_type: e.g. ``"t3.micro"`` (see :data:`awskit.ec2.INSTANCE_TYPES`).
            subnet: where to place them; default: a default subnet of the default VPC.
            security_groups: group objects or ids of the subnet's VPC (default: its default group).
            security_group_names: group names, default VPC only.
            key_name: the key pair whose public key is installed for SSH.
            user_data: a script run at first boot (raw text; boto3 base64-encodes it for you).
            associate_public_ip: override the subnet's auto-assign setting.

        Raises:
            InvalidAMIID.*, InvalidParameterValue, InvalidParameterCombination,
            InvalidKeyPair.NotFound, InvalidSubnetID.NotFound, InvalidGroup.NotFound,
            VPCIdNotSpecified, VcpuLimitExceeded, InsufficientInstanceCapacity,
            InsufficientFreeAddressesInSubnet.
        """
        itype = self._instance_type(instance_type, "InvalidParameterValue")
        if image is None:
            image = self.find_image("al2023-ami-*", itype.architectures[-1])
        image = self.get_image(image)
        if image.architecture not in itype.architectures:
            fail("InvalidParameterValue",
                 f"The architecture '{'/'.join(itype.architectures)}' of the specified instance type "
                 f"{itype.name} does not match the architecture '{image.architecture}' of the specified AMI "
                 f"{image.id}. Pick an instance type and an AMI of the same architecture.")
        if not image.ebs_backed and itype.instance_storage is None:
            fail("InvalidParameterCombination",
                 f"{image.id} is instance-store backed: its root device lives on instance storage, which "
                 f"{itype.name} does not have. Use a type with instance storage (e.g. i3.large) or an EBS-backed AMI.")
        max_count = min_count if max_count is None else max_count
        for name, value in (("MinCount", min_count), ("MaxCount", max_count)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                fail("InvalidParameterValue", f"Value ({value!r}) for parameter {name} is invalid: "
                                              "a whole number of at least 1.")
        if min_count > max_count:
            fail("InvalidParameterValue", f"MinCount ({min_count}) must be less than or equal to "
                                          f"MaxCount ({max_count}).")
        if shutdown_behavior not in ("stop", "terminate"):
            fail("InvalidParameterValue", f"Instance-initiated shutdown behavior {shutdown_behavior!r} is "
                                          "invalid: use 'stop' or 'terminate'.")
        if not image.ebs_backed and shutdown_behavior == "stop":
            shutdown_behavior = "terminate"  # an instance-store instance cannot stop
        for name, value in (("disable_api_termination", disable_api_termination), ("monitoring", monitoring),
                            ("ebs_optimized", ebs_optimized), ("delete_root_on_termination",
                                                               delete_root_on_termination)):
            if not isinstance(value, bool):
                fail("InvalidParameterValue", f"{name} is True or False, not {value!r}.")
        if associate_public_ip is not None and not isinstance(associate_public_ip, bool):
            fail("InvalidParameterValue", f"associate_public_ip is True, False or None, not {associate_public_ip!r}.")
        tags, volume_tags = check_tags(tags), check_tags(volume_tags)
        if isinstance(user_data, bytes):
            user_data = user_data.decode("utf-8", errors="replace")
        if user_data is not None:
            if not isinstance(user_data, str):
                fail("InvalidParameterValue", f"User data is text (a script), not {type(user_data).__name__}.")
            if len(user_data.encode()) > USER_DATA_MAX:
                fail("InvalidParameterValue", f"User data is limited to {USER_DATA_MAX} bytes; this is "
                                              f"{len(user_data.encode())}.")
        size = image.root_volume_size if root_volume_size is None else root_volume_size
        if isinstance(size, bool) or not isinstance(size, int) or size < image.root_volume_size:
            fail("InvalidBlockDeviceMapping",
                 f"Volume of size {size!r}GB is smaller than snapshot of {image.id}, expect size >= "
                 f"{image.root_volume_size}GB.")
        key_pair = self.get_key_pair(key_name) if key_name is not None else None
        profile = self._instance_profile(iam_instance_profile)
        # -- where ---------------------------------------------------------------------------
        net = self.region.vpc
        subnet = self._launch_subnet(subnet, availability_zone)
        vpc = subnet.vpc
        if security_group_names is not None:
            if not vpc.is_default:
                fail("InvalidParameterCombination",
                     "The parameter groupName cannot be used with the parameter subnet: in a non-default VPC, "
                     "name security groups by id (security_groups=[...]).")
            if not isinstance(security_group_names, (str, list, tuple, set, frozenset)):
                fail("InvalidParameterValue", f"security_group_names is a list of security group names such as "
                                              f"['default'], not {security_group_names!r}.")
            names = [security_group_names] if isinstance(security_group_names, str) else list(security_group_names)
            groups = [net.security_group_by_name(vpc, n) for n in names]
            if security_groups is not None:
                groups += (list(security_groups) if isinstance(security_groups, (list, tuple, set, frozenset))
                           else [security_groups])
        else:
            groups = security_groups if security_groups is not None else [vpc.default_security_group]
        groups = net._groups_for(vpc, groups)
        if private_ip_address is not None and max_count > 1:
            fail("InvalidParameterCombination",
                 "A fixed private IP address can be given only when launching exactly one instance.")
        az = subnet.availability_zone
        if az.name in self.cloud.failed_azs:
            fail("InsufficientInstanceCapacity",
                 f"We currently do not have sufficient {itype.name} capacity in the Availability Zone you "
                 f"requested ({az.name}). Launch in another Availability Zone (a subnet elsewhere).")
        # -- how many -------------------------------------------------------------------------
        quota = self.vcpu_quotas.get(itype.quota_class, 0)
        used = self.vcpus_in_use(itype.quota_class)
        fits = (quota - used) // itype.vcpus if itype.vcpus else max_count
        if fits < min_count:
            fail("VcpuLimitExceeded",
                 f"You have requested more vCPU capacity than your current vCPU limit of {quota} allows for the "
                 f"instance bucket that the specified instance type belongs to ({_QUOTA_NAMES[itype.quota_class]}"
                 f": {used} in use, {min_count} x {itype.vcpus} requested). Stop or terminate instances, or "
                 "request a quota increase.")
        count = min(max_count, fits)
        free = subnet.available_ip_address_count
        if free < min_count:
            fail("InsufficientFreeAddressesInSubnet",
                 f"Subnet {subnet.id} ({subnet.cidr_block}) has {free} free addresses; {min_count} needed.")
        count = min(count, free)
        wants_public = subnet.map_public_ip_on_launch if associate_public_ip is None else associate_public_ip
        # -- launch ------------------------------------------------------------------------------
        reservation = Reservation(id=self.cloud.ids.new("r"), owner_id=self.cloud.account_id)
        for index in range(count):
            eni = net.create_network_interface(subnet, groups=groups, private_ip_address=private_ip_address,
                                               description="")
            inst = Instance(id=self.cloud.ids.new("i"), owner_id=self.cloud.account_id, region=self.region_name,
                            tags=dict(tags), service=self, image=image, instance_type=itype,
                            reservation=reservation, subnet=subnet, launch_index=index,
                            launch_time=self.cloud.clock.now, key_pair=key_pair,
                            key_name=key_pair.name if key_pair else None, primary_network_interface=eni,
                            auto_public_ip=wants_public, user_data=user_data, iam_instance_profile=profile,
                            monitoring=monitoring, disable_api_termination=disable_api_termination,
                            shutdown_behavior=shutdown_behavior, ebs_optimized=ebs_optimized,
                            root_device_name=image.root_device_name)
            eni.attachment = InterfaceAttachment(id=self.cloud.ids.new("eni-attach"), instance=inst,
                                                 attach_time=self.cloud.clock.now)
            inst._private_ip = eni.private_ip_address
            self._instances[inst.id] = inst
            reservation.instances.append(inst)
            self._create_root_volume(inst, size, delete_root_on_termination, volume_tags)
            if wants_public:
                self._give_public_ip(inst)
            self._set_state(inst, S.PENDING, reason=StateReason("pending", "pending"), publish_old=None)
            boot = self.cloud.rng.uniform(*BOOT_SECONDS)
            inst._timer = self.cloud.clock.schedule(round(boot, 1), lambda i=inst: self._finish_boot(i),
                                                    name=f"{inst.id} boot")
        self._reservations[reservation.id] = reservation
        self._ensure_metrics()
        return reservation

    def _launch_subnet(self: EC2Service, subnet: Any, availability_zone: Any):
        net = self.region.vpc
        if subnet is not None:
            subnet = net.get_subnet(subnet)
            if availability_zone is not None and availability_zone != subnet.availability_zone.name:
                fail("InvalidParameterValue",
                     f"Value ({availability_zone}) for parameter availabilityZone is invalid. Subnet "
                     f"'{subnet.id}' is in the availability zone {subnet.availability_zone.name}.")
            return subnet
        vpc = net.default_vpc
        if vpc is None:
            fail("VPCIdNotSpecified", f"No default VPC for this user in {self.region_name}: give a subnet.")
        defaults = [s for s in vpc.subnets if s.default_for_az]
        if availability_zone is not None:
            names = [a.name for a in self.region.availability_zones]
            if availability_zone not in names:
                fail("InvalidParameterValue", f"Invalid availability zone: [{availability_zone}]. "
                                              f"Zones in {self.region_name}: {', '.join(names)}.")
            defaults = [s for s in defaults if s.availability_zone.name == availability_zone]
        else:
            # EC2 picks a healthy zone for you.
            defaults = [s for s in defaults if s.availability_zone.name not in self.cloud.failed_azs] or defaults
        if not defaults:
            fail("InvalidParameterValue", f"The default VPC has no default subnet in {availability_zone}: "
                                          "give a subnet.")
        return defaults[0]

    def _instance_profile(self: EC2Service, profile: Any) -> Any:
        """Resolve an IAM instance profile given as a name, an ARN or an object (via cloud.iam)."""
        if profile is None:
            return None
        if isinstance(profile, dict):
            profile = profile.get("Arn") or profile.get("Name")
        iam = self.cloud.iam
        key = "arn" if isinstance(profile, str) and profile.startswith("arn:") else "name"
        try:
            return iam.get_instance_profile(profile.rsplit("/", 1)[-1] if key == "arn" else profile)
        except Exception:  # noqa: BLE001 - whatever IAM says, EC2 answers with its own code
            known = ", ".join(p.name for p in getattr(iam, "instance_profiles", {}).values()) or "none"
            fail("InvalidParameterValue",
                 f"Value ({profile!r}) for parameter iamInstanceProfile.{key} is invalid. Invalid IAM Instance "
                 f"Profile {'ARN' if key == 'arn' else 'name'}. Instance profiles: {known}.")

    def _create_root_volume(self: EC2Service, inst: Instance, size: int, delete: bool, tags: dict) -> None:
        """The root device.  HOOK FOR THE EBS MODEL: when ``cloud.ebs`` is registered it is
        asked for the root volume through ``_create_root_volume(instance, size_gb, volume_type,
        tags)`` returning a volume with an ``id``; otherwise only the attachment record exists,
        with a reserved ``vol-`` id the EBS model can adopt."""
        if not inst.image.ebs_backed:
            return
        from ..cloud import REGIONAL_SERVICES

        volume_id = None
        if "ebs" in REGIONAL_SERVICES:
            ebs = self.region.ebs
            hook = getattr(ebs, "_create_root_volume", None)
            if hook is not None:
                volume_id = hook(inst, size, "gp3", tags).id
        if volume_id is None:
            volume_id = self.cloud.ids.new("vol")
        inst.block_device_mappings[inst.root_device_name] = BlockDeviceAttachment(
            volume_id=volume_id, delete_on_termination=delete, attach_time=self.cloud.clock.now,
            status="attached", size_gb=size)

    # -- public addresses and the bill ------------------------------------------------------
    def _give_public_ip(self: EC2Service, inst: Instance) -> None:
        eni = inst.primary_network_interface
        if eni is None or eni.public_ip is not None or eni.vpc.internet_gateway is None:
            return  # without an internet gateway, awskit gives no public address (documented)
        ip = self.region.vpc.associate_public_ip(eni)
        self._ip_meters[eni.id] = self.cloud.bill.start_meter("vpc", str(ip), "public IPv4 address-hours",
                                                              hourly=self.PUBLIC_IPV4_HOURLY)

    def _drop_public_ip(self: EC2Service, inst: Instance) -> None:
        eni = inst.primary_network_interface
        if eni is None or eni.id in self._address_by_eni:
            return  # an Elastic IP stays with the instance
        self.region.vpc.release_public_ip(eni)
        self.cloud.bill.stop_meter(self._ip_meters.pop(eni.id, None))

    def _start_billing(self: EC2Service, inst: Instance) -> None:
        itype = inst.instance_type
        rate = itype.hourly_price
        if inst.platform == "windows":
            from .catalog import WINDOWS_LICENSE_PER_VCPU_HOUR

            rate += itype.vcpus * WINDOWS_LICENSE_PER_VCPU_HOUR * (0.1 if itype.burstable else 1.0)
        inst._running_since = self.cloud.clock.now
        inst._meter = self.cloud.bill.start_meter("ec2", inst.id, f"{itype.name} instance-hours "
                                                  f"({inst.image.platform_details})", hourly=rate)

    def _stop_billing(self: EC2Service, inst: Instance) -> None:
        meter = inst._meter
        if meter is None:
            return
        self.cloud.bill.stop_meter(meter)
        ran = self.cloud.clock.now - (inst._running_since or self.cloud.clock.now)
        if ran < 60:  # per-second billing, with a minimum of one minute each time it runs
            self.cloud.bill.charge("ec2", inst.id, "minimum of 60 seconds per run", meter.rate * (60 - ran) / 3600)
        inst._meter = None
        inst._running_since = None

    # -- state machine -----------------------------------------------------------------------
    def _set_state(self: EC2Service, inst: Instance, new: InstanceState, *, reason: StateReason | None = None,
                   transition: str | None = None, publish_old: Any = ...) -> None:
        old = inst.state if publish_old is ... else publish_old
        inst.state = new
        inst.state_reason = reason
        if transition is not None:
            inst.state_transition_reason = transition
        running = new is S.RUNNING
        if not running:
            inst.system_status = inst.instance_status = "not-applicable"
        self.cloud.events.publish("ec2.instance.state", id=inst.id, old=str(old) if old else None, new=str(new),
                                  region=self.region_name, az=inst.availability_zone.name)

    def _finish_boot(self: EC2Service, inst: Instance) -> None:
        if inst.state is not S.PENDING:
            return
        self._set_state(inst, S.RUNNING)
        inst.system_status = inst.instance_status = "initializing"
        self._start_billing(inst)
        inst._timer = self.cloud.clock.schedule(STATUS_CHECK_SECONDS, lambda: self._checks_pass(inst),
                                                name=f"{inst.id} status checks")

    def _checks_pass(self: EC2Service, inst: Instance) -> None:
        if inst.state is S.RUNNING:
            status = "impaired" if inst.az_down else "ok"
            inst.system_status = inst.instance_status = status

    def _cancel_timer(self: EC2Service, inst: Instance) -> None:
        if inst._timer is not None:
            inst._timer.cancel()
            inst._timer = None

    def _now_text(self: EC2Service) -> str:
        return self.cloud.clock.datetime.strftime("%Y-%m-%d %H:%M:%S")

    def _instances_arg(self: EC2Service, instances: Any) -> list[Instance]:
        if isinstance(instances, (str, Instance)):
            instances = [instances]
        if not isinstance(instances, (list, tuple)) or not instances:
            fail("InvalidParameterValue", f"Give one or more instances or ids, not {instances!r}.")
        return [self.get_instance(i) for i in instances]

    def start_instances(self: EC2Service, instances: Any) -> list[tuple[Instance, InstanceState, InstanceState]]:
        """Start stopped instances (EBS-backed).  Returns ``(instance, previous, current)`` triples.

        A started instance gets a new public IPv4 address unless an Elastic IP is associated.

        Raises: IncorrectInstanceState (stopping, shutting-down, terminated),
        UnsupportedOperation (instance-store root), VcpuLimitExceeded.
        """
        targets = self._instances_arg(instances)
        for inst in targets:
            if inst.state in (S.STOPPING, S.SHUTTING_DOWN, S.TERMINATED):
                fail("IncorrectInstanceState",
                     f"The instance '{inst.id}' is not in a state from which it can be started (it is "
                     f"{inst.state}).{' Wait until it is stopped.' if inst.state is S.STOPPING else ''}")
        need: dict[str, int] = {}
        for inst in targets:
            if inst.state is S.STOPPED:
                need[inst.instance_type.quota_class] = need.get(inst.instance_type.quota_class, 0) + inst.instance_type.vcpus
        for qclass, vcpus in need.items():
            quota, used = self.vcpu_quotas.get(qclass, 0), self.vcpus_in_use(qclass)
            if used + vcpus > quota:
                fail("VcpuLimitExceeded", f"Starting these instances needs {vcpus} vCPUs; {used} of your "
                                          f"{quota} ({_QUOTA_NAMES[qclass]}) are in use.")
        out = []
        for inst in targets:
            prev = inst.state
            if prev is S.STOPPED:
                if inst.az_down:
                    fail("InsufficientInstanceCapacity",
                         f"Insufficient capacity in {inst.availability_zone.name} to start {inst.id}: its "
                         "Availability Zone is down. Try again once it recovers.")
                self._set_state(inst, S.PENDING, reason=None, transition="")
                if inst.auto_public_ip:
                    self._give_public_ip(inst)
                inst._timer = self.cloud.clock.schedule(round(self.cloud.rng.uniform(*BOOT_SECONDS), 1),
                                                        lambda i=inst: self._finish_boot(i), name=f"{inst.id} boot")
            out.append((inst, prev, inst.state))
        return out

    def stop_instances(self: EC2Service, instances: Any, *, force: bool = False,
                       _reason: StateReason = USER_SHUTDOWN) -> list[tuple[Instance, InstanceState, InstanceState]]:
        """Stop running instances: billing stops, the public IP (not an Elastic IP) is released and
        instance-store data is lost; the EBS root volume is kept.

        Raises: UnsupportedOperation (instance-store root), IncorrectInstanceState (pending,
        shutting-down, terminated).
        """
        targets = self._instances_arg(instances)
        for inst in targets:
            if not inst.ebs_backed:
                fail("UnsupportedOperation",
                     f"The instance '{inst.id}' does not have an 'ebs' root device type and cannot be stopped: "
                     "its root disk is instance storage. Reboot or terminate it instead.")
            if inst.state in (S.PENDING, S.SHUTTING_DOWN, S.TERMINATED):
                fail("IncorrectInstanceState",
                     f"The instance '{inst.id}' is not in a state from which it can be stopped (it is "
                     f"{inst.state}).{' Wait until it is running.' if inst.state is S.PENDING else ''}")
        out = []
        for inst in targets:
            prev = inst.state
            if prev is S.RUNNING:
                self._cancel_timer(inst)
                self._stop_billing(inst)
                who = "User initiated" if _reason is USER_SHUTDOWN else "Instance initiated"
                self._set_state(inst, S.STOPPING, reason=_reason,
                                transition=_reason_text(f"{who} shutdown", self._now_text()))
                inst._timer = self.cloud.clock.schedule(STOP_SECONDS, lambda i=inst: self._finish_stop(i),
                                                        name=f"{inst.id} stop")
            out.append((inst, prev, inst.state))
        return out

    def _finish_stop(self: EC2Service, inst: Instance) -> None:
        if inst.state is not S.STOPPING:
            return
        inst._timer = None
        self._drop_public_ip(inst)
        inst.ephemeral_data.clear()  # the instance store belonged to the old host
        self._set_state(inst, S.STOPPED, reason=inst.state_reason)

    def reboot_instances(self: EC2Service, instances: Any) -> None:
        """Reboot: the instance stays running on the same host and keeps its addresses and its
        instance-store data.  Raises: IncorrectInstanceState unless pending or running."""
        targets = self._instances_arg(instances)
        for inst in targets:
            if inst.state not in (S.PENDING, S.RUNNING):
                fail("IncorrectInstanceState", f"The instance '{inst.id}' is {inst.state}; only a running "
                                               "instance can be rebooted.")
        for inst in targets:
            self.cloud.events.publish("ec2.instance.rebooted", id=inst.id, region=self.region_name)

    def terminate_instances(self: EC2Service, instances: Any) -> list[tuple[Instance, InstanceState, InstanceState]]:
        """Terminate for good: the network interface and its addresses go, the root volume is
        deleted when DeleteOnTermination is set; the instance shows as terminated for an hour.

        Raises: OperationNotPermitted (termination protection is on).
        """
        targets = self._instances_arg(instances)
        for inst in targets:
            if inst.disable_api_termination and inst.state is not S.TERMINATED:
                fail("OperationNotPermitted",
                     f"The instance '{inst.id}' may not be terminated. Modify its 'disableApiTermination' "
                     "instance attribute and try again.")
        out = []
        for inst in targets:
            prev = inst.state
            if prev not in (S.SHUTTING_DOWN, S.TERMINATED):
                self._cancel_timer(inst)
                self._stop_billing(inst)
                self._set_state(inst, S.SHUTTING_DOWN, reason=USER_SHUTDOWN,
                                transition=_reason_text("User initiated", self._now_text()))
                inst._timer = self.cloud.clock.schedule(SHUTDOWN_SECONDS, lambda i=inst: self._finish_terminate(i),
                                                        name=f"{inst.id} terminate")
            out.append((inst, prev, inst.state))
        return out

    def _finish_terminate(self: EC2Service, inst: Instance) -> None:
        inst._timer = None
        eni = inst.primary_network_interface
        if eni is not None:
            address = self._address_by_eni.get(eni.id)
            if address is not None:
                self._disassociate(address)
            self._drop_public_ip(inst)
            eni.attachment = None
            self.region.vpc.delete_network_interface(eni)
            inst.primary_network_interface = None
        for device, att in list(inst.block_device_mappings.items()):
            if att.delete_on_termination:
                ebs = self.region._services.get("ebs")
                hook = getattr(ebs, "_delete_root_volume", None) if ebs is not None else None
                if hook is not None:
                    hook(inst, att)
                del inst.block_device_mappings[device]
        inst.ephemeral_data.clear()
        inst.terminated_at = self.cloud.clock.now
        self._set_state(inst, S.TERMINATED, reason=inst.state_reason)
        self.cloud.clock.schedule(TERMINATED_VISIBLE_SECONDS, lambda: self._instances.pop(inst.id, None),
                                  name=f"{inst.id} forgotten")

    def shutdown_from_os(self: EC2Service, instance: Any) -> Instance:
        """Simulate ``sudo shutdown -h now`` inside the instance: it stops or terminates,
        following its InstanceInitiatedShutdownBehavior."""
        inst = self.get_instance(instance)
        if inst.state is not S.RUNNING:
            fail("IncorrectInstanceState", f"The instance '{inst.id}' is {inst.state}, not running.")
        if inst.shutdown_behavior == "terminate":
            self._cancel_timer(inst)
            self._stop_billing(inst)
            self._set_state(inst, S.SHUTTING_DOWN, reason=OS_SHUTDOWN,
                            transition=_reason_text("Instance initiated shutdown", self._now_text()))
            inst._timer = self.cloud.clock.schedule(SHUTDOWN_SECONDS, lambda: self._finish_terminate(inst))
        else:
            self.stop_instances(inst, _reason=OS_SHUTDOWN)
        return inst

    # -- attributes ----------------------------------------------------------------------------
    def modify_instance_attribute(self: EC2Service, instance: Any, *, instance_type: Any = None,
                                  disable_api_termination: bool | None = None, groups: Any = None,
                                  shutdown_behavior: str | None = None, user_data: str | None = None) -> Instance:
        """Change one attribute.  The instance type and user data change only while stopped.

        Raises: IncorrectInstanceState, InvalidParameterValue.
        """
        inst = self.get_instance(instance)
        if inst.state is S.TERMINATED:
            fail("IncorrectInstanceState", f"The instance '{inst.id}' is terminated; nothing can change.")
        if instance_type is not None:
            itype = self._instance_type(instance_type, "InvalidParameterValue")
            if inst.state is not S.STOPPED:
                fail("IncorrectInstanceState", f"The instance '{inst.id}' is not in the 'stopped' state (it is "
                                               f"{inst.state}). Stop it before changing its type.")
            if inst.image.architecture not in itype.architectures:
                fail("InvalidParameterValue", f"{itype.name} ({'/'.join(itype.architectures)}) cannot run "
                                              f"{inst.image.architecture} AMI {inst.image.id}.")
            inst.instance_type = itype
        if disable_api_termination is not None:
            if not isinstance(disable_api_termination, bool):
                fail("InvalidParameterValue", f"disable_api_termination is True or False, not "
                                              f"{disable_api_termination!r}.")
            inst.disable_api_termination = disable_api_termination
        if shutdown_behavior is not None:
            if shutdown_behavior not in ("stop", "terminate"):
                fail("InvalidParameterValue", f"Shutdown behavior {shutdown_behavior!r}: use 'stop' or 'terminate'.")
            inst.shutdown_behavior = shutdown_behavior
        if user_data is not None:
            if inst.state is not S.STOPPED:
                fail("IncorrectInstanceState", f"User data can be changed only while '{inst.id}' is stopped.")
            inst.user_data = user_data
        if groups is not None and inst.primary_network_interface is not None:
            self.region.vpc.modify_network_interface_attribute(inst.primary_network_interface, groups=groups)
        self.cloud.events.publish("ec2.instance.modified", id=inst.id, region=self.region_name)
        return inst

    def set_vcpu_quota(self: EC2Service, quota_class: str, vcpus: int) -> None:
        """Change an On-Demand vCPU quota (what a Service Quotas increase request does)."""
        if not isinstance(quota_class, str) or quota_class not in _QUOTA_NAMES:
            fail("InvalidParameterValue", f"Quota class {quota_class!r}: use one of {', '.join(_QUOTA_NAMES)}.")
        if isinstance(vcpus, bool) or not isinstance(vcpus, int) or vcpus < 0:
            fail("InvalidParameterValue", f"A vCPU quota is a whole number >= 0, not {vcpus!r}.")
        self.vcpu_quotas[quota_class] = vcpus
