"""The same boto3 scenario against moto and against awskit.

A conformance test takes the ``client`` fixture, a function ``client(service,
region_name="us-east-1")`` that returns a boto3 client inside moto's ``mock_aws`` for the
``moto`` parameter and an awskit facade client for the ``awskit`` parameter.  It asserts
what both must share: response keys and error codes.  Where moto departs from documented
AWS behaviour, the test follows AWS and says so with ``pytest.mark.xfail`` on the moto
parameter (see ``moto_differs``).
"""

from __future__ import annotations

import os

import pytest

BACKENDS = ["moto", "awskit"]


def _error_code(exc: BaseException) -> str | None:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return response.get("Error", {}).get("Code")
    return None


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def client(backend, monkeypatch):
    if backend == "moto":
        boto3 = pytest.importorskip("boto3")
        moto = pytest.importorskip("moto")
        for key, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }.items():
            monkeypatch.setenv(key, value)
        with moto.mock_aws():
            yield lambda service, region_name="us-east-1": boto3.client(service, region_name=region_name)
    else:
        from awskit import Cloud

        cloud = Cloud(seed=0)
        yield lambda service, region_name="us-east-1": cloud.client(service, region_name=region_name)


def error_code(call, *args, **kwargs) -> str:
    """Run a call that must fail; return its AWS error code (botocore or awskit)."""
    try:
        call(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - both botocore's and awskit's errors land here
        code = _error_code(exc)
        if code is None:
            raise
        return code
    raise AssertionError(f"{getattr(call, '__name__', call)} succeeded but an error was expected")


def keys(d: dict) -> set[str]:
    """Top-level keys of a response, without ResponseMetadata."""
    return set(d) - {"ResponseMetadata"}


def moto_differs(reason: str):
    """Mark a test whose moto run departs from documented AWS behaviour."""

    def mark(fn):
        return pytest.mark.parametrize("backend", [
            pytest.param("moto", marks=pytest.mark.xfail(reason=f"moto differs from AWS: {reason}", strict=False)),
            "awskit",
        ], indirect=True)(fn)

    return mark


os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
