"""The check registry and the records a check produces: findings and results.

A check is one function registered with :func:`check` under an id, AWS's name for it, a
category and the metadata columns AWS's check result lists for each flagged resource.  It
receives a :class:`Context` (the account and "now") and returns how many resources it
looked at and the :class:`Finding` objects it flagged.  The functions themselves live in
one module per category (:mod:`.cost`, :mod:`.performance`, :mod:`.security`,
:mod:`.fault_tolerance`, :mod:`.limits`); importing this package's service registers them.

Check ids are the ones AWS uses (``Qch7DwouX1`` is "Low Utilization Amazon EC2 Instances" in
every account), so scripts written against the real Support API find the same checks here.
A check awskit adds without an AWS counterpart has an ``awskit-`` id.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ..core.errors import InvalidParameter

if TYPE_CHECKING:
    from ..cloud import Cloud, Region

__all__ = ["CATEGORIES", "CHECKS", "CheckDefinition", "CheckResult", "Context", "Finding", "Status", "check"]

DAY = 86400.0

#: AWS's category codes (as DescribeTrustedAdvisorChecks spells them) -> console names.
CATEGORIES: dict[str, str] = {
    "cost_optimizing": "Cost optimization",
    "performance": "Performance",
    "security": "Security",
    "fault_tolerance": "Fault tolerance",
    "service_limits": "Service limits",
}


class Status(StrEnum):
    """A check's (and a flagged resource's) status: green, yellow, red, or nothing to check."""

    OK = "ok"
    WARNING = "warning"
    ERROR = "error"
    NOT_AVAILABLE = "not_available"

    @property
    def colour(self) -> str:
        return {"ok": "green", "warning": "yellow", "error": "red"}.get(self.value, "grey")


_RANK = {Status.NOT_AVAILABLE: -1, Status.OK: 0, Status.WARNING: 1, Status.ERROR: 2}


@dataclass(slots=True, kw_only=True, eq=False)
class CheckDefinition:
    """One registered check: what DescribeTrustedAdvisorChecks lists."""

    id: str
    name: str
    category: str
    description: str
    metadata: tuple[str, ...]
    run: Callable[[Context], tuple[int, list[Finding]]] = field(repr=False)
    #: a module the check needs (a service still being built may be missing): not evaluated without it
    requires: str | None = None

    def __repr__(self) -> str:
        return f"CheckDefinition({self.id!r}, {self.name!r}, category={self.category!r})"


#: every registered check by id, in registration order
CHECKS: dict[str, CheckDefinition] = {}


def check(id: str, name: str, category: str, *, metadata: tuple[str, ...] | list[str], description: str,
          requires: str | None = None) -> Callable:
    """Register a check function under AWS's name and category (a decorator)."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")

    def register(fn: Callable[[Context], tuple[int, list[Finding]]]):
        CHECKS[id] = CheckDefinition(id=id, name=name, category=category, description=description,
                                     metadata=tuple(metadata), run=fn, requires=requires)
        return fn

    return register


def find_check(key: Any) -> CheckDefinition:
    """A check by id, by exact name, or the definition itself.  Raises InvalidParameterValueException."""
    if isinstance(key, CheckDefinition):
        return key
    if isinstance(key, CheckResult):
        return key.check
    if isinstance(key, str):
        found = CHECKS.get(key) or next((c for c in CHECKS.values() if c.name.lower() == key.lower()), None)
        if found is not None:
            return found
    raise InvalidParameter("InvalidParameterValueException",
                           f"{key!r} is not a Trusted Advisor check id or name. Checks: "
                           + ", ".join(f"{c.id} ({c.name})" for c in CHECKS.values()) + ".")


@dataclass(slots=True, kw_only=True, eq=False)
class Finding:
    """One flagged resource of a check, with what to do about it.

    ``metadata`` lines up with the check's columns (``check.metadata``); ``fix()`` applies the
    recommended action through the services' own APIs and re-runs the check.
    """

    check_id: str
    status: Status
    region: str
    resource_id: str
    metadata: list[str]
    reason: str
    estimated_monthly_savings: float = 0.0
    #: what the fix does, in words ("Release the Elastic IP address")
    action: str = ""
    is_suppressed: bool = False
    #: what the last fix() returned (a rotated access key's replacement, a new snapshot, ...)
    outcome: Any = None
    _fix: Callable[..., Any] | None = field(default=None, repr=False)
    _service: Any = field(default=None, repr=False)

    @property
    def fixable(self) -> bool:
        return self._fix is not None

    def fix(self, *args: Any, **kwargs: Any) -> CheckResult:
        """Apply the recommended action, then re-run the check; returns the new result.

        Arguments go to the action (e.g. ``admin_cidr="203.0.113.0/24"`` for an open port).
        Raises: InvalidParameterValueException when the finding has no automatic fix; the
        AWS errors of the action itself (the resource changed meanwhile, ...).
        """
        if self._fix is None:
            raise InvalidParameter("InvalidParameterValueException",
                                   f"This finding ({self.resource_id}) has no automatic fix. What to do: "
                                   f"{self.action or self.reason}")
        self.outcome = self._fix(*args, **kwargs)
        return self._service._rerun(self.check_id)

    def __repr__(self) -> str:
        saving = f", saves=${self.estimated_monthly_savings:.2f}/month" if self.estimated_monthly_savings else ""
        return (f"Finding({self.status.value}, {self.region}, {self.resource_id!r}, reason={self.reason!r}"
                f"{saving})")


