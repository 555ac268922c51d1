"""One simulated AWS account: its clock, random generator, regions, services, events and bill.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=1)
>>> cloud.region_name, len(cloud.availability_zones)
('us-east-1', 6)
>>> cloud.clock.advance(minutes=5); cloud.clock.now
300.0
"""

from __future__ import annotations

import importlib
import random
from typing import Any

from .core.clock import Clock
from .core.errors import InvalidParameter, NotFound
from .core.events import EventBus
from .core.ids import IdGenerator, arn
from .core.pricing import Bill
from .regions import REGIONS, AvailabilityZone, RegionInfo, region_info

__all__ = ["Cloud", "Region"]

#: Services that live in a region: attribute name -> "module:Class", imported on first use
#: so that ``import awskit`` stays light.
REGIONAL_SERVICES: dict[str, str] = {
    "vpc": "awskit.vpc:VPCService",
    "reachability_analyzer": "awskit.reachability:ReachabilityService",
    "cloudwatch": "awskit.cloudwatch:CloudWatchService",
    "logs": "awskit.cloudwatch:LogsService",
    "dynamodb": "awskit.dynamodb:DynamoDBService",
    "awslambda": "awskit.awslambda:LambdaService",
    "ec2": "awskit.ec2:EC2Service",
    "ebs": "awskit.ebs:EBSService",
    "glacier": "awskit.glacier:GlacierService",
    "rds": "awskit.rds:RDSService",
    "autoscaling": "awskit.autoscaling:AutoScalingService",
    "elb": "awskit.elb:ELBService",
    "redshift": "awskit.redshift:RedshiftService",
    "beanstalk": "awskit.beanstalk:BeanstalkService",
}

#: Services that are global to the account (one per account, whatever the region).
GLOBAL_SERVICES: dict[str, str] = {
    "iam": "awskit.iam:IAMService",
    "s3": "awskit.s3:S3Service",
    "trusted_advisor": "awskit.trusted_advisor:TrustedAdvisorService",
    "cloudfront": "awskit.cloudfront:CloudFrontService",
}


def _load(path: str):
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


class _Universe:
    """What several accounts share: time, and global namespaces such as S3 bucket names."""

    def __init__(self, seed: int) -> None:
        self.clock = Clock()
        self.seed = seed
        self.accounts: dict[str, Cloud] = {}
        self.namespaces: dict[str, dict[str, Any]] = {}

    def namespace(self, name: str) -> dict[str, Any]:
        return self.namespaces.setdefault(name, {})


class Region:
    """The services of one account in one region: ``cloud.region("eu-west-1").vpc``."""

    def __init__(self, cloud: "Cloud", info: RegionInfo) -> None:
        self.cloud = cloud
        self.info = info
        self.name = info.code
        self._services: dict[str, Any] = {}

    @property
    def availability_zones(self) -> tuple[AvailabilityZone, ...]:
        return self.info.azs

    def service(self, name: str) -> Any:
        svc = self._services.get(name)
        if svc is None:
            if name in REGIONAL_SERVICES:
                svc = _load(REGIONAL_SERVICES[name])(self.cloud, self)
            elif name in GLOBAL_SERVICES:
                return self.cloud._global(name)
            else:
                raise AttributeError(name)
            self._services[name] = svc
        return svc

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self.service(name)
        except AttributeError:
            known = ", ".join(sorted({*REGIONAL_SERVICES, *GLOBAL_SERVICES}))
            raise AttributeError(f"A region has no service {name!r}. Services: {known}.") from None

    def loaded_services(self) -> dict[str, Any]:
        return dict(self._services)

    def __repr__(self) -> str:
        return f"Region({self.name!r})"


