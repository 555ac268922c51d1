"""Environments: one running copy of an application, built from the pieces awskit already has.

Creating a web-server environment makes Elastic Beanstalk build, over a few minutes, what you
would otherwise assemble by hand: security groups, (load balanced) an Application Load
Balancer with a listener on port 80 and a target group whose health checks judge the
instances, a launch template and an Auto Scaling group across the default VPC's zones that
registers its instances in the target group, and two CloudWatch alarms driving scale-out and
scale-in policies.  Each instance runs the deployed version on port 80.  Every one of those
resources is real in awskit (``cloud.elb``, ``cloud.autoscaling``, ``cloud.cloudwatch``...)
and bills itself; Elastic Beanstalk adds no charge of its own, as in AWS.

Simplifications (documented): instances install the version while they boot; the resources are
created in three timed steps (security groups at +10 s, load balancer at +20 s, Auto Scaling at
+40 s) rather than by a CloudFormation stack; the Auto Scaling group keeps AWS's default EC2
health checks (``health_check_type="ELB"`` in :meth:`create_environment` switches).
"""

from __future__ import annotations

import html
import string
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..elb.application import RoutingResult
from ..http import Request, Response
from ._common import (
    DEFAULT_STACK,
    MAX_ENVIRONMENTS,
    STACKS_BY_NAME,
    EnvironmentStatus,
    HealthStatus,
    Severity,
    check_cname_prefix,
    check_env_name,
    fail,
    listing,
)
from .applications import Application, ApplicationVersion, BundleError
from .options import parse_options

if TYPE_CHECKING:
    from .service import BeanstalkService

__all__ = ["Environment"]

#: seconds after CreateEnvironment at which each group of resources is created
STEP_SECURITY, STEP_LOAD_BALANCER, STEP_AUTOSCALING = 10, 20, 40
#: how often the environment's health and operations are looked at (enhanced health: 10 s)
TICK = 10
#: requests whose outcome counts in the request-failure part of health
WINDOW = 60

ASG = "aws:autoscaling:asg"
CMD = "aws:elasticbeanstalk:command"
ENV = "aws:elasticbeanstalk:environment"
TRIG = "aws:autoscaling:trigger"
PROC = "aws:elasticbeanstalk:environment:process:default"


