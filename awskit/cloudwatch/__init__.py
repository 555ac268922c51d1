"""Amazon CloudWatch: metrics, alarms and logs.

CloudWatch is where AWS services and applications publish measurements (metrics) and text
(logs).  Alarms watch a metric's statistic against a threshold and act when their state
changes: they notify an SNS topic or run an Auto Scaling policy, which is how a fleet grows
when it gets busy.  In awskit the other services emit into ``cloud.cloudwatch`` and write
into ``cloud.logs``; alarms are judged on the simulated clock.
"""

from .alarms import AlarmHistoryItem, AlarmState, Comparison, MetricAlarm, MissingData
from .logs import LogEvent, LogGroup, LogsService, LogStream
from .metrics import Metric
from .service import CloudWatchService, Notification

__all__ = [
           "AlarmHistoryItem",
           "AlarmState",
           "CloudWatchService",
           "Comparison",
           "LogEvent",
           "LogGroup",
           "LogStream",
           "LogsService",
           "Metric",
           "MetricAlarm",
           "MissingData",
           "Notification",
]
