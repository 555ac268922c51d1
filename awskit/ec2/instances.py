"""Instances: virtual servers, launched from an AMI onto an instance type inside a subnet.

An instance moves through a small state machine: ``pending`` while it boots, ``running``
(billed, per second with a one-minute minimum), ``stopping``/``stopped`` (only EBS-backed
instances can stop; the root volume is kept, the host and its instance storage are not),
and ``shutting-down``/``terminated`` (gone for good; it stays visible for about an hour).
Each instance has a primary network interface in its subnet that carries its private
address, its security groups and, in a public subnet, a public address that changes on
every stop/start unless an Elastic IP is associated.

Timings awskit uses (deterministic, drawn from ``cloud.rng``, documented as simplifications):
boot 15-45 s (pending -> running); status checks ``initializing`` for 2 minutes after
reaching running, then ``ok``; stopping 20 s; shutting-down 15 s; terminated instances
leave describe results 1 hour after termination.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from enum import StrEnum
from ipaddress import IPv4Address
from typing import TYPE_CHECKING, Any

from ..http import Request, Response
from ._common import Resource

if TYPE_CHECKING:
    from ..vpc import NetworkInterface, Subnet, Vpc
    from .catalog import Image, InstanceType
    from .keypairs import KeyPair
    from .service import EC2Service

__all__ = [
    "BOOT_SECONDS",
    "SHUTDOWN_SECONDS",
    "STATUS_CHECK_SECONDS",
    "STOP_SECONDS",
    "TERMINATED_VISIBLE_SECONDS",
    "BlockDeviceAttachment",
    "Instance",
    "InstanceState",
    "InterfaceAttachment",
    "Reservation",
    "StateReason",
]

#: pending -> running takes a duration drawn uniformly from this range (seconds)
BOOT_SECONDS = (15, 45)
#: status checks report "initializing" this long after an instance reaches running
STATUS_CHECK_SECONDS = 120
STOP_SECONDS = 20
SHUTDOWN_SECONDS = 15
#: how long a terminated instance still shows in describe_instances
TERMINATED_VISIBLE_SECONDS = 3600


class InstanceState(StrEnum):
    """The instance states and the numeric codes EC2 reports with them."""

    PENDING = "pending"
    RUNNING = "running"
    SHUTTING_DOWN = "shutting-down"
    TERMINATED = "terminated"
    STOPPING = "stopping"
    STOPPED = "stopped"

    @property
    def code(self) -> int:
        return _CODES[self]


_CODES = {InstanceState.PENDING: 0, InstanceState.RUNNING: 16, InstanceState.SHUTTING_DOWN: 32,
          InstanceState.TERMINATED: 48, InstanceState.STOPPING: 64, InstanceState.STOPPED: 80}


@dataclass(slots=True, frozen=True)
class StateReason:
    """Why an instance last changed state, as EC2's ``StateReason`` reports it."""

    code: str
    message: str


USER_SHUTDOWN = StateReason("Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown")
OS_SHUTDOWN = StateReason("Client.InstanceInitiatedShutdown",
                          "Client.InstanceInitiatedShutdown: Instance initiated shutdown")


