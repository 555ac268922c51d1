"""Running a handler: execution environments, the context object, simulated duration.

Lambda runs a function inside an *execution environment*: a small sandbox that loads the
code once (the cold start, whose time AWS reports as Init Duration) and then serves one
request at a time for as long as it is kept warm.  awskit runs Python handlers in-process:
the deployment package's modules are executed in a private namespace (nothing lands in
``sys.modules``), so module-level state survives between warm invocations exactly as it
does in AWS, and ``print`` output goes to the function's CloudWatch log stream.

Time is simulated, never measured: an invocation costs a small fixed base, plus what the
handler declares with :func:`sleep` (waiting, e.g. on a network call) or ``context.work``
(CPU work, slower on small memory sizes because Lambda gives CPU in proportion to memory).

Code reads its configuration from environment variables, as on Lambda: while the init phase
and each invocation run, ``os.environ`` also holds the function's variables and the ones the
runtime defines (``AWS_REGION``, ``AWS_LAMBDA_FUNCTION_NAME``, ...); afterwards the notebook's
environment is put back exactly as it was, even when the handler fails or times out.
"""

from __future__ import annotations

import builtins
import contextlib
import contextvars
import io
import os
import time
import traceback
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BASE_MS", "FULL_VCPU_MB", "INIT_MS", "RUNTIME_DIR", "TASK_ROOT", "Context", "Environment",
           "Execution", "TimedOut", "process_environment", "runtime_variables", "sleep"]

#: Simulated cost of every invocation (the runtime's own bookkeeping), in ms.
BASE_MS = 1.0
#: Lambda gives a function one full vCPU at 1,769 MB and a proportional share below that.
FULL_VCPU_MB = 1769
#: Simulated cold-start cost by runtime family, in ms, before the package size is added.
INIT_MS = {"python": 120.0, "nodejs": 140.0, "java": 450.0, "dotnet": 250.0, "ruby": 160.0, "provided": 60.0}
#: Extra cold-start time per MB of unzipped code and layers.
INIT_MS_PER_MB = 8.0
#: Memory a bare runtime uses, in MB (what REPORT's "Max Memory Used" starts from).
BASE_MEMORY_MB = {"python": 38, "nodejs": 64, "java": 90, "dotnet": 70, "ruby": 45, "provided": 20}

#: Where Lambda unpacks the deployment package, and where its runtime lives.
TASK_ROOT = "/var/task"
RUNTIME_DIR = "/var/runtime"

_CURRENT: contextvars.ContextVar[Execution | None] = contextvars.ContextVar("awskit_lambda_execution",
                                                                              default=None)


class TimedOut(BaseException):
    """Raised inside a handler whose simulated time passes the function's timeout.

    A BaseException, so a handler's ``except Exception`` cannot swallow it.
    """


@dataclass(slots=True, kw_only=True)
class Execution:
    """The simulated timeline of one invocation (or of one environment's init phase)."""

    timeout_ms: float
    memory_mb: int
    elapsed_ms: float = 0.0
    lines: list[tuple[float, str]] = field(default_factory=list)

    def spend(self, ms: float, *, cpu: bool = False) -> None:
        if isinstance(ms, bool) or not isinstance(ms, (int, float)) or not 0 <= ms < float("inf"):
            raise ValueError(f"Simulated time is a number of milliseconds >= 0, not {ms!r}.")
        if cpu:
            ms = ms * max(1.0, FULL_VCPU_MB / self.memory_mb)
        self.elapsed_ms += float(ms)
        if self.elapsed_ms > self.timeout_ms:
            self.elapsed_ms = self.timeout_ms
            raise TimedOut()

    def log(self, text: str) -> None:
        self.lines.append((self.elapsed_ms, text))


def sleep(ms: float) -> None:
    """Spend ``ms`` simulated milliseconds waiting (a network call, a slow service).

    Inside a handler the invocation's duration grows by ``ms``; outside one it does nothing,
    so a handler can still be called directly as a plain function.

    >>> from awskit import Cloud
    >>> from awskit.awslambda import sleep
    >>> cloud = Cloud(seed=0)
    >>> fn = cloud.awslambda.create_function("slow", handler=lambda e, c: sleep(250))
    >>> cloud.awslambda.invoke("slow").duration_ms
    251.0
    """
    execution = _CURRENT.get()
    if execution is not None:
        execution.spend(ms)