class Cloud:
    """One simulated AWS account.

    Args:
        seed: seeds every id and random choice, so the same steps give the same world.
        region: the default region; ``cloud.vpc`` is ``cloud.region(region).vpc``.
        account_id: the 12-digit account number (drawn from the seed when omitted).

    Several clouds coexist without sharing anything.  ``cloud.create_account()`` makes a
    second account in the *same* world (same clock, same global S3 namespace).
    """

    def __init__(self, seed: int = 0, region: str = "us-east-1", *, account_id: str | None = None,
                 _universe: _Universe | None = None) -> None:
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise InvalidParameter("InvalidParameterValue", f"seed must be an integer, not {seed!r}.")
        region_info(region)
        self._universe = _universe or _Universe(seed)
        self.seed = seed
        self.rng = random.Random(seed if _universe is None else f"{seed}:{len(self._universe.accounts)}")
        self.ids = IdGenerator(self.rng)
        if account_id is None:
            account_id = f"{self.rng.randrange(10**11, 10**12):012d}"
        if not (isinstance(account_id, str) and len(account_id) == 12 and account_id.isdigit()):
            raise InvalidParameter("InvalidParameterValue", f"An account id is 12 digits, not {account_id!r}.")
        if account_id in self._universe.accounts:
            raise InvalidParameter("InvalidParameterValue", f"Account {account_id} already exists in this world.")
        self.account_id = account_id
        self._universe.accounts[account_id] = self
        self.region_name = region
        self.events = EventBus(lambda: self.clock.now)
        self.bill = Bill(lambda: self.clock.now)
        self._regions: dict[str, Region] = {}
        self._globals: dict[str, Any] = {}
        self.failed_azs: set[str] = set()

    # -- the world --------------------------------------------------------
    @property
    def clock(self) -> Clock:
        return self._universe.clock

    def create_account(self, account_id: str | None = None, region: str | None = None) -> "Cloud":
        """A second account in the same world: same clock, same global namespaces."""
        return Cloud(self.seed, region or self.region_name, account_id=account_id, _universe=self._universe)

    @property
    def accounts(self) -> dict[str, "Cloud"]:
        return dict(self._universe.accounts)

    def account(self, account_id: str) -> "Cloud":
        try:
            return self._universe.accounts[account_id]
        except KeyError:
            raise NotFound("NoSuchEntity", f"No account {account_id!r} in this world. "
                           f"Accounts: {', '.join(self._universe.accounts)}.") from None

    def namespace(self, name: str) -> dict[str, Any]:
        """A name table shared by every account in the world (e.g. S3 bucket names)."""
        return self._universe.namespace(name)

    # -- regions and services ----------------------------------------------
    def region(self, name: str | None = None) -> Region:
        """The services of this account in region ``name`` (default: the cloud's region)."""
        name = self.region_name if name is None else name
        reg = self._regions.get(name)
        if reg is None:
            reg = self._regions[name] = Region(self, region_info(name))
        return reg

    @property
    def regions(self) -> dict[str, RegionInfo]:
        return dict(REGIONS)

    @property
    def availability_zones(self) -> tuple[AvailabilityZone, ...]:
        return self.region().availability_zones

    def _global(self, name: str) -> Any:
        svc = self._globals.get(name)
        if svc is None:
            svc = self._globals[name] = _load(GLOBAL_SERVICES[name])(self)
        return svc

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in GLOBAL_SERVICES:
            return self._global(name)
        if name in REGIONAL_SERVICES:
            return self.region().service(name)
        raise AttributeError(
            f"'Cloud' has no attribute {name!r}. Services: {', '.join(sorted({*REGIONAL_SERVICES, *GLOBAL_SERVICES}))}."
        )

    def arn(self, service: str, resource: str, region: str | None = None) -> str:
        return arn(service, self.region_name if region is None else region, self.account_id, resource)

    # -- outages ----------------------------------------------------------------
    def _az(self, name: str) -> AvailabilityZone:
        for info in REGIONS.values():
            for az in info.azs:
                if az.name == name or az.zone_id == name:
                    return az
        here = ", ".join(a.name for a in self.availability_zones)
        raise InvalidParameter("InvalidParameterValue",
                               f"{name!r} is not an Availability Zone. AZs in {self.region_name}: {here}.")

    def fail_az(self, name: str) -> None:
        """Simulate an outage of one Availability Zone: what runs there stops answering."""
        az = self._az(name)
        if az.name not in self.failed_azs:
            self.failed_azs.add(az.name)
            self.events.publish("az.failed", az=az.name, region=az.region)

    def restore_az(self, name: str) -> None:
        """End a simulated AZ outage."""
        az = self._az(name)
        if az.name in self.failed_azs:
            self.failed_azs.discard(az.name)
            self.events.publish("az.restored", az=az.name, region=az.region)

    def az_available(self, name: str) -> bool:
        return name not in self.failed_azs

    # -- identity (IAM) ---------------------------------------------------------
    def as_principal(self, principal: Any = None, *, context: dict | None = None):
        """Make calls as an IAM user, role or session (``None``: the root user); see :mod:`awskit.iam.access`.

        Works as a view (``cloud.as_principal(alice).iam.list_users()``), a context manager
        (``with cloud.as_principal(alice): ...``) and a client factory (``.client("iam")``).
        """
        return self.iam.as_principal(principal, context=context)

    def authorize(self, action: str, resource: str = "*", context: dict | None = None, *,
                  resource_policy: Any = None, code: str = "AccessDenied") -> None:
        """The hook services call before acting: AccessDenied unless the current caller may.

        Free when nobody is acting (the default caller, the root user, may do anything).
        """
        iam = self._globals.get("iam") if resource_policy is None else self.iam
        if iam is not None and (iam._acting or resource_policy is not None):
            iam.authorize(action, resource, context, resource_policy=resource_policy, code=code)

    # -- the facade and analysis --------------------------------------------
    def client(self, service: str, region_name: str | None = None, **kwargs: Any):
        """A boto3-shaped client bound to this cloud: ``cloud.client("ec2").describe_vpcs()``."""
        from .api import make_client

        return make_client(self, service, region_name, **kwargs)

    def reachability(self, source, destination, port: int, protocol: str = "tcp"):
        """Can ``source`` reach ``destination`` on ``port``?  See :mod:`awskit.reachability`."""
        from .reachability import analyze

        return analyze(self, source, destination, port, protocol)

    def __repr__(self) -> str:
        return (f"Cloud(seed={self.seed}, region={self.region_name!r}, account={self.account_id}, "
                f"t={self.clock.isoformat()})")
