"""boto3-shaped CloudWatch client: ``cloud.client("cloudwatch")``."""

from __future__ import annotations

from typing import Any, ClassVar

from ..cloudwatch.alarms import AlarmHistoryItem, MetricAlarm
from ..cloudwatch.expressions import run_queries
from ..cloudwatch.metrics import dimensions_from, to_seconds
from ..core.errors import InvalidParameter
from .base import BaseClient, ParamValidationError, check_type, from_tags, paginate_list

__all__ = ["CloudWatchClient"]

#: boto3's exception class names for CloudWatch's error codes.
_ALIASES = {
    "InvalidParameterValueException": "InvalidParameterValue",
    "InvalidParameterCombinationException": "InvalidParameterCombination",
    "MissingRequiredParameterException": "MissingParameter",
    "LimitExceededFault": "LimitExceeded",
    "InvalidFormatFault": "InvalidFormat",
    "InvalidNextToken": "InvalidNextToken",
}


def _dims(d: dict[str, str]) -> list[dict[str, str]]:
    return [{"Name": k, "Value": v} for k, v in d.items()]


class CloudWatchClient(BaseClient):
    """The CloudWatch API (metrics and alarms) over :class:`awskit.cloudwatch.CloudWatchService`."""

    service_name = "cloudwatch"
    error_codes = ("ResourceNotFound", "InvalidParameterValue", "InvalidParameterCombination",
                   "MissingParameter", "LimitExceeded", "InvalidFormat", "InvalidNextToken")
    paginators: ClassVar[dict] = {
        "describe_alarms": ("NextToken", "NextToken", "MaxRecords", ("MetricAlarms", "CompositeAlarms")),
        "describe_alarm_history": ("NextToken", "NextToken", "MaxRecords", ("AlarmHistoryItems",)),
        "list_metrics": ("NextToken", "NextToken", "MaxRecords", ("Metrics",)),
    }

    def __init__(self, cloud, region, **kwargs: Any) -> None:
        super().__init__(cloud, region, **kwargs)
        self._cw = region.cloudwatch
        for alias, code in _ALIASES.items():
            setattr(self.exceptions, alias, self.exceptions.from_code(code))

    def _dt(self, t: float):
        return self._cloud.clock.to_datetime(t)

    # -- metrics ---------------------------------------------------------------------
    def put_metric_data(self, *, Namespace, MetricData=None, EntityMetricData=None, StrictEntityValidation=None):
        check_type("Namespace", Namespace, str)
        if MetricData is None and not EntityMetricData:
            raise ParamValidationError('Missing required parameter in input: "MetricData"')
        if EntityMetricData:
            raise InvalidParameter("InvalidParameterValue",
                                   "EntityMetricData is not modelled by awskit; send MetricData.")
        check_type("MetricData", MetricData, list)
        self._cw.put_metric_data(Namespace, MetricData)
        return {}

    def get_metric_statistics(self, *, Namespace, MetricName, StartTime, EndTime, Period, Dimensions=None,
                              Statistics=None, ExtendedStatistics=None, Unit=None):
        check_type("Period", Period, int)
        points = self._cw.get_metric_statistics(
            Namespace, MetricName, start=to_seconds(StartTime, "StartTime"), end=to_seconds(EndTime, "EndTime"),
            period=Period, statistics=Statistics or (), extended=ExtendedStatistics or (),
            dimensions=dimensions_from(Dimensions), unit=Unit)
        for p in points:
            p["Timestamp"] = self._dt(p["Timestamp"])
        return {"Label": MetricName, "Datapoints": points}

    def get_metric_data(self, *, MetricDataQueries, StartTime, EndTime, NextToken=None, ScanBy=None,
                        MaxDatapoints=None, LabelOptions=None):
        check_type("MetricDataQueries", MetricDataQueries, list)
        if ScanBy not in (None, "TimestampDescending", "TimestampAscending"):
            raise InvalidParameter("ValidationError", f"ScanBy must be TimestampDescending or TimestampAscending, "
                                                      f"not {ScanBy!r}.")
        results = run_queries(self._cw, MetricDataQueries, to_seconds(StartTime, "StartTime"),
                              to_seconds(EndTime, "EndTime"))
        descending = ScanBy != "TimestampAscending"  # AWS's default is newest first
        out = []
        for r in results:
            pairs = sorted(zip(r["Timestamps"], r["Values"]), reverse=descending)
            out.append({"Id": r["Id"], "Label": r["Label"], "Timestamps": [self._dt(t) for t, _ in pairs],
                        "Values": [v for _, v in pairs], "StatusCode": "Complete"})
        return {"MetricDataResults": out, "Messages": []}

    def list_metrics(self, *, Namespace=None, MetricName=None, Dimensions=None, NextToken=None,
                     RecentlyActive=None, IncludeLinkedAccounts=None, OwningAccount=None):
        metrics = self._cw.list_metrics(Namespace, MetricName, Dimensions, RecentlyActive)
        page, token = paginate_list(metrics, NextToken, None, default=500, maximum=500)
        resp: dict[str, Any] = {"Metrics": [{"Namespace": m.namespace, "MetricName": m.name,
                                             "Dimensions": _dims(m.dimensions)} for m in page]}
        if token:
            resp["NextToken"] = token
        return resp

    # -- alarms ------------------------------------------------------------------------
    def put_metric_alarm(self, *, AlarmName, EvaluationPeriods, ComparisonOperator, AlarmDescription=None,
                         ActionsEnabled=True, OKActions=None, AlarmActions=None, InsufficientDataActions=None,
                         MetricName=None, Namespace=None, Statistic=None, ExtendedStatistic=None, Dimensions=None,
                         Period=None, Unit=None, DatapointsToAlarm=None, Threshold=None, TreatMissingData=None,
                         EvaluateLowSampleCountPercentile=None, Metrics=None, Tags=None, ThresholdMetricId=None):
        if Metrics or ThresholdMetricId:
            raise InvalidParameter("ValidationError", "Alarms on metric math (Metrics) and anomaly bands "
                                                      "(ThresholdMetricId) are not modelled by awskit; alarm on "
                                                      "one metric with Namespace, MetricName and Statistic.")
        for param, value in (("MetricName", MetricName), ("Namespace", Namespace), ("Period", Period),
                             ("Threshold", Threshold)):
            if value is None:
                raise InvalidParameter("ValidationError", f"{param} is required for an alarm on a single metric.")
        check_type("Threshold", Threshold, int, float)
        self._cw.put_metric_alarm(
            AlarmName, namespace=Namespace, metric_name=MetricName, threshold=Threshold,
            comparison=ComparisonOperator, evaluation_periods=EvaluationPeriods, period=Period,
            statistic=Statistic, extended_statistic=ExtendedStatistic, dimensions=dimensions_from(Dimensions),
            datapoints_to_alarm=DatapointsToAlarm, treat_missing_data=TreatMissingData, unit=Unit,
            description=AlarmDescription or "", actions_enabled=ActionsEnabled, alarm_actions=AlarmActions or (),
            ok_actions=OKActions or (), insufficient_data_actions=InsufficientDataActions or (),
            tags=from_tags(Tags))
        return {}

    def _alarm(self, a: MetricAlarm) -> dict[str, Any]:
        out: dict[str, Any] = {
            "AlarmName": a.name, "AlarmArn": a.arn,
            "AlarmConfigurationUpdatedTimestamp": self._dt(a.configuration_updated),
            "ActionsEnabled": a.actions_enabled, "OKActions": list(a.ok_actions),
            "AlarmActions": list(a.alarm_actions), "InsufficientDataActions": list(a.insufficient_data_actions),
            "StateValue": a.state.value, "StateReason": a.state_reason,
            "StateUpdatedTimestamp": self._dt(a.state_updated),
            "MetricName": a.metric_name, "Namespace": a.namespace,
            "Dimensions": _dims(a.dimensions), "Period": a.period, "EvaluationPeriods": a.evaluation_periods,
            "Threshold": a.threshold, "ComparisonOperator": a.comparison.value,
            "StateTransitionedTimestamp": self._dt(a.state_transitioned),
        }
        if a.description:
            out["AlarmDescription"] = a.description
        if a.state_reason_data:
            out["StateReasonData"] = a.state_reason_data
        if a.statistic:
            out["Statistic"] = a.statistic
        else:
            out["ExtendedStatistic"] = a.extended_statistic
        if a.unit:
            out["Unit"] = a.unit
        if a.datapoints_to_alarm is not None:
            out["DatapointsToAlarm"] = a.datapoints_to_alarm
        if a.treat_missing_data is not None:
            out["TreatMissingData"] = a.treat_missing_data.value
        return out

    def describe_alarms(self, *, AlarmNames=None, AlarmNamePrefix=None, AlarmTypes=None, ChildrenOfAlarmName=None,
                        ParentsOfAlarmName=None, StateValue=None, ActionPrefix=None, MaxRecords=None, NextToken=None):
        alarms = self._cw.describe_alarms(AlarmNames, AlarmNamePrefix, StateValue, ActionPrefix)
        if AlarmTypes is not None and "MetricAlarm" not in AlarmTypes:
            alarms = []  # composite alarms are not modelled: there are none to list
        page, token = paginate_list(alarms, NextToken, MaxRecords, default=50, maximum=100)
        resp: dict[str, Any] = {"MetricAlarms": [self._alarm(a) for a in page], "CompositeAlarms": []}
        if token:
            resp["NextToken"] = token
        return resp

    def describe_alarms_for_metric(self, *, MetricName, Namespace, Statistic=None, ExtendedStatistic=None,
                                   Dimensions=None, Period=None, Unit=None):
        dims = dimensions_from(Dimensions)
        out = [a for a in self._cw.describe_alarms()
               if a.metric_name == MetricName and a.namespace == Namespace and a.dimensions == dims
               and (Statistic is None or a.statistic == Statistic)
               and (ExtendedStatistic is None or a.extended_statistic == ExtendedStatistic)
               and (Period is None or a.period == Period) and (Unit is None or a.unit == Unit)]
        return {"MetricAlarms": [self._alarm(a) for a in out]}

    def delete_alarms(self, *, AlarmNames):
        check_type("AlarmNames", AlarmNames, list)
        self._cw.delete_alarms(AlarmNames)
        return {}

    def set_alarm_state(self, *, AlarmName, StateValue, StateReason, StateReasonData=None):
        self._cw.set_alarm_state(AlarmName, StateValue, StateReason, StateReasonData)
        return {}

    def enable_alarm_actions(self, *, AlarmNames):
        check_type("AlarmNames", AlarmNames, list)
        self._cw.set_alarm_actions(AlarmNames, True)
        return {}

    def disable_alarm_actions(self, *, AlarmNames):
        check_type("AlarmNames", AlarmNames, list)
        self._cw.set_alarm_actions(AlarmNames, False)
        return {}

    def describe_alarm_history(self, *, AlarmName=None, AlarmContributorId=None, AlarmTypes=None,
                               HistoryItemType=None, StartDate=None, EndDate=None, MaxRecords=None,
                               NextToken=None, ScanBy=None):
        if HistoryItemType not in (None, "ConfigurationUpdate", "StateUpdate", "Action", "AlarmContributorStateUpdate",
                                   "AlarmContributorAction"):
            raise InvalidParameter("ValidationError", f"HistoryItemType {HistoryItemType!r} is invalid; use "
                                                      "ConfigurationUpdate, StateUpdate or Action.")
        items = self._cw.alarm_history(
            AlarmName, HistoryItemType, None if StartDate is None else to_seconds(StartDate, "StartDate"),
            None if EndDate is None else to_seconds(EndDate, "EndDate"))
        if ScanBy == "TimestampAscending":
            items = items[::-1]
        page, token = paginate_list(items, NextToken, MaxRecords, default=100, maximum=100)
        resp: dict[str, Any] = {"AlarmHistoryItems": [self._history(h) for h in page]}
        if token:
            resp["NextToken"] = token
        return resp

    def _history(self, h: AlarmHistoryItem) -> dict[str, Any]:
        return {"AlarmName": h.alarm_name, "AlarmType": h.alarm_type, "Timestamp": self._dt(h.timestamp),
                "HistoryItemType": h.item_type, "HistorySummary": h.summary, "HistoryData": h.data}
