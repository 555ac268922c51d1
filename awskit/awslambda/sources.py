"""What makes a function run besides a direct call: triggers, stream mappings, schedules, URLs.

All of them go through one mechanism: something is published on ``cloud.events`` (an S3
object event, a DynamoDB stream record, a tick of the clock, an HTTP request) and Lambda
turns it into an event for the function.  Services *push* some events (S3 invokes the
function asynchronously, and needs the function's resource policy to allow it); for
streams Lambda itself *polls* and invokes synchronously with batches of records, through
an event source mapping.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ..core.errors import AWSError, InvalidParameter, NotFound, Throttling
from ..http import Response
from .functions import Function, conflict, invalid, validation

__all__ = ["EventSourceMapping", "FunctionUrlConfig", "Schedule", "Trigger"]

#: Simulated seconds a new event source mapping spends Creating before it is Enabled.
MAPPING_CREATE_SECONDS = 5
#: Lambda polls a stream shard about four times a second.
POLL_SECONDS = 0.25


@dataclass(slots=True, kw_only=True, eq=False)
class Trigger:
    """A subscription that turns messages on ``cloud.events`` into asynchronous invocations."""

    function: Function = field(repr=False)
    topic: str
    subscription: Any = field(default=None, repr=False)
    invocations: int = 0

    def close(self) -> None:
        """Stop invoking the function for this topic."""
        if self.subscription is not None:
            self.subscription.close()
            self.subscription = None

    def __repr__(self) -> str:
        return f"Trigger({self.function.name!r}, topic={self.topic!r}, invocations={self.invocations})"


@dataclass(slots=True, kw_only=True, eq=False)
class EventSourceMapping:
    """Lambda polling a stream and invoking the function with batches of records."""

    uuid: str
    function: Function = field(repr=False)
    qualifier: str | None
    source_arn: str
    batch_size: int = 100
    batching_window: int = 0
    starting_position: str | None = None
    maximum_retry_attempts: int = -1
    state: str = "Creating"
    last_result: str = "No records processed"
    last_modified: float = 0.0
    buffer: list[dict] = field(default_factory=list, repr=False)
    delivered: int = 0
    _subscription: Any = field(default=None, repr=False)
    _flush: Any = field(default=None, repr=False)
    _attempts: int = 0

    @property
    def function_arn(self) -> str:
        return f"{self.function.arn}:{self.qualifier}" if self.qualifier else self.function.arn

    def __repr__(self) -> str:
        return (f"EventSourceMapping({self.function.name!r}, {self.source_arn!r}, state={self.state!r}, "
                f"batch_size={self.batch_size})")


@dataclass(slots=True, kw_only=True, eq=False)
class Schedule:
    """An EventBridge-style rule that invokes a function on a rate or cron schedule."""

    name: str
    arn: str
    function: Function = field(repr=False)
    expression: str
    next_run: float = 0.0
    runs: int = 0
    _event: Any = field(default=None, repr=False)

    def cancel(self) -> None:
        if self._event is not None:
            self._event.cancel()
            self._event = None

    def __repr__(self) -> str:
        return f"Schedule({self.name!r}, {self.expression!r}, function={self.function.name!r}, runs={self.runs})"


@dataclass(slots=True, kw_only=True, eq=False)
class FunctionUrlConfig:
    """A function's own HTTPS endpoint (``https://<id>.lambda-url.<region>.on.aws/``)."""

    function: Function = field(repr=False)
    qualifier: str | None
    auth_type: str
    url_id: str
    url: str
    cors: dict = field(default_factory=dict)
    created: float = 0.0
    last_modified: float = 0.0

    @property
    def function_arn(self) -> str:
        return f"{self.function.arn}:{self.qualifier}" if self.qualifier else self.function.arn

    def __repr__(self) -> str:
        return f"FunctionUrlConfig({self.url!r}, auth_type={self.auth_type!r})"


# -- schedule expressions -----------------------------------------------------------------------

