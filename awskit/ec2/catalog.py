"""What you choose from when you launch: machine images (AMIs) and instance types.

An AMI is the software side of an instance (an operating system image, who publishes it,
its CPU architecture, and whether its root disk is an EBS volume or instance storage); an
instance type is the hardware side (vCPUs, memory, network, local disks, accelerators).
AWS groups the types in five families: general purpose, compute optimized, memory
optimized, storage optimized and accelerated computing.

>>> t = INSTANCE_TYPES["t3.micro"]
>>> t.vcpus, t.memory_mib, t.family, t.burstable
(2, 1024, 'general purpose', True)
>>> [i.name for i in public_images("us-east-1") if i.platform == "windows"]
['Windows_Server-2022-English-Full-Base-2025.12.10']

Prices are approximate us-east-1 Linux On-Demand list prices (USD per hour) as AWS
published them in 2025; they are here to compare designs, not to budget.  AMI names and
dates are realistic but invented for the simulation (real AMIs are republished monthly).
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ._common import fail, listing

if TYPE_CHECKING:
    from .service import EC2Service

__all__ = [
    "FAMILIES",
    "INSTANCE_TYPES",
    "OWNERS",
    "PRICES_AS_OF",
    "WINDOWS_LICENSE_PER_VCPU_HOUR",
    "Image",
    "InstanceStorage",
    "InstanceType",
    "public_images",
]

#: When the prices below were read from AWS's public price list (approximate).
PRICES_AS_OF = "2025-12"

#: Publisher account -> the alias describe_images shows (Canonical's images have no alias).
OWNERS = {"137112412989": "amazon", "801119661308": "amazon", "099720109477": None}
_PUBLISHER = {"137112412989": "Amazon", "801119661308": "Microsoft (via Amazon)", "099720109477": "Canonical"}

#: Windows Server license, added to the Linux price per vCPU-hour (approximate; burstable
#: t-types are charged about a tenth of this).
WINDOWS_LICENSE_PER_VCPU_HOUR = 0.046

FAMILIES = ("general purpose", "compute optimized", "memory optimized", "storage optimized",
            "accelerated computing")


@dataclass(slots=True, kw_only=True, frozen=True)
class InstanceStorage:
    """Local (instance store) disks: ``count`` x ``size_gb`` of ``kind`` ("ssd" or "hdd")."""

    count: int
    size_gb: int
    kind: str = "ssd"
    nvme: bool = True

    @property
    def total_gb(self) -> int:
        return self.count * self.size_gb


@dataclass(slots=True, kw_only=True, frozen=True)
class InstanceType:
    """The hardware of an instance.

    >>> INSTANCE_TYPES["d3.xlarge"].instance_storage.total_gb
    6000
    """

    name: str
    family: str
    vcpus: int
    memory_mib: int
    network_performance: str
    hourly_price: float
    architectures: tuple[str, ...] = ("x86_64",)
    burstable: bool = False
    instance_storage: InstanceStorage | None = None
    accelerators: str | None = None          # e.g. "1 x NVIDIA T4 GPU"
    current_generation: bool = True
    #: the vCPU quota the type counts against ("standard", "G", "P", "Inf")
    quota_class: str = "standard"
    #: CPU credits earned per hour (t-family only): the baseline a burstable type sustains
    credits_per_hour: float | None = None
    baseline_percent: float | None = None

    @property
    def series(self) -> str:
        return self.name.split(".")[0]

    @property
    def size(self) -> str:
        return self.name.split(".")[1]

    @property
    def memory_gib(self) -> float:
        return self.memory_mib / 1024

    def __repr__(self) -> str:
        storage = f", instance_storage={self.instance_storage.count}x{self.instance_storage.size_gb}GB" \
            if self.instance_storage else ""
        return (f"InstanceType({self.name!r}, {self.family}, vcpus={self.vcpus}, memory={self.memory_gib:g} GiB"
                f"{storage}, ${self.hourly_price}/h)")


def _t(name, family, vcpus, mem, net, price, **kw) -> InstanceType:
    return InstanceType(name=name, family=family, vcpus=vcpus, memory_mib=mem, network_performance=net,
                        hourly_price=price, **kw)


_GP, _CO, _MO, _SO, _AC = FAMILIES
_ARM = ("arm64",)
#: The architectures EC2 names in an image's ``Architecture`` field.
_ARCHITECTURES = ("i386", "x86_64", "arm64", "x86_64_mac", "arm64_mac")
#: What an unknown instance type raises: DescribeInstanceTypes' code, RunInstances' code.
_TYPE_ERRORS = ("InvalidInstanceType", "InvalidParameterValue")
_TYPES = [
    # general purpose: a balance of CPU, memory and network; t-types are burstable
    _t("t2.micro", _GP, 1, 1024, "Low to Moderate", 0.0116, burstable=True, credits_per_hour=6,
       baseline_percent=10, architectures=("i386", "x86_64")),
    _t("t3.nano", _GP, 2, 512, "Up to 5 Gigabit", 0.0052, burstable=True, credits_per_hour=6, baseline_percent=5),
    _t("t3.micro", _GP, 2, 1024, "Up to 5 Gigabit", 0.0104, burstable=True, credits_per_hour=12,
       baseline_percent=10),
    _t("t3.small", _GP, 2, 2048, "Up to 5 Gigabit", 0.0208, burstable=True, credits_per_hour=24,
       baseline_percent=20),
    _t("t3.medium", _GP, 2, 4096, "Up to 5 Gigabit", 0.0416, burstable=True, credits_per_hour=24,
       baseline_percent=20),
    _t("t3.large", _GP, 2, 8192, "Up to 5 Gigabit", 0.0832, burstable=True, credits_per_hour=36,
       baseline_percent=30),
    _t("t4g.micro", _GP, 2, 1024, "Up to 5 Gigabit", 0.0084, burstable=True, credits_per_hour=12,
       baseline_percent=10, architectures=_ARM),
    _t("m5.large", _GP, 2, 8192, "Up to 10 Gigabit", 0.096),
    _t("m5.xlarge", _GP, 4, 16384, "Up to 10 Gigabit", 0.192),
    _t("m7i.large", _GP, 2, 8192, "Up to 12.5 Gigabit", 0.1008),
    _t("m4.large", _GP, 2, 8192, "Moderate", 0.10, current_generation=False),
    # EC2's default when RunInstances names no type: a first-generation type, kept for that
    _t("m1.small", _GP, 1, 1740, "Low", 0.044, current_generation=False, architectures=("i386", "x86_64")),
    # compute optimized: more CPU per GiB of memory
    _t("c5.large", _CO, 2, 4096, "Up to 10 Gigabit", 0.085),
    _t("c5.xlarge", _CO, 4, 8192, "Up to 10 Gigabit", 0.17),
    _t("c7g.large", _CO, 2, 4096, "Up to 12.5 Gigabit", 0.0725, architectures=_ARM),
    # memory optimized: more memory per vCPU
    _t("r5.large", _MO, 2, 16384, "Up to 10 Gigabit", 0.126),
    _t("x2gd.medium", _MO, 1, 16384, "Up to 10 Gigabit", 0.0835, architectures=_ARM,
       instance_storage=InstanceStorage(count=1, size_gb=59)),
    # storage optimized: large, fast local disks (instance store)
    _t("i3.large", _SO, 2, 15616, "Up to 10 Gigabit", 0.156, instance_storage=InstanceStorage(count=1, size_gb=475)),
    _t("d3.xlarge", _SO, 4, 32768, "Up to 15 Gigabit", 0.499,
       instance_storage=InstanceStorage(count=3, size_gb=2000, kind="hdd", nvme=False)),
    # accelerated computing: GPUs and machine-learning chips (each with its own vCPU quota)
    _t("p3.2xlarge", _AC, 8, 62464, "Up to 10 Gigabit", 3.06, accelerators="1 x NVIDIA V100 GPU",
       quota_class="P"),
    _t("g4dn.xlarge", _AC, 4, 16384, "Up to 25 Gigabit", 0.526, accelerators="1 x NVIDIA T4 GPU",
       instance_storage=InstanceStorage(count=1, size_gb=125), quota_class="G"),
    _t("inf2.xlarge", _AC, 4, 16384, "Up to 15 Gigabit", 0.7582, accelerators="1 x AWS Inferentia2",
       quota_class="Inf"),
]

#: Every instance type awskit knows, by name.
INSTANCE_TYPES: dict[str, InstanceType] = {t.name: t for t in _TYPES}


@dataclass(slots=True, kw_only=True, frozen=True)
class Image:
    """A public Amazon Machine Image in one Region.

    >>> img = public_images("us-east-1")[0]
    >>> img.id.startswith("ami-"), img.owner_alias, img.root_device_name
    (True, 'amazon', '/dev/xvda')
    """

    id: str
    name: str
    description: str
    owner_id: str
    region: str
    architecture: str
    os: str                           # "amazon-linux", "ubuntu", "windows"
    platform_details: str             # what billing calls the OS: "Linux/UNIX", "Windows"
    root_device_type: str = "ebs"     # or "instance-store"
    root_device_name: str = "/dev/xvda"
    root_volume_size: int = 8         # GiB
    creation_date: str = "2025-12-10T00:00:00.000Z"
    default_user: str = "ec2-user"
    pretty_name: str = ""
    tags: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def owner_alias(self) -> str | None:
        return OWNERS.get(self.owner_id)

    @property
    def platform(self) -> str | None:
        """``"windows"`` for Windows images; Linux images have no platform (as describe_images shows)."""
        return "windows" if self.os == "windows" else None

    @property
    def ebs_backed(self) -> bool:
        return self.root_device_type == "ebs"

    @property
    def publisher(self) -> str:
        return _PUBLISHER.get(self.owner_id, self.owner_id)

    def __repr__(self) -> str:
        return (f"Image({self.id!r}, {self.name!r}, {self.architecture}, root={self.root_device_type}, "
                f"owner={self.owner_alias or self.owner_id})")

    def _repr_html_(self) -> str:
        return (f"<div><b>{html.escape(self.id)}</b> {html.escape(self.name)}<br>{html.escape(self.description)}"
                f" &mdash; {html.escape(self.publisher)}, {self.architecture}, root device "
                f"{self.root_device_type}</div>")


#: name, description, owner, arch, os, platform details, root type, root device, size, user, pretty name
_AMIS = [
    ("al2023-ami-2023.9.20251208.0-kernel-6.1-x86_64", "Amazon Linux 2023 AMI 2023.9.20251208.0 x86_64 HVM kernel-6.1",
     "137112412989", "x86_64", "amazon-linux", "Linux/UNIX", "ebs", "/dev/xvda", 8, "ec2-user",
     "Amazon Linux 2023.9.20251208"),
    ("al2023-ami-2023.9.20251208.0-kernel-6.1-arm64", "Amazon Linux 2023 AMI 2023.9.20251208.0 arm64 HVM kernel-6.1",
     "137112412989", "arm64", "amazon-linux", "Linux/UNIX", "ebs", "/dev/xvda", 8, "ec2-user",
     "Amazon Linux 2023.9.20251208"),
    ("amzn2-ami-kernel-5.10-hvm-2.0.20251208.0-x86_64-gp2", "Amazon Linux 2 Kernel 5.10 AMI 2.0.20251208.0 x86_64 HVM gp2",
     "137112412989", "x86_64", "amazon-linux", "Linux/UNIX", "ebs", "/dev/xvda", 8, "ec2-user", "Amazon Linux 2"),
    ("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20251210",
     "Canonical, Ubuntu, 24.04, amd64 noble image", "099720109477", "x86_64", "ubuntu", "Linux/UNIX", "ebs",
     "/dev/sda1", 8, "ubuntu", "Ubuntu 24.04.3 LTS"),
    ("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20251210",
     "Canonical, Ubuntu, 24.04, arm64 noble image", "099720109477", "arm64", "ubuntu", "Linux/UNIX", "ebs",
     "/dev/sda1", 8, "ubuntu", "Ubuntu 24.04.3 LTS"),
    ("Windows_Server-2022-English-Full-Base-2025.12.10",
     "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon", "801119661308", "x86_64",
     "windows", "Windows", "ebs", "/dev/sda1", 30, "Administrator", "Windows Server 2022 Datacenter"),
    # An instance-store-backed image, kept for teaching: its root disk lives on the host and
    # vanishes when the instance stops, so such instances can be rebooted or terminated only.
    ("amzn-ami-minimal-hvm-2018.03.0.20231218.0-x86_64-s3",
     "Amazon Linux AMI 2018.03.0 x86_64 Minimal HVM instance-store", "137112412989", "x86_64", "amazon-linux",
     "Linux/UNIX", "instance-store", "/dev/sda1", 8, "ec2-user", "Amazon Linux AMI 2018.03"),
]


def _ami_id(region: str, name: str) -> str:
    """Public AMI ids differ per Region; derive them from (Region, name) so they never draw
    from the cloud's random generator and stay the same for every seed."""
    return "ami-0" + hashlib.sha256(f"{region}/{name}".encode()).hexdigest()[:16]


