"""The boto3-shaped AWS Support client's Trusted Advisor calls: ``cloud.client("support")``.

The Support API speaks lower-camel (``checkId``, ``flaggedResources``) and returns
timestamps as ISO 8601 strings.  In AWS it needs a Business, Enterprise On-Ramp or
Enterprise support plan (otherwise SubscriptionRequiredException) and answers only in
us-east-1; awskit's simulated account behaves as if it had such a plan.  Check ids are
AWS's own (``"Qch7DwouX1"`` is Low Utilization Amazon EC2 Instances everywhere).
"""

from __future__ import annotations

from typing import Any

from ..core.errors import InvalidParameter
from ..trusted_advisor.checks import CheckResult
from .base import BaseClient, check_type

__all__ = ["SupportClient"]

#: languages the Support API accepts for Trusted Advisor (awskit answers in English for all)
LANGUAGES = ("en", "ja", "fr", "zh", "zh_TW", "de", "ko", "es", "it", "pt_BR", "id")

_SUMMARY_KEYS = {"cost_optimizing": "costOptimizing"}


class SupportClient(BaseClient):
    """Trusted Advisor through boto3's ``support`` calls.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=8)
    >>> support = cloud.client("support")
    >>> checks = support.describe_trusted_advisor_checks(language="en")["checks"]
    >>> sorted(checks[0])
    ['category', 'description', 'id', 'metadata', 'name']
    >>> _ = cloud.iam.create_access_key()   # a root access key: a red finding
    >>> result = support.describe_trusted_advisor_check_result(checkId="awskit-root-keys")["result"]
    >>> result["status"], result["flaggedResources"][0]["status"]
    ('error', 'error')
    """

    service_name = "support"
    error_codes = ("InvalidParameterValueException", "InternalServerError", "ThrottlingException",
                   "SubscriptionRequiredException")

    def __init__(self, cloud, region, **kwargs: Any) -> None:
        super().__init__(cloud, region, **kwargs)
        self._ta = self._cloud.trusted_advisor

    # -- helpers ---------------------------------------------------------------------------------
    @staticmethod
    def _language(language: Any) -> None:
        check_type("language", language, str)
        if language not in LANGUAGES:
            raise InvalidParameter("InvalidParameterValueException",
                                   f"Language {language!r} is not supported. Use one of {', '.join(LANGUAGES)}.")

    @staticmethod
    def _ids(check_ids: Any) -> list[str]:
        check_type("checkIds", check_ids, list)
        for cid in check_ids:
            check_type("checkIds[]", cid, str)
        return check_ids

    def _summary(self, res: CheckResult) -> dict[str, Any]:
        flagged = res.flagged
        out: dict[str, Any] = {
            "checkId": res.check.id,
            "timestamp": self._cloud.clock.isoformat(res.timestamp),
            "status": res.status.value,
            "resourcesSummary": {
                "resourcesProcessed": res.resources_processed,
                "resourcesFlagged": len(flagged),
                "resourcesIgnored": 0,
                "resourcesSuppressed": sum(1 for f in flagged if f.is_suppressed),
            },
            "categorySpecificSummary": {},
        }
        if res.check.category == "cost_optimizing":
            out["categorySpecificSummary"]["costOptimizing"] = {
                "estimatedMonthlySavings": round(res.estimated_monthly_savings, 2),
                "estimatedPercentMonthlySavings": round(res.estimated_percent_monthly_savings, 2),
            }
        return out

    @staticmethod
    def _refresh(st) -> dict[str, Any]:
        return {"checkId": st.check_id, "status": st.status,
                "millisUntilNextRefreshable": st.millis_until_next_refreshable}

    # -- operations ------------------------------------------------------------------------------
    def describe_trusted_advisor_checks(self, *, language) -> dict:
        """Every check: id, name, description, category and its flagged-resource metadata columns."""
        self._language(language)
        return {"checks": [{"id": c.id, "name": c.name, "description": c.description, "category": c.category,
                            "metadata": list(c.metadata)} for c in self._ta.checks()]}

    def describe_trusted_advisor_check_result(self, *, checkId, language="en") -> dict:
        """The latest result of one check, with its flagged resources."""
        check_type("checkId", checkId, str)
        self._language(language)
        res = self._ta.result(checkId)
        out = self._summary(res)
        out["flaggedResources"] = [
            {"status": f.status.value, "region": f.region, "resourceId": f.resource_id,
             "isSuppressed": f.is_suppressed, "metadata": [str(m) for m in f.metadata]}
            for f in res.flagged]
        return {"result": out}

    def describe_trusted_advisor_check_summaries(self, *, checkIds) -> dict:
        """Status and counts of several checks (no flagged resources)."""
        summaries = []
        for cid in self._ids(checkIds):
            res = self._ta.result(cid)
            s = self._summary(res)
            s["hasFlaggedResources"] = bool(res.flagged)
            summaries.append(s)
        return {"summaries": summaries}

    def refresh_trusted_advisor_check(self, *, checkId) -> dict:
        """Queue a refresh; at most one per check every 5 minutes (simulated)."""
        check_type("checkId", checkId, str)
        return {"status": self._refresh(self._ta.refresh_check(checkId))}

    def describe_trusted_advisor_check_refresh_statuses(self, *, checkIds) -> dict:
        """Where each check's last refresh request stands."""
        return {"statuses": [self._refresh(self._ta.refresh_status(cid)) for cid in self._ids(checkIds)]}