_RATE = re.compile(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)")
_MONTHS = {m: i + 1 for i, m in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"])}
_DAYS = {d: i + 1 for i, d in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"])}


def _field(text: str, lo: int, hi: int, names: dict[str, int] | None = None) -> set[int] | None:
    """The values a cron field allows (None for ``*`` / ``?``)."""
    if text in ("*", "?"):
        return None
    out: set[int] = set()
    for part in text.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
        if part in ("*", ""):
            a, b = lo, hi
        elif "-" in part:
            x, y = part.split("-", 1)
            a, b = _value(x, names), _value(y, names)
        else:
            a = _value(part, names)
            b = hi if step > 1 else a
        if not (lo <= a <= hi and lo <= b <= hi) or step < 1:
            raise ValueError(part)
        out.update(range(a, b + 1, step))
    return out


def _value(text: str, names: dict[str, int] | None) -> int:
    if names and text.upper() in names:
        return names[text.upper()]
    return int(text)


def parse_schedule(expression: Any) -> Callable[[_dt.datetime], _dt.datetime]:
    """A function giving the next run strictly after a time, for ``rate(...)`` or ``cron(...)``."""
    bad = InvalidParameter("ValidationException", f"Parameter ScheduleExpression is not valid: {expression!r}. Use "
                           f"rate(5 minutes) (singular unit for 1: rate(1 hour)) or cron(0 12 * * ? *): minutes, "
                           f"hours, day-of-month, month, day-of-week, year, with ? in one of the day fields.")
    if not isinstance(expression, str):
        raise bad
    m = _RATE.fullmatch(expression)
    if m:
        n, unit = int(m[1]), m[2]
        if n < 1 or (n == 1) != (not unit.endswith("s")):
            raise bad
        seconds = n * {"minute": 60, "hour": 3600, "day": 86400}[unit.rstrip("s")]
        return lambda t: t + _dt.timedelta(seconds=seconds)
    m = re.fullmatch(r"cron\((.+)\)", expression)
    parts = m[1].split() if m else []
    if len(parts) != 6 or (parts[2] == "?") == (parts[4] == "?"):
        raise bad
    try:
        minutes = _field(parts[0], 0, 59)
        hours = _field(parts[1], 0, 23)
        doms = _field(parts[2], 1, 31)
        months = _field(parts[3], 1, 12, _MONTHS)
        dows = _field(parts[4], 1, 7, _DAYS)
        years = _field(parts[5], 1970, 2199)
    except ValueError:
        raise bad from None
    mins = sorted(minutes) if minutes is not None else list(range(60))
    hrs = sorted(hours) if hours is not None else list(range(24))

    def after(t: _dt.datetime) -> _dt.datetime:
        day = t.replace(hour=0, minute=0, second=0, microsecond=0)
        for _ in range(366 * 5):
            dow = (day.weekday() + 1) % 7 + 1   # cron: 1 = Sunday
            if ((years is None or day.year in years) and (months is None or day.month in months)
                    and (doms is None or day.day in doms) and (dows is None or dow in dows)):
                for h in hrs:
                    for mi in mins:
                        cand = day.replace(hour=h, minute=mi)
                        if cand > t:
                            return cand
            day += _dt.timedelta(days=1)
        raise bad

    return after


# -- the service mix-in -----------------------------------------------------------------------------

class _Sources:
    """Triggers, event source mappings, schedules and function URLs of the Lambda service."""

    def _init_sources(self) -> None:
        self.mappings: dict[str, EventSourceMapping] = {}
        self.triggers: list[Trigger] = []
        self.schedules: dict[str, Schedule] = {}
        self.urls: dict[str, FunctionUrlConfig] = {}
        # S3 pushes object events to the functions named in a bucket's notification settings.
        self._s3_subscription = self.cloud.events.subscribe("s3.object.*", self._on_s3)  # type: ignore[attr-defined]

    # -- the general mechanism --------------------------------------------------------------
    def subscribe(self, function: Any, topic: str, transform: Callable[[Any], Any] | None = None, *,
                  qualifier: str | None = None) -> Trigger:
        """Invoke ``function`` asynchronously for each message published on ``topic``.

        ``transform(message)`` builds the event from the :class:`~awskit.core.events.Message`
        (return None to skip it); by default the event is the message's data.

        >>> from awskit import Cloud
        >>> cloud = Cloud(seed=0)
        >>> seen = []
        >>> fn = cloud.awslambda.create_function("audit", handler=lambda e, c: seen.append(e["who"]))
        >>> trigger = cloud.awslambda.subscribe("audit", "app.login", lambda m: {"who": m["user"]})
        >>> cloud.events.publish("app.login", user="ada"); cloud.clock.advance(1); seen
        ['ada']
        """
        fn = self.resolve(function, qualifier)[0]  # type: ignore[attr-defined]
        if not isinstance(topic, str) or not topic:
            raise invalid(f"topic is an event topic such as 's3.object.created' or 'app.*', not {topic!r}.")
        if transform is not None and not callable(transform):
            raise invalid(f"transform is a function message -> event, not {transform!r}.")
        trigger = Trigger(function=fn, topic=topic)

        def deliver(message) -> None:
            event = transform(message) if transform is not None else dict(message.data)
            if event is None or self.functions.get(fn.name) is not fn:  # type: ignore[attr-defined]
                return
            trigger.invocations += 1
            self._enqueue(fn.name, qualifier, event, self.cloud.ids.uuid(), 0,  # type: ignore[attr-defined]
                          self.cloud.clock.now, 0.1)  # type: ignore[attr-defined]

        trigger.subscription = self.cloud.events.subscribe(topic, deliver)  # type: ignore[attr-defined]
        self.triggers.append(trigger)
        return trigger

    def _on_s3(self, message) -> None:
        for target in message.data.get("targets", ()):
            if target.get("type") != "LambdaFunction":
                continue
            arn = target["arn"]
            if f":lambda:{self.region.name}:{self.cloud.account_id}:function:" not in arn:  # type: ignore[attr-defined]
                continue
            try:
                fn, version, alias = self.resolve(arn)  # type: ignore[attr-defined]
            except AWSError:
                continue  # the function was deleted: S3's delivery fails silently
            bucket = message.data["bucket"]
            if not self.allows(arn, "s3.amazonaws.com", source_arn=f"arn:aws:s3:::{bucket}",  # type: ignore[attr-defined]
                               source_account=self.cloud.account_id):  # type: ignore[attr-defined]
                continue  # AWS would have refused this destination when the notification was configured
            records = [dict(r, s3=dict(r["s3"], configurationId=target["id"])) for r in message.data["Records"]]
            qualifier = alias.name if alias else (version.version if version.version != "$LATEST" else None)
            self._enqueue(fn.name, qualifier, {"Records": records}, self.cloud.ids.uuid(), 0,  # type: ignore[attr-defined]
                          self.cloud.clock.now, 0.1)  # type: ignore[attr-defined]

    # -- event source mappings (streams) ------------------------------------------------------------
    def create_event_source_mapping(self, function: Any, event_source_arn: str, *,
                                    starting_position: str | None = None, batch_size: int | None = None,
                                    maximum_batching_window: int = 0, enabled: bool = True,
                                    maximum_retry_attempts: int = -1) -> EventSourceMapping:
        """Let Lambda poll a DynamoDB stream and invoke ``function`` with batches of records.

        Raises: InvalidParameterValueException (not a stream, unknown stream, missing
        StartingPosition, batch size outside 1-10000).
        """
        fn, version, alias = self.resolve(function)  # type: ignore[attr-defined]
        if not isinstance(event_source_arn, str) or ":dynamodb:" not in event_source_arn \
                or "/stream/" not in event_source_arn:
            raise invalid(f"Unsupported event source {event_source_arn!r}: awskit maps DynamoDB streams "
                          f"(arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL); for other sources use "
                          f"subscribe().")
        table = self._stream_table(event_source_arn)
        if starting_position not in ("TRIM_HORIZON", "LATEST"):
            raise invalid(f"StartingPosition is required for a stream and is TRIM_HORIZON or LATEST, not "
                          f"{starting_position!r}.")
        size = 100 if batch_size is None else batch_size
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 10000:
            raise invalid(f"BatchSize for a DynamoDB stream is 1-10000, not {batch_size!r}.")
        if isinstance(maximum_batching_window, bool) or not isinstance(maximum_batching_window, int) \
                or not 0 <= maximum_batching_window <= 300:
            raise invalid(f"MaximumBatchingWindowInSeconds is 0-300, not {maximum_batching_window!r}.")
        if maximum_retry_attempts != -1 and not (isinstance(maximum_retry_attempts, int)
                                                 and 0 <= maximum_retry_attempts <= 10000):
            raise invalid(f"MaximumRetryAttempts is -1 (until the record expires) or 0-10000, "
                          f"not {maximum_retry_attempts!r}.")
        qualifier = alias.name if alias else (version.version if version.version != "$LATEST" else None)
        m = EventSourceMapping(uuid=self.cloud.ids.uuid(), function=fn, qualifier=qualifier,  # type: ignore[attr-defined]
                               source_arn=event_source_arn, batch_size=size, batching_window=maximum_batching_window,
                               starting_position=starting_position, maximum_retry_attempts=maximum_retry_attempts,
                               last_modified=self.cloud.clock.now)  # type: ignore[attr-defined]
        self.mappings[m.uuid] = m

        def ready() -> None:
            if m.state != "Creating":
                return
            m.state = "Enabled" if enabled else "Disabled"
            if starting_position == "TRIM_HORIZON":
                m.buffer.extend(table.stream_records)
                self._schedule_flush(m)

        def on_record(message) -> None:
            if message.data.get("stream_arn") == m.source_arn and m.state in ("Enabled", "Disabled"):
                m.buffer.append(message.data["record"])
                self._schedule_flush(m)

        m._subscription = self.cloud.events.subscribe("dynamodb.stream", on_record)  # type: ignore[attr-defined]
        self.cloud.clock.schedule(MAPPING_CREATE_SECONDS, ready, name=f"lambda mapping {m.uuid}")  # type: ignore[attr-defined]
        return m

    def _stream_table(self, arn: str):
        region = arn.split(":")[3]
        for table in self.cloud.region(region).dynamodb.tables.values():  # type: ignore[attr-defined]
            if table.stream_arn == arn:
                return table
        raise invalid(f"Stream not found: {arn}. Enable a stream on the table (stream_view_type=...) and use "
                      f"its table.stream_arn.")

    def _schedule_flush(self, m: EventSourceMapping, delay: float | None = None) -> None:
        if m._flush is not None or m.state != "Enabled" or not m.buffer:
            return
        wait = max(POLL_SECONDS, float(m.batching_window)) if delay is None else delay

        def flush() -> None:
            m._flush = None
            self._deliver(m)

        m._flush = self.cloud.clock.schedule(wait, flush, name=f"lambda poll {m.uuid}")  # type: ignore[attr-defined]

    def _deliver(self, m: EventSourceMapping) -> None:
        if m.state != "Enabled" or not m.buffer or self.functions.get(m.function.name) is not m.function:  # type: ignore[attr-defined]
            return
        batch = m.buffer[:m.batch_size]
        try:
            fn, version, alias = self.resolve(m.function, m.qualifier)  # type: ignore[attr-defined]
            result = self._invoke_now(fn, version, alias, {"Records": batch}, m.function_arn, None,  # type: ignore[attr-defined]
                                      advance=False)
            failed = result.function_error is not None
        except (Throttling, AWSError):
            failed, result = True, None
        if not failed:
            del m.buffer[:len(batch)]
            m.delivered += len(batch)
            m._attempts = 0
            m.last_result = "OK"
            after = max(0.0, result.end - self.cloud.clock.now) if result else 0.0  # type: ignore[attr-defined]
            self._schedule_flush(m, after if m.buffer else None)
            return
        m.last_result = "PROBLEM: Function call failed"
        m._attempts += 1
        if m.maximum_retry_attempts != -1 and m._attempts > m.maximum_retry_attempts:
            del m.buffer[:len(batch)]   # the batch is discarded and the shard moves on
            m._attempts = 0
            self._schedule_flush(m)
            return
        # A failing batch blocks its shard: Lambda retries it until it succeeds or expires.
        self._schedule_flush(m, min(2.0 ** m._attempts, 60.0))

    def _mapping(self, uuid: Any) -> EventSourceMapping:
        if isinstance(uuid, EventSourceMapping):
            uuid = uuid.uuid
        if not isinstance(uuid, str):
            raise validation("UUID", uuid, "Member must be a string: the mapping's UUID, as "
                             "create_event_source_mapping returned it")
        m = self.mappings.get(uuid)
        if m is None:
            raise NotFound("ResourceNotFoundException", f"The resource you requested does not exist. (No event "
                           f"source mapping {uuid!r}; mappings: {', '.join(self.mappings) or 'none'}.)", status=404)
        return m

    def get_event_source_mapping(self, uuid: str) -> EventSourceMapping:
        return self._mapping(uuid)

    def list_event_source_mappings(self, function: Any = None, event_source_arn: str | None = None
                                   ) -> list[EventSourceMapping]:
        fn = None if function is None else self.function(function)  # type: ignore[attr-defined]
        return [m for m in self.mappings.values()
                if (fn is None or m.function is fn) and (event_source_arn is None or m.source_arn == event_source_arn)]

    def update_event_source_mapping(self, uuid: str, *, enabled: bool | None = None, batch_size: int | None = None,
                                    maximum_batching_window: int | None = None) -> EventSourceMapping:
        m = self._mapping(uuid)
        if m.state == "Creating":
            raise AWSError("ResourceInUseException", f"Cannot update the event source mapping {m.uuid} while it is "
                           f"Creating; advance the clock.", status=400)
        if batch_size is not None:
            if isinstance(batch_size, bool) or not isinstance(batch_size, int) or not 1 <= batch_size <= 10000:
                raise invalid(f"BatchSize for a DynamoDB stream is 1-10000, not {batch_size!r}.")
            m.batch_size = batch_size
        if maximum_batching_window is not None:
            if (isinstance(maximum_batching_window, bool) or not isinstance(maximum_batching_window, int)
                    or not 0 <= maximum_batching_window <= 300):
                raise invalid(f"MaximumBatchingWindowInSeconds is 0-300, not {maximum_batching_window!r}.")
            m.batching_window = maximum_batching_window
        if enabled is not None:
            if not isinstance(enabled, bool):
                raise validation("Enabled", enabled, "Member must be True or False")
            m.state = "Enabled" if enabled else "Disabled"
            self._schedule_flush(m)
        m.last_modified = self.cloud.clock.now  # type: ignore[attr-defined]
        return m

    def delete_event_source_mapping(self, uuid: str) -> EventSourceMapping:
        m = self._mapping(uuid)
        m.state = "Deleting"
        if m._subscription is not None:
            m._subscription.close()
        if m._flush is not None:
            m._flush.cancel()
        del self.mappings[m.uuid]
        return m

    # -- schedules --------------------------------------------------------------------------------
    def schedule_function(self, function: Any, expression: str, *, payload: Any = None, name: str | None = None,
                          qualifier: str | None = None) -> Schedule:
        """Invoke ``function`` on a schedule, as an EventBridge rule with a Lambda target does.

        ``expression`` is ``rate(5 minutes)`` or ``cron(0 9 ? * MON-FRI *)`` (UTC).  Like the
        console, this adds the resource-policy statement that lets events.amazonaws.com invoke.

        >>> from awskit import Cloud
        >>> cloud = Cloud(seed=0)
        >>> fn = cloud.awslambda.create_function("tick", handler=lambda e, c: e["detail-type"])
        >>> s = cloud.awslambda.schedule_function("tick", "rate(5 minutes)")
        >>> cloud.clock.advance(minutes=16); s.runs
        3
        """
        fn = self.resolve(function, qualifier)[0]  # type: ignore[attr-defined]
        after = parse_schedule(expression)
        rule = name or f"{fn.name}-schedule-{len(self.schedules) + 1}"
        if not re.fullmatch(r"[\.\-_A-Za-z0-9]{1,64}", rule):
            raise validation("name", rule, "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")
        if rule in self.schedules:
            raise conflict(f"Rule {rule} already exists.")
        arn = f"arn:aws:events:{self.region.name}:{self.cloud.account_id}:rule/{rule}"  # type: ignore[attr-defined]
        sid = f"events-{rule}"
        if not any(s["Sid"] == sid for s in fn.policy):
            self.add_permission(fn, sid, "lambda:InvokeFunction", "events.amazonaws.com", source_arn=arn)  # type: ignore[attr-defined]
        sched = Schedule(name=rule, arn=arn, function=fn, expression=expression)
        self.schedules[rule] = sched
        clock = self.cloud.clock  # type: ignore[attr-defined]

        def plan() -> None:
            nxt = after(clock.datetime)
            sched.next_run = (nxt - clock.to_datetime(0)).total_seconds()
            sched._event = clock.at(sched.next_run, fire, name=f"schedule {rule}")

        def fire() -> None:
            if self.functions.get(fn.name) is not fn:  # type: ignore[attr-defined]
                return
            sched.runs += 1
            event = payload if payload is not None else {
                "version": "0", "id": self.cloud.ids.uuid(), "detail-type": "Scheduled Event",  # type: ignore[attr-defined]
                "source": "aws.events", "account": self.cloud.account_id, "time": clock.isoformat()[:-5] + "Z",  # type: ignore[attr-defined]
                "region": self.region.name, "resources": [arn], "detail": {}}  # type: ignore[attr-defined]
            self._enqueue(fn.name, qualifier, event, self.cloud.ids.uuid(), 0, clock.now, 0.1)  # type: ignore[attr-defined]
            plan()

        plan()
        return sched

    # -- function URLs ----------------------------------------------------------------------------
    def create_function_url_config(self, function: Any, auth_type: str = "AWS_IAM", *, qualifier: str | None = None,
                                   cors: dict | None = None) -> FunctionUrlConfig:
        """Give the function (or one alias) an HTTPS endpoint; call it with :meth:`http_request`.

        ``auth_type="NONE"`` still needs a resource-policy statement allowing
        ``lambda:InvokeFunctionUrl`` for principal ``"*"`` (add_permission), as in AWS.
        """
        fn, _version, alias = self.resolve(function, qualifier)  # type: ignore[attr-defined]
        if qualifier is not None and alias is None and qualifier != "$LATEST":
            raise invalid(f"A function URL's qualifier is an alias (or $LATEST), not version {qualifier}.")
        if auth_type not in ("NONE", "AWS_IAM"):
            raise validation("authType", auth_type, "Member must satisfy enum value set: [NONE, AWS_IAM]")
        key = alias.name if alias else None
        urls = fn.url if isinstance(fn.url, dict) else {}
        if key in urls:
            raise conflict(f"Failed to create function url config for [functionArn = {fn.arn}]. Error message:  "
                           f"FunctionUrlConfig exists for this Lambda function")
        url_id = "".join(self.cloud.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32))  # type: ignore[attr-defined]
        now = self.cloud.clock.now  # type: ignore[attr-defined]
        cfg = FunctionUrlConfig(function=fn, qualifier=key, auth_type=auth_type, url_id=url_id,
                                url=f"https://{url_id}.lambda-url.{self.region.name}.on.aws/",  # type: ignore[attr-defined]
                                cors=dict(cors or {}), created=now, last_modified=now)
        urls[key] = cfg
        fn.url = urls
        self.urls[url_id] = cfg
        return cfg

    def get_function_url_config(self, function: Any, qualifier: str | None = None) -> FunctionUrlConfig:
        fn, _, alias = self.resolve(function, qualifier)  # type: ignore[attr-defined]
        cfg = (fn.url or {}).get(alias.name if alias else None)
        if cfg is None:
            raise NotFound("ResourceNotFoundException", f"The resource you requested does not exist. ({fn.name} has "
                           f"no function URL; create_function_url_config makes one.)", status=404)
        return cfg

    def update_function_url_config(self, function: Any, qualifier: str | None = None, *,
                                   auth_type: str | None = None, cors: dict | None = None) -> FunctionUrlConfig:
        cfg = self.get_function_url_config(function, qualifier)
        if auth_type is not None:
            if auth_type not in ("NONE", "AWS_IAM"):
                raise validation("authType", auth_type, "Member must satisfy enum value set: [NONE, AWS_IAM]")
            cfg.auth_type = auth_type
        if cors is not None:
            cfg.cors = dict(cors)
        cfg.last_modified = self.cloud.clock.now  # type: ignore[attr-defined]
        return cfg

    def delete_function_url_config(self, function: Any, qualifier: str | None = None) -> None:
        cfg = self.get_function_url_config(function, qualifier)
        del cfg.function.url[cfg.qualifier]
        self.urls.pop(cfg.url_id, None)

    def http_request(self, url: str, method: str = "GET", path: str | None = None, body: Any = None, *,
                     headers: dict[str, str] | None = None, source_ip: str = "203.0.113.10") -> Response:
        """Send an HTTP request to a function URL: the handler gets a payload format 2.0 event.

        Returns an :class:`awskit.http.Response`: the handler's ``statusCode``/``headers``/
        ``body``, or 200 with the JSON of whatever else it returned; 403 when the URL's
        policy refuses, 429 when throttled, 502 when the function fails.

        >>> from awskit import Cloud
        >>> lam = Cloud(seed=0).awslambda
        >>> fn = lam.create_function("api", handler=lambda e, c: {"statusCode": 201, "body": e["rawPath"]})
        >>> url = lam.create_function_url_config("api", "NONE").url
        >>> _ = lam.add_permission("api", "public", "lambda:InvokeFunctionUrl", "*", function_url_auth_type="NONE")
        >>> r = lam.http_request(url, "POST", "/orders")
        >>> r.status, r.body
        (201, '/orders')
        """
        if not isinstance(url, str):
            raise invalid(f"url is a function URL string, not {url!r}.")
        parts = urlsplit(url)
        m = re.fullmatch(r"([a-z0-9]{32})\.lambda-url\.([a-z0-9-]+)\.on\.aws", parts.hostname or "")
        if m is None:
            raise invalid(f"{url!r} is not a function URL (https://<url-id>.lambda-url.<region>.on.aws/).")
        if m[2] != self.region.name:  # type: ignore[attr-defined]
            return self.cloud.region(m[2]).awslambda.http_request(  # type: ignore[attr-defined]
                url, method, path, body, headers=headers, source_ip=source_ip)
        cfg = self.urls.get(m[1])
        if cfg is None or self.functions.get(cfg.function.name) is not cfg.function:  # type: ignore[attr-defined]
            return Response(404, {"content-type": "application/json"}, json.dumps({"Message": "Not Found"}))
        fn, version, alias = self.resolve(cfg.function, cfg.qualifier)  # type: ignore[attr-defined]
        if not self._url_allowed(cfg, fn):
            return Response(403, {"content-type": "application/json"}, json.dumps({"Message": "Forbidden"}))
        path = path if path is not None else (parts.path or "/")
        query = dict(parse_qsl(parts.query))
        text = body if isinstance(body, str) or body is None else json.dumps(body)
        hdrs = {k.lower(): v for k, v in (headers or {}).items()}
        hdrs.setdefault("host", parts.hostname or "")
        now = self.cloud.clock  # type: ignore[attr-defined]
        event = {"version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": parts.query,
                 "headers": hdrs, "requestContext": {
                     "accountId": "anonymous" if cfg.auth_type == "NONE" else self.cloud.account_id,  # type: ignore[attr-defined]
                     "apiId": cfg.url_id, "domainName": parts.hostname, "domainPrefix": cfg.url_id,
                     "http": {"method": method.upper(), "path": path, "protocol": "HTTP/1.1",
                              "sourceIp": source_ip, "userAgent": hdrs.get("user-agent", "awskit")},
                     "requestId": self.cloud.ids.uuid(), "routeKey": "$default", "stage": "$default",  # type: ignore[attr-defined]
                     "time": now.datetime.strftime("%d/%b/%Y:%H:%M:%S +0000"),
                     "timeEpoch": int(now.datetime.timestamp() * 1000)},
                 "isBase64Encoded": False}
        if query:
            event["queryStringParameters"] = query
        if text is not None:
            event["body"] = text
        try:
            self._check_ready(fn, version)  # type: ignore[attr-defined]
            result = self._invoke_now(fn, version, alias, event, cfg.function_arn, None, advance=True)  # type: ignore[attr-defined]
        except Throttling:
            return Response(429, {"content-type": "application/json"}, json.dumps({"Message": "Rate Exceeded."}))
        except AWSError:
            return Response(503, {"content-type": "application/json"},
                            json.dumps({"Message": "Service Unavailable"}))
        if result.function_error:
            return Response(502, {"content-type": "application/json"},
                            json.dumps({"Message": "Internal Server Error"}))
        out = result.payload
        if isinstance(out, dict) and "statusCode" in out:
            resp_body = out.get("body", "")
            return Response(int(out["statusCode"]), {str(k).lower(): str(v) for k, v in
                                                     (out.get("headers") or {}).items()},
                            resp_body if isinstance(resp_body, str) else json.dumps(resp_body))
        return Response(200, {"content-type": "application/json"}, out if isinstance(out, str) else json.dumps(out))

    def _url_allowed(self, cfg: FunctionUrlConfig, fn: Function) -> bool:
        doc = fn.policy_document()
        if cfg.auth_type == "NONE":
            if doc is None:
                return False
            from ..iam.policy import PolicyKind, evaluate, parse_policy

            policy = parse_policy(doc, PolicyKind.RESOURCE, strict_version=False)
            return evaluate([("resource-policy", "resource", policy)], "lambda:InvokeFunctionUrl", cfg.function_arn,
                            {"lambda:FunctionUrlAuthType": "NONE"}, principal={"arn": "anonymous"}).allowed
        try:
            self.cloud.authorize("lambda:InvokeFunctionUrl", cfg.function_arn, {"lambda:FunctionUrlAuthType":  # type: ignore[attr-defined]
                                 "AWS_IAM"}, resource_policy=doc, code="AccessDeniedException")
        except AWSError:
            return False
        return True

    # -- clean-up ---------------------------------------------------------------------------------
    def _drop_sources(self, fn: Function) -> None:
        for t in [t for t in self.triggers if t.function is fn]:
            t.close()
            self.triggers.remove(t)
        for name in [n for n, s in self.schedules.items() if s.function is fn]:
            self.schedules.pop(name).cancel()
        for uuid in [u for u, m in self.mappings.items() if m.function is fn]:
            self.delete_event_source_mapping(uuid)
        for cfg in list((fn.url or {}).values()):
            self.urls.pop(cfg.url_id, None)
        fn.url = None
