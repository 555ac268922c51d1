"""What every facade client shares: error translation, parameter checking, waiters, paginators."""

from __future__ import annotations

import datetime as _dt
import fnmatch
import json
import functools
import importlib
import inspect
import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, Callable, Iterable, Iterator

from ..core.errors import AWSError, InvalidParameter, WaiterError, error_class

__all__ = ["BaseClient", "ParamValidationError", "to_tags", "from_tags", "apply_filters",
           "require", "check_type", "paginate_list"]


class ParamValidationError(InvalidParameter):
    """A call boto3 would refuse before sending it (unknown or mistyped parameter)."""

    def __init__(self, message: str, **kw: Any) -> None:
        super().__init__("ParamValidationError", message, **kw)

    def __str__(self) -> str:
        return f"Parameter validation failed:\n{self.message}"


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _wrap(method: Callable, operation: str, sig: inspect.Signature) -> Callable:
    params = [p for n, p in sig.parameters.items() if n != "self"]
    accepted = [p.name for p in params if p.kind == p.KEYWORD_ONLY]
    required = [p.name for p in params if p.kind == p.KEYWORD_ONLY and p.default is p.empty]
    # parameters whose default is None: passing None explicitly means "not given"
    optional = frozenset(p.name for p in params if p.kind == p.KEYWORD_ONLY and p.default is None)

    @functools.wraps(method)
    def call(self, *args: Any, **kwargs: Any):
        if args:
            raise TypeError(f"{method.__name__}() only accepts keyword arguments.")
        unknown = [k for k in kwargs if k not in accepted]
        if unknown:
            raise self._error(ParamValidationError(
                f'Unknown parameter in input: "{unknown[0]}", must be one of: {", ".join(accepted)}'
            ), operation)
        missing = [k for k in required if k not in kwargs]
        if missing:
            raise self._error(ParamValidationError(
                f'Missing required parameter in input: "{missing[0]}"'), operation)
        shape = self._input_shape(operation)
        if shape is not None:
            problems = _validate_input(kwargs, shape, self._shapes, optional)
            if problems:
                raise self._error(ParamValidationError("\n".join(problems)), operation)
        try:
            if self._principal is None:
                result = method(self, **kwargs)
            else:  # a client made with IAM credentials acts as that user or role session
                with self._principal:
                    result = method(self, **kwargs)
        except AWSError as err:
            raise self._error(err, operation) from None
        if isinstance(result, dict):
            result.setdefault("ResponseMetadata", self._metadata())
        return result

    call._awskit_operation = operation  # type: ignore[attr-defined]
    return call


# -- boto3's client-side check of the input against the service model ------------------

_SCALAR_TYPES: dict[str, tuple[type, ...]] = {
    "s": (str,), "i": (int,), "b": (bool,), "d": (float, int, Decimal),
}
_SCALAR_NAMES = {"s": "str", "i": "int", "b": "bool", "d": "float, int, decimal.Decimal",
                 "B": "bytes, bytearray, str, file-like object", "t": "datetime.datetime, timestamp-string"}