@dataclass(slots=True, kw_only=True, eq=False)
class Environment:
    """A running version of an application and everything composed for it.

    The composed resources are plain awskit objects: ``env.load_balancer`` (an ALB),
    ``env.target_group``, ``env.auto_scaling_group``, ``env.launch_template``,
    ``env.security_group`` / ``env.load_balancer_security_group`` and ``env.alarms``.
    """

    service: BeanstalkService = field(repr=False)
    id: str
    name: str
    application: Application = field(repr=False)
    version: ApplicationVersion | None = field(repr=False)
    solution_stack: str
    arn: str
    cname: str
    description: str = ""
    status: EnvironmentStatus = EnvironmentStatus.LAUNCHING
    health_status: HealthStatus = HealthStatus.PENDING
    causes: list[str] = field(default_factory=list, repr=False)
    created: float = 0.0
    updated: float = 0.0
    tags: dict[str, str] = field(default_factory=dict, repr=False)
    options: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    properties: dict[str, str] = field(default_factory=dict, repr=False)
    health_check_type: str = "EC2"
    terminated_at: float | None = None
    # -- composed resources --
    stack_name: str = field(default="", repr=False)
    security_group: Any = field(default=None, repr=False)
    load_balancer_security_group: Any = field(default=None, repr=False)
    load_balancer: Any = field(default=None, repr=False)
    listener: Any = field(default=None, repr=False)
    target_group: Any = field(default=None, repr=False)
    launch_template: Any = field(default=None, repr=False)
    auto_scaling_group: Any = field(default=None, repr=False)
    policies: list = field(default_factory=list, repr=False)
    alarms: list = field(default_factory=list, repr=False)
    # -- running state --
    _target_version: ApplicationVersion | None = field(default=None, repr=False)
    _versions: dict[str, ApplicationVersion] = field(default_factory=dict, repr=False)
    _deploying: dict[str, float] = field(default_factory=dict, repr=False)
    _deployment: Any = field(default=None, repr=False)
    _timers: list = field(default_factory=list, repr=False)
    _tick: Any = field(default=None, repr=False)
    _recent: deque = field(default_factory=deque, repr=False)
    _ready_at: float | None = field(default=None, repr=False)
    _reported_errors: set = field(default_factory=set, repr=False)

    # -- what it is ------------------------------------------------------------------------
    @property
    def application_name(self) -> str:
        return self.application.name

    @property
    def version_label(self) -> str | None:
        return self.version.label if self.version is not None else None

    @property
    def health(self) -> str:
        """The basic-health colour: Green, Yellow, Red or Grey."""
        return self.health_status.color

    def opt(self, namespace: str, name: str) -> Any:
        return self.options.get((namespace, name))

    @property
    def environment_type(self) -> str:
        return self.opt(ENV, "EnvironmentType")

    @property
    def load_balanced(self) -> bool:
        return self.environment_type == "LoadBalanced"

    @property
    def instance_type(self) -> str:
        explicit = self.opt("aws:autoscaling:launchconfiguration", "InstanceType")
        return explicit or self.opt("aws:ec2:instances", "InstanceTypes").split(",")[0].strip()

    @property
    def members(self) -> list:
        """The Auto Scaling group's live members (GroupInstance records)."""
        g = self.auto_scaling_group
        return [gi for gi in g.instances.values() if gi.active] if g is not None else []

    @property
    def instances(self) -> list:
        """The EC2 instances of the environment now."""
        return [gi.instance for gi in self.members]

    @property
    def endpoint_url(self) -> str:
        if self.load_balancer is not None:
            return self.load_balancer.dns_name
        running = [i for i in self.instances if i.public_ip_address is not None]
        return str(running[0].public_ip_address) if running else ""

    @property
    def url(self) -> str:
        return f"http://{self.cname}"

    def version_on(self, instance: Any) -> str | None:
        """The version label an instance runs now (None while it is being deployed)."""
        iid = getattr(instance, "id", instance)
        if self._deploying.get(iid, -1) > self.service.cloud.clock.now:
            return None
        v = self._versions.get(iid)
        return v.label if v is not None else None

    def events(self, limit: int | None = None) -> list:
        """This environment's events, oldest first."""
        evs = [e for e in self.service._events if e.environment_name == self.name and e.time >= self.created]
        return evs[-limit:] if limit else evs

    def narrate(self, limit: int | None = None) -> list[str]:
        clock = self.service.cloud.clock
        return [f"{clock.to_datetime(e.time):%H:%M:%S} {e.severity.value:5} {e.message}" for e in self.events(limit)]

    def __repr__(self) -> str:
        return (f"Environment({self.name!r}, {self.id!r}, version={self.version_label!r}, status={self.status.value!r}, "
                f"health={self.health!r})")

    def _repr_html_(self) -> str:
        colour = {"Green": "green", "Yellow": "#b8860b", "Red": "red"}.get(self.health, "grey")
        rows = "".join(f"<tr><td>{i.id}</td><td>{i.availability_zone.name}</td><td>{i.state.value}</td>"
                       f"<td>{html.escape(str(self.version_on(i)))}</td></tr>" for i in self.instances[:20])
        evs = "".join(f"<li>{html.escape(line)}</li>" for line in self.narrate(8))
        return (f"<div><b>{html.escape(self.name)}</b> ({self.id}) {self.status.value}, "
                f"<span style='color:{colour}'>{self.health} / {self.health_status.value}</span><br>"
                f"<code>{html.escape(self.url)}</code> version {html.escape(str(self.version_label))}"
                f"<table><tr><th>instance</th><th>zone</th><th>state</th><th>version</th></tr>{rows}</table>"
                f"<ul>{evs}</ul></div>")


class _PlatformApp:
    """What listens on port 80 of an environment's instance: the platform's proxy in front of
    the deployed version.  While a deployment restarts the app, the proxy answers 502, as
    nginx does when nothing listens behind it."""

    __slots__ = ("env", "instance_id")

    def __init__(self, env: Environment, instance_id: str) -> None:
        self.env, self.instance_id = env, instance_id

    def __call__(self, request: Request) -> Any:
        env = self.env
        if env._deploying.get(self.instance_id, -1) > env.service.cloud.clock.now:
            return Response(502, body="502 Bad Gateway (nginx): the application is restarting for a deployment")
        version = env._versions.get(self.instance_id)
        if version is None:
            return Response(502, body="502 Bad Gateway (nginx): no application is deployed")
        try:
            fn = version.load()
        except BundleError:
            return Response(502, body="502 Bad Gateway (nginx): the application failed to start")
        return fn(request)

    def __repr__(self) -> str:
        return f"_PlatformApp({self.env.name!r}, {self.instance_id!r})"