def runtime_variables(*, function_name: str, version: str, handler: str, runtime: str, memory_mb: int,
                      region: str, log_group: str, log_stream: str,
                      variables: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a function's code sees: its own variables plus those Lambda defines.

    The reserved keys (AWS's "Defined runtime environment variables") always carry Lambda's
    values; ``create_function`` refuses them in ``Environment.Variables``.  ``TZ`` is not
    reserved any more: it defaults to ``:UTC`` and a function may set its own.  Left out, because
    nothing in the simulation stands behind them: the role's credentials (``AWS_ACCESS_KEY_ID``,
    ``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``), the X-Ray header ``_X_AMZN_TRACE_ID``,
    ``AWS_LAMBDA_RUNTIME_API``, and the process paths ``PATH``, ``LD_LIBRARY_PATH``, ``LANG``.

    >>> env = runtime_variables(function_name="hello", version="$LATEST", handler="app.handler",
    ...                         runtime="python3.13", memory_mb=128, region="us-east-1",
    ...                         log_group="/aws/lambda/hello", log_stream="2026/01/01/[$LATEST]abc",
    ...                         variables={"TABLE_NAME": "orders"})
    >>> env["TABLE_NAME"], env["AWS_REGION"], env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], env["TZ"]
    ('orders', 'us-east-1', '128', ':UTC')
    """
    env = {"TZ": ":UTC"}
    env.update(variables or {})
    env.update({
        "_HANDLER": handler,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{runtime}",
        "AWS_LAMBDA_FUNCTION_NAME": function_name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory_mb),
        "AWS_LAMBDA_FUNCTION_VERSION": version,
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",   # provisioned concurrency is not modelled
        "AWS_LAMBDA_LOG_GROUP_NAME": log_group,
        "AWS_LAMBDA_LOG_STREAM_NAME": log_stream,
        "LAMBDA_TASK_ROOT": TASK_ROOT,
        "LAMBDA_RUNTIME_DIR": RUNTIME_DIR,
    })
    return env


def _tzset() -> None:
    if hasattr(time, "tzset"):  # Unix only; TZ changes what time.localtime() means
        time.tzset()


def _environ_snapshot() -> tuple[dict, bool]:
    """A copy of the process environment: CPython's raw (encoded) table when there is one,
    which copies and compares some 100 times faster than decoding every entry."""
    raw = getattr(os.environ, "_data", None)
    if isinstance(raw, dict) and hasattr(os.environ, "decodekey"):
        return raw.copy(), True
    return dict(os.environ), False


def _environ_restore(before: dict, raw: bool) -> None:
    """Put ``os.environ`` back to ``before``, touching only the entries that differ."""
    now = os.environ._data if raw else dict(os.environ)  # type: ignore[attr-defined]
    added = [k for k in now if k not in before]
    changed = [k for k, v in before.items() if now.get(k) != v]
    decode_key = os.environ.decodekey if raw else str  # type: ignore[attr-defined]
    decode_value = os.environ.decodevalue if raw else str  # type: ignore[attr-defined]
    for k in added:
        del os.environ[decode_key(k)]
    for k in changed:
        os.environ[decode_key(k)] = decode_value(before[k])


@contextlib.contextmanager
def process_environment(variables: dict[str, str] | None) -> Iterator[None]:
    """Lay ``variables`` over ``os.environ`` for one phase of a function, then undo it exactly.

    Lambda gives each execution environment a process of its own; awskit runs handlers inside
    the notebook's process, so it borrows ``os.environ`` and gives it back: every key added
    (by awskit or by the handler) is removed, every key changed or deleted gets its old value
    back, also when the handler raises or times out.  The notebook's other variables stay
    visible to the handler (a real function would not see them).

    >>> import os
    >>> with process_environment({"STAGE": "test"}):
    ...     os.environ["STAGE"]
    'test'
    >>> "STAGE" in os.environ
    False
    """
    if not variables:
        yield
        return
    before, raw = _environ_snapshot()
    tz = os.environ.get("TZ")
    try:
        os.environ.update(variables)
        if os.environ.get("TZ") != tz:
            _tzset()
        yield
    finally:
        tz_inside = os.environ.get("TZ")
        _environ_restore(before, raw)
        if tz_inside != tz:
            _tzset()


class _LogWriter(io.TextIOBase):
    """Collects what the handler prints, one log event per line, stamped in simulated time."""

    def __init__(self, execution: Execution) -> None:
        self.execution = execution
        self.buffer_: list[str] = []

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        text = str(s)
        parts = text.split("\n")
        for part in parts[:-1]:
            self.execution.log("".join(self.buffer_) + part)
            self.buffer_.clear()
        if parts[-1]:
            self.buffer_.append(parts[-1])
        return len(text)

    def flush(self) -> None:
        if self.buffer_:
            self.execution.log("".join(self.buffer_))
            self.buffer_.clear()


class Context:
    """The context object a handler receives as its second argument (LambdaContext).

    Its attributes agree with the runtime's environment variables, as in AWS's Python runtime,
    which reads them from there: ``function_name`` is ``AWS_LAMBDA_FUNCTION_NAME``,
    ``function_version`` ``AWS_LAMBDA_FUNCTION_VERSION``, ``log_group_name`` and
    ``log_stream_name`` the two ``AWS_LAMBDA_LOG_*`` variables, and ``memory_limit_in_mb`` is
    ``AWS_LAMBDA_FUNCTION_MEMORY_SIZE``: a string such as ``'128'``, as on AWS.

    Besides AWS's attributes, ``work(ms)`` declares CPU work: ``ms`` milliseconds on one
    full vCPU, stretched on smaller memory sizes as Lambda's CPU share shrinks.
    """

    def __init__(self, *, function_name: str, function_version: str, invoked_function_arn: str,
                 memory_limit_in_mb: int | str, aws_request_id: str, log_group_name: str, log_stream_name: str,
                 execution: Execution, client_context: Any = None) -> None:
        self.function_name = function_name
        self.function_version = function_version
        self.invoked_function_arn = invoked_function_arn
        self.memory_limit_in_mb = str(memory_limit_in_mb)
        self.aws_request_id = aws_request_id
        self.log_group_name = log_group_name
        self.log_stream_name = log_stream_name
        self.identity = None
        self.client_context = client_context
        self._execution = execution

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the timeout, on the simulated clock."""
        return max(0, int(self._execution.timeout_ms - self._execution.elapsed_ms))

    def work(self, ms: float) -> None:
        """Spend CPU time: ``ms`` on a full vCPU (1,769 MB); longer with less memory."""
        self._execution.spend(ms, cpu=True)

    def sleep(self, ms: float) -> None:
        """Spend ``ms`` waiting (not CPU-bound, so memory size does not change it)."""
        self._execution.spend(ms)

    def __repr__(self) -> str:
        return f"LambdaContext({self.function_name!r}, version={self.function_version!r}, " \
               f"request_id={self.aws_request_id!r})"