@lru_cache(maxsize=64)
def public_images(region: str) -> tuple[Image, ...]:
    """The public AMIs awskit offers in ``region`` (the same catalog in every Region, with
    Region-specific ids, as AWS publishes its images)."""
    return tuple(Image(id=_ami_id(region, n), name=n, description=d, owner_id=o, region=region, architecture=a,
                       os=os_, platform_details=pd, root_device_type=rt, root_device_name=rd,
                       root_volume_size=size, default_user=user, pretty_name=pretty)
                 for n, d, o, a, os_, pd, rt, rd, size, user, pretty in _AMIS)


class _CatalogOps:
    """Catalog lookups of :class:`~awskit.ec2.EC2Service`: AMIs and instance types by name or id."""

    # -- the catalog ----------------------------------------------------------------------
    @property
    def images(self: EC2Service):
        """The public AMIs of this Region."""
        return list(public_images(self.region_name))

    def get_image(self: EC2Service, image: Any):
        """An AMI by id or object.  Raises: InvalidAMIID.Malformed, InvalidAMIID.NotFound."""
        if isinstance(image, Image):
            image = image.id
        if not isinstance(image, str) or not image.startswith("ami-") or not all(
                c in "0123456789abcdef" for c in image[4:]) or len(image) not in (12, 21):
            fail("InvalidAMIID.Malformed", f"Invalid id: {image!r} (expecting 'ami-' followed by 8 or 17 hex "
                                           "digits). Find ids with describe_images().")
        found = self._images.get(image)
        if found is None:
            fail("InvalidAMIID.NotFound", f"The image id '[{image}]' does not exist in {self.region_name} "
                                          "(AMI ids differ from Region to Region). Images here: "
                                          f"{listing(f'{i.id} ({i.name})' for i in self._images.values())}.")
        return found

    def find_image(self: EC2Service, name: str = "al2023-ami-*", architecture: str = "x86_64"):
        """The newest public AMI whose name matches a wildcard pattern, e.g. ``"ubuntu/*noble*"``."""
        import fnmatch

        if not isinstance(name, str) or not name:
            fail("InvalidParameterValue", f"An image name pattern is a string such as 'al2023-ami-*' or "
                                          f"'ubuntu/*noble*', not {name!r}.")
        if architecture not in _ARCHITECTURES:
            fail("InvalidParameterValue", f"Value ({architecture!r}) for parameter architecture is invalid: use "
                                          f"one of {', '.join(_ARCHITECTURES)}.")
        found = [i for i in self._images.values() if fnmatch.fnmatchcase(i.name, name)
                 and i.architecture == architecture]
        if not found:
            fail("InvalidAMIID.NotFound", f"No {architecture} image matches {name!r}. Names: "
                                          f"{listing(i.name for i in self._images.values())}.")
        return max(found, key=lambda i: i.creation_date)

    def describe_images(self: EC2Service, *, image_ids: Any = None, owners: Any = None) -> list:
        """Public AMIs, optionally only those ids or owners (``"amazon"``, ``"self"`` or an account id)."""
        images = list(self._images.values())
        if image_ids is not None:
            if isinstance(image_ids, (str, Image)):
                image_ids = [image_ids]
            elif not isinstance(image_ids, (list, tuple, set, frozenset)):
                fail("InvalidParameterValue", f"ImageIds is a list of AMI ids such as ['ami-0abc...'], "
                                              f"not {image_ids!r}.")
            images = [self.get_image(i) for i in image_ids]
        if owners is not None:
            if isinstance(owners, str):
                owners = [owners]
            if not isinstance(owners, (list, tuple, set, frozenset)) or not all(isinstance(o, str) for o in owners):
                fail("InvalidParameterValue", f"Owners is a list of account ids or aliases such as ['amazon'], "
                                              f"['self'] or ['137112412989'], not {owners!r}.")
            wanted = set(owners)
            images = [i for i in images if i.owner_id in wanted or (i.owner_alias or "") in wanted]
        return images

    def get_instance_type(self: EC2Service, name: Any, code: str = "InvalidInstanceType") -> InstanceType:
        """An instance type by name (``"t3.micro"``) or object.

        ``code`` is the error an unknown type raises: ``InvalidInstanceType`` (what
        DescribeInstanceTypes answers) or ``InvalidParameterValue`` (what RunInstances answers).

        >>> from awskit import Cloud
        >>> Cloud().ec2.get_instance_type("t3.micro").vcpus
        2
        """
        if code not in _TYPE_ERRORS:
            fail("InvalidParameterValue", f"code is the error an unknown type raises: one of "
                                          f"{', '.join(_TYPE_ERRORS)}, not {code!r:.80}.")
        return self._instance_type(name, code)

    def _instance_type(self: EC2Service, name: Any, code: str) -> InstanceType:
        """The type called ``name``; an unknown one raises ``code`` (run_instances answers
        InvalidParameterValue where DescribeInstanceTypes answers InvalidInstanceType)."""
        if isinstance(name, InstanceType):
            return name
        found = INSTANCE_TYPES.get(name) if isinstance(name, str) else None
        if found is None:
            fail(code, f"The instance type {name!r:.80} does not exist (or is not offered by awskit). "
                       f"Types: {', '.join(INSTANCE_TYPES)}.")
        return found
