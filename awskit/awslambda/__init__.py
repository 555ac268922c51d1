"""AWS Lambda: run code in response to events without managing servers.

You upload a function (code, a runtime, a handler, memory and a timeout) and Lambda runs
it when something asks: a direct call, an S3 upload, a DynamoDB stream, a schedule or an
HTTP request.  Each run happens in an execution environment that Lambda creates on demand
(a cold start) and keeps warm for later calls; you pay per request and per GB-second of
run time, and Lambda runs as many copies at once as the load needs, up to your
concurrency limit.

In awskit, Python handlers really run (in-process, in an isolated module namespace) and
everything else is simulated: durations follow the simulated clock, not the wall clock.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=0)
>>> fn = cloud.awslambda.create_function("hello", handler=lambda event, ctx: f"hi {event['name']}")
>>> cloud.awslambda.invoke("hello", {"name": "Ada"}).payload
'hi Ada'
"""

from .functions import (
    DEPRECATED_RUNTIMES,
    RUNTIMES,
    Alias,
    Code,
    Function,
    FunctionState,
    LastUpdateStatus,
    Version,
)
from .invocation import PRICE_PER_GB_SECOND, PRICE_PER_REQUEST, InvocationResult
from .layers import Layer, LayerVersion
from .runtime import Context, Environment, sleep
from .service import LambdaService
from .sources import EventSourceMapping, FunctionUrlConfig, Schedule, Trigger

__all__ = [
    "DEPRECATED_RUNTIMES",
    "PRICE_PER_GB_SECOND",
    "PRICE_PER_REQUEST",
    "RUNTIMES",
    "Alias",
    "Code",
    "Context",
    "Environment",
    "EventSourceMapping",
    "Function",
    "FunctionState",
    "FunctionUrlConfig",
    "InvocationResult",
    "LambdaService",
    "LastUpdateStatus",
    "Layer",
    "LayerVersion",
    "Schedule",
    "Trigger",
    "Version",
    "sleep",
]
