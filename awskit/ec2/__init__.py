"""Chapter 4: Amazon EC2, resizable virtual servers in the cloud.

You pick software (an AMI), hardware (an instance type from one of five families), a
place in your network (a subnet and its security groups) and a key pair to log in with;
EC2 boots an instance that you pay for by the second while it runs.  Elastic IPs give an
instance a public address that survives stops and starts.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=3)
>>> key, pem = cloud.ec2.create_key_pair("lab")
>>> web = cloud.ec2.run_instance(instance_type="t3.micro", key_name="lab", tags={"Name": "web"})
>>> web.state.value
'pending'
>>> cloud.clock.advance(minutes=1); web.state.value
'running'

The package is split by concept: :mod:`.catalog` (AMIs and instance types),
:mod:`.instances` (the records), :mod:`.lifecycle` (launching and state changes),
:mod:`.keypairs`, :mod:`.addresses` (Elastic IPs), :mod:`.sessions` (simulated SSH) and
:mod:`.service` (``EC2Service``).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "EC2Service": ".service",
    "Image": ".catalog", "InstanceType": ".catalog", "InstanceStorage": ".catalog",
    "INSTANCE_TYPES": ".catalog", "FAMILIES": ".catalog", "public_images": ".catalog",
    "Instance": ".instances", "InstanceState": ".instances", "StateReason": ".instances",
    "Reservation": ".instances", "BlockDeviceAttachment": ".instances", "InterfaceAttachment": ".instances",
    "KeyPair": ".keypairs", "Address": ".addresses",
    "SSHError": ".sessions", "SSHSession": ".sessions", "CommandResult": ".sessions",
    "DEFAULT_VCPU_QUOTAS": ".lifecycle",
}

__all__ = [
    "DEFAULT_VCPU_QUOTAS",
    "FAMILIES",
    "INSTANCE_TYPES",
    "Address",
    "BlockDeviceAttachment",
    "CommandResult",
    "EC2Service",
    "Image",
    "Instance",
    "InstanceState",
    "InstanceStorage",
    "InstanceType",
    "InterfaceAttachment",
    "KeyPair",
    "Reservation",
    "SSHError",
    "SSHSession",
    "StateReason",
    "public_images",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'awskit.ec2' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
