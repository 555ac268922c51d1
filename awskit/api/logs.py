"""boto3-shaped CloudWatch Logs client: ``cloud.client("logs")``."""

from __future__ import annotations

from typing import Any, ClassVar

from ..cloudwatch.logs import LogGroup, LogStream
from ..core.errors import InvalidParameter
from .base import BaseClient, ParamValidationError, check_type, paginate_list

__all__ = ["LogsClient"]


class LogsClient(BaseClient):
    """The CloudWatch Logs API over :class:`awskit.cloudwatch.LogsService`."""

    service_name = "logs"
    error_codes = ("ResourceAlreadyExistsException", "ResourceNotFoundException", "InvalidParameterException",
                   "LimitExceededException", "DataAlreadyAcceptedException", "InvalidSequenceTokenException")
    paginators: ClassVar[dict] = {
        "describe_log_groups": ("nextToken", "nextToken", "limit", ("logGroups",)),
        "describe_log_streams": ("nextToken", "nextToken", "limit", ("logStreams",)),
        "filter_log_events": ("nextToken", "nextToken", "limit", ("events",)),
    }

    def __init__(self, cloud, region, **kwargs: Any) -> None:
        super().__init__(cloud, region, **kwargs)
        self._logs = region.logs

    @staticmethod
    def _group_name(name, identifier) -> str:
        if name and identifier:
            raise InvalidParameter("InvalidParameterException",
                                   "Give logGroupName or logGroupIdentifier, not both.")
        if identifier:
            # An identifier may be the name or the ARN.
            return identifier.split(":log-group:", 1)[-1].removesuffix(":*") if identifier.startswith("arn:") \
                else identifier
        if not name:
            raise InvalidParameter("InvalidParameterException", "logGroupName or logGroupIdentifier is required.")
        return name

    # -- groups ------------------------------------------------------------------------
    def create_log_group(self, *, logGroupName, kmsKeyId=None, tags=None, logGroupClass=None,
                         deletionProtectionEnabled=None):
        check_type("logGroupName", logGroupName, str)
        if tags is not None:
            check_type("tags", tags, dict)
        if logGroupClass not in (None, "STANDARD", "INFREQUENT_ACCESS", "DELIVERY"):
            raise InvalidParameter("InvalidParameterException", f"logGroupClass {logGroupClass!r} is invalid.")
        self._logs.create_log_group(logGroupName, tags=tags)
        return {}

    def delete_log_group(self, *, logGroupName):
        self._logs.delete_log_group(logGroupName)
        return {}

    def _group(self, g: LogGroup) -> dict[str, Any]:
        out: dict[str, Any] = {"logGroupName": g.name, "creationTime": g.creation_time, "metricFilterCount": 0,
                               "arn": g.arn, "storedBytes": g.stored_bytes, "logGroupClass": "STANDARD",
                               "logGroupArn": g.arn_base}
        if g.retention_days:
            out["retentionInDays"] = g.retention_days
        return out

    def describe_log_groups(self, *, accountIdentifiers=None, logGroupNamePrefix=None, logGroupNamePattern=None,
                            nextToken=None, limit=None, includeLinkedAccounts=None, logGroupClass=None,
                            logGroupIdentifiers=None):
        groups = self._logs.describe_log_groups(logGroupNamePrefix, logGroupNamePattern)
        if logGroupIdentifiers:
            wanted = {self._group_name(None, i) for i in logGroupIdentifiers}
            groups = [g for g in groups if g.name in wanted]
        page, token = _page(groups, nextToken, limit, 50, 50)
        resp: dict[str, Any] = {"logGroups": [self._group(g) for g in page]}
        if token:
            resp["nextToken"] = token
        return resp

    def put_retention_policy(self, *, logGroupName, retentionInDays):
        check_type("retentionInDays", retentionInDays, int)
        self._logs.put_retention_policy(logGroupName, retentionInDays)
        return {}

    def delete_retention_policy(self, *, logGroupName):
        self._logs.delete_retention_policy(logGroupName)
        return {}

    # -- streams -------------------------------------------------------------------------
    def create_log_stream(self, *, logGroupName, logStreamName):
        self._logs.create_log_stream(logGroupName, logStreamName)
        return {}

    def delete_log_stream(self, *, logGroupName, logStreamName):
        self._logs.delete_log_stream(logGroupName, logStreamName)
        return {}

    def _stream(self, s: LogStream) -> dict[str, Any]:
        out: dict[str, Any] = {"logStreamName": s.name, "creationTime": s.creation_time, "arn": s.arn,
                               "storedBytes": 0}  # AWS stopped reporting per-stream bytes (always 0)
        if s.events:
            out["firstEventTimestamp"] = s._times[0]
            out["lastEventTimestamp"] = s._times[-1]
        if s.last_ingestion is not None:
            out["lastIngestionTime"] = s.last_ingestion
            out["uploadSequenceToken"] = f"{len(s.events):056d}"
        return out

    def describe_log_streams(self, *, logGroupName=None, logGroupIdentifier=None, logStreamNamePrefix=None,
                             orderBy=None, descending=None, nextToken=None, limit=None):
        name = self._group_name(logGroupName, logGroupIdentifier)
        streams = self._logs.describe_log_streams(name, logStreamNamePrefix, orderBy or "LogStreamName",
                                                  bool(descending))
        page, token = _page(streams, nextToken, limit, 50, 50)
        resp: dict[str, Any] = {"logStreams": [self._stream(s) for s in page]}
        if token:
            resp["nextToken"] = token
        return resp

    # -- events --------------------------------------------------------------------------
    def put_log_events(self, *, logGroupName, logStreamName, logEvents, sequenceToken=None, entity=None):
        check_type("logEvents", logEvents, list)
        if not logEvents:
            raise ParamValidationError("Invalid length for parameter logEvents, value: 0, valid min length: 1")
        events = []
        for i, e in enumerate(logEvents):
            if not isinstance(e, dict) or "timestamp" not in e or "message" not in e:
                raise ParamValidationError(f'Missing required parameter in logEvents[{i}]: "timestamp" and "message"')
            check_type(f"logEvents[{i}].timestamp", e["timestamp"], int)
            check_type(f"logEvents[{i}].message", e["message"], str)
            events.append((e["timestamp"], e["message"]))
        # Sequence tokens are ignored since January 2023: any value (or none) is accepted.
        info = self._logs.put_log_events(logGroupName, logStreamName, events)
        stream = self._logs.get_log_stream(logGroupName, logStreamName)
        resp: dict[str, Any] = {"nextSequenceToken": f"{len(stream.events):056d}"}
        if info:
            resp["rejectedLogEventsInfo"] = info
        return resp

    def get_log_events(self, *, logStreamName, logGroupName=None, logGroupIdentifier=None, startTime=None,
                       endTime=None, nextToken=None, limit=None, startFromHead=None, unmask=None):
        name = self._group_name(logGroupName, logGroupIdentifier)
        events, fwd, back = self._logs.get_log_events(name, logStreamName, start=startTime, end=endTime, limit=limit,
                                                      start_from_head=bool(startFromHead), token=nextToken)
        return {"events": [{"timestamp": e.timestamp, "message": e.message, "ingestionTime": e.ingestion_time}
                           for e in events],
                "nextForwardToken": fwd, "nextBackwardToken": back}

    def filter_log_events(self, *, logGroupName=None, logGroupIdentifier=None, logStreamNames=None,
                          logStreamNamePrefix=None, startTime=None, endTime=None, filterPattern=None, nextToken=None,
                          limit=None, interleaved=None, unmask=None):
        name = self._group_name(logGroupName, logGroupIdentifier)
        found = self._logs.filter_with_streams(name, filterPattern, stream_names=logStreamNames,
                                               stream_prefix=logStreamNamePrefix, start=startTime, end=endTime)
        page, token = _page(found, nextToken, limit, 10_000, 10_000)
        resp: dict[str, Any] = {
            "events": [{"logStreamName": s, "timestamp": e.timestamp, "message": e.message,
                        "ingestionTime": e.ingestion_time, "eventId": e.event_id} for s, e in page],
            # Deprecated by AWS in 2020: always an empty list now.
            "searchedLogStreams": [],
        }
        if token:
            resp["nextToken"] = token
        return resp


def _page(items, token, limit, default, maximum):
    try:
        return paginate_list(items, token, limit, default=default, maximum=maximum)
    except InvalidParameter as err:
        raise InvalidParameter("InvalidParameterException", err.message) from None