def _suffix(rng, n: int = 12) -> str:
    return "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(n))


class _EnvironmentOps:
    """Environment actions of :class:`~awskit.beanstalk.BeanstalkService`."""

    @property
    def environments(self: BeanstalkService) -> list[Environment]:
        """Environments that are not terminated."""
        return [e for e in self._envs.values() if e.status is not EnvironmentStatus.TERMINATED]

    def get_environment(self: BeanstalkService, env: Any = None, *, include_terminated: bool = False) -> Environment:
        """An environment by object, name, ``e-`` id or CNAME.  Raises: InvalidParameterValue."""
        if isinstance(env, Environment) and self._envs.get(env.id) is env:
            return env
        if isinstance(env, str):
            pool = list(self._envs.values())[::-1]
            for e in pool:
                if (env in (e.id, e.name) or env.lower() in (e.cname, e.url)) and (
                        include_terminated or e.status is not EnvironmentStatus.TERMINATED):
                    return e
        fail("InvalidParameterValue", f"No Environment found for EnvironmentName = {getattr(env, 'name', env)!r}. "
                                      f"Environments: {listing(e.name for e in self.environments)}.")

    def list_available_solution_stacks(self: BeanstalkService) -> list:
        from ._common import SOLUTION_STACKS
        return list(SOLUTION_STACKS)

    def check_dns_availability(self: BeanstalkService, cname_prefix: str) -> tuple[bool, str]:
        """(available, full CNAME) for a prefix."""
        prefix = check_cname_prefix(cname_prefix)
        cname = f"{prefix}.{self.region_name}.elasticbeanstalk.com"
        return cname not in self._cnames, cname

    def create_environment(self: BeanstalkService, application: Any, name: str, *, version_label: str | None = None,
                           solution_stack: str | None = None, cname_prefix: str | None = None,
                           option_settings: Any = None, tier: str = "WebServer", description: str = "",
                           tags: dict[str, str] | None = None, health_check_type: str = "EC2") -> Environment:
        """CreateEnvironment: start building an environment; it is ``Ready`` a few minutes later.

        Args:
            application: the application (object or name).
            name: 4-40 letters, digits and hyphens, unique in the Region.
            version_label: the version to run (default: the sample application).
            solution_stack: a name from :meth:`list_available_solution_stacks` (default: Python 3.11).
            cname_prefix: ``<prefix>.<region>.elasticbeanstalk.com`` (default: a generated name).
            option_settings: boto3's list of ``{"Namespace", "OptionName", "Value"}``, or
                ``{namespace: {option: value}}`` (see :mod:`awskit.beanstalk.options`).
            health_check_type: the Auto Scaling group's health check, ``"EC2"`` (AWS's default for
                Beanstalk) or ``"ELB"`` (replace instances that fail the load balancer's checks).

        >>> from awskit import Cloud
        >>> cloud = Cloud(seed=4)
        >>> _ = cloud.beanstalk.create_application("shop")
        >>> _ = cloud.beanstalk.create_application_version("shop", "v1", app=lambda req: "hello")
        >>> env = cloud.beanstalk.create_environment("shop", "shop-prod", version_label="v1", cname_prefix="shop-prod",
        ...     option_settings={"aws:autoscaling:asg": {"MinSize": "2"}})
        >>> env.status.value, env.cname
        ('Launching', 'shop-prod.us-east-1.elasticbeanstalk.com')
        >>> cloud.clock.advance(minutes=5)
        >>> env.status.value, env.health, len(env.instances)
        ('Ready', 'Green', 2)
        >>> cloud.beanstalk.request("shop-prod.us-east-1.elasticbeanstalk.com", "/").response.body
        'hello'

        Raises: InvalidParameterValue (unknown application/version/stack, name or CNAME taken,
        bad tier), ConfigurationValidationException (option settings), TooManyEnvironmentsException.
        """
        appl = self.get_application(application)
        name = check_env_name(name)
        if any(e.name.lower() == name.lower() for e in self.environments):
            fail("InvalidParameterValue", f"Environment {name} already exists.")
        if len(self.environments) >= MAX_ENVIRONMENTS:
            fail("TooManyEnvironmentsException", f"You have reached the limit of {MAX_ENVIRONMENTS} environments "
                                                 f"in {self.region_name}; terminate some or request a quota increase.")
        version = appl.version(version_label) if version_label is not None else None
        if version is not None and version.status.value == "Failed":
            fail("InvalidParameterValue", f"Application version {version.label} failed processing and cannot be "
                                          f"deployed: {version.failure}.")
        stack = DEFAULT_STACK if solution_stack is None else solution_stack
        if stack not in STACKS_BY_NAME:
            fail("InvalidParameterValue", f"No Solution Stack named {stack!r} found. Stacks: "
                                          f"{listing(STACKS_BY_NAME, 4)} (list_available_solution_stacks).")
        if tier != "WebServer":
            fail("InvalidParameterValue", f"Tier {tier!r}: awskit models the WebServer tier only (a Worker tier "
                                          "reads an SQS queue, which awskit does not simulate).")
        if health_check_type not in ("EC2", "ELB"):
            fail("InvalidParameterValue", f"health_check_type is 'EC2' or 'ELB', not {health_check_type!r}.")
        options, props = parse_options(option_settings)
        if options[(ENV, "EnvironmentType")] == "SingleInstance":
            options[(ASG, "MinSize")] = options[(ASG, "MaxSize")] = 1
        self.region.ec2.get_instance_type(options.get(("aws:autoscaling:launchconfiguration", "InstanceType"))
                                          or options[("aws:ec2:instances", "InstanceTypes")].split(",")[0].strip(),
                                          code="InvalidParameterValue")
        vpc = self.region.vpc.default_vpc
        if vpc is None or len({s.availability_zone.name for s in vpc.subnets}) < 2:
            fail("InvalidParameterValue", "Elastic Beanstalk builds in the default VPC, which needs default subnets "
                                          "in at least two Availability Zones; this Region has none.")
        if cname_prefix is not None:
            ok, cname = self.check_dns_availability(cname_prefix)
            if not ok:
                fail("InvalidParameterValue", f"DNS name ({cname}) is not available.")
        else:
            cname = f"{name.lower()}.eba-{_suffix(self.cloud.rng, 8).lower()}.{self.region_name}.elasticbeanstalk.com"
        env_id = "e-" + "".join(self.cloud.rng.choice(string.ascii_lowercase + string.digits) for _ in range(10))
        now = self.cloud.clock.now
        env = Environment(service=self, id=env_id, name=name, application=appl, version=version,
                          solution_stack=stack, arn=self._arn(f"environment/{appl.name}/{name}"), cname=cname,
                          description=description, created=now, updated=now, tags=self._tags(tags),
                          options=options, properties=props, health_check_type=health_check_type,
                          stack_name=f"awseb-{env_id}-stack")
        self._envs[env.id] = env
        self._cnames[cname] = env
        self._event(env, "createEnvironment is starting.")
        clock = self.cloud.clock
        env._timers = [clock.schedule(STEP_SECURITY, lambda: self._build_security(env), name=f"{name} security"),
                       clock.schedule(STEP_LOAD_BALANCER, lambda: self._build_load_balancer(env),
                                      name=f"{name} load balancer"),
                       clock.schedule(STEP_AUTOSCALING, lambda: self._build_autoscaling(env), name=f"{name} scaling")]
        env._tick = clock.every(TICK, lambda: self._on_tick(env), name=f"beanstalk {name}")
        return env

    # -- the composition, step by step -------------------------------------------------------
    def _resource_name(self: BeanstalkService, env: Environment, logical: str) -> str:
        return f"{env.stack_name}-{logical}-{_suffix(self.cloud.rng)}"

    def _build_security(self: BeanstalkService, env: Environment) -> None:
        net = self.region.vpc
        vpc = net.default_vpc
        tags = self._resource_tags(env)
        sg = net.create_security_group(vpc, self._resource_name(env, "AWSEBSecurityGroup"),
                                       "SecurityGroup for ElasticBeanstalk environment.", tags=tags)
        if env.load_balanced:
            lb_sg = net.create_security_group(vpc, self._resource_name(env, "AWSEBLoadBalancerSecurityGroup"),
                                              "Load Balancer Security Group", tags=tags)
            net.authorize_security_group_ingress(lb_sg, ip_protocol="tcp", from_port=80, to_port=80,
                                                 cidr_ip="0.0.0.0/0")
            net.authorize_security_group_ingress(sg, ip_protocol="tcp", from_port=80, to_port=80, source_group=lb_sg)
            env.load_balancer_security_group = lb_sg
            self._event(env, f"Created security group named: {lb_sg.id}")
        else:
            net.authorize_security_group_ingress(sg, ip_protocol="tcp", from_port=80, to_port=80, cidr_ip="0.0.0.0/0")
        env.security_group = sg
        self._event(env, f"Created security group named: {sg.id}")

    def _build_load_balancer(self: BeanstalkService, env: Environment) -> None:
        if not env.load_balanced:
            return
        elb = self.region.elb
        vpc = self.region.vpc.default_vpc
        seen: dict[str, Any] = {}
        for s in vpc.subnets:
            seen.setdefault(s.availability_zone.name, s)
        subnets = list(seen.values())
        hc = {"health_check_path": env.opt(PROC, "HealthCheckPath"),
              "health_check_interval": env.opt(PROC, "HealthCheckInterval"),
              "health_check_timeout": env.opt(PROC, "HealthCheckTimeout"),
              "healthy_threshold": env.opt(PROC, "HealthyThresholdCount"),
              "unhealthy_threshold": env.opt(PROC, "UnhealthyThresholdCount"),
              "matcher": env.opt(PROC, "MatcherHTTPCode")}
        tg = elb.create_target_group(f"awseb-AWSEB-{_suffix(self.cloud.rng)}", port=80, vpc=vpc,
                                     tags=self._resource_tags(env), **hc)
        elb.modify_target_group_attributes(tg, {"deregistration_delay.timeout_seconds":
                                                str(env.opt(PROC, "DeregistrationDelay"))})
        env.target_group = tg
        self._event(env, f"Created target group named: {tg.arn}")
        lb = elb.create_load_balancer(f"awseb--AWSEB-{_suffix(self.cloud.rng, 10)}", subnets=subnets,
                                      security_groups=[env.load_balancer_security_group],
                                      tags=self._resource_tags(env))
        env.load_balancer = lb
        self._event(env, f"Created load balancer named: {lb.arn}")
        env.listener = elb.create_listener(lb, port=80, default_actions=tg)
        self._event(env, f"Created Load Balancer listener named: {env.listener.arn}")

    def _build_autoscaling(self: BeanstalkService, env: Environment) -> None:
        auto = self.region.autoscaling
        tags = self._resource_tags(env)
        lt = auto.create_launch_template(self._resource_name(env, "AWSEBEC2LaunchTemplate"),
                                         instance_type=env.instance_type, security_groups=[env.security_group],
                                         tags={**tags, "Name": env.name}, associate_public_ip=True)
        env.launch_template = lt
        self._event(env, f"Created EC2 launch template named: {lt.id}")
        zones = sorted({s.availability_zone.name for s in self.region.vpc.default_vpc.subnets})
        lo, hi = env.opt(ASG, "MinSize"), env.opt(ASG, "MaxSize")
        group = auto.create_auto_scaling_group(
            self._resource_name(env, "AWSEBAutoScalingGroup"), launch_template=lt, min_size=lo, max_size=hi,
            availability_zones=zones if env.load_balanced else zones[:1],
            target_group_arns=[env.target_group.arn] if env.target_group is not None else None,
            health_check_type=env.health_check_type, health_check_grace_period=0,
            tags={k: (v, True) for k, v in tags.items()})
        env.auto_scaling_group = group
        self._event(env, f"Created Auto Scaling group named: {group.name}")
        if env.load_balanced:
            self._build_triggers(env)

    def _build_triggers(self: BeanstalkService, env: Environment) -> None:
        auto, cw = self.region.autoscaling, self.region.cloudwatch
        g = env.auto_scaling_group
        for which, inc_opt, thr_opt, op in (
                ("High", "UpperBreachScaleIncrement", "UpperThreshold", "GreaterThanThreshold"),
                ("Low", "LowerBreachScaleIncrement", "LowerThreshold", "LessThanThreshold")):
            kind = "ScaleUp" if which == "High" else "ScaleDown"
            policy = auto.put_scaling_policy(g, self._resource_name(env, f"AWSEBAutoScaling{kind}Policy"),
                                             adjustment_type="ChangeInCapacity",
                                             scaling_adjustment=env.opt(TRIG, inc_opt))
            env.policies.append(policy)
            self._event(env, f"Created Auto Scaling group policy named: {policy.arn}")
            period = env.opt(TRIG, "Period") * 60
            alarm = cw.put_metric_alarm(
                self._resource_name(env, f"AWSEBCloudwatchAlarm{which}"), namespace="AWS/EC2",
                metric_name=env.opt(TRIG, "MeasureName"), threshold=env.opt(TRIG, thr_opt), comparison=op,
                evaluation_periods=env.opt(TRIG, "EvaluationPeriods"), period=period,
                statistic=env.opt(TRIG, "Statistic"), dimensions={"AutoScalingGroupName": g.name},
                alarm_actions=[policy.arn], description=f"ElasticBeanstalk Default Scale {'Up' if which == 'High' else 'Down'} alarm")
            env.alarms.append(alarm)
            self._event(env, f"Created CloudWatch alarm named: {alarm.name}")

    def _resource_tags(self: BeanstalkService, env: Environment) -> dict[str, str]:
        return {"elasticbeanstalk:environment-name": env.name, "elasticbeanstalk:environment-id": env.id}

    # -- instances ------------------------------------------------------------------------------
    def _on_instance_state(self: BeanstalkService, message) -> None:
        data = message.data
        if data.get("region") != self.region_name:
            return
        if data.get("new") == "pending":
            try:
                inst = self.region.ec2.get_instance(data.get("id"))
            except LookupError:
                return
            env = self._envs.get(inst.tags.get("elasticbeanstalk:environment-id", ""))
            if env is not None and env.status is not EnvironmentStatus.TERMINATED:
                self._install(env, inst, env._target_version or env.version)
        elif data.get("new") == "terminated":
            for env in self._envs.values():
                env._versions.pop(data.get("id"), None)
                env._deploying.pop(data.get("id"), None)

    def _install(self: BeanstalkService, env: Environment, inst: Any, version: ApplicationVersion | None) -> None:
        """Put ``version`` (None: the sample application) on an instance's port 80."""
        if version is None:
            version = self._sample_version(env)
        env._versions[inst.id] = version
        if 80 not in inst.apps or not isinstance(inst.apps[80], _PlatformApp):
            inst.serve(_PlatformApp(env, inst.id), 80)
        try:
            version.load()
        except BundleError as err:
            key = (version.label, "bundle")
            if key not in env._reported_errors:
                env._reported_errors.add(key)
                self._event(env, f"[Instance: {inst.id}] Command failed on instance. Application deployment "
                                 f"failed: {err}.", Severity.ERROR)

    def _sample_version(self: BeanstalkService, env: Environment) -> ApplicationVersion:
        from .applications import sample_application
        return ApplicationVersion(application=env.application, label="Sample Application", arn="",
                                  app=sample_application)

    # -- traffic ---------------------------------------------------------------------------------
    def request(self: BeanstalkService, env: Any, path: str = "/", *, method: str = "GET",
                headers: dict[str, str] | None = None, body: str = "", query: dict[str, str] | None = None
                ) -> RoutingResult:
        """Send an HTTP request to an environment's URL (its CNAME): DNS -> load balancer -> an
        instance -> the deployed application.  Returns the routing result (``.status``,
        ``.response``, ``.target``, ``.explain()``).

        Raises: InvalidParameterValue for a name no environment answers to.
        """
        e = self.get_environment(env)
        try:
            req = Request(method, path, headers={"Host": e.cname, **(headers or {})}, query=dict(query or {}),
                          body=body)
        except ValueError as err:
            fail("InvalidParameterValue", str(err))
        if e.load_balancer is not None:
            res = self.region.elb.send(e.load_balancer, req)
        else:
            res = RoutingResult(load_balancer=None, request=req)
            running = [i for i in e.instances if i.state.value == "running"]
            if not running:
                res.response = Response(503, body=f"{e.cname} has no running instance yet.")
                res.steps.append("No instance is running behind this single-instance environment.")
            else:
                res.target = running[0]
                res.source = "target"
                res.response = running[0].handle(req, 80)
                res.steps.append(f"Single-instance environment: {running[0].id} answered directly.")
        now = self.cloud.clock.now
        e._recent.append((now, res.status))
        while e._recent and e._recent[0][0] < now - WINDOW:
            e._recent.popleft()
        return res

    # -- resources -------------------------------------------------------------------------------
    def describe_environment_resources(self: BeanstalkService, env: Any) -> dict[str, list]:
        """The composed resources by kind (the shape of DescribeEnvironmentResources)."""
        e = self.get_environment(env)
        return {"AutoScalingGroups": [e.auto_scaling_group] if e.auto_scaling_group is not None else [],
                "Instances": e.instances,
                "LaunchTemplates": [e.launch_template] if e.launch_template is not None else [],
                "LoadBalancers": [e.load_balancer] if e.load_balancer is not None else [],
                "Triggers": list(e.alarms),
                "SecurityGroups": [g for g in (e.load_balancer_security_group, e.security_group) if g is not None],
                "TargetGroups": [e.target_group] if e.target_group is not None else []}
