"""Invoking functions: synchronous and asynchronous calls, concurrency and throttling, logs,
metrics and the bill.

Every invocation occupies simulated time from its start to its end (Init Duration on a cold
start, then Duration).  Invocations whose spans overlap run concurrently, each in its own
execution environment; Lambda refuses (throttles) a synchronous call when the function's
reserved concurrency, or the account's unreserved pool, is already in use.  Asynchronous
(``Event``) calls go into an internal queue, run a moment later on the clock, are retried
twice when the function fails, and wait in the queue when throttled.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import AWSError, InvalidParameter, Throttling
from .functions import Function, FunctionState, Version, conflict, invalid
from .runtime import (
    BASE_MEMORY_MB,
    INIT_MS,
    INIT_MS_PER_MB,
    Context,
    Environment,
    Execution,
    TimedOut,
    _InitError,
    call_handler,
    error_payload,
    load_handler,
    runtime_variables,
)

__all__ = ["IDLE_SECONDS", "PRICE_PER_GB_SECOND", "PRICE_PER_REQUEST", "InvocationResult"]

#: USD, us-east-1 list prices (2025-2026).  The monthly free tier (1M requests and
#: 400,000 GB-seconds) is not modelled: the bill shows what usage costs without it.
PRICE_PER_REQUEST = 0.20 / 1_000_000
PRICE_PER_GB_SECOND = {"x86_64": 0.0000166667, "arm64": 0.0000133334}
#: How long an idle environment stays warm.  AWS does not publish this; observed values are
#: minutes, so awskit draws 5 to 15 minutes per environment from the seeded generator.
IDLE_SECONDS = (300.0, 900.0)
#: A queued asynchronous event is picked up this long after it is accepted (simulated s).
ASYNC_DELAY = 0.1
#: Delays before the retries of a failed asynchronous invocation (AWS: about 1 and 2 minutes).
ASYNC_RETRY_DELAYS = (60.0, 120.0)
SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024
#: Raised from 256 KB to 1 MB by AWS in October 2025.
ASYNC_PAYLOAD_LIMIT = 1024 * 1024
TAIL_BYTES = 4096
INVOCATION_TYPES = ("RequestResponse", "Event", "DryRun")


@dataclass(slots=True, kw_only=True, eq=False)
class InvocationResult:
    """What one invocation returned, and what it cost in simulated time."""

    status_code: int
    function: str
    executed_version: str
    request_id: str
    payload: Any = None
    raw: bytes = b""
    function_error: str | None = None
    start: float = 0.0
    end: float = 0.0
    duration_ms: float = 0.0
    billed_ms: int = 0
    init_ms: float = 0.0
    memory_size: int = 128
    memory_used_mb: int = 0
    log: list[str] = field(default_factory=list, repr=False)

    @property
    def cold_start(self) -> bool:
        return self.init_ms > 0

    @property
    def log_result(self) -> str:
        """The last 4 KB of this invocation's log, base64 (what ``LogType="Tail"`` returns)."""
        text = "".join(line + "\n" for line in self.log).encode()
        return base64.b64encode(text[-TAIL_BYTES:]).decode()

    def __repr__(self) -> str:
        err = f", function_error={self.function_error!r}" if self.function_error else ""
        cold = f", init={self.init_ms:.2f} ms" if self.init_ms else ""
        return (f"InvocationResult({self.status_code}, {self.function}:{self.executed_version}, payload="
                f"{self.payload!r}{err}, duration={self.duration_ms:.2f} ms{cold})")


def _event_bytes(payload: Any) -> tuple[bytes, Any]:
    """(the request body, the event the handler receives) from bytes, text or a Python value."""
    if payload is None:
        return b"", {}
    if isinstance(payload, (bytes, bytearray, str)):
        body = payload.encode() if isinstance(payload, str) else bytes(payload)
        if not body.strip():
            return body, {}
        try:
            return body, json.loads(body)
        except (ValueError, UnicodeDecodeError) as err:
            raise InvalidParameter("InvalidRequestContentException", f"Could not parse request body into json: "
                                   f"Could not parse payload into json: {err}. (Send a JSON document, e.g. "
                                   f"json.dumps({{'key': 'value'}}).)") from None
    try:
        body = json.dumps(payload).encode()
    except (TypeError, ValueError) as err:
        raise InvalidParameter("InvalidRequestContentException", f"The payload must be JSON: {err}.") from None
    return body, json.loads(body)


