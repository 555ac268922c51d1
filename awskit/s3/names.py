"""Bucket names and endpoints.

A bucket name is part of a DNS host name (``my-bucket.s3.amazonaws.com``), so AWS restricts
it to what is safe in DNS and unique across every account in the partition.  The rules
below follow AWS's "General purpose bucket naming rules" as documented in 2025-2026.
"""

from __future__ import annotations

import ipaddress
import re

from ..core.errors import InvalidParameter

__all__ = ["RESERVED_PREFIXES", "RESERVED_SUFFIXES", "validate_bucket_name", "website_endpoint"]

#: Prefixes AWS reserves (punycode, S3 access points, S3 Express/Tables internals).
RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
#: Suffixes AWS reserves (access point aliases, Object Lambda aliases, directory buckets, S3 Tables).
RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")

_ALLOWED = re.compile(r"^[a-z0-9.\-]+$")

#: Regions whose website endpoint is written ``s3-website-REGION`` (a dash); every
#: other region uses ``s3-website.REGION`` (a dot).  From AWS's website endpoint table.
_DASH_WEBSITE_REGIONS = frozenset({
    "us-east-1", "us-west-1", "us-west-2", "ap-southeast-1", "ap-southeast-2",
    "ap-northeast-1", "eu-west-1", "sa-east-1", "us-gov-west-1",
})


def _bad(name: object, rule: str) -> InvalidParameter:
    return InvalidParameter("InvalidBucketName", f"The specified bucket is not valid: {name!r}. {rule}",
                            BucketName=str(name))


def validate_bucket_name(name: object) -> str:
    """Check a general purpose bucket name against AWS's rules; return it.

    >>> validate_bucket_name("my-photos.2026")
    'my-photos.2026'
    >>> validate_bucket_name("My_Bucket")
    Traceback (most recent call last):
    ...
    awskit.core.errors.InvalidParameter: An error occurred (InvalidBucketName): The specified bucket is not valid: 'My_Bucket'. Bucket names use only lowercase letters, digits, dots (.) and hyphens (-).
    """
    if not isinstance(name, str):
        raise _bad(name, f"A bucket name is a string, not {type(name).__name__}.")
    if not 3 <= len(name) <= 63:
        raise _bad(name, f"Bucket names are 3 to 63 characters long; this one has {len(name)}.")
    if not _ALLOWED.match(name):
        raise _bad(name, "Bucket names use only lowercase letters, digits, dots (.) and hyphens (-).")
    if not (name[0].isalnum() and name[-1].isalnum()):
        raise _bad(name, "A bucket name must begin and end with a lowercase letter or a digit.")
    if ".." in name:
        raise _bad(name, "A bucket name must not contain two adjacent periods.")
    if ".-" in name or "-." in name:
        raise _bad(name, "A period next to a hyphen ('.-' or '-.') is not a valid DNS label.")
    try:
        ipaddress.IPv4Address(name)
    except ValueError:
        pass
    else:
        raise _bad(name, "A bucket name must not be formatted as an IP address (e.g. 192.168.5.4).")
    for prefix in RESERVED_PREFIXES:
        if name.startswith(prefix):
            raise _bad(name, f"The prefix {prefix!r} is reserved by AWS.")
    for suffix in RESERVED_SUFFIXES:
        if name.endswith(suffix):
            raise _bad(name, f"The suffix {suffix!r} is reserved by AWS.")
    return name


def website_endpoint(bucket: str, region: str) -> str:
    """The static website host of a bucket: the dash or dot form depending on the region.

    >>> website_endpoint("site", "us-east-1")
    'site.s3-website-us-east-1.amazonaws.com'
    >>> website_endpoint("site", "eu-central-1")
    'site.s3-website.eu-central-1.amazonaws.com'
    """
    sep = "-" if region in _DASH_WEBSITE_REGIONS else "."
    return f"{bucket}.s3-website{sep}{region}.amazonaws.com"
