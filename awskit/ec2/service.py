"""``cloud.ec2``: the instances, key pairs and Elastic IPs of one account in one Region."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._common import fail
from .addresses import _AddressOps
from .catalog import _CatalogOps, public_images
from .instances import InstanceState
from .keypairs import _KeyPairOps
from .lifecycle import DEFAULT_VCPU_QUOTAS, _InstanceOps
from .sessions import _SessionOps

if TYPE_CHECKING:
    from ..cloud import Cloud, Region

#: CloudWatch sampling: detailed monitoring every minute, basic monitoring every 5 minutes.
METRIC_TICK = 60
BASIC_MONITORING_EVERY = 5


class EC2Service(_InstanceOps, _CatalogOps, _KeyPairOps, _AddressOps, _SessionOps):
    """EC2 in one Region: ``cloud.ec2`` or ``cloud.region("eu-west-1").ec2``.

    Networking (VPCs, subnets, security groups) lives in ``cloud.vpc``; instances are placed
    in its subnets through network interfaces it creates.  Every state change is published
    as ``ec2.instance.state`` (id, old, new) on ``cloud.events``.

    An Availability Zone outage (``cloud.fail_az``) is modelled as AWS shows it: instances
    there stay ``running`` in the API, but their status checks turn ``impaired``, their apps
    stop answering and SSH times out; all recover when the zone is restored.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> web = cloud.ec2.run_instance(instance_type="t3.micro")
    >>> cloud.clock.advance(minutes=3)
    >>> web.state.value, web.system_status, web.instance_status
    ('running', 'ok', 'ok')
    """

    def __init__(self, cloud: Cloud, region: Region) -> None:
        self.cloud = cloud
        self.region = region
        self.region_name: str = region.name
        self._images = {i.id: i for i in public_images(region.name)}
        self._instances: dict[str, Any] = {}
        self._reservations: dict[str, Any] = {}
        self._key_pairs: dict[str, Any] = {}
        self._addresses: dict[str, Any] = {}
        self._address_by_eni: dict[str, Any] = {}
        self._ip_meters: dict[str, Any] = {}
        self.vcpu_quotas: dict[str, int] = dict(DEFAULT_VCPU_QUOTAS)
        self._metrics_timer = None
        self._ticks = 0
        self._metric_series: dict[str, list] = {}  # instance id -> its CloudWatch metrics (see _emit_metrics)
        self._subs = [cloud.events.subscribe("az.failed", self._on_az_failed),
                      cloud.events.subscribe("az.restored", self._on_az_restored)]

    def _publish(self, topic: str, resource_id: str, **data: Any) -> None:
        self.cloud.events.publish(topic, id=resource_id, region=self.region_name, **data)

    def _fail(self, code: str, message: str):
        fail(code, message)

    # -- Availability Zone outages ----------------------------------------------------------
    def _on_az_failed(self, message) -> None:
        if message.data.get("region") != self.region_name:
            return
        for inst in self._instances.values():
            if inst.availability_zone.name == message["az"] and inst.state.value == "running":
                inst.system_status = inst.instance_status = "impaired"
                self._publish("ec2.instance.status", inst.id, status="impaired")

    def _on_az_restored(self, message) -> None:
        if message.data.get("region") != self.region_name:
            return
        for inst in self._instances.values():
            if (inst.availability_zone.name == message["az"] and inst.state.value == "running"
                    and inst.system_status == "impaired"):
                inst.system_status = inst.instance_status = "ok"
                self._publish("ec2.instance.status", inst.id, status="ok")

    # -- CloudWatch metrics -------------------------------------------------------------------
    def _ensure_metrics(self) -> None:
        """One periodic event for the whole service (not one per instance)."""
        if self._metrics_timer is None:
            self._metrics_timer = self.cloud.clock.every(METRIC_TICK, self._emit_metrics, name="ec2 metrics")

    def _emit_metrics(self) -> None:
        self._ticks += 1
        running = [i for i in self._instances.values() if i.state is InstanceState.RUNNING]
        if not running:
            return
        basic_tick = self._ticks % BASIC_MONITORING_EVERY == 0
        cw = self.region.cloudwatch
        emit = cw._emit
        now = self.cloud.clock.now
        series = self._metric_series
        failed_azs = self.cloud.failed_azs
        for inst in running:
            if not (inst.monitoring or basic_tick):
                continue
            # Each instance's six metrics are looked up once, then written straight into.
            mine = series.get(inst.id)
            if mine is None:
                mine = series[inst.id] = [None, None]
            down = inst.availability_zone.name in failed_azs
            failed = 1.0 if inst.system_status == "impaired" else 0.0
            checks = mine[0]
            if checks is None:
                dims = {"InstanceId": inst.id}
                checks = mine[0] = tuple(cw._series("AWS/EC2", m, dims) for m in (
                    "StatusCheckFailed", "StatusCheckFailed_System", "StatusCheckFailed_Instance"))
            for metric in checks:
                emit(metric, failed, "Count", now)
            if down:
                continue  # nothing reports from a host that cannot be reached
            usage = mine[1]
            if usage is None:
                dims = {"InstanceId": inst.id}
                usage = mine[1] = tuple(cw._series("AWS/EC2", m, dims) for m in (
                    "CPUUtilization", "NetworkIn", "NetworkOut"))
            emit(usage[0], float(inst.cpu_load), "Percent", now)
            emit(usage[1], float(inst._bytes_in + 1200), "Bytes", now)
            emit(usage[2], float(inst._bytes_out + 800), "Bytes", now)
            inst._bytes_in = inst._bytes_out = 0

    def __repr__(self) -> str:
        states: dict[str, int] = {}
        for i in self._instances.values():
            states[i.state.value] = states.get(i.state.value, 0) + 1
        return f"EC2Service({self.region_name!r}, instances={states or 0}, key_pairs={len(self._key_pairs)})"
