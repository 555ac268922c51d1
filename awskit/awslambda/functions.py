"""Lambda functions, their published versions and aliases, and the rules for their settings.

A function is code plus configuration (runtime, handler, memory, timeout, role,
environment, layers).  ``$LATEST`` is the editable copy; ``publish_version`` freezes a
numbered, immutable snapshot, and an alias is a named pointer to a version that may split
traffic between two versions for a canary release.
"""

from __future__ import annotations

import hashlib
import inspect
import io
import json
import re
import zipfile
from base64 import b64encode
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ..core.errors import AWSError, InvalidParameter

__all__ = [
    "DEPRECATED_RUNTIMES",
    "RESERVED_ENV",
    "RUNTIMES",
    "Alias",
    "Code",
    "Function",
    "FunctionState",
    "LastUpdateStatus",
    "Version",
]

#: Runtimes AWS accepts for new functions, as of early 2026 (the AWS Lambda Developer Guide,
#: "Lambda runtimes").  Runtimes past their deprecation date but before "block function
#: create" (python3.9, nodejs18.x) are still accepted, as AWS does.
RUNTIMES = (
    "python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14",
    "nodejs18.x", "nodejs20.x", "nodejs22.x", "nodejs24.x",
    "java8.al2", "java11", "java17", "java21",
    "dotnet8",
    "ruby3.2", "ruby3.3", "ruby3.4",
    "provided.al2", "provided.al2023",
)
#: Retired runtimes: AWS refuses them for new or updated functions.
DEPRECATED_RUNTIMES = (
    "python2.7", "python3.6", "python3.7", "python3.8",
    "nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x",
    "nodejs14.x", "nodejs16.x", "java8", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1",
    "dotnetcore3.1", "dotnet6", "dotnet7", "ruby2.5", "ruby2.7", "go1.x", "provided",
)
_NEWEST = {"python": "python3.13", "nodejs": "nodejs22.x", "java": "java21", "dotnet": "dotnet8",
           "ruby": "ruby3.3", "go": "provided.al2023", "provided": "provided.al2023"}

_NAME = re.compile(r"[a-zA-Z0-9-_]{1,64}")
#: name, partial ARN (123456789012:function:name) or full ARN, each with an optional :qualifier
_NAME_FORMS = re.compile(
    r"(?:arn:aws[a-zA-Z-]*:lambda:(?P<region>[a-z]{2}(?:-gov)?-[a-z]+-\d):(?P<acct>\d{12}):function:"
    r"|(?P<pacct>\d{12}):function:)?(?P<name>[a-zA-Z0-9-_]{1,64})(?::(?P<qual>\$LATEST|[a-zA-Z0-9-_]{1,128}))?")
_ALIAS = re.compile(r"(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}")
ENV_LIMIT_BYTES = 4096
MAX_LAYERS = 5
ZIP_LIMIT = 50 * 1024 * 1024            # a direct upload
UNZIPPED_LIMIT = 262_144_000            # code plus layers, unzipped


class FunctionState(str, Enum):
    """A function's ``State``: Pending while Lambda prepares it, then Active."""

    PENDING = "Pending"
    ACTIVE = "Active"
    INACTIVE = "Inactive"
    FAILED = "Failed"


class LastUpdateStatus(str, Enum):
    """The outcome of the last code or configuration update."""

    IN_PROGRESS = "InProgress"
    SUCCESSFUL = "Successful"
    FAILED = "Failed"


def validation(param: str, value: Any, rule: str) -> InvalidParameter:
    """AWS's wording for a parameter that breaks the API model's constraint."""
    return InvalidParameter("ValidationException", f"1 validation error detected: Value {value!r} at '{param}' "
                            f"failed to satisfy constraint: {rule}")


def invalid(message: str) -> InvalidParameter:
    return InvalidParameter("InvalidParameterValueException", message)


def conflict(message: str) -> AWSError:
    return AWSError("ResourceConflictException", message, status=409)


def parse_name(value: Any, param: str = "functionName") -> tuple[str, str | None, str | None, str | None]:
    """Split a FunctionName in any of its forms into (name, qualifier, account, region)."""
    if not isinstance(value, str):
        raise validation(param, value, "Member must be a string: a name such as 'my-function' or its ARN")
    m = _NAME_FORMS.fullmatch(value)
    if m is None:
        raise validation(param, value, "Member must satisfy regular expression pattern: a name of 1-64 letters, "
                         "digits, hyphens and underscores, or arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]")
    return m["name"], m["qual"], m["acct"] or m["pacct"], m["region"]


