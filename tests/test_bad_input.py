"""Bad input teaches: every facade operation answers a user mistake with an AWSError.

A sweep over every operation of every client in ``awskit.api.CLIENTS`` (new clients join
automatically): each is called with no arguments, then with one parameter at a time replaced
by a wrong-typed, empty, huge or malformed value while the others hold valid values from a
populated world (so the call reaches deep code, not only the first lookup).  Whatever is
raised must be an ``AWSError`` (``ParamValidationError`` included) with a code and a message;
a bare ``KeyError``/``TypeError``/... escaping awskit is a defect.  A hypothesis test then
breaks several parameters at once with generated values.
"""

from __future__ import annotations

import importlib
import inspect
import signal
import traceback
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _bad_input_world import SERVICE_VALUES, build_world
from awskit import AWSError
from awskit.api import CLIENTS, make_client

# Wrong types, empty and huge values, lists of dicts with wrong keys, and ids that are
# malformed or name nothing.
BAD_VALUES: list[Any] = [
    None, 7, -1, 10**30, 1.5, True, "", "x" * 10_240, "not-a-list", b"\x00\xff", {"x": 1}, {}, [],
    ["a"], [{"Wrong": 1}], "i-nope", "vpc-0000", "../../etc",
]


def _client_class(service: str) -> type:
    module, _, name = CLIENTS[service].partition(":")
    return getattr(importlib.import_module(module), name)


def _operations(service: str) -> list[str]:
    cls = _client_class(service)
    return sorted(a for a in dir(cls) if getattr(getattr(cls, a), "_awskit_operation", None))


OPERATIONS = [(service, op) for service in sorted(CLIENTS) for op in _operations(service)]


def _params(client_cls: type, op: str) -> tuple[list[str], list[str]]:
    sig = inspect.signature(getattr(client_cls, op).__wrapped__)
    kw = [p for p in sig.parameters.values() if p.kind == p.KEYWORD_ONLY]
    return [p.name for p in kw], [p.name for p in kw if p.default is p.empty]


class _Hang(Exception):
    pass


@contextmanager
def _time_limit(seconds: int):
    """A call on bad input must answer, not loop (a huge count, a huge page size...)."""
    def _raise(*_):
        raise _Hang()
    old = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def problem_with(call, *args, **kwargs) -> str | None:
    """None if ``call`` succeeds or raises a well-formed AWSError; otherwise what went wrong."""
    try:
        with _time_limit(5):
            call(*args, **kwargs)
    except _Hang:
        return "did not answer within 5 s"
    except AWSError as err:
        if not (isinstance(err.code, str) and err.code and isinstance(err.message, str) and err.message):
            return f"AWSError without code or message: {err!r}"
        if not isinstance(err.response.get("Error"), dict):
            return f"AWSError without a botocore-shaped response: {err!r}"
    except Exception as err:  # noqa: BLE001 - the point of the sweep
        frame = traceback.extract_tb(err.__traceback__)[-1]
        return f"{type(err).__name__}: {str(err)[:120]} (at {frame.filename.rpartition('/')[2]}:{frame.lineno})"
    return None


def _label(kwargs: dict) -> str:
    return ", ".join(f"{k}={v!r:.40}" for k, v in kwargs.items())


@pytest.mark.parametrize(("service", "operation"), OPERATIONS, ids=[f"{s}.{o}" for s, o in OPERATIONS])
def test_operation_answers_bad_input_with_aws_errors(service, operation):
    cloud, values = build_world()
    values = {**values, **SERVICE_VALUES.get(service, {})}
    client = make_client(cloud, service)
    names, required = _params(type(client), operation)
    base = {name: values.get(name, "x") for name in required}
    cases: list[dict] = [{}, base]
    for name in names:
        cases += [{**base, name: bad} for bad in BAD_VALUES]
    problems = []
    for kwargs in cases:
        found = problem_with(getattr(client, operation), **kwargs)
        if found:
            problems.append(f"{operation}({_label(kwargs)}) -> {found}")
    assert not problems, f"{len(problems)} calls broke:\n" + "\n".join(problems[:20])


