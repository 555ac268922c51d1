"""``cloud.beanstalk``: AWS Elastic Beanstalk in one Region."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._common import EbEvent, Severity
from .applications import _ApplicationOps
from .environments import _EnvironmentOps
from .operations import _OperationOps

if TYPE_CHECKING:
    from ..cloud import Cloud, Region

__all__ = ["BeanstalkService"]


class BeanstalkService(_ApplicationOps, _EnvironmentOps, _OperationOps):
    """Elastic Beanstalk in one Region: ``cloud.beanstalk``.

    It owns applications, versions, environments and their event stream; everything an
    environment runs on is created through the other services of the same Region.
    Elastic Beanstalk itself is free: the bill shows only the instances, load balancer and
    alarms it composed.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=1)
    >>> _ = cloud.beanstalk.create_application("blog")
    >>> cloud.beanstalk
    BeanstalkService('us-east-1', applications=1, environments=0)
    """

    def __init__(self, cloud: Cloud, region: Region) -> None:
        self.cloud = cloud
        self.region = region
        self.region_name: str = region.name
        self._apps: dict[str, Any] = {}
        self._envs: dict[str, Any] = {}
        self._cnames: dict[str, Any] = {}
        self._events: list[EbEvent] = []
        self._subs = [cloud.events.subscribe("ec2.instance.state", self._on_instance_state)]

    def _arn(self, resource: str) -> str:
        return self.cloud.arn("elasticbeanstalk", resource, self.region_name)

    @staticmethod
    def _tags(tags: Any) -> dict[str, str]:
        from ._common import fail
        if tags is None:
            return {}
        if not isinstance(tags, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in tags.items()):
            fail("InvalidParameterValue", f"Tags are a dict of strings, not {tags!r}.")
        return dict(tags)

    def _event(self, env: Any, message: str, severity: Severity = Severity.INFO) -> EbEvent:
        ev = EbEvent(time=self.cloud.clock.now, message=message, severity=severity,
                     application_name=env.application.name, environment_name=env.name,
                     version_label=env.version_label, request_id=self.cloud.ids.uuid())
        self._events.append(ev)
        self.cloud.events.publish("beanstalk.event", environment=env.name, environment_id=env.id, message=message,
                                  severity=severity.value, region=self.region_name)
        return ev

    def describe_events(self, *, application: Any = None, environment: Any = None, severity: str | None = None,
                        start: float | None = None, end: float | None = None) -> list[EbEvent]:
        """Events newest first, optionally for one application or environment, at or above a severity."""
        order = [s.value for s in Severity]
        if severity is not None and severity not in order:
            from ._common import fail
            fail("InvalidParameterValue", f"Severity {severity!r} is one of {', '.join(order)}.")
        app_name = getattr(application, "name", application)
        env_name = getattr(environment, "name", environment)
        out = []
        for ev in reversed(self._events):
            if app_name is not None and ev.application_name != app_name:
                continue
            if env_name is not None and ev.environment_name != env_name:
                continue
            if severity is not None and order.index(ev.severity.value) < order.index(severity):
                continue
            if (start is not None and ev.time < start) or (end is not None and ev.time >= end):
                continue
            out.append(ev)
        return out

    def __repr__(self) -> str:
        return (f"BeanstalkService({self.region_name!r}, applications={len(self._apps)}, "
                f"environments={len(self.environments)})")