# -- loading a deployment package in isolation --------------------------------------------------

class _Importer:
    """Imports modules from a deployment package (and layers) without touching ``sys.modules``.

    ``files`` maps a path inside /var/task or /opt/python (``pkg/mod.py``) to (the directory
    it came from, its bytes); the function's own files win over layers', as on Lambda's
    import path.
    """

    def __init__(self, files: dict[str, tuple[str, bytes]]) -> None:
        self.files = files
        self.modules: dict[str, types.ModuleType] = {}
        self.builtins = dict(builtins.__dict__)
        self.builtins["__import__"] = self._import

    def _find(self, name: str) -> tuple[str, bool] | None:
        path = name.replace(".", "/")
        if path + ".py" in self.files:
            return path + ".py", False
        if path + "/__init__.py" in self.files:
            return path + "/__init__.py", True
        return None

    def has(self, name: str) -> bool:
        return name in self.modules or self._find(name) is not None

    def load(self, name: str) -> types.ModuleType:
        module = self.modules.get(name)
        if module is not None:
            return module
        parent = name.rpartition(".")[0]
        if parent:
            self.load(parent)
        found = self._find(name)
        if found is None:
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        path, is_package = found
        origin, data = self.files[path]
        module = types.ModuleType(name)
        module.__file__ = f"{origin}/{path}"
        module.__package__ = name if is_package else parent
        if is_package:
            module.__path__ = [f"{origin}/{path.rpartition('/')[0]}"]
        module.__dict__["__builtins__"] = self.builtins
        self.modules[name] = module
        try:
            exec(compile(data, module.__file__, "exec"), module.__dict__)  # noqa: S102 - the user's own code
        except BaseException:
            del self.modules[name]
            raise
        if parent:
            setattr(self.modules[parent], name.rpartition(".")[2], module)
        return module

    def _import(self, name: str, globals: dict | None = None, locals: Any = None, fromlist: Any = (),
                level: int = 0) -> Any:
        if level:
            package = (globals or {}).get("__package__") or ""
            if not package:
                raise ImportError("attempted relative import with no known parent package")
            base = package.rsplit(".", level - 1)[0] if level > 1 else package
            absolute = f"{base}.{name}" if name else base
        else:
            absolute = name
        if not self.has(absolute.partition(".")[0]):
            return builtins.__import__(name, globals, locals, fromlist, level)
        module = self.load(absolute)
        if fromlist:
            for item in fromlist:
                if item != "*" and not hasattr(module, item) and self.has(f"{absolute}.{item}"):
                    self.load(f"{absolute}.{item}")
            return module
        return self.modules[absolute.partition(".")[0]]

    def source_line(self, filename: str, lineno: int) -> str:
        for prefix in ("/var/task/", "/opt/python/"):
            if filename.startswith(prefix):
                entry = self.files.get(filename[len(prefix):])
                if entry is not None:
                    lines = entry[1].decode(errors="replace").splitlines()
                    if 0 < lineno <= len(lines):
                        return lines[lineno - 1].strip()
        return ""


