"""Chapter 15: AWS Trusted Advisor, an automated review of the account against best practices.

Trusted Advisor reads the state of an account (instances and their CPU history, security
group rules, buckets, keys, snapshots, quotas) and reports, check by check, what wastes
money, what is slow, what is exposed and what would not survive a failure: green, yellow or
red, with the resources it flagged and, for cost checks, an estimate of the monthly saving.
awskit computes the same checks from the simulated account, and each finding can apply its
recommended fix through the services' own APIs.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=5)
>>> sg = cloud.vpc.create_security_group(None, "ssh", "ssh from anywhere")
>>> _ = cloud.vpc.authorize_security_group_ingress(sg, ip_protocol="tcp", from_port=22, to_port=22,
...                                                cidr_ip="0.0.0.0/0")
>>> result = cloud.trusted_advisor.result("Security Groups - Unrestricted Access")
>>> result.status.value, result.flagged[0].reason
('error', 'tcp 22 open to 0.0.0.0/0')
>>> result.flagged[0].fix(admin_cidr="203.0.113.0/24").status.value
'ok'

The package is split by concept: :mod:`.checks` (the registry and the records), one module
per category (:mod:`.cost`, :mod:`.performance`, :mod:`.security`, :mod:`.fault_tolerance`,
:mod:`.limits`) and :mod:`.service` (``TrustedAdvisorService``).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "TrustedAdvisorService": ".service", "RefreshStatus": ".service",
    "MIN_REFRESH_SECONDS": ".service", "AUTO_REFRESH_SECONDS": ".service",
    "CATEGORIES": ".checks", "CHECKS": ".checks", "CheckDefinition": ".checks", "CheckResult": ".checks",
    "Finding": ".checks", "Status": ".checks",
}

__all__ = [
    "AUTO_REFRESH_SECONDS",
    "CATEGORIES",
    "CHECKS",
    "MIN_REFRESH_SECONDS",
    "CheckDefinition",
    "CheckResult",
    "Finding",
    "RefreshStatus",
    "Status",
    "TrustedAdvisorService",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        if name == "CHECKS":  # the registry fills when the check modules load (with the service)
            importlib.import_module(".service", __name__)
        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'awskit.trusted_advisor' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
