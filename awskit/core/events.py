"""Publish and subscribe.

Services announce what happens (``ec2.instance.state``, ``vpc.changed``) on the cloud's
event bus.  Widgets redraw, CloudWatch records and Lambda triggers fire by listening; the
model itself knows nothing of who listens.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable

__all__ = ["EventBus", "Subscription", "Message"]


@dataclass(frozen=True, slots=True)
class Message:
    """One published event: a dotted topic, the simulated time and a payload."""

    topic: str
    time: float
    data: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]


@dataclass(slots=True)
class Subscription:
    """A handle returned by :meth:`EventBus.subscribe`; ``close()`` stops delivery."""

    bus: "EventBus"
    pattern: str
    handler: Callable[[Message], Any]
    active: bool = True

    def close(self) -> None:
        if self.active:
            self.active = False
            self.bus._remove(self)

    def __enter__(self) -> "Subscription":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class EventBus:
    """Topic-based publish/subscribe.

    A pattern is a topic (``"vpc.subnet.created"``), a prefix ending in ``.*``
    (``"vpc.*"``) or ``"*"`` for everything.

    >>> bus = EventBus(lambda: 0.0)
    >>> got = []
    >>> sub = bus.subscribe("vpc.*", lambda m: got.append(m.topic))
    >>> bus.publish("vpc.subnet.created", id="subnet-1"); bus.publish("ec2.instance.state")
    >>> got
    ['vpc.subnet.created']
    """

    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now
        self._subs: dict[str, list[Subscription]] = defaultdict(list)
        self.history_limit = 1000
        self.history: list[Message] = []

    def subscribe(self, pattern: str, handler: Callable[[Message], Any]) -> Subscription:
        sub = Subscription(self, pattern, handler)
        self._subs[pattern].append(sub)
        return sub

    def _remove(self, sub: Subscription) -> None:
        subs = self._subs.get(sub.pattern, [])
        if sub in subs:
            subs.remove(sub)

    def publish(self, topic: str, **data: Any) -> None:
        message = Message(topic, self._now(), data)
        self.history.append(message)
        if len(self.history) > self.history_limit:
            del self.history[: len(self.history) - self.history_limit]
        if not self._subs:
            return
        patterns = ["*", topic]
        parts = topic.split(".")
        patterns += [".".join(parts[:i]) + ".*" for i in range(1, len(parts))]
        for pattern in patterns:
            for sub in list(self._subs.get(pattern, ())):
                if sub.active:
                    sub.handler(message)
