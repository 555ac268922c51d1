"""Assertions for exercises and tests that explain failures in terms of the model.

A hidden test that fails should tell the student *what in their design* is wrong ("the
security group has no inbound rule for tcp/22 from 198.51.100.4"), not show test code.
These helpers re-check the design through awskit's own analysis and put the model's
explanation in the assertion message.

>>> from awskit import Cloud
>>> cloud = Cloud(seed=0)
>>> eni = cloud.vpc.create_network_interface(cloud.vpc.default_vpc.subnets[0])
>>> assert_blocked(cloud, "internet", eni, 80)
>>> require_type("eni", eni, type(eni))
"""

from __future__ import annotations

from typing import Any

__all__ = ["assert_blocked", "assert_reachable", "misconception", "require_type"]


def _analyze(cloud, source, destination, port, protocol):
    # Import at call time from the module itself, so a student who rebinds
    # ``cloud.reachability`` in their notebook does not change the verdict.
    from .reachability import analyze

    return analyze(cloud, source, destination, port, protocol)


def misconception(tag: str | None) -> str:
    """The line that marks a failure with a misconception tag (the class report counts them).

    >>> misconception("nacl-stateless")
    '\\n[misconception: nacl-stateless]'
    """
    return f"\n[misconception: {tag}]" if tag else ""


def assert_reachable(cloud, source: Any, destination: Any, port: int, protocol: str = "tcp",
                     why: str = "", tag: str | None = None) -> None:
    """Fail with the analysis's hop-by-hop explanation unless the path is open.

    ``tag`` names the misconception a failure suggests (e.g. ``"nacl-stateless"``); it is added
    to the message as ``[misconception: <tag>]`` for ``awskit-grade report``.
    """
    result = _analyze(cloud, source, destination, port, protocol)
    if not result.reachable:
        lead = f"{why}\n" if why else ""
        raise AssertionError(f"{lead}{result.explain()}{misconception(tag)}")


def assert_blocked(cloud, source: Any, destination: Any, port: int, protocol: str = "tcp",
                   why: str = "", at: str | None = None, tag: str | None = None) -> None:
    """Fail unless the path is blocked (optionally by a given kind of component); ``tag`` as in
    :func:`assert_reachable`."""
    result = _analyze(cloud, source, destination, port, protocol)
    lead = f"{why}\n" if why else ""
    if result.reachable:
        raise AssertionError(f"{lead}This traffic should be blocked but gets through:\n"
                             f"{result.explain()}{misconception(tag)}")
    if at is not None and result.blocked_at.component != at:
        raise AssertionError(f"{lead}Blocked, but by the {result.blocked_at.component}, not the {at}:\n"
                             f"{result.explain()}{misconception(tag)}")


def require_type(name: str, value: Any, cls: type) -> None:
    """Type-strict check: ``value`` must be exactly a ``cls`` (a look-alike does not pass)."""
    if type(value) is not cls:
        raise AssertionError(f"`{name}` should be a {cls.__name__}, but it is a {type(value).__name__}.")
