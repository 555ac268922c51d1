"""Helpers every part of the network model shares: errors, CIDR parsing, tags, protocols.

Private to :mod:`awskit.vpc` and :mod:`awskit.security`; nothing here is public API.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from typing import Any, ClassVar, NoReturn

from ..core.errors import (
    listing,  # noqa: F401  (shared helper, re-exported for this package)
    AlreadyExists,
    AWSError,
    DependencyViolation,
    InvalidParameter,
    InvalidState,
    error_class,
)

# EC2 answers every client error with HTTP 400, even for codes that other services answer
# with 409 (the "already exists" family), so the network model pins the status.
_FAMILY_OVERRIDES: dict[str, type[AWSError]] = {
    "Resource.AlreadyAssociated": AlreadyExists,
    "Gateway.NotAttached": InvalidState,
    "CannotDelete": InvalidParameter,
    "InvalidNetworkInterface.InUse": DependencyViolation,
    "InvalidIPAddress.InUse": AlreadyExists,
    "InsufficientFreeAddressesInSubnet": InvalidState,
    "VPCIdNotSpecified": InvalidParameter,
}


def fail(code: str, message: str) -> NoReturn:
    """Raise the AWSError family for ``code`` with EC2's HTTP status (400)."""
    cls = _FAMILY_OVERRIDES.get(code) or error_class(code)
    raise cls(code, message, status=400)




def parse_cidr(value: Any, what: str = "cidrBlock") -> IPv4Network:
    """An IPv4 network from ``'10.0.0.0/16'``; malformed or non-canonical input is refused.

    AWS answers ``InvalidParameterValue`` both for text that is not a CIDR block and for a
    block whose host bits are set (``10.0.0.5/16``): the message names the canonical form.
    """
    if isinstance(value, IPv4Network):
        return value
    if not isinstance(value, str) or "/" not in value:
        fail("InvalidParameterValue",
             f"Value ({value!r}) for parameter {what} is invalid. This is not a valid CIDR block: "
             "write an IPv4 network with its prefix length, such as '10.0.0.0/16'.")
    try:
        return IPv4Network(value, strict=True)
    except ValueError:
        pass
    try:
        loose = ipaddress.ip_network(value, strict=False)
    except ValueError:
        fail("InvalidParameterValue",
             f"Value ({value!r}) for parameter {what} is invalid. This is not a valid CIDR block: "
             "write an IPv4 network with its prefix length, such as '10.0.0.0/16'.")
    if not isinstance(loose, IPv4Network):
        fail("InvalidParameterValue",
             f"Value ({value!r}) for parameter {what} is invalid: awskit models IPv4 networks only.")
    fail("InvalidParameterValue",
         f"Value ({value!r}) for parameter {what} is invalid: the host bits are set. "
         f"The network with that prefix is {loose}; use that.")


def parse_ip(value: Any, what: str = "ipAddress") -> IPv4Address:
    """An IPv4 address from ``'10.0.0.5'`` (or an IPv4Address)."""
    if isinstance(value, IPv4Address):
        return value
    try:
        return IPv4Address(value)
    except (ValueError, TypeError):
        fail("InvalidParameterValue",
             f"Value ({value!r}) for parameter {what} is invalid: expected an IPv4 address "
             "such as '10.0.1.25'.")


_TAG_KEY_MAX, _TAG_VALUE_MAX, _TAGS_MAX = 128, 256, 50


def check_tags(tags: Any) -> dict[str, str]:
    """Validate a tag dict as AWS does: string keys up to 128 chars, values up to 256, at most 50,
    and no keys in the reserved ``aws:`` namespace."""
    if tags is None:
        return {}
    if not isinstance(tags, dict):
        fail("InvalidParameterValue",
             f"Tags are a dict of key -> value, e.g. {{'Name': 'web'}}, not {tags!r}.")
    for key, value in tags.items():
        if not isinstance(key, str) or not key or len(key) > _TAG_KEY_MAX:
            fail("InvalidParameterValue",
                 f"Tag key {key!r} is invalid: a key is a non-empty string of at most {_TAG_KEY_MAX} characters.")
        if key.lower().startswith("aws:"):
            fail("InvalidParameterValue",
                 f"Tag key {key!r} is invalid: keys starting with 'aws:' are reserved for AWS.")
        if not isinstance(value, str) or len(value) > _TAG_VALUE_MAX:
            fail("InvalidParameterValue",
                 f"Tag value {value!r} for key {key!r} is invalid: a value is a string of at most "
                 f"{_TAG_VALUE_MAX} characters.")
    if len(tags) > _TAGS_MAX:
        fail("TagLimitExceeded", f"{len(tags)} tags given; a resource holds at most {_TAGS_MAX} tags.")
    return dict(tags)


#: Protocol spellings AWS accepts -> IANA protocol number as a string ("-1" means all).
PROTOCOL_NUMBERS = {"-1": "-1", "all": "-1", "tcp": "6", "6": "6", "udp": "17", "17": "17",
                    "icmp": "1", "1": "1"}
PROTOCOL_NAMES = {"-1": "-1", "6": "tcp", "17": "udp", "1": "icmp"}


def protocol_number(value: Any) -> str:
    """``'tcp'`` / ``6`` / ``'6'`` -> ``'6'``; ``'all'`` / ``-1`` -> ``'-1'``; any protocol 0-255 allowed."""
    text = str(value).lower() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    if text in PROTOCOL_NUMBERS:
        return PROTOCOL_NUMBERS[text]
    if text is not None and text.isdigit() and 0 <= int(text) <= 255:
        return str(int(text))
    fail("InvalidParameterValue",
         f"Invalid value {value!r} for IP protocol. Use 'tcp' (6), 'udp' (17), 'icmp' (1), "
         "'-1' for all protocols, or a protocol number from 0 to 255.")


def direction(value: Any) -> bool:
    """``'ingress'``/``'inbound'`` -> False, ``'egress'``/``'outbound'`` -> True (the egress flag)."""
    if value in ("ingress", "inbound"):
        return False
    if value in ("egress", "outbound"):
        return True
    fail("InvalidParameterValue",
         f"Direction {value!r} is not valid: use 'ingress' (inbound) or 'egress' (outbound).")


def check_port(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535:
        fail("InvalidParameterValue",
             f"Invalid {what} {value!r}: a TCP/UDP port is a whole number from 0 to 65535.")
    return value


_NAME_RE = re.compile(r"^[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*$")


def check_group_text(value: Any, what: str) -> str:
    """Security group names and descriptions in a VPC: 1-255 characters from AWS's set."""
    if not isinstance(value, str) or not value:
        fail("InvalidParameterValue", f"The security group {what} must be a non-empty string, not {value!r}.")
    if len(value) > 255:
        fail("InvalidParameterValue",
             f"The security group {what} is {len(value)} characters long; the limit is 255.")
    if not _NAME_RE.match(value):
        fail("InvalidParameterValue",
             f"Invalid security group {what} {value!r}: use letters, digits, spaces and ._-:/()#,@[]+=&;{{}}!$*")
    return value


@dataclass(slots=True, kw_only=True, repr=False, eq=False)
class Resource:
    """What every network resource has: an id, its owner's account, its region and tags."""

    _ARN_KIND: ClassVar[str] = ""

    id: str
    owner_id: str
    region: str
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str | None:
        """The ``Name`` tag, which the console shows as the resource's name."""
        return self.tags.get("Name")

    @property
    def arn(self) -> str:
        return f"arn:aws:ec2:{self.region}:{self.owner_id}:{self._ARN_KIND}/{self.id}"

    def _name_part(self) -> str:
        return f", name={self.name!r}" if self.name else ""