def package_files(version) -> dict[str, tuple[str, bytes]]:
    """The files a Python handler can import: the function's own, then its layers' python/ folders."""
    files: dict[str, tuple[str, bytes]] = {}
    for path, data in version.code.files.items():
        files[path] = ("/var/task", data)
    for layer in version.layers:
        for path, data in layer.code.files.items():
            for prefix in ("python/", ):
                if path.startswith(prefix):
                    rel = path[len(prefix):]
                    if rel.startswith("lib/") and "/site-packages/" in rel:
                        rel = rel.split("/site-packages/", 1)[1]
                    files.setdefault(rel, ("/opt/python", data))
    return files


@dataclass(slots=True, kw_only=True, eq=False)
class Environment:
    """One warm execution environment of one function version."""

    id: str
    version: Any = field(repr=False)
    log_stream: str
    created: float
    idle_limit: float
    busy_until: float = 0.0
    last_used: float = 0.0
    init_ms: float = 0.0
    invocations: int = 0
    handler: Callable[..., Any] | None = field(default=None, repr=False)
    importer: _Importer | None = field(default=None, repr=False)

    def reclaimed(self, t: float) -> bool:
        """Has Lambda shut this idle environment down by simulated time ``t``?"""
        return t - max(self.last_used, self.busy_until) > self.idle_limit

    def __repr__(self) -> str:
        return f"Environment({self.id!r}, version={self.version.version!r}, invocations={self.invocations})"


def error_payload(exc: BaseException, request_id: str, importer: _Importer | None,
                  error_type: str | None = None) -> dict[str, Any]:
    """The JSON Lambda's Python runtime returns for an unhandled exception."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/awskit/awslambda/" not in f.filename]
    stack = []
    for f in frames:
        line = f.line or (importer.source_line(f.filename, f.lineno or 0) if importer else "")
        stack.append(f'  File "{f.filename}", line {f.lineno}, in {f.name}\n    {line}\n')
    return {"errorMessage": str(exc), "errorType": error_type or type(exc).__name__, "requestId": request_id,
            "stackTrace": stack}


def load_handler(version, env: Environment, execution: Execution,
                 environ: dict[str, str] | None = None) -> Callable[..., Any]:
    """Run the init phase: import the handler's module (module-level code runs now, once).

    ``environ`` is in ``os.environ`` meanwhile, so module-level code may read its settings.
    """
    if version.code.callable is not None:
        return version.code.callable
    module_name, _, function_name = version.handler.rpartition(".")
    importer = env.importer = _Importer(package_files(version))
    token = _CURRENT.set(execution)
    writer = _LogWriter(execution)
    try:
        with contextlib.redirect_stdout(writer), contextlib.redirect_stderr(writer), process_environment(environ):
            try:
                module = importer.load(module_name.replace("/", "."))
            except ModuleNotFoundError as err:
                raise _InitError("Runtime.ImportModuleError",
                                 f"Unable to import module '{module_name}': {err}") from None
            except SyntaxError as err:
                raise _InitError("Runtime.UserCodeSyntaxError",
                                 f"Syntax error in module '{module_name}': {err}") from None
    finally:
        writer.flush()
        _CURRENT.reset(token)
    handler = getattr(module, function_name, None)
    if not callable(handler):
        raise _InitError("Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")
    return handler


class _InitError(Exception):
    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type


def call_handler(handler: Callable[..., Any], event: Any, context: Context,
                 execution: Execution, environ: dict[str, str] | None = None) -> tuple[str, Any]:
    """Run the handler with ``environ`` in ``os.environ``; returns ("ok", result),
    ("error", exception) or ("timeout", None)."""
    token = _CURRENT.set(execution)
    writer = _LogWriter(execution)
    try:
        with contextlib.redirect_stdout(writer), contextlib.redirect_stderr(writer), process_environment(environ):
            try:
                execution.spend(BASE_MS)
                return "ok", handler(event, context)
            except TimedOut:
                return "timeout", None
            except Exception as err:  # noqa: BLE001 - the user's handler failed: that is the result
                return "error", err
    finally:
        writer.flush()
        _CURRENT.reset(token)
