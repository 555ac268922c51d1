"""What happens to a running environment: health, deployments, CNAME swaps and termination.

**Health** (enhanced health, simplified and documented): every 10 s each instance is judged
from its state and its target's health (healthy -> Ok, initial -> Pending, being deployed or
drained -> Info, unhealthy or not running -> Severe) and the environment from the share of
impaired instances (any -> Warning, more than half -> Degraded, all -> Severe) and from the
5xx share of the requests of the last minute sent through :meth:`request` (>= 1% Warning,
>= 10% Degraded, >= 25% Severe).  The worst finding wins; colours follow AWS (Ok/Info Green,
Warning Yellow, Degraded/Severe Red, Pending Grey).

**Deployments** (``update_environment(version_label=...)``):

* ``AllAtOnce`` (the default): every instance restarts on the new version at once; for
  :data:`DEPLOY_SECONDS` the proxy answers 502, so requests fail: a short outage.
* ``Rolling``: a batch at a time (``BatchSize`` percent or a fixed count) leaves the load
  balancer (draining for ``DeregistrationDelay``), restarts, rejoins and must pass its health
  checks before the next batch: capacity drops by a batch, requests keep succeeding.  A batch
  that does not become healthy within ``Timeout`` stops the deployment (ERROR events).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ._common import EnvironmentStatus, HealthStatus, Severity, fail
from .environments import CMD, PROC, Environment
from .options import parse_options

if TYPE_CHECKING:
    from .service import BeanstalkService

#: seconds an instance's application is down while it restarts on a new version
DEPLOY_SECONDS = 20


class _Deployment:
    """A version deployment in progress (a small state machine driven by the clock)."""

    def __init__(self, env: Environment, version: Any, policy: str, batches: list[list[str]]) -> None:
        self.env, self.version, self.policy, self.batches = env, version, policy, batches
        self.index = 0
        self.phase = "start"
        self.phase_since = 0.0
        self.failed = False

    def __repr__(self) -> str:
        return f"_Deployment({self.version.label!r}, {self.policy}, batch {self.index + 1}/{len(self.batches)}, {self.phase})"


class _OperationOps:
    """Health, update, swap and terminate actions of :class:`~awskit.beanstalk.BeanstalkService`."""

    # -- the periodic look at each environment -------------------------------------------------
    def _on_tick(self: BeanstalkService, env: Environment) -> None:
        status = env.status
        if status is EnvironmentStatus.LAUNCHING:
            self._check_launched(env)
        elif status is EnvironmentStatus.TERMINATING:
            self._check_terminated(env)
            return
        elif status is EnvironmentStatus.TERMINATED:
            return
        if env._deployment is not None:
            self._advance_deployment(env)
        if env.status is not EnvironmentStatus.LAUNCHING:
            self._refresh_health(env)

    def _check_launched(self: BeanstalkService, env: Environment) -> None:
        g = env.auto_scaling_group
        if g is None:
            return
        want = env.opt("aws:autoscaling:asg", "MinSize")
        if env.load_balanced:
            lb, tg = env.load_balancer, env.target_group
            if not lb.is_active:
                return
            healthy = [t for t in tg.targets.values() if t.state.value == "healthy"]
            if len(healthy) < want:
                return
        elif sum(1 for i in env.instances if i.state.value == "running") < want:
            return
        now = self.cloud.clock.now
        env.status = EnvironmentStatus.READY
        env.updated = now
        env._ready_at = now
        self._event(env, "Instance deployment completed successfully.")
        self._event(env, f"Application available at {env.cname}.")
        self._event(env, f"Successfully launched environment: {env.name}")

    # -- health --------------------------------------------------------------------------------
    def instance_health(self: BeanstalkService, env: Any) -> list[tuple[Any, HealthStatus, list[str]]]:
        """``(instance, status, causes)`` for each instance of the environment now."""
        e = self.get_environment(env, include_terminated=True)
        now = self.cloud.clock.now
        targets = {t.id: t for t in e.target_group.targets.values()} if e.target_group is not None else {}
        out = []
        for inst in e.instances:
            state = inst.state.value
            if state == "pending":
                out.append((inst, HealthStatus.PENDING, ["Instance is launching."]))
            elif state != "running":
                out.append((inst, HealthStatus.SEVERE, [f"Instance is {state}."]))
            elif inst.az_down or inst.instance_status == "impaired":
                out.append((inst, HealthStatus.SEVERE, ["Instance status checks are failing."]))
            elif e._deploying.get(inst.id, -1) > now:
                out.append((inst, HealthStatus.INFO, ["Application deployment in progress."]))
            elif e.load_balanced:
                t = targets.get(inst.id)
                tstate = t.state.value if t is not None else "unused"
                if tstate == "healthy":
                    out.append((inst, HealthStatus.OK, []))
                elif tstate == "initial":
                    out.append((inst, HealthStatus.PENDING, ["Initial health checks in progress."]))
                elif tstate in ("draining", "unused"):
                    why = ("Instance is out of the load balancer for a deployment." if e._deployment
                           else "Instance is not in service.")
                    out.append((inst, HealthStatus.INFO, [why]))
                else:
                    why = f"ELB health is failing or not available for this instance ({t.reason})."
                    out.append((inst, HealthStatus.SEVERE, [why]))
            else:
                out.append((inst, HealthStatus.OK, []))
        return out

    def _assess(self: BeanstalkService, env: Environment) -> tuple[HealthStatus, list[str]]:
        if env.status is EnvironmentStatus.LAUNCHING:
            return HealthStatus.PENDING, ["Environment is launching."]
        worst, causes = HealthStatus.OK, []

        def worse(status: HealthStatus, cause: str) -> None:
            nonlocal worst
            causes.append(cause)
            if status.rank > worst.rank:
                worst = status

        rows = self.instance_health(env)
        n = len(rows)
        bad = sum(1 for _, s, _ in rows if s in (HealthStatus.SEVERE, HealthStatus.DEGRADED))
        if n == 0:
            worse(HealthStatus.SEVERE, "None of the instances are sending data.")
        elif bad == n:
            worse(HealthStatus.SEVERE, f"All of the instances are impacted ({bad} out of {n}).")
        elif bad * 2 > n:
            worse(HealthStatus.DEGRADED, f"{bad} out of {n} instances are impacted. See instance health for details.")
        elif bad:
            worse(HealthStatus.WARNING, f"{bad} out of {n} instances are impacted. See instance health for details.")
        recent = [s for t, s in env._recent if t >= self.cloud.clock.now - 60]
        if recent:
            share = sum(1 for s in recent if s >= 500) / len(recent)
            text = f"{100 * share:.1f} % of the requests are failing with HTTP 5xx."
            if share >= 0.25:
                worse(HealthStatus.SEVERE, text)
            elif share >= 0.10:
                worse(HealthStatus.DEGRADED, text)
            elif share >= 0.01:
                worse(HealthStatus.WARNING, text)
        if worst is HealthStatus.OK and env.status is EnvironmentStatus.UPDATING:
            worst = HealthStatus.INFO
            causes.append("Command is executing on all instances.")
        return worst, causes

    def _refresh_health(self: BeanstalkService, env: Environment) -> None:
        new, causes = self._assess(env)
        old = env.health_status
        env.causes = causes
        if new is old:
            return
        env.health_status = new
        now = self.cloud.clock.now
        text = f"Environment health has transitioned from {old.value} to {new.value}."
        if old is HealthStatus.PENDING and env._ready_at is not None:
            text += (f" Initialization completed {now - env._ready_at:.0f} seconds ago and took "
                     f"{max(1, round((env._ready_at - env.created) / 60))} minutes.")
        if causes:
            text += " " + " ".join(causes)
        self._event(env, text, Severity.WARN if new.rank > old.rank and new.rank >= 15 else Severity.INFO)

    def describe_environment_health(self: BeanstalkService, env: Any) -> dict[str, Any]:
        """Enhanced health now: status, colour, causes, instance counts by status and request counts."""
        e = self.get_environment(env)
        counts = {s: 0 for s in HealthStatus}
        for _, s, _ in self.instance_health(e):
            counts[s] += 1
        recent = [s for t, s in e._recent if t >= self.cloud.clock.now - 60]
        codes = {f"Status{k}xx": sum(1 for s in recent if s // 100 == k) for k in (2, 3, 4, 5)}
        return {"environment": e, "status": e.health_status, "color": e.health, "causes": list(e.causes),
                "instances": counts, "request_count": len(recent), "status_codes": codes}

    # -- updates and deployments ------------------------------------------------------------------
    def update_environment(self: BeanstalkService, env: Any, *, version_label: str | None = None,
                           option_settings: Any = None, description: str | None = None) -> Environment:
        """UpdateEnvironment: deploy another version and/or change options.

        Option changes apply at once: ``aws:autoscaling:asg`` MinSize/MaxSize resize the Auto
        Scaling group; ``aws:elasticbeanstalk:command`` settings shape the next deployment.  A new
        ``version_label`` starts a deployment by the environment's DeploymentPolicy (see the
        module docstring); the environment is ``Updating`` until it finishes.

        Raises: InvalidParameterValue (unknown version; the environment is not Ready),
        ConfigurationValidationException.
        """
        e = self.get_environment(env)
        if e.status is not EnvironmentStatus.READY:
            fail("InvalidParameterValue", f"Environment named {e.name} is in an invalid state for this operation. "
                                          f"Must be Ready. (It is {e.status.value}.)")
        version = e.application.version(version_label) if version_label is not None else None
        if version is not None and version.status.value == "Failed":
            fail("InvalidParameterValue", f"Application version {version.label} failed processing and cannot be "
                                          f"deployed: {version.failure}.")
        if option_settings is not None:
            options, props = parse_options(option_settings, base=e.options)
            changed = {k for k in options if options[k] != e.options.get(k)}
            allowed = {"aws:autoscaling:asg", CMD, "aws:autoscaling:trigger"}
            refused = sorted({k[0] for k in changed} - allowed)
            if refused:
                fail("InvalidParameterValue", f"awskit applies changes to {', '.join(sorted(allowed))} only; "
                                              f"{', '.join(refused)} cannot change on a running environment here "
                                              "(create a new environment instead).")
            if e.environment_type == "SingleInstance" and any(k[0] == "aws:autoscaling:asg" for k in changed):
                fail("InvalidParameterValue", "A SingleInstance environment always has exactly one instance.")
            e.options = options
            e.properties.update(props)
            g = e.auto_scaling_group
            if g is not None and any(k[0] == "aws:autoscaling:asg" for k in changed):
                lo, hi = options[("aws:autoscaling:asg", "MinSize")], options[("aws:autoscaling:asg", "MaxSize")]
                desired = min(max(g.desired_capacity, lo), hi)
                self.region.autoscaling.update_auto_scaling_group(g, min_size=lo, max_size=hi,
                                                                  desired_capacity=desired)
                self._event(e, f"Updated Auto Scaling group: MinSize {lo}, MaxSize {hi}.")
        if description is not None:
            e.description = description
        e.updated = self.cloud.clock.now
        if version is not None:
            self._start_deployment(e, version)
        return e

    def _start_deployment(self: BeanstalkService, env: Environment, version: Any) -> None:
        policy = env.opt(CMD, "DeploymentPolicy")
        ids = [i.id for i in env.instances if i.state.value in ("pending", "running")]
        if policy == "Rolling" and env.load_balanced:
            n = len(ids)
            size = env.opt(CMD, "BatchSize")
            per = max(1, math.ceil(n * size / 100)) if env.opt(CMD, "BatchSizeType") == "Percentage" else size
            batches = [ids[i:i + per] for i in range(0, n, per)] or [[]]
        else:
            policy = "AllAtOnce"
            batches = [ids]
        env.status = EnvironmentStatus.UPDATING
        env._target_version = version
        dep = _Deployment(env, version, policy, batches)
        dep.phase_since = self.cloud.clock.now
        env._deployment = dep
        self._event(env, "Environment update is starting.")
        if policy == "AllAtOnce":
            self._event(env, f"Deploying new version to instance(s). Version: {version.label}")
            self._restart(env, batches[0], version)
            dep.phase = "restarting"
        else:
            self._event(env, f"Deploying new version to instance(s) in batches of {len(batches[0])} "
                             f"({len(batches)} batches). Version: {version.label}")
            self._rolling_begin_batch(env, dep)

    def _restart(self: BeanstalkService, env: Environment, ids: list[str], version: Any) -> None:
        until = self.cloud.clock.now + DEPLOY_SECONDS
        ec2 = self.region.ec2
        for iid in ids:
            env._deploying[iid] = until
            try:
                inst = ec2.get_instance(iid)
            except LookupError:
                continue
            self._install(env, inst, version)

    def _rolling_begin_batch(self: BeanstalkService, env: Environment, dep: _Deployment) -> None:
        batch = dep.batches[dep.index]
        self._event(env, f"Batch {dep.index + 1}: Starting application deployment on instance(s) [{', '.join(batch)}].")
        tg = env.target_group
        live = [iid for iid in batch if iid in tg.targets or any(t.id == iid for t in tg.targets.values())]
        if live:
            self.region.elb.deregister_targets(tg, live)
            self._event(env, f"Batch {dep.index + 1}: Deregistering instance(s) from the load balancer and "
                             "waiting for in-flight requests to drain.")
        dep.phase = "draining"
        dep.phase_since = self.cloud.clock.now

    def _advance_deployment(self: BeanstalkService, env: Environment) -> None:
        dep: _Deployment = env._deployment
        now = self.cloud.clock.now
        if dep.policy == "AllAtOnce":
            if any(until > now for until in env._deploying.values()):
                return
            self._finish_deployment(env, dep)
            return
        batch = dep.batches[dep.index]
        tg = env.target_group
        if dep.phase == "draining":
            if now - dep.phase_since < env.opt(PROC, "DeregistrationDelay"):
                return
            self._restart(env, batch, dep.version)
            dep.phase, dep.phase_since = "restarting", now
        elif dep.phase == "restarting":
            if any(env._deploying.get(iid, -1) > now for iid in batch):
                return
            alive = [iid for iid in batch if iid in {i.id for i in env.instances}]
            if alive:
                self.region.elb.register_targets(tg, alive)
            self._event(env, f"Batch {dep.index + 1}: Registering instance(s) with the load balancer and waiting "
                             "for them to be healthy.")
            dep.phase, dep.phase_since = "checking", now
        elif dep.phase == "checking":
            alive = {i.id for i in env.instances}
            states = [t.state.value for t in tg.targets.values() if t.id in batch and t.id in alive]
            if states and all(s == "healthy" for s in states) or not states:
                self._event(env, f"Batch {dep.index + 1}: Completed application deployment.")
                dep.index += 1
                if dep.index >= len(dep.batches):
                    self._finish_deployment(env, dep)
                else:
                    self._rolling_begin_batch(env, dep)
            elif any(s == "unhealthy" for s in states) or now - dep.phase_since > env.opt(CMD, "Timeout"):
                self._fail_deployment(env, dep, f"Batch {dep.index + 1}: instance(s) did not pass health checks "
                                                f"on version {dep.version.label}.")

    def _finish_deployment(self: BeanstalkService, env: Environment, dep: _Deployment) -> None:
        env._deployment = None
        env._deploying.clear()
        bad = self._version_broken(dep.version)
        env.version = dep.version
        env._target_version = None
        env.status = EnvironmentStatus.READY
        env.updated = self.cloud.clock.now
        if bad:
            self._event(env, "Failed to deploy application.", Severity.ERROR)
            return
        self._event(env, "New application version was deployed to running EC2 instances.")
        self._event(env, "Environment update completed successfully.")

    def _fail_deployment(self: BeanstalkService, env: Environment, dep: _Deployment, why: str) -> None:
        env._deployment = None
        env._target_version = None
        env.status = EnvironmentStatus.READY
        env.updated = self.cloud.clock.now
        self._event(env, why, Severity.ERROR)
        self._event(env, "Failed to deploy application.", Severity.ERROR)
        self._event(env, f"Unsuccessful command execution on instance(s). Deployment stopped after "
                         f"{dep.index} of {len(dep.batches)} batches; the environment runs mixed versions.",
                    Severity.ERROR)

    @staticmethod
    def _version_broken(version: Any) -> bool:
        from .applications import BundleError
        try:
            version.load()
        except BundleError:
            return True
        return False

    # -- blue/green ------------------------------------------------------------------------------------
    def swap_environment_cnames(self: BeanstalkService, source: Any, destination: Any) -> None:
        """SwapEnvironmentCNAMEs: exchange the URLs of two environments (a blue/green cut-over).

        Raises: InvalidParameterValue (same environment; not Ready).
        """
        a, b = self.get_environment(source), self.get_environment(destination)
        if a is b:
            fail("InvalidParameterValue", "Swapping an environment's CNAME with itself is not possible: name two "
                                          "environments.")
        for e in (a, b):
            if e.status is not EnvironmentStatus.READY:
                fail("InvalidParameterValue", f"Environment named {e.name} is in an invalid state for this "
                                              f"operation. Must be Ready. (It is {e.status.value}.)")
        a.cname, b.cname = b.cname, a.cname
        self._cnames[a.cname], self._cnames[b.cname] = a, b
        for e in (a, b):
            self._event(e, f"Completed swapping CNAMEs for environments '{a.name}' and '{b.name}'.")

    # -- termination -----------------------------------------------------------------------------------
    def terminate_environment(self: BeanstalkService, env: Any) -> Environment:
        """TerminateEnvironment: tear down what was composed, in order (alarms and scaling policies,
        the Auto Scaling group and its instances, the load balancer, then, once the instances are
        gone, the target group, launch template and security groups); ``Terminating`` until done.

        Raises: InvalidParameterValue (unknown or already terminating).
        """
        e = self.get_environment(env)
        if e.status is EnvironmentStatus.TERMINATING:
            fail("InvalidParameterValue", f"Environment named {e.name} is in an invalid state for this operation. "
                                          "It is already Terminating.")
        for t in e._timers:
            t.cancel()
        e._deployment = None
        e.status = EnvironmentStatus.TERMINATING
        e.updated = self.cloud.clock.now
        self._event(e, "terminateEnvironment is starting.")
        cw, auto, elb = self.region.cloudwatch, self.region.autoscaling, self.region.elb
        if e.alarms:
            cw.delete_alarms([a.name for a in e.alarms])
            for a in e.alarms:
                self._event(e, f"Deleted CloudWatch alarm named: {a.name}")
        if e.auto_scaling_group is not None:
            auto.delete_auto_scaling_group(e.auto_scaling_group, force_delete=True)
            self._event(e, f"Deleting Auto Scaling group named: {e.auto_scaling_group.name}")
        if e.load_balancer is not None:
            elb.delete_load_balancer(e.load_balancer)
            self._event(e, f"Deleted load balancer named: {e.load_balancer.arn}")
        self._check_terminated(e)
        return e

    def _check_terminated(self: BeanstalkService, env: Environment) -> None:
        g = env.auto_scaling_group
        auto = self.region.autoscaling
        if g is not None and auto._groups.get(g.name) is g:
            return   # instances still terminating
        if env.target_group is not None:
            self.region.elb.delete_target_group(env.target_group)
        if env.launch_template is not None:
            auto.delete_launch_template(env.launch_template)
        net = self.region.vpc
        for sg in (env.security_group, env.load_balancer_security_group):
            if sg is not None:
                net.delete_security_group(sg)
                self._event(env, f"Deleted security group named: {sg.id}")
        env.target_group = env.launch_template = None
        env.security_group = env.load_balancer_security_group = None
        env.status = EnvironmentStatus.TERMINATED
        env.health_status = HealthStatus.UNKNOWN
        env.terminated_at = env.updated = self.cloud.clock.now
        if self._cnames.get(env.cname) is env:
            del self._cnames[env.cname]
        if env._tick is not None:
            env._tick.cancel()
        self._event(env, "terminateEnvironment completed successfully.")

    def rebuild_environment(self: BeanstalkService, env: Any) -> Environment:
        """RebuildEnvironment: replace every instance (the Auto Scaling group launches fresh ones).

        Raises: InvalidParameterValue (not Ready).
        """
        e = self.get_environment(env)
        if e.status is not EnvironmentStatus.READY:
            fail("InvalidParameterValue", f"Environment named {e.name} is in an invalid state for this operation. "
                                          f"Must be Ready. (It is {e.status.value}.)")
        self._event(e, "rebuildEnvironment is starting.")
        auto = self.region.autoscaling
        for gi in e.members:
            auto.terminate_instance_in_auto_scaling_group(gi.instance, should_decrement_desired_capacity=False)
        e.status = EnvironmentStatus.LAUNCHING
        return e


__all__ = ["DEPLOY_SECONDS"]
