"""What the Elastic Beanstalk modules share: errors, states, events and the platform catalog."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NoReturn

from ..core.errors import AWSError, LimitExceeded, error_class

#: AWS quotas (Elastic Beanstalk service quotas, per Region, today).
MAX_APPLICATIONS = 75
MAX_VERSIONS = 1000
MAX_ENVIRONMENTS = 200

_ENV_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{2,38})[A-Za-z0-9]$")
_CNAME_PREFIX = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{2,61})[A-Za-z0-9]$")


def fail(code: str, message: str) -> NoReturn:
    cls = LimitExceeded if code.startswith("TooMany") else error_class(code)
    raise cls(code, message)


def config_error(message: str) -> NoReturn:
    """AWS prefixes option errors with this sentence and uses this code."""
    raise AWSError("ConfigurationValidationException", f"Configuration validation exception: {message}")


def listing(names: Any, limit: int = 10) -> str:
    names = list(names)
    if not names:
        return "(none)"
    shown = ", ".join(str(n) for n in names[:limit])
    return shown + (f", ... ({len(names) - limit} more)" if len(names) > limit else "")


def check_env_name(name: Any) -> str:
    if not isinstance(name, str) or not _ENV_NAME.match(name):
        fail("InvalidParameterValue",
             f"Value {name!r} at 'environmentName' failed to satisfy constraint: an environment name is 4-40 "
             "characters of letters, digits and hyphens, and does not start or end with a hyphen.")
    return name


def check_cname_prefix(prefix: Any) -> str:
    if not isinstance(prefix, str) or not _CNAME_PREFIX.match(prefix):
        fail("InvalidParameterValue",
             f"Value {prefix!r} at 'CNAMEPrefix' failed to satisfy constraint: a CNAME prefix is 4-63 characters "
             "of letters, digits and hyphens, and does not start or end with a hyphen.")
    return prefix.lower()


class EnvironmentStatus(StrEnum):
    LAUNCHING = "Launching"
    UPDATING = "Updating"
    READY = "Ready"
    TERMINATING = "Terminating"
    TERMINATED = "Terminated"


class HealthStatus(StrEnum):
    """Enhanced health statuses; :attr:`color` is the basic-health colour that goes with each."""

    NO_DATA = "NoData"
    UNKNOWN = "Unknown"
    PENDING = "Pending"
    OK = "Ok"
    INFO = "Info"
    WARNING = "Warning"
    DEGRADED = "Degraded"
    SEVERE = "Severe"
    SUSPENDED = "Suspended"

    @property
    def color(self) -> str:
        return _COLORS[self]

    @property
    def rank(self) -> int:
        """How bad it is (the order of the EnvironmentHealth CloudWatch metric: 0 Ok ... 25 Severe)."""
        return _RANKS[self]


_COLORS = {HealthStatus.NO_DATA: "Grey", HealthStatus.UNKNOWN: "Grey", HealthStatus.PENDING: "Grey",
           HealthStatus.SUSPENDED: "Grey", HealthStatus.OK: "Green", HealthStatus.INFO: "Green",
           HealthStatus.WARNING: "Yellow", HealthStatus.DEGRADED: "Red", HealthStatus.SEVERE: "Red"}
_RANKS = {HealthStatus.OK: 0, HealthStatus.INFO: 1, HealthStatus.UNKNOWN: 5, HealthStatus.NO_DATA: 10,
          HealthStatus.PENDING: 10, HealthStatus.SUSPENDED: 10, HealthStatus.WARNING: 15,
          HealthStatus.DEGRADED: 20, HealthStatus.SEVERE: 25}


class VersionStatus(StrEnum):
    PROCESSED = "Processed"
    UNPROCESSED = "Unprocessed"
    FAILED = "Failed"
    PROCESSING = "Processing"


class Severity(StrEnum):
    TRACE = "TRACE"
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARN = "WARN"
    ERROR = "ERROR"
    FATAL = "FATAL"


@dataclass(slots=True, kw_only=True, frozen=True)
class EbEvent:
    """One line of an environment's event stream (``describe_events``)."""

    time: float
    message: str
    severity: Severity = Severity.INFO
    application_name: str | None = None
    environment_name: str | None = None
    version_label: str | None = None
    request_id: str | None = None

    def __repr__(self) -> str:
        return f"EbEvent({self.severity.value} {self.message!r})"


@dataclass(slots=True, kw_only=True, frozen=True)
class SolutionStack:
    """A platform branch version: the OS, the language runtime and what source it takes."""

    name: str
    language: str
    permitted_file_types: tuple[str, ...]

    @property
    def platform_arn(self) -> str:
        # arn:aws:elasticbeanstalk:<region>::platform/Python 3.11 running on 64bit Amazon Linux 2023/4.x.y
        m = re.match(r"64bit (.+) v([\d.]+) running (.+)$", self.name)
        if not m:
            return ""
        os_name, ver, lang = m.groups()
        return f"platform/{lang} running on 64bit {os_name}/{ver}"


#: Platforms offered (a few of today's Amazon Linux 2023 branches and one retired branch).  Every
#: platform runs the same kind of awskit application (see :mod:`awskit.beanstalk.applications`).
SOLUTION_STACKS: tuple[SolutionStack, ...] = (
    SolutionStack(name="64bit Amazon Linux 2023 v4.6.0 running Python 3.13", language="Python",
                  permitted_file_types=("zip",)),
    SolutionStack(name="64bit Amazon Linux 2023 v4.6.0 running Python 3.12", language="Python",
                  permitted_file_types=("zip",)),
    SolutionStack(name="64bit Amazon Linux 2023 v4.6.0 running Python 3.11", language="Python",
                  permitted_file_types=("zip",)),
    SolutionStack(name="64bit Amazon Linux 2023 v6.6.0 running Node.js 22", language="Node.js",
                  permitted_file_types=("zip",)),
    SolutionStack(name="64bit Amazon Linux 2023 v6.6.0 running Node.js 20", language="Node.js",
                  permitted_file_types=("zip",)),
    SolutionStack(name="64bit Amazon Linux 2023 v4.7.0 running PHP 8.3", language="PHP",
                  permitted_file_types=("zip",)),
    SolutionStack(name="64bit Amazon Linux 2023 v4.6.0 running Corretto 21", language="Java",
                  permitted_file_types=("jar", "zip")),
    SolutionStack(name="64bit Amazon Linux 2023 v4.6.0 running Docker", language="Docker",
                  permitted_file_types=()),
)
STACKS_BY_NAME = {s.name: s for s in SOLUTION_STACKS}
DEFAULT_STACK = "64bit Amazon Linux 2023 v4.6.0 running Python 3.11"