def _to_datetime(value: Any) -> _dt.datetime | None:
    """A timestamp parameter as boto3 accepts it (datetime, date, ISO 8601 string, epoch seconds)
    as an aware UTC datetime; None if it is not a timestamp.  A naive datetime means UTC, as in
    botocore."""
    if isinstance(value, bool):
        return None
    if isinstance(value, _dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=_dt.timezone.utc)
    if isinstance(value, (int, float)):
        try:
            return _dt.datetime.fromtimestamp(value, _dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        try:
            return _to_datetime(_dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return None
    return None


def _validate_input(params: dict, shape: str, shapes: dict, optional: frozenset = frozenset()) -> list[str]:
    """What boto3's ParamValidator would report for ``params`` (top-level required members are
    checked by the wrapper from the method's signature).  Top-level timestamps are turned into
    aware datetimes in place, as boto3 serializes whichever form it was given."""
    errors: list[str] = []
    members = shapes[shape][1]
    for name, value in params.items():
        ref = members.get(name)
        if ref is None or (value is None and name in optional):
            continue  # awskit-only parameters; None for an optional parameter means "not given"
        _check(value, ref, shapes, name, errors)
        if ref.startswith("=t") and not errors:
            params[name] = _to_datetime(value)
    return errors


def _check(value: Any, ref: str, shapes: dict, name: str, errors: list[str]) -> None:
    if ref[0] == "=":
        code, _, low = ref[1:].partition(":")
        if code == "D":  # a document: any JSON-like value
            return
        if code == "J":
            try:
                json.dumps(value)
            except (TypeError, ValueError):
                errors.append(f"Invalid parameter {name}: unable to encode to json")
            return
        if code == "B":
            ok = isinstance(value, (bytes, bytearray, str)) or hasattr(value, "read")
        elif code == "t":
            ok = _to_datetime(value) is not None
        else:
            ok = isinstance(value, _SCALAR_TYPES[code])
        if not ok:
            errors.append(f"Invalid type for parameter {name}, value: {_short(value)}, "
                          f"type: {type(value).__name__}, valid types: {_SCALAR_NAMES[code]}")
        elif low and code == "s" and len(value) < int(low):
            errors.append(f"Invalid length for parameter {name}, value: {len(value)}, valid min length: {low}")
        elif low and code in ("i", "d") and value < int(low):
            errors.append(f"Invalid value for parameter {name}, value: {value}, valid min value: {low}")
        return
    kind, *rest = shapes[ref]
    if kind == "S":
        members, required, union = rest
        if not isinstance(value, dict):
            errors.append(f"Invalid type for parameter {name}, value: {_short(value)}, "
                          f"type: {type(value).__name__}, valid types: dict")
            return
        if union and len(value) != 1:
            errors.append(f"Invalid number of parameters set for tagged union structure {name}. "
                          f"Can only set one of the following keys: {', '.join(members)}.")
        for member in required:
            if member not in value:
                errors.append(f'Missing required parameter in {name}: "{member}"')
        for key, item in value.items():
            if key not in members:
                errors.append(f'Unknown parameter in {name}: "{key}", must be one of: {", ".join(members)}')
            else:
                _check(item, members[key], shapes, f"{name}.{key}", errors)
    elif kind == "L":
        member, low = rest
        if not isinstance(value, (list, tuple)):
            errors.append(f"Invalid type for parameter {name}, value: {_short(value)}, "
                          f"type: {type(value).__name__}, valid types: list, tuple")
            return
        if len(value) < low:
            errors.append(f"Invalid length for parameter {name}, value: {len(value)}, valid min length: {low}")
        for i, item in enumerate(value):
            _check(item, member, shapes, f"{name}[{i}]", errors)
    else:  # "M": a map
        key_ref, value_ref = rest
        if not isinstance(value, dict):
            errors.append(f"Invalid type for parameter {name}, value: {_short(value)}, "
                          f"type: {type(value).__name__}, valid types: dict")
            return
        for key, item in value.items():
            _check(key, key_ref, shapes, f"{name} (key: {key!r})", errors)
            _check(item, value_ref, shapes, f"{name}.{key}", errors)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class _ClientMeta(type):
    """Wraps every public method so errors carry the operation and boto3's exception class."""

    def __new__(mcls, name, bases, ns):
        for attr, value in list(ns.items()):
            if attr.startswith("_") or not inspect.isfunction(value) or attr in _NOT_OPERATIONS:
                continue
            ns[attr] = _wrap(value, _pascal(attr), inspect.signature(value))
        return super().__new__(mcls, name, bases, ns)


_NOT_OPERATIONS = {"get_waiter", "get_paginator", "can_paginate", "close"}


class _Exceptions(SimpleNamespace):
    """``client.exceptions``: one class per modelled error code, all subclasses of ClientError."""

    def __init__(self, codes: Iterable[str]) -> None:
        super().__init__()
        self.ClientError = AWSError
        self._by_code: dict[str, type[AWSError]] = {}
        for code in codes:
            self.from_code(code)

    def from_code(self, code: str) -> type[AWSError]:
        cls = self._by_code.get(code)
        if cls is None:
            family = error_class(code)
            name = re.sub(r"\W", "", code.replace(".", "")) or "ClientError"
            cls = type(name, (family,), {"__module__": "awskit.api.exceptions"})
            self._by_code[code] = cls
            if code.isidentifier():
                setattr(self, code, cls)
        return cls


class BaseClient(metaclass=_ClientMeta):
    """A boto3-shaped client for one service, bound to one cloud and region."""

    service_name = ""
    #: error codes that boto3 models as ``client.exceptions.<Code>`` for this service
    error_codes: tuple[str, ...] = ()
    #: waiter name -> (operation, kwargs filter, predicate(response) -> True/False/"failure")
    waiters: dict[str, tuple[str, Callable[[dict], Any], int, int]] = {}
    _principal = None
    _shapes: dict[str, tuple] = {}

    def __init__(self, cloud, region, **kwargs: Any) -> None:
        #: who the calls are made as (awskit.iam.access.Acting); None: the account's root user
        self._principal = None
        if kwargs.get("aws_access_key_id") is not None:
            from ..iam.access import bind_credentials  # imported only for clients given credentials

            self._principal = bind_credentials(cloud, kwargs)
            if self._principal is not None:  # the key decides the account, as in AWS
                cloud = self._principal.cloud
                region = cloud.region(region.name)
        self._cloud = cloud
        self._region = region
        self._kwargs = kwargs
        self.meta = SimpleNamespace(region_name=region.name, service_name=self.service_name,
                                    endpoint_url=kwargs.get("endpoint_url")
                                    or f"https://{self.service_name}.{region.name}.amazonaws.com")
        self.exceptions = _Exceptions(self.error_codes)

    # -- plumbing --------------------------------------------------------
    @classmethod
    def _load_model(cls) -> tuple[dict[str, str], dict[str, tuple]]:
        """The service's boto3 input shapes (awskit/api/models), loaded once per client class."""
        model = cls.__dict__.get("_model")
        if model is None:
            try:
                # models/<adapter module>.py, e.g. models/elbv2.py for awskit.api.elbv2
                module = importlib.import_module(f"{__package__}.models.{cls.__module__.rpartition('.')[2]}")
                ops = {name.lower(): ref for name, ref in module.OPERATIONS.items()}
                model = (ops, module.SHAPES)
            except ImportError:  # a service without generated shapes: signature checks only
                model = ({}, {})
            cls._model = model
        return model

    def _input_shape(self, operation: str) -> str | None:
        ops, self._shapes = self._load_model()
        return ops.get(operation.lower())

    def _error(self, err: AWSError, operation: str) -> AWSError:
        if isinstance(err, ParamValidationError):
            err.operation = operation
            return err
        cls = self.exceptions.from_code(err.code)
        new = cls(err.code, err.message, status=err.status, operation=operation, **err.extra)
        new.__cause__ = None
        return new

    def _metadata(self) -> dict[str, Any]:
        request_id = self._cloud.ids.uuid()
        return {"RequestId": request_id, "HTTPStatusCode": 200,
                "HTTPHeaders": {"x-amzn-requestid": request_id}, "RetryAttempts": 0}

    def close(self) -> None:
        """Nothing to release in a simulation (boto3 clients have close() too)."""

    # -- waiters -----------------------------------------------------------
    def get_waiter(self, name: str) -> "Waiter":
        if name not in self.waiters:
            raise InvalidParameter("ValueError", f"Waiter does not exist: {name}. "
                                   f"Waiters for {self.service_name}: {', '.join(sorted(self.waiters))}.")
        return Waiter(self, name, *self.waiters[name])

    # -- paginators ----------------------------------------------------------
    #: operation -> (input token, output token, limit key, result keys)
    paginators: dict[str, tuple[str, str, str, tuple[str, ...]]] = {}

    def can_paginate(self, operation_name: str) -> bool:
        return operation_name in self.paginators

    def get_paginator(self, operation_name: str) -> "Paginator":
        if operation_name not in self.paginators:
            raise InvalidParameter("OperationNotPageableError",
                                   f"Operation cannot be paginated: {operation_name}.")
        return Paginator(self, operation_name, *self.paginators[operation_name])


def _as_number(param: str, value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ParamValidationError(f"Invalid value for parameter {param}, value: {value!r}: give a whole "
                                   "number.") from None


def _config(param: str, value: Any, keys: dict[str, type]) -> dict[str, Any]:
    """A WaiterConfig dict, checked: its known keys hold values of the right type (other keys are
    ignored, as botocore ignores them)."""
    if value is None:
        return {}
    check_type(param, value, dict)
    for key, item in value.items():
        if key in keys:
            check_type(f"{param}.{key}", item, keys[key])
    return value


class Waiter:
    """Polls an operation, advancing *simulated* time between polls, until a condition holds."""

    def __init__(self, client: BaseClient, name: str, operation: str,
                 predicate: Callable[[dict], Any], delay: int, max_attempts: int) -> None:
        self.client, self.name, self.operation = client, name, operation
        self.predicate, self.delay, self.max_attempts = predicate, delay, max_attempts
        self.config = SimpleNamespace(delay=delay, max_attempts=max_attempts, operation_name=operation)

    def wait(self, WaiterConfig: dict | None = None, **kwargs: Any) -> None:  # noqa: N803 (boto3 name)
        cfg = _config("WaiterConfig", WaiterConfig, {"Delay": int, "MaxAttempts": int})
        delay = cfg.get("Delay", self.delay)
        attempts = cfg.get("MaxAttempts", self.max_attempts)
        method = getattr(self.client, self.operation)
        if not hasattr(method, "_awskit_operation"):  # a private probe: check the call as an operation would
            try:
                inspect.signature(method).bind(**kwargs)
            except TypeError as err:
                raise ParamValidationError(f"Waiter {self.name}: {err}".replace(f"{method.__name__}() ", "")) from None
        last: dict = {}
        for attempt in range(1, attempts + 1):
            try:
                last = method(**kwargs)
                outcome = self.predicate(last)
            except AWSError as err:
                outcome = ("retry" if err.code.endswith("NotFound") else "failure")
                last = err.response
            if outcome is True:
                return None
            if outcome == "failure":
                raise WaiterError(self.name, "Waiter encountered a terminal failure state", last)
            if attempt < attempts:
                self.client._cloud.clock.advance(delay)
        raise WaiterError(self.name, "Max attempts exceeded", last)


class Paginator:
    """Iterates over the pages of a paginated operation, as boto3's paginators do."""

    def __init__(self, client, operation, in_token, out_token, limit_key, result_keys) -> None:
        self.client, self.operation = client, operation
        self.in_token, self.out_token, self.limit_key, self.result_keys = in_token, out_token, limit_key, result_keys

    def paginate(self, PaginationConfig: dict | None = None, **kwargs: Any) -> Iterator[dict]:  # noqa: N803
        # As botocore does: MaxItems becomes an int, PageSize the type of the operation's limit
        # parameter (a string for Glacier's ``limit``); other keys are ignored.
        cfg = dict(check_type("PaginationConfig", PaginationConfig or {}, dict))
        max_items = cfg.get("MaxItems")
        if max_items is not None:
            max_items = _as_number("PaginationConfig.MaxItems", max_items)
        if cfg.get("PageSize") is not None:
            size = cfg["PageSize"]
            shape = self.client._input_shape(_pascal(self.operation))
            ref = self.client._shapes[shape][1].get(self.limit_key, "") if shape else ""
            kwargs[self.limit_key] = str(size) if ref.startswith("=s") else _as_number("PaginationConfig.PageSize", size)
        if cfg.get("StartingToken") is not None:
            kwargs[self.in_token] = cfg["StartingToken"]
        return self._pages(max_items, kwargs)

    def _pages(self, max_items: int | None, kwargs: dict[str, Any]) -> Iterator[dict]:
        method = getattr(self.client, self.operation)
        seen = 0
        while True:
            page = method(**kwargs)
            yield page
            seen += sum(len(page.get(k, [])) for k in self.result_keys)
            token = page.get(self.out_token)
            if not token or (max_items is not None and seen >= max_items):
                return
            kwargs[self.in_token] = token


# -- shapes shared by the adapters --------------------------------------------------

def to_tags(tags: dict[str, str]) -> list[dict[str, str]]:
    """Model tags (a dict) as boto3 lists them."""
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def from_tags(tags: Any, param: str = "Tags") -> dict[str, str]:
    """boto3's ``[{"Key", "Value"}]`` tags into a dict, checking the shape."""
    if tags is None:
        return {}
    if not isinstance(tags, list):
        raise ParamValidationError(f"Invalid type for parameter {param}, value: {tags!r}, "
                                   f"type: {type(tags).__name__}, valid types: list, tuple")
    out: dict[str, str] = {}
    for i, tag in enumerate(tags):
        if not isinstance(tag, dict) or "Key" not in tag:
            raise ParamValidationError(f'Missing required parameter in {param}[{i}]: "Key"')
        key, value = tag["Key"], tag.get("Value", "")
        if not isinstance(key, str) or not isinstance(value, str):
            raise ParamValidationError(f"Invalid type for parameter {param}[{i}]: Key and Value are strings.")
        out[key] = value
    return out


def check_type(param: str, value: Any, *types: type) -> Any:
    """boto3's client-side type check: the wrong Python type is a ParamValidationError."""
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        names = ", ".join(t.__name__ for t in types)
        raise ParamValidationError(f"Invalid type for parameter {param}, value: {value!r}, "
                                   f"type: {type(value).__name__}, valid types: {names}")
    return value


def require(kwargs: dict, *names: str) -> None:
    for name in names:
        if kwargs.get(name) is None:
            raise ParamValidationError(f'Missing required parameter in input: "{name}"')


def apply_filters(items: Iterable[Any], filters: Any, getters: dict[str, Callable[[Any], Any]],
                  tag_getter: Callable[[Any], dict[str, str]] | None = None) -> list[Any]:
    """EC2-style ``Filters=[{"Name", "Values"}]``: values OR'd within a filter, filters AND'd.

    Values may use ``*`` and ``?`` wildcards as EC2 allows.  ``tag:<key>``, ``tag-key`` and
    ``tag-value`` work when ``tag_getter`` is given.  An unknown filter name is an
    ``InvalidParameterValue`` that lists the valid names.
    """
    items = list(items)
    if not filters:
        return items
    if not isinstance(filters, list):
        raise ParamValidationError(f"Invalid type for parameter Filters, value: {filters!r}, valid types: list")
    for i, flt in enumerate(filters):
        if not isinstance(flt, dict) or "Name" not in flt:
            raise ParamValidationError(f'Missing required parameter in Filters[{i}]: "Name"')
        name, values = flt["Name"], flt.get("Values", [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ParamValidationError(f"Invalid type for parameter Filters[{i}].Values: a list of strings.")
        if name.startswith("tag:") and tag_getter:
            key = name[4:]
            get = lambda it, key=key: tag_getter(it).get(key)  # noqa: E731
        elif name == "tag-key" and tag_getter:
            get = lambda it: list(tag_getter(it))  # noqa: E731
        elif name == "tag-value" and tag_getter:
            get = lambda it: list(tag_getter(it).values())  # noqa: E731
        elif name in getters:
            get = getters[name]
        else:
            valid = sorted(getters) + (["tag:<key>", "tag-key", "tag-value"] if tag_getter else [])
            raise InvalidParameter("InvalidParameterValue",
                                   f"The filter '{name}' is invalid. Valid filters here: {', '.join(valid)}.")
        items = [it for it in items if _matches(get(it), values)]
    return items


def _matches(actual: Any, patterns: list[str]) -> bool:
    actuals = actual if isinstance(actual, (list, tuple, set)) else [actual]
    for a in actuals:
        if a is None:
            continue
        s = str(a).lower() if isinstance(a, bool) else str(a)
        for p in patterns:
            if s == p or (("*" in p or "?" in p) and fnmatch.fnmatchcase(s, p)):
                return True
    return False


def paginate_list(items: list, token: str | None, limit: int | None, default: int = 1000,
                  maximum: int = 1000) -> tuple[list, str | None]:
    """Slice a list for one page; tokens are opaque offsets."""
    start = 0
    if token:
        try:
            start = int(token.split("-")[-1], 16)
        except ValueError:
            raise InvalidParameter("InvalidNextToken", f"The token {token!r} is invalid.") from None
    size = default if limit is None else limit
    if not isinstance(size, int) or size < 1 or size > maximum:
        raise InvalidParameter("InvalidParameterValue", f"MaxResults must be between 1 and {maximum}, not {limit!r}.")
    page = items[start:start + size]
    nxt = start + size
    return page, (f"token-{nxt:x}" if nxt < len(items) else None)
