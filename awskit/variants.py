"""Per-student variants: the same exercise with different numbers for every student.

An exercise author asks :func:`variant` for the numbers of a task instead of writing them into
the text; each student gets their own CIDR block, Availability Zone, administrators' network and
traffic figures, derived from a stable hash of their id. The id is read from
``AWSKIT_STUDENT_ID`` (the grader sets it for every submission's kernel) or ``JUPYTERHUB_USER``
(a student's own server under JupyterHub), so the student's notebook and the hidden tests that
grade it derive the same numbers.

>>> v = variant("alice")
>>> v == variant("alice"), v["vpc_cidr"] != variant("bob")["vpc_cidr"]
(True, True)
>>> sorted(v)[:3]
['admin_network', 'availability_zone', 'object_size_kb']
"""

from __future__ import annotations

import hashlib
import os

from .core.errors import InvalidParameter

__all__ = ["student_id", "variant"]

_AZ_LETTERS = "abcdef"  # us-east-1 has six Availability Zones, us-east-1a to us-east-1f


def student_id() -> str:
    """The current student's id: AWSKIT_STUDENT_ID, else JUPYTERHUB_USER, else ``""``."""
    return os.environ.get("AWSKIT_STUDENT_ID") or os.environ.get("JUPYTERHUB_USER") or ""


def variant(student_id: str | None = None) -> dict:
    """The numbers of this student's variant of an exercise (a new dict on every call).

    Args:
        student_id: whose variant; default the current student (:func:`student_id`; with no id
            at all, everyone gets the same "self-study" variant).

    Returns:
        ``student_id``; ``second_octet`` and ``vpc_cidr`` (``10.<n>.0.0/16``, n in 16..215);
        ``public_subnet_cidr``/``private_subnet_cidr`` (``10.<n>.1.0/24``/``10.<n>.2.0/24``);
        ``availability_zone`` (us-east-1a..f); ``admin_network`` (a /28 of the documentation
        range 203.0.113.0/24); ``requests_per_second`` (100..2000); ``object_size_kb`` (1..64).

    Raises:
        InvalidParameter (InvalidParameterValue): the id is not a string.
    """
    if student_id is None:
        student_id = globals()["student_id"]()
    if not isinstance(student_id, str):
        raise InvalidParameter(
            "InvalidParameterValue",
            f"student_id must be a str such as 'alice', not {type(student_id).__name__} "
            f"{student_id!r}.",
        )
    h = hashlib.sha256(f"awskit-variant:{student_id}".encode()).digest()
    octet = 16 + h[0] % 200
    return {
        "student_id": student_id,
        "second_octet": octet,
        "vpc_cidr": f"10.{octet}.0.0/16",
        "public_subnet_cidr": f"10.{octet}.1.0/24",
        "private_subnet_cidr": f"10.{octet}.2.0/24",
        "availability_zone": f"us-east-1{_AZ_LETTERS[h[1] % len(_AZ_LETTERS)]}",
        "admin_network": f"203.0.113.{(h[2] % 16) * 16}/28",
        "requests_per_second": 100 * (1 + h[3] % 20),
        "object_size_kb": 1 + h[4] % 64,
    }
