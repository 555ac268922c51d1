"""Chapter 4.3: AWS Elastic Beanstalk, upload your code and let AWS build the rest.

Elastic Beanstalk is a platform as a service: you give it an application version (a source
bundle) and a platform (OS and language runtime), and it provisions and runs the pieces a web
application needs (security groups, a load balancer, an Auto Scaling group of EC2 instances,
CloudWatch alarms), deploys your code to them and watches their health.  The resources stay
yours to inspect and change; Beanstalk itself costs nothing beyond them.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=7)
>>> eb = cloud.beanstalk
>>> _ = eb.create_application("hello")
>>> _ = eb.create_application_version("hello", "v1", app=lambda request: "hello, world")
>>> env = eb.create_environment("hello", "hello-env", version_label="v1", cname_prefix="hello-env")
>>> cloud.clock.advance(minutes=5)
>>> env.status.value, env.health_status.value
('Ready', 'Ok')
>>> eb.request(env, "/").response.body
'hello, world'

The package is split by concept: :mod:`.applications` (applications, versions, the bundle
convention), :mod:`.options` (configuration option settings), :mod:`.environments` (the
composition and request routing), :mod:`.operations` (health, deployments, CNAME swap,
termination) and :mod:`.service` (``BeanstalkService``).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "BeanstalkService": ".service",
    "Application": ".applications", "ApplicationVersion": ".applications", "BundleError": ".applications",
    "sample_application": ".applications",
    "Environment": ".environments",
    "EnvironmentStatus": "._common", "HealthStatus": "._common", "VersionStatus": "._common",
    "Severity": "._common", "EbEvent": "._common", "SolutionStack": "._common", "SOLUTION_STACKS": "._common",
    "OPTIONS": ".options", "parse_options": ".options",
    "DEPLOY_SECONDS": ".operations",
}

__all__ = [
    "DEPLOY_SECONDS",
    "OPTIONS",
    "SOLUTION_STACKS",
    "Application",
    "ApplicationVersion",
    "BeanstalkService",
    "BundleError",
    "EbEvent",
    "Environment",
    "EnvironmentStatus",
    "HealthStatus",
    "Severity",
    "SolutionStack",
    "VersionStatus",
    "parse_options",
    "sample_application",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'awskit.beanstalk' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
