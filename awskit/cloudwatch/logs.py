"""Amazon CloudWatch Logs: log groups, log streams and the events written to them.

A *log group* collects the logs of one application or function (Lambda writes to
``/aws/lambda/<function>``) and sets how long they are kept; inside it, each source writes
to its own *log stream* a sequence of events, each a millisecond timestamp and a message.
``filter_log_events`` searches a group with a filter pattern.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import AlreadyExists, InvalidParameter, NotFound
from ..core.pricing import PRICES

__all__ = ["RETENTION_DAYS", "LogEvent", "LogGroup", "LogStream", "LogsService", "compile_filter"]

PRICES.setdefault("logs.ingest.gb", 0.50)  # standard log class, data ingested

#: The retention settings PutRetentionPolicy accepts, in days.
RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
                  2557, 2922, 3288, 3653)

_GROUP = re.compile(r"^[\.\-_/#A-Za-z0-9]{1,512}$")
_EVENT_OVERHEAD = 26  # bytes AWS counts per event toward the 1 MB batch limit
MAX_BATCH_BYTES = 1_048_576
MAX_BATCH_EVENTS = 10_000
DAY_MS = 86_400_000


@dataclass(slots=True, kw_only=True)
class LogEvent:
    """One log event: timestamps in milliseconds since the Unix epoch, as the API uses."""

    timestamp: int
    message: str
    ingestion_time: int
    event_id: str = ""


@dataclass(slots=True, kw_only=True)
class LogStream:
    """A sequence of events from one source (e.g. one Lambda execution environment)."""

    name: str
    group: LogGroup = field(repr=False, compare=False)
    creation_time: int
    events: list[LogEvent] = field(default_factory=list, repr=False)
    _times: list[int] = field(default_factory=list, repr=False)
    stored_bytes: int = 0
    last_ingestion: int | None = None

    @property
    def arn(self) -> str:
        return f"{self.group.arn_base}:log-stream:{self.name}"

    def _add(self, event: LogEvent) -> None:
        # Events may arrive out of order across batches; keep the stream sorted by timestamp.
        if not self._times or event.timestamp >= self._times[-1]:
            self._times.append(event.timestamp)
            self.events.append(event)
        else:
            i = bisect_right(self._times, event.timestamp)
            self._times.insert(i, event.timestamp)
            self.events.insert(i, event)
        self.stored_bytes += len(event.message.encode())

    def window(self, start: int | None, end: int | None) -> tuple[int, int]:
        lo = 0 if start is None else bisect_left(self._times, start)
        hi = len(self._times) if end is None else bisect_left(self._times, end)
        return lo, hi

    def __repr__(self) -> str:
        return f"LogStream({self.group.name!r}, {self.name!r}, events={len(self.events)})"


@dataclass(slots=True, kw_only=True)
class LogGroup:
    """A named collection of log streams with a retention setting."""

    name: str
    arn_base: str
    creation_time: int
    retention_days: int | None = None
    streams: dict[str, LogStream] = field(default_factory=dict, repr=False)
    tags: dict[str, str] = field(default_factory=dict)
    ingested_bytes: int = 0

    @property
    def arn(self) -> str:
        return self.arn_base + ":*"

    @property
    def stored_bytes(self) -> int:
        return sum(s.stored_bytes for s in self.streams.values())

    def __repr__(self) -> str:
        keep = f", retention_days={self.retention_days}" if self.retention_days else ""
        return f"LogGroup({self.name!r}, streams={len(self.streams)}{keep})"

    def _repr_html_(self) -> str:
        from html import escape
        rows = "".join(f"<li>{escape(s.name)} ({len(s.events)} events)</li>" for s in list(self.streams.values())[:20])
        more = f"<li>... ({len(self.streams) - 20} streams omitted)</li>" if len(self.streams) > 20 else ""
        return f"<div><b>{escape(self.name)}</b><ul>{rows}{more}</ul></div>"


def compile_filter(pattern: str | None):
    """A predicate for CloudWatch Logs' simple text filter patterns.

    Terms must all appear (``ERROR timeout``); ``"quoted phrases"`` match exactly;
    ``?A ?B`` matches either; ``-term`` excludes.  Matching is case-sensitive, as in AWS.
    JSON (``{ $.x = 1 }``) and space-delimited (``[ip, ...]``) patterns are not modelled.

    >>> match = compile_filter('?ERROR ?"timed out"')
    >>> match("Task timed out after 3.00 seconds"), match("all good")
    (True, False)
    """
    if pattern is None or not pattern.strip():
        return lambda message: True
    text = pattern.strip()
    if text[0] in "{[":
        raise InvalidParameter("InvalidParameterException",
                               f"awskit models text filter patterns (terms, \"phrases\", ?either, -not), not JSON or "
                               f"space-delimited patterns like {pattern!r}.")
    tokens = re.findall(r'([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))', text)
    required, optional, excluded = [], [], []
    for prefix, quoted, bare in tokens:
        term = quoted.replace('\\"', '"') if quoted or bare == "" else bare
        if not term:
            continue
        {"?": optional, "-": excluded}.get(prefix, required).append(term)

    def match(message: str) -> bool:
        if any(t in message for t in excluded):
            return False
        if required and not all(t in message for t in required):
            return False
        return not optional or any(t in message for t in optional)

    return match


class LogsService:
    """CloudWatch Logs in one region: ``cloud.logs``.

    >>> from awskit import Cloud
    >>> cloud = Cloud()
    >>> cloud.logs.write("/aws/lambda/hello", "2026/01/05/[$LATEST]abc", "START RequestId: 1")
    >>> cloud.logs.write("/aws/lambda/hello", "2026/01/05/[$LATEST]abc", "ERROR boom")
    >>> [e.message for e in cloud.logs.filter_log_events("/aws/lambda/hello", "ERROR")]
    ['ERROR boom']
    """

    def __init__(self, cloud, region) -> None:
        self.cloud = cloud
        self.region = region
        self.region_name = region.name
        self.groups: dict[str, LogGroup] = {}
        self._event_seq = 0
        self._charges: dict[str, Any] = {}

    # -- time ------------------------------------------------------------------------
    def now_ms(self) -> int:
        """Simulated now in Unix epoch milliseconds (the unit CloudWatch Logs speaks)."""
        return round(self.cloud.clock.datetime.timestamp() * 1000)

    # -- groups and streams ---------------------------------------------------------------
    def create_log_group(self, name: str, *, tags: dict[str, str] | None = None) -> LogGroup:
        """Create a log group. Raises ResourceAlreadyExistsException, InvalidParameterException."""
        _check_group_name(name)
        if name in self.groups:
            raise AlreadyExists("ResourceAlreadyExistsException", f"The specified log group already exists: {name!r}.")
        group = LogGroup(name=name, arn_base=self.cloud.arn("logs", f"log-group:{name}", self.region_name),
                         creation_time=self.now_ms(), tags=dict(tags or {}))
        self.groups[name] = group
        return group

    def get_log_group(self, name: str) -> LogGroup:
        group = self.groups.get(name) if isinstance(name, str) else None
        if group is None:
            known = ", ".join(sorted(self.groups)[:10]) or "none"
            raise NotFound("ResourceNotFoundException",
                           f"The specified log group does not exist: {name!r}. Log groups here: {known}.")
        return group

    def delete_log_group(self, name: str) -> None:
        self.get_log_group(name)
        del self.groups[name]

    def describe_log_groups(self, prefix: str | None = None, pattern: str | None = None) -> list[LogGroup]:
        if prefix and pattern:
            raise InvalidParameter("InvalidParameterException",
                                   "logGroupNamePrefix and logGroupNamePattern cannot be used together.")
        out = [g for n, g in sorted(self.groups.items())
               if (prefix is None or n.startswith(prefix)) and (pattern is None or pattern.lower() in n.lower())]
        return out

    def put_retention_policy(self, name: str, days: int) -> None:
        group = self.get_log_group(name)
        if days not in RETENTION_DAYS or isinstance(days, bool):
            raise InvalidParameter("InvalidParameterException",
                                   f"{days!r} is not a valid retention in days. Valid values: "
                                   f"{', '.join(map(str, RETENTION_DAYS))}.")
        group.retention_days = days

    def delete_retention_policy(self, name: str) -> None:
        self.get_log_group(name).retention_days = None

    def create_log_stream(self, group: str | LogGroup, name: str) -> LogStream:
        g = group if isinstance(group, LogGroup) else self.get_log_group(group)
        if not isinstance(name, str) or not 1 <= len(name) <= 512 or ":" in name or "*" in name:
            raise InvalidParameter("InvalidParameterException",
                                   f"Log stream name {name!r} is invalid: 1-512 characters, no ':' or '*'.")
        if name in g.streams:
            raise AlreadyExists("ResourceAlreadyExistsException",
                                f"The specified log stream already exists: {name!r} in {g.name!r}.")
        stream = LogStream(name=name, group=g, creation_time=self.now_ms())
        g.streams[name] = stream
        return stream

    def get_log_stream(self, group: str, name: str) -> LogStream:
        g = self.get_log_group(group)
        stream = g.streams.get(name)
        if stream is None:
            known = ", ".join(sorted(g.streams)[:10]) or "none"
            raise NotFound("ResourceNotFoundException",
                           f"The specified log stream does not exist: {name!r} in {group!r}. Streams: {known}.")
        return stream

    def delete_log_stream(self, group: str, name: str) -> None:
        self.get_log_stream(group, name)
        del self.groups[group].streams[name]

    def describe_log_streams(self, group: str, prefix: str | None = None, order_by: str = "LogStreamName",
                             descending: bool = False) -> list[LogStream]:
        g = self.get_log_group(group)
        if order_by not in ("LogStreamName", "LastEventTime"):
            raise InvalidParameter("InvalidParameterException",
                                   f"orderBy must be LogStreamName or LastEventTime, not {order_by!r}.")
        if prefix and order_by == "LastEventTime":
            raise InvalidParameter("InvalidParameterException",
                                   "Cannot order by LastEventTime with a logStreamNamePrefix.")
        streams = [s for s in g.streams.values() if prefix is None or s.name.startswith(prefix)]
        if order_by == "LogStreamName":
            streams.sort(key=lambda s: s.name, reverse=descending)
        else:
            streams.sort(key=lambda s: (s._times[-1] if s._times else 0, s.name), reverse=descending)
        return streams

    # -- events --------------------------------------------------------------------------
    def put_log_events(self, group: str, stream: str, events: list[tuple[int, str]]) -> dict[str, int]:
        """Store ``(timestamp_ms, message)`` events; returns AWS's rejectedLogEventsInfo (maybe empty).

        Since January 2023 AWS ignores sequence tokens.  A batch must be in chronological
        order, span at most 24 hours, hold at most 10,000 events and 1 MB; events more than
        14 days old, older than the retention, or more than 2 hours ahead are rejected.
        """
        s = self.get_log_stream(group, stream)
        if not events:
            raise InvalidParameter("InvalidParameterException", "logEvents must hold at least one event.")
        if len(events) > MAX_BATCH_EVENTS:
            raise InvalidParameter("InvalidParameterException",
                                   f"A PutLogEvents batch holds at most 10,000 events, not {len(events):,}.")
        size = 0
        last = None
        for i, (ts, msg) in enumerate(events):
            if isinstance(ts, bool) or not isinstance(ts, int) or not isinstance(msg, str) or not msg:
                raise InvalidParameter("InvalidParameterException",
                                       f"logEvents[{i}] needs an integer timestamp (ms) and a non-empty message.")
            if last is not None and ts < last:
                raise InvalidParameter("InvalidParameterException",
                                       "Log events in a single PutLogEvents request must be in chronological order.")
            last = ts
            size += len(msg.encode()) + _EVENT_OVERHEAD
        if size > MAX_BATCH_BYTES:
            raise InvalidParameter("InvalidParameterException",
                                   f"The batch is {size:,} bytes (messages + 26 bytes per event); the limit is 1,048,576.")
        if events[-1][0] - events[0][0] > DAY_MS:
            raise InvalidParameter("InvalidParameterException",
                                   "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
        now = self.now_ms()
        too_old = now - 14 * DAY_MS
        if s.group.retention_days:
            expired = now - s.group.retention_days * DAY_MS
        else:
            expired = None
        too_new = now + 2 * 3_600_000
        info: dict[str, int] = {}
        ingested = 0
        for i, (ts, msg) in enumerate(events):
            if ts < too_old:
                info["tooOldLogEventEndIndex"] = i + 1
                continue
            if expired is not None and ts < expired:
                info["expiredLogEventEndIndex"] = i + 1
                continue
            if ts > too_new:
                info.setdefault("tooNewLogEventStartIndex", i)
                continue
            self._event_seq += 1
            s._add(LogEvent(timestamp=ts, message=msg, ingestion_time=now, event_id=f"{self._event_seq:056d}"))
            ingested += len(msg.encode())
        s.last_ingestion = now
        self._charge(s.group, ingested)
        return info

    def write(self, group: str, stream: str, message: str, *, timestamp_ms: int | None = None) -> None:
        """Print a line into a log, creating the group and stream if needed (what Lambda does).

        >>> from awskit import Cloud
        >>> logs = Cloud().logs
        >>> logs.write("/aws/lambda/f", "s", "hello")
        >>> logs.get_log_stream("/aws/lambda/f", "s").events[0].message
        'hello'
        """
        g = self.groups.get(group) or self.create_log_group(group)
        s = g.streams.get(stream) or self.create_log_stream(g, stream)
        now = self.now_ms()
        self._event_seq += 1
        text = str(message)
        s._add(LogEvent(timestamp=now if timestamp_ms is None else timestamp_ms, message=text,
                        ingestion_time=now, event_id=f"{self._event_seq:056d}"))
        s.last_ingestion = now
        self._charge(g, len(text.encode()))

    def _charge(self, group: LogGroup, nbytes: int) -> None:
        # One running line item per log group, updated in place, keeps the bill small.
        if nbytes <= 0:
            return
        group.ingested_bytes += nbytes
        item = self._charges.get(group.name)
        if item is None:
            item = self._charges[group.name] = self.cloud.bill.charge("logs", f"log-group:{group.name}",
                                                                      "data ingested (GB)", 0.0)
        item.amount = group.ingested_bytes / 1024 ** 3 * PRICES["logs.ingest.gb"]

    def _live(self, group: LogGroup) -> int | None:
        """Events older than this (ms) have expired under the group's retention."""
        return self.now_ms() - group.retention_days * DAY_MS if group.retention_days else None

    def get_log_events(self, group: str, stream: str, *, start: int | None = None, end: int | None = None,
                       limit: int | None = None, start_from_head: bool = False,
                       token: str | None = None) -> tuple[list[LogEvent], str, str]:
        """Events of one stream, with forward (``f/``) and backward (``b/``) tokens."""
        s = self.get_log_stream(group, stream)
        live = self._live(s.group)
        if live is not None:
            start = live if start is None else max(start, live)
        lo, hi = s.window(start, end)
        limit = 10_000 if limit is None else limit
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 10_000:
            raise InvalidParameter("InvalidParameterException", f"limit must be 1 to 10000, not {limit!r}.")
        if token:
            direction, _, pos = token.partition("/")
            if direction not in ("f", "b") or not pos.isdigit():
                raise InvalidParameter("InvalidParameterException", f"The specified nextToken is invalid: {token!r}.")
            pos = min(max(int(pos), lo), hi)
            a, b = (pos, min(hi, pos + limit)) if direction == "f" else (max(lo, pos - limit), pos)
        elif start_from_head:
            a, b = lo, min(hi, lo + limit)
        else:
            a, b = max(lo, hi - limit), hi
        return s.events[a:b], f"f/{b:056d}", f"b/{a:056d}"

    def filter_log_events(self, group: str, pattern: str | None = None, *, stream_names: Iterable[str] | None = None,
                          stream_prefix: str | None = None, start: int | None = None, end: int | None = None
                          ) -> list[LogEvent]:
        """Events of a group that match ``pattern``, across streams, oldest first.

        Each returned event has ``.stream`` set via :meth:`filter_with_streams`; this
        convenience returns the events only.
        """
        return [e for _, e in self.filter_with_streams(group, pattern, stream_names=stream_names,
                                                        stream_prefix=stream_prefix, start=start, end=end)]

    def filter_with_streams(self, group: str, pattern: str | None = None, *, stream_names: Iterable[str] | None = None,
                            stream_prefix: str | None = None, start: int | None = None, end: int | None = None
                            ) -> list[tuple[str, LogEvent]]:
        g = self.get_log_group(group)
        if stream_names and stream_prefix:
            raise InvalidParameter("InvalidParameterException",
                                   "logStreamNames and logStreamNamePrefix cannot be used together.")
        match = compile_filter(pattern)
        if stream_names:
            names = list(stream_names)
            streams = [g.streams[n] for n in names if n in g.streams]
            if not streams:
                raise NotFound("ResourceNotFoundException", f"None of the log streams {names} exist in {group!r}.")
        else:
            streams = [s for s in g.streams.values() if stream_prefix is None or s.name.startswith(stream_prefix)]
        live = self._live(g)
        if live is not None:
            start = live if start is None else max(start, live)
        out: list[tuple[str, LogEvent]] = []
        for s in streams:
            lo, hi = s.window(start, end)
            out.extend((s.name, e) for e in s.events[lo:hi] if match(e.message))
        out.sort(key=lambda p: (p[1].timestamp, p[1].event_id))
        return out

    def __repr__(self) -> str:
        return f"LogsService({self.region_name!r}, groups={len(self.groups)})"


def _check_group_name(name: Any) -> None:
    if not isinstance(name, str) or not _GROUP.match(name):
        raise InvalidParameter("InvalidParameterException",
                               f"Log group name {name!r} is invalid: 1-512 characters from a-z, A-Z, 0-9, '_', '-', "
                               "'/', '.' and '#'.")
