"""Seeded identifiers in AWS's formats.

AWS ids are a prefix and 17 hexadecimal digits (``vpc-0a1b2c3d4e5f67890``).  awskit draws
them from the cloud's seeded random generator, so the same notebook prints the same ids on
every run and graded answers are reproducible.
"""

from __future__ import annotations

import random

__all__ = ["IdGenerator", "arn", "ID_PREFIXES"]

#: Prefixes AWS uses for the resource kinds awskit models.
ID_PREFIXES = {
    "vpc": "vpc",
    "subnet": "subnet",
    "igw": "igw",
    "rtb": "rtb",
    "rtbassoc": "rtbassoc",
    "acl": "acl",
    "aclassoc": "aclassoc",
    "sg": "sg",
    "sgr": "sgr",
    "eni": "eni",
    "attach": "eni-attach",
    "instance": "i",
    "volume": "vol",
    "snapshot": "snap",
    "ami": "ami",
    "eip": "eipalloc",
    "eipassoc": "eipassoc",
    "key": "key",
    "reservation": "r",
    "lt": "lt",
}


class IdGenerator:
    """Draws AWS-format ids from a seeded generator; never repeats an id.

    >>> ids = IdGenerator(random.Random(0))
    >>> ids.new("vpc")
    'vpc-0629f6fbed82c07cd'
    >>> len(ids.new("i"))
    19
    """

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._seen: set[str] = set()

    def hex(self, n: int) -> str:
        """``n`` random lowercase hex digits."""
        return f"{self._rng.getrandbits(4 * n):0{n}x}"

    def new(self, prefix: str, digits: int = 17) -> str:
        """A fresh id such as ``prefix-0123456789abcdef0``."""
        while True:
            # AWS's 17-digit ids start with 0 (the long-id format), keep that look.
            body = "0" + self.hex(digits - 1) if digits == 17 else self.hex(digits)
            candidate = f"{prefix}-{body}"
            if candidate not in self._seen:
                self._seen.add(candidate)
                return candidate

    def token(self, n: int = 32) -> str:
        """An opaque token (request ids, continuation tokens)."""
        return self.hex(n)

    def uuid(self) -> str:
        """A UUID-shaped string (request ids, Lambda request ids)."""
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{h[16:20]}-{h[20:]}"


def arn(service: str, region: str, account: str, resource: str, partition: str = "aws") -> str:
    """An Amazon Resource Name.

    >>> arn("ec2", "us-east-1", "123456789012", "vpc/vpc-0abc")
    'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0abc'
    """
    return f"arn:{partition}:{service}:{region}:{account}:{resource}"