class _Invocations:
    """The invoke operations of :class:`~awskit.awslambda.LambdaService`."""

    def _init_invocations(self) -> None:
        self._spans: list[tuple[float, float, Function]] = []      # (start, end, function) of every run
        self._stack: list[tuple[float, Execution]] = []            # nested synchronous invocations
        self._charges: dict[tuple[str, str], Any] = {}
        #: the latest invocations (newest last), for notebooks and tests
        self.history: list[InvocationResult] = []
        #: asynchronous events Lambda gave up on: (function, request id, reason)
        self.dropped_events: list[tuple[str, str, str]] = []

    # -- time and concurrency ----------------------------------------------------------------
    def _now(self) -> float:
        if self._stack:
            start, execution = self._stack[-1]
            return start + execution.elapsed_ms / 1000.0
        return self.cloud.clock.now  # type: ignore[attr-defined]

    def concurrent_executions(self, function: Any = None, at: float | None = None) -> int:
        """How many invocations (of ``function``, or of any function) are running at time ``at``."""
        t = self._now() if at is None else at
        now = self.cloud.clock.now  # type: ignore[attr-defined]
        self._spans = [s for s in self._spans if s[1] > now]
        fn = None if function is None else self.function(function)  # type: ignore[attr-defined]
        return sum(1 for s, e, f in self._spans if s <= t < e and (fn is None or f is fn))

    def _throttle(self, fn: Function, t: float) -> None:
        running = [f for s, e, f in self._spans if s <= t < e] if self._spans else []
        if fn.reserved_concurrency is not None:
            mine = sum(1 for f in running if f is fn)
            if mine >= fn.reserved_concurrency:
                reason = "ReservedFunctionConcurrentInvocationLimitExceeded"
                why = (f"{fn.name} has reserved concurrency {fn.reserved_concurrency} and {mine} "
                       f"execution(s) are running")
            else:
                return
        else:
            pool = self.unreserved_concurrency  # type: ignore[attr-defined]
            busy = sum(1 for f in running if f.reserved_concurrency is None)
            if busy < pool:
                return
            reason = "ConcurrentInvocationLimitExceeded"
            why = f"the account's unreserved concurrency ({pool}) is in use by {busy} execution(s)"
        self._metric(fn, "Throttles", 1, t, None)
        raise Throttling("TooManyRequestsException", f"Rate Exceeded. ({why}; retry later, or raise the "
                         f"function's reserved concurrency.)", status=429, Reason=reason, Type="User")

    # -- the public entry points -----------------------------------------------------------
    def invoke(self, function: Any, payload: Any = None, *, invocation_type: str = "RequestResponse",
               qualifier: str | None = None, log_type: str = "None", client_context: Any = None
               ) -> InvocationResult:
        """Invoke a function: ``RequestResponse`` runs it now, ``Event`` queues it, ``DryRun`` checks.

        ``payload`` is a JSON text/bytes or (model API) any JSON-serializable value.  A
        synchronous call lets simulated time pass until the function returns.

        Raises: ResourceNotFoundException, ResourceConflictException (still Pending),
        TooManyRequestsException (throttled), InvalidRequestContentException (not JSON),
        RequestTooLargeException, AccessDeniedException.
        """
        if invocation_type not in INVOCATION_TYPES:
            raise InvalidParameter("ValidationException", f"1 validation error detected: Value {invocation_type!r} "
                                   f"at 'invocationType' failed to satisfy constraint: Member must satisfy enum value "
                                   f"set: [Event, RequestResponse, DryRun]")
        if log_type not in ("None", "Tail"):
            raise InvalidParameter("ValidationException", f"1 validation error detected: Value {log_type!r} at "
                                   f"'logType' failed to satisfy constraint: Member must satisfy enum value set: "
                                   f"[None, Tail]")
        fn, version, alias = self.resolve(function, qualifier)  # type: ignore[attr-defined]
        qualifier = alias.name if alias else (None if version.version == "$LATEST" and not qualifier
                                              else version.version)
        invoked_arn = f"{fn.arn}:{qualifier}" if qualifier else fn.arn
        self.cloud.authorize("lambda:InvokeFunction", invoked_arn,  # type: ignore[attr-defined]
                             resource_policy=fn.policy_document(), code="AccessDeniedException")
        self._check_ready(fn, version)
        body, event = _event_bytes(payload)
        limit = ASYNC_PAYLOAD_LIMIT if invocation_type == "Event" else SYNC_PAYLOAD_LIMIT
        if len(body) > limit:
            raise AWSError("RequestTooLargeException", f"Request must be smaller than {limit} bytes for the "
                           f"{invocation_type} invocation type ({len(body)} given).", status=413)
        if invocation_type == "DryRun":
            return InvocationResult(status_code=204, function=fn.name, executed_version=version.version,
                                    request_id=self.cloud.ids.uuid())  # type: ignore[attr-defined]
        if invocation_type == "Event":
            request_id = self.cloud.ids.uuid()  # type: ignore[attr-defined]
            self._enqueue(fn.name, qualifier, event, request_id, 0, self._now(), ASYNC_DELAY)
            return InvocationResult(status_code=202, function=fn.name, executed_version=version.version,
                                    request_id=request_id)
        return self._invoke_now(fn, version, alias, event, invoked_arn, client_context, advance=True)

    def burst(self, function: Any, n: int, payload: Any = None, *, qualifier: str | None = None
              ) -> list[InvocationResult | AWSError]:
        """Fire ``n`` synchronous invocations at the same simulated instant (to watch throttling).

        Returns each outcome in order: an :class:`InvocationResult` or the throttling error.

        >>> from awskit import Cloud
        >>> from awskit.awslambda import sleep
        >>> lam = Cloud(seed=0).awslambda
        >>> fn = lam.create_function("busy", handler=lambda e, c: sleep(500))
        >>> _ = lam.put_function_concurrency("busy", 3)
        >>> [r.code if isinstance(r, Exception) else r.status_code for r in lam.burst("busy", 5)]
        [200, 200, 200, 'TooManyRequestsException', 'TooManyRequestsException']
        """
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 100_000:
            raise InvalidParameter("InvalidParameterValueException", f"n is a number of invocations 1-100000, "
                                   f"not {n!r}.")
        fn, version, alias = self.resolve(function, qualifier)  # type: ignore[attr-defined]
        self._check_ready(fn, version)
        _, event = _event_bytes(payload)
        invoked_arn = alias.arn if alias else (version.arn if qualifier else fn.arn)
        out: list[InvocationResult | AWSError] = []
        for _ in range(n):
            try:
                out.append(self._invoke_now(fn, version, alias, event, invoked_arn, None, advance=False))
            except Throttling as err:
                out.append(err)
        ends = [r.end for r in out if isinstance(r, InvocationResult)]
        if ends and not self._stack and not getattr(self.cloud.clock, "_running", False):  # type: ignore[attr-defined]
            self.cloud.clock.run_until(max(ends))  # type: ignore[attr-defined]
        return out

    def _check_ready(self, fn: Function, version: Version) -> None:
        if version.state is not FunctionState.ACTIVE:
            raise conflict(f"The operation cannot be performed at this time. The function is currently in the "
                           f"following state: {version.state.value} (advance the clock, or wait with the "
                           f"function_active waiter).")

    # -- running -------------------------------------------------------------------------------
    def _pick_version(self, fn: Function, version: Version, alias: Any) -> Version:
        if alias is not None and alias.weights:
            (extra, weight), = alias.weights.items()
            if self.cloud.rng.random() < weight:  # type: ignore[attr-defined]
                return fn.versions.get(extra, version)
        return version

    def _environment(self, fn: Function, version: Version, t: float) -> Environment | None:
        keep, found = [], None
        for env in fn.environments:
            if env.reclaimed(t):
                continue
            keep.append(env)
            if found is None and env.version is version and env.busy_until <= t:
                found = env
        fn.environments = keep
        return found

    def _invoke_now(self, fn: Function, version: Version, alias: Any, event: Any, invoked_arn: str,
                    client_context: Any, *, advance: bool) -> InvocationResult:
        t = self._now()
        self._throttle(fn, t)
        version = self._pick_version(fn, version, alias)
        cloud = self.cloud  # type: ignore[attr-defined]
        request_id = cloud.ids.uuid()
        family = next((k for k in INIT_MS if version.runtime.startswith(k)), "provided")
        env = self._environment(fn, version, t)
        lines: list[tuple[float, str]] = []     # (ms after t, text)
        init_ms, init_error = 0.0, None
        cold = env is None
        if env is None:
            day = cloud.clock.to_datetime(t).strftime("%Y/%m/%d")
            env = Environment(id=cloud.ids.hex(32), version=version, created=t,
                              log_stream=f"{day}/[{version.version}]{cloud.ids.hex(32)}",
                              idle_limit=cloud.rng.uniform(*IDLE_SECONDS))
        # what os.environ holds while this environment's code runs (init and invocation alike)
        environ = runtime_variables(function_name=fn.name, version=version.version, handler=version.handler,
                                    runtime=version.runtime, memory_mb=version.memory_size,
                                    region=self.region.name, log_group=fn.log_group,  # type: ignore[attr-defined]
                                    log_stream=env.log_stream, variables=version.environment)
        if cold:
            init = Execution(timeout_ms=10_000, memory_mb=version.memory_size)
            size_mb = (version.code.unzipped_size + sum(lv.code.unzipped_size for lv in version.layers)) / 2**20
            init.spend(INIT_MS[family] + INIT_MS_PER_MB * size_mb)
            lines.append((0.0, (f"INIT_START Runtime Version: {version.runtime}.awskit Runtime Version ARN: "
                               f"arn:aws:lambda:{self.region.name}::runtime:awskit-{version.runtime}")))  # type: ignore[attr-defined]
            if not version.python:
                init_error = ("awskit.RuntimeNotSimulated", (f"awskit stores {version.runtime} functions but runs "
                              f"only Python handlers; use a python3.x runtime to run code in the simulation."), None)
            else:
                try:
                    env.handler = load_handler(version, env, init, environ)
                except _InitError as err:
                    init_error = (err.error_type, str(err), None)
                except TimedOut:
                    init_error = ("Runtime.InitTimeout", ("INIT_REPORT Init Duration: 10000.00 ms Phase: init "
                                  "Status: timeout"), None)
                except Exception as err:  # noqa: BLE001 - the module's own code failed at import
                    init_error = (type(err).__name__, str(err), err)
            init_ms = init.elapsed_ms
            lines.extend(init.lines)
        execution = Execution(timeout_ms=version.timeout * 1000.0, memory_mb=version.memory_size)
        lines.append((init_ms, f"START RequestId: {request_id} Version: {version.version}"))
        # the context agrees with the environment, as AWS's Python runtime fills it from there
        context = Context(function_name=environ["AWS_LAMBDA_FUNCTION_NAME"],
                          function_version=environ["AWS_LAMBDA_FUNCTION_VERSION"], invoked_function_arn=invoked_arn,
                          memory_limit_in_mb=environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], aws_request_id=request_id,
                          log_group_name=environ["AWS_LAMBDA_LOG_GROUP_NAME"],
                          log_stream_name=environ["AWS_LAMBDA_LOG_STREAM_NAME"], execution=execution,
                          client_context=client_context)
        keep_env = init_error is None
        function_error = None
        if init_error is not None:
            execution.elapsed_ms = 1.0
            error_type, message, exc = init_error
            body = (error_payload(exc, request_id, env.importer, error_type) if exc is not None else
                    {"errorMessage": message, "errorType": error_type, "requestId": request_id, "stackTrace": []})
            function_error = "Unhandled"
            execution.log(f"[ERROR] {error_type}: {message}")
        else:
            self._stack.append((t + init_ms / 1000.0, execution))
            try:
                outcome, value = call_handler(env.handler, event, context, execution,  # type: ignore[arg-type]
                                             environ)
            finally:
                self._stack.pop()
            if outcome == "ok":
                try:
                    body = value
                    raw = json.dumps(value).encode()
                except (TypeError, ValueError) as err:
                    function_error = "Unhandled"
                    body = {"errorMessage": f"Unable to marshal response: {err}", "errorType": "Runtime.MarshalError",
                            "requestId": request_id, "stackTrace": []}
                    execution.log(f"[ERROR] Runtime.MarshalError: Unable to marshal response: {err}")
            elif outcome == "timeout":
                function_error, keep_env = "Unhandled", False
                secs = f"{version.timeout:.2f}"
                body = {"errorType": "Sandbox.Timedout",
                        "errorMessage": f"RequestId: {request_id} Error: Task timed out after {secs} seconds"}
                execution.log(f"{cloud.clock.isoformat(t)} {request_id} Task timed out after {secs} seconds")
            else:
                function_error = "Unhandled"
                body = error_payload(value, request_id, env.importer)
                trace = "".join(body["stackTrace"])
                execution.log(f"[ERROR] {body['errorType']}: {body['errorMessage']}\nTraceback (most recent call "
                              f"last):\n{trace}".rstrip())
        if function_error:
            raw = json.dumps(body).encode()
        duration = execution.elapsed_ms
        lines.extend((init_ms + off, text) for off, text in execution.lines[:])
        billed = math.ceil(round(duration + init_ms, 6))   # INIT is billed too, since August 2025
        used = BASE_MEMORY_MB[family] + version.code.unzipped_size // 2**20 + len(raw) // 2**20
        used = min(version.memory_size, used)
        lines.append((init_ms + duration, f"END RequestId: {request_id}"))
        report = (f"REPORT RequestId: {request_id}\tDuration: {duration:.2f} ms\tBilled Duration: {billed} ms\t"
                  f"Memory Size: {version.memory_size} MB\tMax Memory Used: {used} MB")
        if init_ms:
            report += f"\tInit Duration: {init_ms:.2f} ms"
        if function_error and keep_env is False and init_error is None:
            report += "\tStatus: timeout"
        lines.append((init_ms + duration, report))
        end = t + (init_ms + duration) / 1000.0
        env.busy_until = env.last_used = end
        env.invocations += 1
        if keep_env and env not in fn.environments:
            fn.environments.append(env)
        elif not keep_env and env in fn.environments:
            fn.environments.remove(env)
        self._spans.append((t, end, fn))
        fn.invocations += 1
        logs = self.region.logs  # type: ignore[attr-defined]
        base_ms = t * 1000.0
        epoch_ms = int(cloud.clock.to_datetime(0).timestamp() * 1000)
        for off, text in lines:
            logs.write(fn.log_group, env.log_stream, text, timestamp_ms=epoch_ms + int(base_ms + off))
        result = InvocationResult(status_code=200, function=fn.name, executed_version=version.version,
                                  request_id=request_id, payload=body, raw=raw, function_error=function_error,
                                  start=t, end=end, duration_ms=duration, billed_ms=billed, init_ms=init_ms,
                                  memory_size=version.memory_size, memory_used_mb=used,
                                  log=[text for _, text in lines])
        self._account(fn, version, alias, result)
        if self._stack:  # a handler invoked another function and waited for it
            self._stack[-1][1].spend(init_ms + duration)
        elif advance and not getattr(cloud.clock, "_running", False):
            cloud.clock.run_until(end)
        return result

    # -- metrics and the bill ---------------------------------------------------------------------
    def _metric(self, fn: Function, name: str, value: float, t: float, alias: Any, unit: str = "Count") -> None:
        cw = self.region.cloudwatch  # type: ignore[attr-defined]
        cw.put("AWS/Lambda", name, value, dimensions={"FunctionName": fn.name}, unit=unit, timestamp=t)
        if alias is not None:
            cw.put("AWS/Lambda", name, value, dimensions={"FunctionName": fn.name,
                                                          "Resource": f"{fn.name}:{alias.name}"},
                   unit=unit, timestamp=t)

    def _account(self, fn: Function, version: Version, alias: Any, r: InvocationResult) -> None:
        t = r.start
        self._metric(fn, "Invocations", 1, t, alias)
        self._metric(fn, "Errors", 1 if r.function_error else 0, t, alias)
        self._metric(fn, "Duration", r.duration_ms, t, alias, unit="Milliseconds")
        self._metric(fn, "ConcurrentExecutions", self.concurrent_executions(at=t), t, None)
        bill = self.cloud.bill  # type: ignore[attr-defined]
        gb_s = version.memory_size / 1024.0 * r.billed_ms / 1000.0
        for usage, amount in (("requests", PRICE_PER_REQUEST),
                              (f"GB-seconds ({version.architectures[0]})",
                               gb_s * PRICE_PER_GB_SECOND[version.architectures[0]])):
            key = (fn.name, usage)
            item = self._charges.get(key)
            if item is None:  # one running line item per function and usage keeps the bill small
                item = self._charges[key] = bill.charge("lambda", fn.arn, usage, 0.0)
            item.amount += amount
        self.history.append(r)
        if len(self.history) > 1000:
            del self.history[:-1000]
        self.cloud.events.publish("lambda.invoked", function=fn.name, version=r.executed_version,  # type: ignore[attr-defined]
                                  request_id=r.request_id, error=r.function_error, cold=r.cold_start,
                                  duration_ms=r.duration_ms)

    # -- asynchronous invocation ----------------------------------------------------------------
    def _enqueue(self, name: str, qualifier: str | None, event: Any, request_id: str, attempt: int,
                 accepted: float, delay: float, throttles: int = 0) -> None:
        def run() -> None:
            self._run_async(name, qualifier, event, request_id, attempt, accepted, throttles)

        self.cloud.clock.schedule(delay, run, name=f"lambda async {name}")  # type: ignore[attr-defined]

    def _run_async(self, name: str, qualifier: str | None, event: Any, request_id: str, attempt: int,
                   accepted: float, throttles: int) -> None:
        fn = self.functions.get(name)  # type: ignore[attr-defined]
        if fn is None:
            self.dropped_events.append((name, request_id, "function deleted"))
            return
        try:
            fn, version, alias = self.resolve(fn, qualifier)  # type: ignore[attr-defined]
        except AWSError:
            self.dropped_events.append((name, request_id, f"qualifier {qualifier} no longer exists"))
            return
        cfg = fn.event_invoke_config
        max_age = cfg.get("MaximumEventAgeInSeconds", 21600)
        max_retries = cfg.get("MaximumRetryAttempts", 2)
        now = self.cloud.clock.now  # type: ignore[attr-defined]
        invoked = alias.arn if alias else (version.arn if qualifier else fn.arn)
        try:
            self._check_ready(fn, version)
            result = self._invoke_now(fn, version, alias, event, invoked, None, advance=False)
        except (Throttling, AWSError) as err:
            # throttled (or not ready): the event waits in the queue, with growing back-off
            if now - accepted >= max_age:
                self.dropped_events.append((name, request_id, f"expired after {max_age} s: {err.code}"))
                return
            delay = min(2.0 ** throttles, 300.0)
            self._enqueue(name, qualifier, event, request_id, attempt, accepted, delay, throttles + 1)
            return
        if result.function_error:
            if attempt < max_retries and now - accepted < max_age:
                self._enqueue(name, qualifier, event, request_id, attempt + 1, accepted,
                              ASYNC_RETRY_DELAYS[min(attempt, len(ASYNC_RETRY_DELAYS) - 1)])
            else:
                self.dropped_events.append((name, request_id, (f"failed after {attempt + 1} attempt(s): "
                                            f"{result.payload.get('errorType') if isinstance(result.payload, dict) else ''}")))

    def put_function_event_invoke_config(self, function: Any, *, maximum_retry_attempts: int | None = None,
                                         maximum_event_age_seconds: int | None = None) -> dict:
        """How asynchronous invocations are retried: 0-2 retries, events kept 60 s to 6 hours."""
        fn = self.function(function)  # type: ignore[attr-defined]
        cfg: dict[str, Any] = {}
        if maximum_retry_attempts is not None:
            if isinstance(maximum_retry_attempts, bool) or maximum_retry_attempts not in (0, 1, 2):
                raise invalid(f"MaximumRetryAttempts is 0, 1 or 2, not {maximum_retry_attempts!r}.")
            cfg["MaximumRetryAttempts"] = maximum_retry_attempts
        if maximum_event_age_seconds is not None:
            if isinstance(maximum_event_age_seconds, bool) or not isinstance(maximum_event_age_seconds, int) \
                    or not 60 <= maximum_event_age_seconds <= 21600:
                raise invalid(f"MaximumEventAgeInSeconds is 60-21600, not {maximum_event_age_seconds!r}.")
            cfg["MaximumEventAgeInSeconds"] = maximum_event_age_seconds
        fn.event_invoke_config = cfg
        return cfg