def check_runtime(runtime: Any) -> str:
    if runtime in RUNTIMES:
        return runtime
    if runtime in DEPRECATED_RUNTIMES:
        family = re.match(r"[a-z]+", runtime).group(0)  # type: ignore[union-attr]
        raise invalid(f"The runtime parameter of {runtime} is no longer supported for creating or updating AWS "
                      f"Lambda functions. We recommend you use the new runtime ({_NEWEST.get(family, 'python3.13')}) "
                      f"while creating or updating functions.")
    raise validation("runtime", runtime, f"Member must satisfy enum value set: [{', '.join(RUNTIMES)}]")


def check_int(param: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise validation(param, value, f"Member must be an integer between {lo} and {hi}")
    if value < lo:
        raise validation(param, value, f"Member must have value greater than or equal to {lo}")
    if value > hi:
        raise validation(param, value, f"Member must have value less than or equal to {hi}")
    return value


def check_environment(variables: Any) -> dict[str, str]:
    """Validate ``Environment.Variables`` as Lambda does (AWS Lambda Developer Guide, "Working
    with Lambda environment variables"): keys are a letter then at least one more letter, digit
    or underscore; keys Lambda defines itself are refused; all of it fits in 4 KB.

    Raises: ValidationException (key pattern), InvalidParameterValueException (reserved key, size).
    """
    if variables is None:
        return {}
    if not isinstance(variables, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                  for k, v in variables.items()):
        raise invalid(f"Environment variables are a dict of strings to strings, not {variables!r}.")
    for key in variables:
        if not _ENV_KEY.fullmatch(key):
            raise validation("environment.variables", key, "Map keys must satisfy constraint: [Member must "
                             "satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+] (a letter, then at least "
                             "one more letter, digit or underscore)")
    reserved = [key for key in variables if key in RESERVED_ENV]
    if reserved:
        raise invalid(f"Lambda was unable to configure your environment variables because the environment "
                      f"variables you have provided contains reserved keys that are currently not supported for "
                      f"modification. Reserved keys used in this request: {', '.join(reserved)} (Lambda sets "
                      f"these itself; choose another name, e.g. MY_{reserved[0].lstrip('_')}).")
    size = len(json.dumps(variables, separators=(",", ":")).encode())
    if size > ENV_LIMIT_BYTES:
        raise invalid(f"Lambda was unable to configure your environment variables because the environment variables "
                      f"you have provided exceeded the 4KB limit. String measured: {size} bytes. Move large values "
                      f"to S3, SSM Parameter Store or Secrets Manager.")
    return dict(variables)


_ENV_KEY = re.compile(r"[a-zA-Z][a-zA-Z0-9_]+")
#: Keys Lambda sets itself and refuses in a function's configuration: the "Reserved" rows of
#: AWS's "Defined runtime environment variables" (TZ, reserved on older versions of that page, is not).
RESERVED_ENV = frozenset({
    "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR"})


def check_alias_name(name: Any) -> str:
    if not isinstance(name, str) or not _ALIAS.fullmatch(name):
        raise validation("name", name, "Member must satisfy regular expression pattern: (?!^[0-9]+$)"
                         "([a-zA-Z0-9-_]+) (1-128 characters, not all digits: digits name versions)")
    return name


@dataclass(slots=True, kw_only=True, eq=False)
class Code:
    """A deployment package: the files of a .zip, or (model API only) a Python callable."""

    zip_bytes: bytes | None = None
    files: dict[str, bytes] = field(default_factory=dict, repr=False)
    callable: Callable[..., Any] | None = None
    sha256: str = ""
    size: int = 0
    unzipped_size: int = 0

    @classmethod
    def from_zip(cls, data: Any) -> Code:
        if not isinstance(data, (bytes, bytearray)):
            raise invalid(f"ZipFile is the bytes of a .zip archive, not {type(data).__name__}.")
        if len(data) > ZIP_LIMIT:
            raise AWSError("RequestEntityTooLargeException", f"Request must be smaller than {ZIP_LIMIT} bytes for "
                           f"a direct upload ({len(data)} given); upload the package to S3 instead.", status=413)
        try:
            with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
                files = {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
        except (zipfile.BadZipFile, ValueError, EOFError):
            raise invalid("Could not unzip uploaded file. Please check your file, then try to upload again. "
                          "(Build one with zipfile.ZipFile(buf, 'w').writestr('lambda_function.py', code).)") from None
        unzipped = sum(len(v) for v in files.values())
        return cls(zip_bytes=bytes(data), files=files, sha256=b64encode(hashlib.sha256(data).digest()).decode(),
                   size=len(data), unzipped_size=unzipped)

    @classmethod
    def from_callable(cls, fn: Any) -> Code:
        if not callable(fn):
            raise invalid(f"handler must be a function taking (event, context), not {fn!r}.")
        try:
            source = inspect.getsource(fn).encode()
        except (OSError, TypeError):
            source = repr(fn).encode()
        return cls(callable=fn, sha256=b64encode(hashlib.sha256(source).digest()).decode(),
                   size=len(source), unzipped_size=len(source))


@dataclass(slots=True, kw_only=True, eq=False)
class Version:
    """One version of a function: ``$LATEST`` (editable) or a published, immutable number."""

    function: Function = field(repr=False)
    version: str
    runtime: str
    handler: str
    role: str
    code: Code = field(repr=False)
    timeout: int = 3
    memory_size: int = 128
    environment: dict[str, str] = field(default_factory=dict, repr=False)
    layers: list[Any] = field(default_factory=list, repr=False)
    architectures: tuple[str, ...] = ("x86_64",)
    description: str = ""
    ephemeral_storage: int = 512
    last_modified: float = 0.0
    revision_id: str = ""
    state: FunctionState = FunctionState.PENDING
    state_reason: str = ""
    last_update_status: LastUpdateStatus = LastUpdateStatus.SUCCESSFUL

    @property
    def arn(self) -> str:
        return f"{self.function.arn}:{self.version}"

    @property
    def name(self) -> str:
        return self.function.name

    @property
    def python(self) -> bool:
        return self.runtime.startswith("python")

    def fingerprint(self) -> tuple:
        """What publish_version compares: code and configuration."""
        return (self.code.sha256, self.runtime, self.handler, self.role, self.timeout, self.memory_size,
                tuple(sorted(self.environment.items())), tuple(lv.arn for lv in self.layers), self.architectures,
                self.description, self.ephemeral_storage)

    def __repr__(self) -> str:
        return f"Version({self.function.name!r}, {self.version!r}, runtime={self.runtime!r})"


@dataclass(slots=True, kw_only=True, eq=False)
class Alias:
    """A named pointer to a version, optionally sending a share of traffic to a second one."""

    function: Function = field(repr=False)
    name: str
    version: str
    weights: dict[str, float] = field(default_factory=dict)
    description: str = ""
    revision_id: str = ""

    @property
    def arn(self) -> str:
        return f"{self.function.arn}:{self.name}"

    def __repr__(self) -> str:
        split = f", weights={self.weights}" if self.weights else ""
        return f"Alias({self.function.name!r}, {self.name!r}, version={self.version!r}{split})"


@dataclass(slots=True, kw_only=True, eq=False)
class Function:
    """A Lambda function: ``$LATEST``, its published versions and aliases, and its settings.

    >>> from awskit import Cloud
    >>> cloud = Cloud(seed=0)
    >>> fn = cloud.awslambda.create_function("hello", handler=lambda event, ctx: {"hi": event["name"]})
    >>> fn
    Function('hello', runtime='python3.13', state='Active')
    >>> cloud.awslambda.invoke("hello", {"name": "Ada"}).payload
    {'hi': 'Ada'}
    """

    name: str
    arn: str
    region: str
    latest: Version = field(init=False, repr=False)
    versions: dict[str, Version] = field(default_factory=dict, repr=False)
    aliases: dict[str, Alias] = field(default_factory=dict, repr=False)
    next_version: int = 1
    reserved_concurrency: int | None = None
    policy: list[dict] = field(default_factory=list, repr=False)
    tags: dict[str, str] = field(default_factory=dict)
    url: Any = field(default=None, repr=False)
    event_invoke_config: dict[str, Any] = field(default_factory=dict, repr=False)
    environments: list[Any] = field(default_factory=list, repr=False)
    created: float = 0.0
    invocations: int = 0

    @property
    def state(self) -> FunctionState:
        return self.latest.state

    @property
    def runtime(self) -> str:
        return self.latest.runtime

    @property
    def log_group(self) -> str:
        return f"/aws/lambda/{self.name}"

    def policy_document(self) -> dict | None:
        if not self.policy:
            return None
        return {"Version": "2012-10-17", "Id": "default", "Statement": list(self.policy)}

    def __repr__(self) -> str:
        return f"Function({self.name!r}, runtime={self.latest.runtime!r}, state={self.latest.state.value!r})"

    def _repr_html_(self) -> str:
        from html import escape

        v = self.latest
        rows = [("ARN", self.arn), ("Runtime", v.runtime), ("Handler", v.handler), ("Memory", f"{v.memory_size} MB"),
                ("Timeout", f"{v.timeout} s"), ("State", v.state.value),
                ("Versions", ", ".join(list(self.versions)[:10]) + (" ..." if len(self.versions) > 10 else "")),
                ("Aliases", ", ".join(f"{a.name}->{a.version}" for a in list(self.aliases.values())[:10])),
                ("Reserved concurrency", "unreserved" if self.reserved_concurrency is None
                 else str(self.reserved_concurrency)),
                ("Warm environments", str(len(self.environments)))]
        body = "".join(f"<tr><th style='text-align:left'>{escape(k)}</th><td>{escape(str(val))}</td></tr>"
                       for k, val in rows)
        return f"<table><caption>Lambda function {escape(self.name)}</caption>{body}</table>"