@dataclass(slots=True, kw_only=True, eq=False)
class CheckResult:
    """What one run of a check found (DescribeTrustedAdvisorCheckResult)."""

    check: CheckDefinition
    status: Status
    timestamp: float
    flagged: list[Finding] = field(default_factory=list)
    resources_processed: int = 0
    estimated_monthly_savings: float = 0.0
    estimated_percent_monthly_savings: float = 0.0
    #: why a check is not_available ("no load balancers", "awskit.rds is not available")
    note: str = ""

    @property
    def check_id(self) -> str:
        return self.check.id

    def counts(self) -> dict[str, int]:
        """Flagged resources by status: ``{"ok": .., "warning": .., "error": ..}``."""
        out = {"ok": 0, "warning": 0, "error": 0}
        for f in self.flagged:
            out[f.status.value] = out.get(f.status.value, 0) + 1
        return out

    def finding(self, resource_id: str) -> Finding:
        """The flagged resource with this id (or whose id contains it)."""
        for f in self.flagged:
            if f.resource_id == resource_id:
                return f
        for f in self.flagged:
            if resource_id in f.resource_id:
                return f
        raise InvalidParameter("InvalidParameterValueException",
                               f"{resource_id!r} is not flagged by {self.check.name!r}. Flagged: "
                               f"{', '.join(f.resource_id for f in self.flagged) or 'none'}.")

    def rows(self) -> list[dict[str, Any]]:
        """Flagged resources as dicts keyed by the check's metadata columns (plus status, reason)."""
        cols = self.check.metadata
        return [{"status": f.status.value, "region": f.region, "resource": f.resource_id,
                 **dict(zip(cols, f.metadata)), "reason": f.reason} for f in self.flagged]

    def __repr__(self) -> str:
        extra = f", savings=${self.estimated_monthly_savings:.2f}/month" if self.estimated_monthly_savings else ""
        return (f"CheckResult({self.check.name!r}, {self.status.value}, flagged={len(self.flagged)}/"
                f"{self.resources_processed}{extra})")

    def _repr_html_(self, limit: int = 20) -> str:
        colour = {"ok": "#2e7d32", "warning": "#b7791f", "error": "#b00020"}.get(self.status.value, "#666")
        head = (f"<b>{html.escape(self.check.name)}</b> <span style='color:{colour}'>{self.status.value}</span> "
                f"({len(self.flagged)} of {self.resources_processed} flagged)")
        if self.note:
            head += f" <i>{html.escape(self.note)}</i>"
        return head + findings_table(self, limit)


def findings_table(result: CheckResult, limit: int = 20) -> str:
    """An HTML table of a result's flagged resources, capped at ``limit`` rows."""
    if not result.flagged:
        return ""
    cols = ["Status", *result.check.metadata, "Reason"]
    out = ["<table><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in cols) + "</tr>"]
    for f in result.flagged[:limit]:
        cells = [f.status.value, *f.metadata, f.reason]
        out.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    if len(result.flagged) > limit:
        out.append(f"<p>... ({len(result.flagged) - limit} rows omitted)</p>")
    return "".join(out)


def worst(statuses) -> Status:
    """The most severe status (ok when the list is empty)."""
    return max(statuses, key=_RANK.__getitem__, default=Status.OK)


# -- what a check function gets -------------------------------------------------------------------

@dataclass(slots=True)
class Context:
    """The account as a check sees it: every region it has used, and the current time."""

    cloud: Cloud
    now: float

    def regions(self) -> list[Region]:
        """The regions this account has touched (AWS checks every Region; awskit checks these)."""
        return [self.cloud._regions[name] for name in sorted(self.cloud._regions)]

    def services(self, name: str) -> Iterator[tuple[Region, Any]]:
        """``(region, service)`` for each region where ``name`` has been used (nothing is built)."""
        for region in self.regions():
            svc = region.loaded_services().get(name)
            if svc is not None:
                yield region, svc

    def global_service(self, name: str) -> Any:
        """A global service (IAM, S3), built if needed: it always exists in AWS."""
        return getattr(self.cloud, name)

    def daily(self, region: Region, namespace: str, metric: str, dims: dict[str, str], stat: str,
              days: int = 14) -> list[float | None]:
        """One value of ``stat`` per simulated day, oldest first (None for a day without data)."""
        cw = region.loaded_services().get("cloudwatch")
        m = cw.get_metric(namespace, metric, dims) if cw is not None else None
        if m is None:
            return [None] * days
        start = self.now - days * DAY
        return [m.stat(stat, start + i * DAY, start + (i + 1) * DAY) for i in range(days)]

    def total(self, region: Region, namespace: str, metric: str, dims: dict[str, str], stat: str,
              days: float) -> float | None:
        cw = region.loaded_services().get("cloudwatch")
        m = cw.get_metric(namespace, metric, dims) if cw is not None else None
        return None if m is None else m.stat(stat, self.now - days * DAY, self.now + 1)


def money(amount: float) -> str:
    return f"${amount:,.2f}"


def name_tag(resource: Any) -> str:
    return (getattr(resource, "tags", None) or {}).get("Name", "")
