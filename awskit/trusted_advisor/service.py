"""``cloud.trusted_advisor``: the checks, their latest results, and refreshes on the clock.

Results are computed when a check is *refreshed*, and kept until the next refresh:

* every check is refreshed automatically once a simulated week after the service is first
  used (AWS refreshes most checks weekly on its own);
* asking for a check that has never run computes it at once (in AWS you would see the
  result of its last automatic run);
* :meth:`TrustedAdvisorService.refresh_check` asks for a refresh as the Support API's
  RefreshTrustedAdvisorCheck does: ``enqueued`` for 10 s, ``processing`` for 50 s, then
  ``success`` with a new result.  A check refreshes at most once per 5 minutes; an earlier
  request changes nothing and says how long to wait (``millis_until_next_refreshable``);
* a finding's ``fix()`` re-runs its check at once so you see the effect (in AWS you would
  press Refresh).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..billing import monthly_rate
from ..core.errors import InvalidParameter
from . import cost, fault_tolerance, limits, performance, security  # noqa: F401  (registers the checks)
from .checks import (
    CATEGORIES,
    CHECKS,
    DAY,
    CheckDefinition,
    CheckResult,
    Context,
    Finding,
    Status,
    find_check,
    worst,
)

if TYPE_CHECKING:
    from ..cloud import Cloud

__all__ = ["AUTO_REFRESH_SECONDS", "MIN_REFRESH_SECONDS", "RefreshStatus", "TrustedAdvisorService"]

#: AWS lets you refresh a check at most once every 5 minutes.
MIN_REFRESH_SECONDS = 300.0
#: Trusted Advisor refreshes every check on its own once a week.
AUTO_REFRESH_SECONDS = 7 * DAY
ENQUEUED_SECONDS = 10.0
PROCESSING_SECONDS = 50.0


@dataclass(slots=True, kw_only=True)
class RefreshStatus:
    """Where a requested refresh stands (TrustedAdvisorCheckRefreshStatus)."""

    check_id: str
    status: str = "none"  # none | enqueued | processing | success | abandoned
    requested_at: float | None = None
    millis_until_next_refreshable: int = 0

    def __repr__(self) -> str:
        wait = f", next in {self.millis_until_next_refreshable / 1000:.0f} s" if self.millis_until_next_refreshable else ""
        return f"RefreshStatus({self.check_id!r}, {self.status!r}{wait})"


class TrustedAdvisorService:
    """AWS Trusted Advisor for one account (global: it looks at every Region the account used).

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=2)
    >>> ta = cloud.trusted_advisor
    >>> eip = cloud.ec2.allocate_address()
    >>> result = ta.result("Unassociated Elastic IP Addresses")
    >>> result.status.value, result.flagged[0].metadata[1] == str(eip.public_ip)
    ('warning', True)
    >>> round(result.estimated_monthly_savings, 2)
    3.65
    >>> after = result.flagged[0].fix()   # releases the address and re-runs the check
    >>> after.flagged, after.status.value   # no address left: nothing to check
    ([], 'not_available')
    """

    def __init__(self, cloud: Cloud) -> None:
        self.cloud = cloud
        self._results: dict[str, CheckResult] = {}
        self._refresh: dict[str, RefreshStatus] = {}
        self._timer = cloud.clock.every(AUTO_REFRESH_SECONDS, self.refresh_all, name="trusted advisor weekly")

    # -- the catalogue ----------------------------------------------------------------------
    def checks(self, category: str | None = None) -> list[CheckDefinition]:
        """Every check (DescribeTrustedAdvisorChecks), or those of one category code."""
        if category is not None and (not isinstance(category, str) or category not in CATEGORIES):
            raise InvalidParameter("InvalidParameterValueException",
                                   f"{category!r} is not a Trusted Advisor category. Categories: "
                                   f"{', '.join(CATEGORIES)}.")
        order = list(CATEGORIES)
        return sorted((c for c in CHECKS.values() if category is None or c.category == category),
                      key=lambda c: order.index(c.category))

    def get_check(self, check: Any) -> CheckDefinition:
        """A check by id (``"Qch7DwouX1"``), by its name, or the definition itself."""
        return find_check(check)

    # -- results -------------------------------------------------------------------------------
    def result(self, check: Any) -> CheckResult:
        """The latest result of a check (computed now if it has never run)."""
        defn = find_check(check)
        res = self._results.get(defn.id)
        return res if res is not None else self._evaluate(defn)

    def results(self, category: str | None = None) -> list[CheckResult]:
        """The latest result of every check (of one category)."""
        return [self.result(c) for c in self.checks(category)]

    def summary(self) -> dict[str, dict[str, int]]:
        """Checks per category by status, as the console's dashboard counts them."""
        out = {cat: {"ok": 0, "warning": 0, "error": 0, "not_available": 0} for cat in CATEGORIES}
        for res in self.results():
            out[res.check.category][res.status.value] += 1
        return out

    def estimated_monthly_savings(self) -> float:
        """The cost optimization checks' savings, summed (USD a month)."""
        return sum(r.estimated_monthly_savings for r in self.results("cost_optimizing"))

    def findings(self, status: str | Status | None = None) -> list[Finding]:
        """Every flagged resource of every check (optionally of one status)."""
        if status is not None and status not in list(Status):
            raise InvalidParameter("InvalidParameterValueException", f"{status!r:.60} is not a check status. "
                                   f"Statuses: {', '.join(s.value for s in Status)}.")
        want = None if status is None else Status(status)
        return [f for r in self.results() for f in r.flagged if want is None or f.status is want]

    def refresh_all(self) -> list[CheckResult]:
        """Run every check now (what the weekly automatic refresh does)."""
        return [self._evaluate(c) for c in self.checks()]

    # -- refresh requests ----------------------------------------------------------------------
    def refresh_check(self, check: Any) -> RefreshStatus:
        """Ask for a refresh (RefreshTrustedAdvisorCheck): it runs over the next minute.

        Within 5 minutes of the previous request nothing new is queued; the returned status
        says how many milliseconds remain (``millis_until_next_refreshable``).
        """
        defn = find_check(check)
        st = self.refresh_status(defn)
        if st.millis_until_next_refreshable > 0:
            return st
        st.status, st.requested_at = "enqueued", self.cloud.clock.now
        st.millis_until_next_refreshable = int(MIN_REFRESH_SECONDS * 1000)
        clock = self.cloud.clock

        def processing() -> None:
            st.status = "processing"

        def done() -> None:
            self._evaluate(defn)
            st.status = "success"

        clock.schedule(ENQUEUED_SECONDS, processing, name=f"trusted advisor {defn.id} processing")
        clock.schedule(ENQUEUED_SECONDS + PROCESSING_SECONDS, done, name=f"trusted advisor {defn.id} refreshed")
        return st

    def refresh_status(self, check: Any) -> RefreshStatus:
        """Where the last refresh request of a check stands."""
        defn = find_check(check)
        st = self._refresh.setdefault(defn.id, RefreshStatus(check_id=defn.id))
        if st.requested_at is not None:
            left = st.requested_at + MIN_REFRESH_SECONDS - self.cloud.clock.now
            st.millis_until_next_refreshable = max(0, round(left * 1000))
        return st

    # -- evaluation ----------------------------------------------------------------------------
    def _rerun(self, check_id: str) -> CheckResult:
        return self._evaluate(CHECKS[check_id])

    def _evaluate(self, defn: CheckDefinition) -> CheckResult:
        now = self.cloud.clock.now
        if defn.requires is not None:
            try:
                importlib.import_module(defn.requires)
            except Exception as err:  # noqa: BLE001 - a service still being written: not evaluated
                res = CheckResult(check=defn, status=Status.NOT_AVAILABLE, timestamp=now,
                                  note=f"not evaluated: {defn.requires} is not available ({type(err).__name__})")
                self._store(res)
                return res
        processed, flagged = defn.run(Context(self.cloud, now))
        for f in flagged:
            f._service = self
        if processed == 0:
            status, note = Status.NOT_AVAILABLE, "nothing to check"
        else:
            status, note = worst(f.status for f in flagged), ""
        savings = sum(f.estimated_monthly_savings for f in flagged)
        spend = monthly_rate(self.cloud.bill)
        res = CheckResult(check=defn, status=status, timestamp=now, flagged=flagged, resources_processed=processed,
                          estimated_monthly_savings=savings,
                          estimated_percent_monthly_savings=100.0 * savings / spend if spend else 0.0, note=note)
        self._store(res)
        return res

    def _store(self, res: CheckResult) -> None:
        self._results[res.check.id] = res
        self.cloud.events.publish("trusted_advisor.check.refreshed", id=res.check.id, status=res.status.value)

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for r in self._results.values():
            counts[r.status.value] = counts.get(r.status.value, 0) + 1
        return f"TrustedAdvisorService(checks={len(CHECKS)}, results={counts or 0})"