@dataclass(slots=True, kw_only=True)
class BlockDeviceAttachment:
    """One entry of an instance's block device mapping (device name -> volume).

    The EBS model adopts these records: ``volume_id`` is the id of the root volume it
    created (or that awskit reserved for it when EBS is not loaded).
    """

    volume_id: str
    delete_on_termination: bool = True
    attach_time: float = 0.0
    status: str = "attached"          # attaching | attached | detaching | detached
    size_gb: int = 8
    volume_type: str = "gp3"


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class InterfaceAttachment:
    """What EC2 puts in ``eni.attachment`` when an interface belongs to an instance."""

    id: str                       # eni-attach-...
    instance: Instance
    device_index: int = 0
    delete_on_termination: bool = True
    attach_time: float = 0.0
    status: str = "attached"

    @property
    def instance_id(self) -> str:
        return self.instance.id

    def __repr__(self) -> str:
        return f"InterfaceAttachment({self.id!r}, instance={self.instance.id!r}, device_index={self.device_index})"


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Reservation:
    """One run_instances call: the instances it launched together."""

    id: str
    owner_id: str
    requester_id: str | None = None
    instances: list[Instance] = field(default_factory=list)

    def __iter__(self):
        return iter(self.instances)

    def __len__(self) -> int:
        return len(self.instances)

    def __getitem__(self, i: int) -> Instance:
        return self.instances[i]

    def __repr__(self) -> str:
        return f"Reservation({self.id!r}, instances={[i.id for i in self.instances]})"


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Instance(Resource):
    """A virtual server.  Build it with :meth:`EC2Service.run_instances`.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> web = cloud.ec2.run_instance(instance_type="t3.micro", tags={"Name": "web"})
    >>> web.state, web.state.code
    (<InstanceState.PENDING: 'pending'>, 0)
    >>> cloud.clock.advance(minutes=1); web.state
    <InstanceState.RUNNING: 'running'>
    >>> web.private_dns_name
    'ip-172-31-0-4.ec2.internal'
    """

    _ARN_KIND = "instance"

    service: EC2Service = field(repr=False)
    image: Image
    instance_type: InstanceType
    reservation: Reservation = field(repr=False)
    subnet: Subnet
    launch_index: int = 0
    launch_time: float = 0.0
    state: InstanceState = InstanceState.PENDING
    state_transition_reason: str = ""
    state_reason: StateReason | None = StateReason("pending", "pending")
    key_pair: KeyPair | None = None
    key_name: str | None = None
    primary_network_interface: NetworkInterface | None = None
    #: whether EC2 gives the instance a public address each time it starts
    auto_public_ip: bool = False
    user_data: str | None = None
    iam_instance_profile: Any = None
    monitoring: bool = False
    disable_api_termination: bool = False
    shutdown_behavior: str = "stop"
    ebs_optimized: bool = False
    root_device_name: str = "/dev/xvda"
    block_device_mappings: dict[str, BlockDeviceAttachment] = field(default_factory=dict)
    system_status: str = "not-applicable"
    instance_status: str = "not-applicable"
    #: CPU utilisation in percent that CloudWatch reports (set it to simulate load)
    cpu_load: float = 1.5
    #: what lives on instance storage (lost on stop); EBS-root files survive
    ephemeral_data: dict[str, str] = field(default_factory=dict)
    apps: dict[int, Any] = field(default_factory=dict)
    terminated_at: float | None = None
    _private_ip: IPv4Address | None = None
    _timer: Any = None
    _meter: Any = None
    _running_since: float | None = None
    _requests: int = 0
    _bytes_in: int = 0
    _bytes_out: int = 0

    # -- addresses and names ----------------------------------------------------------
    @property
    def vpc(self) -> Vpc:
        return self.subnet.vpc

    @property
    def availability_zone(self):
        return self.subnet.availability_zone

    @property
    def network_interface(self) -> NetworkInterface | None:
        return self.primary_network_interface

    @property
    def private_ip_address(self) -> IPv4Address | None:
        eni = self.primary_network_interface
        return eni.private_ip_address if eni is not None else None

    @property
    def public_ip_address(self) -> IPv4Address | None:
        eni = self.primary_network_interface
        return eni.public_ip if eni is not None else None

    @property
    def security_groups(self) -> list:
        eni = self.primary_network_interface
        return list(eni.security_groups) if eni is not None else []

    @property
    def private_dns_name(self) -> str:
        """``ip-10-0-1-5.ec2.internal`` in us-east-1, ``ip-10-0-1-5.<region>.compute.internal`` elsewhere."""
        ip = self.private_ip_address or self._private_ip
        if ip is None:
            return ""
        return _dns(ip, self.region, public=False)

    @property
    def public_dns_name(self) -> str:
        """``ec2-54-1-2-3.compute-1.amazonaws.com`` (us-east-1) or
        ``ec2-54-1-2-3.<region>.compute.amazonaws.com``; empty without a public address or
        when the VPC does not give DNS hostnames."""
        ip = self.public_ip_address
        if ip is None or not self.vpc.enable_dns_hostnames:
            return ""
        return _dns(ip, self.region, public=True)

    @property
    def hostname(self) -> str:
        return self.private_dns_name

    @property
    def platform(self) -> str | None:
        return self.image.platform

    @property
    def ebs_backed(self) -> bool:
        return self.image.ebs_backed

    @property
    def is_running(self) -> bool:
        return self.state is InstanceState.RUNNING

    @property
    def az_down(self) -> bool:
        return self.availability_zone.name in self.service.cloud.failed_azs

    @property
    def elastic_ip(self):
        """The Elastic IP associated with the primary interface, else None."""
        eni = self.primary_network_interface
        return self.service._address_by_eni.get(eni.id) if eni is not None else None

    # -- applications -----------------------------------------------------------------
    def serve(self, app: Any, port: int = 80) -> None:
        """Install a web application: ``app(request) -> Response`` listening on ``port``.

        >>> from awskit import Cloud
        >>> from awskit.http import Request, Response
        >>> cloud = Cloud(seed=1)
        >>> web = cloud.ec2.run_instance()
        >>> web.serve(lambda req: Response(200, body="hi"), port=80)
        >>> cloud.clock.advance(minutes=1)
        >>> web.handle(Request("GET", "/")).body
        'hi'
        """
        if not callable(app):
            self.service._fail("InvalidParameterValue",
                               f"An app is a callable app(request) -> Response, not {app!r}.")
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            self.service._fail("InvalidParameterValue", f"Port {port!r} must be a whole number from 1 to 65535.")
        self.apps[port] = app

    def stop_serving(self, port: int = 80) -> None:
        self.apps.pop(port, None)

    def handle(self, request: Request, port: int = 80) -> Response:
        """Deliver ``request`` to the app on ``port``, as a load balancer or client would.

        An instance that is not running, or nothing listening on the port, refuses the
        connection (502); an instance in a failed Availability Zone never answers (504); an
        app that raises answers 500.  Apps may return a Response or a string (200).
        """
        if not isinstance(request, Request):
            self.service._fail("InvalidParameterValue", f"handle() takes an awskit.http.Request, not {request!r}.")
        if self.az_down:
            return Response(504, body=f"{self.id} did not answer: its Availability Zone "
                                      f"{self.availability_zone.name} is down.")
        if self.state is not InstanceState.RUNNING:
            return Response(502, body=f"{self.id} refused the connection: it is {self.state}.")
        app = self.apps.get(port)
        if app is None:
            return Response(502, body=f"{self.id} refused the connection: nothing listens on port {port}.")
        return self._deliver(app, request)

    def _deliver(self, app: Any, request: Request) -> Response:
        """Run ``app`` on a request that got through (what :meth:`handle` does once its checks pass;
        the load balancer's health checker, having made the same checks, calls it directly).
        Counts the request and its bytes for the NetworkIn/NetworkOut metrics."""
        self._requests += 1
        self._bytes_in += 200 + len(request.body)
        try:
            out = app(request)
        except Exception as exc:  # noqa: BLE001 - an app bug is a 500, as a web server answers
            response = Response(500, body=f"{type(exc).__name__}: {exc}")
        else:
            response = out if isinstance(out, Response) else Response(200, body=str(out))
        self._bytes_out += 200 + len(response.body)
        return response

    # -- views --------------------------------------------------------------------------
    def __repr__(self) -> str:
        ip = f", private_ip='{self.private_ip_address}'" if self.private_ip_address else ""
        pub = f", public_ip='{self.public_ip_address}'" if self.public_ip_address else ""
        return (f"Instance({self.id!r}, {self.instance_type.name}, {self.state.value}{ip}{pub}"
                f"{self._name_part()})")

    def _repr_html_(self) -> str:
        colour = {"running": "#1a7f37", "pending": "#9a6700", "stopped": "#57606a",
                  "terminated": "#cf222e"}.get(self.state.value, "#9a6700")
        rows = [("type", (f"{self.instance_type.name} ({self.instance_type.vcpus} vCPU, "
                         f"{self.instance_type.memory_gib:g} GiB)")),
                ("image", f"{self.image.id} {self.image.name}"),
                ("subnet", f"{self.subnet.id} ({self.availability_zone.name})"),
                ("private IP", str(self.private_ip_address or "-")),
                ("public IP", str(self.public_ip_address or "-")),
                ("key pair", self.key_name or "-"),
                ("status checks", f"system {self.system_status}, instance {self.instance_status}")]
        body = "".join(f"<tr><th style='text-align:left'>{k}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
        name = f" ({html.escape(self.name)})" if self.name else ""
        return (f"<div><b>{self.id}</b>{name} <span style='color:{colour}'>{self.state.value}</span>"
                f"<table>{body}</table></div>")


def _dns(ip: IPv4Address, region: str, *, public: bool) -> str:
    dashed = str(ip).replace(".", "-")
    if public:
        return (f"ec2-{dashed}.compute-1.amazonaws.com" if region == "us-east-1"
                else f"ec2-{dashed}.{region}.compute.amazonaws.com")
    return f"ip-{dashed}.ec2.internal" if region == "us-east-1" else f"ip-{dashed}.{region}.compute.internal"