def test_sweep_covers_every_client():
    assert {service for service, _ in OPERATIONS} == set(CLIENTS)


def test_sweep_covers_a_known_operation_of_each_main_client():
    ops = {f"{s}.{o}" for s, o in OPERATIONS}
    assert {"s3.put_object", "ec2.run_instances", "dynamodb.put_item", "iam.create_user",
            "lambda.invoke", "glacier.upload_archive", "rds.create_db_instance"} <= ops


# -- several parameters broken at once, with generated values --------------------------------

_bad = st.one_of(
    st.none(), st.integers(min_value=-(10**40), max_value=10**40), st.floats(allow_nan=True),
    st.text(max_size=30), st.binary(max_size=16), st.booleans(), st.sampled_from(BAD_VALUES),
    st.lists(st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=8), max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=8), st.none() | st.integers() | st.text(max_size=8), max_size=3),
    st.lists(st.text(max_size=12), max_size=3),
)


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(OPERATIONS), data=st.data())
def test_generated_bad_values_raise_only_aws_errors(target, data):
    service, operation = target
    cloud, values = build_world()
    values = {**values, **SERVICE_VALUES.get(service, {})}
    client = make_client(cloud, service)
    names, required = _params(type(client), operation)
    kwargs = {name: values.get(name, "x") for name in required}
    if names:
        broken = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
        kwargs.update({name: data.draw(_bad, label=name) for name in broken})
    found = problem_with(getattr(client, operation), **kwargs)
    assert found is None, f"{service}.{operation}({_label(kwargs)}) -> {found}"


# -- waiters and paginators ------------------------------------------------------------------

@pytest.mark.parametrize("service", sorted(CLIENTS))
def test_unknown_waiter_is_an_aws_error(service):
    client = make_client(build_world()[0], service)
    with pytest.raises(AWSError) as info:
        client.get_waiter("nope")
    assert info.value.code == "ValueError"


@pytest.mark.parametrize("service", sorted(CLIENTS))
def test_unknown_paginator_is_an_aws_error(service):
    client = make_client(build_world()[0], service)
    assert client.can_paginate("nope") is False
    with pytest.raises(AWSError) as info:
        client.get_paginator("nope")
    assert info.value.code == "OperationNotPageableError"


WAITERS = [(s, w) for s in sorted(CLIENTS) for w in sorted(_client_class(s).waiters)]
PAGINATORS = [(s, p) for s in sorted(CLIENTS) for p in sorted(_client_class(s).paginators)]


@pytest.mark.parametrize(("service", "name"), WAITERS, ids=[f"{s}.{w}" for s, w in WAITERS])
def test_waiter_on_bad_input_raises_only_aws_errors(service, name):
    client = make_client(build_world()[0], service)
    waiter = client.get_waiter(name)
    problems = [found for kwargs in ({}, {"WaiterConfig": "fast"}, {"WaiterConfig": {"Delay": "x"}},
                                     {"WaiterConfig": {"MaxAttempts": 2}, "Bogus": 1})
                if (found := problem_with(waiter.wait, **kwargs))]
    assert not problems, problems


@pytest.mark.parametrize(("service", "name"), PAGINATORS, ids=[f"{s}.{p}" for s, p in PAGINATORS])
def test_paginator_on_bad_input_raises_only_aws_errors(service, name):
    client = make_client(build_world()[0], service)
    paginator = client.get_paginator(name)
    configs = [{"PaginationConfig": "all"}, {"PaginationConfig": {"PageSize": "ten"}},
               {"PaginationConfig": {"StartingToken": 7}}, {"PaginationConfig": {"MaxItems": -1}},
               {"PaginationConfig": {"StartingToken": "../../etc"}}]
    problems = [found for kwargs in configs if (found := problem_with(lambda **kw: list(paginator.paginate(**kw)),
                                                                      **kwargs))]
    assert not problems, problems
