"""Simulated time.

Nothing in awskit sleeps.  A :class:`Clock` holds the simulated "now" and a heap of timed
events; ``advance()`` runs every event that falls due in order of time, then priority,
then the order it was scheduled, so the same steps always give the same result.  Instance
boots, health checks, alarm evaluations and Glacier retrievals are all events on it.
"""

from __future__ import annotations

import datetime as _dt
import heapq
import itertools
from dataclasses import dataclass, field
from typing import Any, Callable

from .errors import InvalidParameter

__all__ = ["Clock", "Event", "EPOCH"]

#: Simulated time starts here (seconds = 0).
EPOCH = _dt.datetime(2026, 1, 5, 9, 0, 0, tzinfo=_dt.timezone.utc)


@dataclass(order=True, slots=True)
class Event:
    """One scheduled callback; cancel it with :meth:`cancel`."""

    at: float
    priority: int
    seq: int
    callback: Callable[[], Any] = field(compare=False)
    name: str = field(default="", compare=False)
    interval: float | None = field(default=None, compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        """Stop this event (and, for a periodic one, every later repeat)."""
        self.cancelled = True

    def __repr__(self) -> str:
        every = f", every={self.interval:g}" if self.interval else ""
        return f"Event({self.name or self.callback!r}, at={self.at:g}{every})"


def _seconds(seconds: float = 0, minutes: float = 0, hours: float = 0, days: float = 0) -> float:
    for name, value in (("seconds", seconds), ("minutes", minutes), ("hours", hours), ("days", days)):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise InvalidParameter(
                "InvalidParameterValue", f"{name} must be a number, not {type(value).__name__} {value!r}."
            )
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidParameter("InvalidParameterValue", f"{name} must be a finite number, not {value!r}.")
    return float(seconds) + 60.0 * minutes + 3600.0 * hours + 86400.0 * days


class Clock:
    """Simulated time in seconds since :data:`EPOCH`, with a deterministic event heap.

    >>> clock = Clock()
    >>> seen = []
    >>> _ = clock.schedule(30, lambda: seen.append(clock.now))
    >>> _ = clock.every(20, lambda: seen.append(-clock.now))
    >>> clock.advance(minutes=1)
    >>> seen
    [-20.0, 30.0, -40.0, -60.0]
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)
        self._heap: list[Event] = []
        self._seq = itertools.count()
        self._running = False

    # -- reading the time -------------------------------------------------
    @property
    def now(self) -> float:
        """Seconds since :data:`EPOCH`."""
        return self._now

    @property
    def datetime(self) -> _dt.datetime:
        """The simulated time as an aware UTC ``datetime`` (what boto3 responses carry)."""
        return EPOCH + _dt.timedelta(seconds=self._now)

    def to_datetime(self, t: float) -> _dt.datetime:
        """A simulated time in seconds as an aware UTC ``datetime``."""
        return EPOCH + _dt.timedelta(seconds=t)

    def isoformat(self, t: float | None = None) -> str:
        """``2026-01-05T09:00:00.000Z`` style, as AWS prints times."""
        d = self.to_datetime(self._now if t is None else t)
        return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"

    # -- scheduling -------------------------------------------------------
    def schedule(
        self, delay: float, callback: Callable[[], Any], *, priority: int = 0, name: str = ""
    ) -> Event:
        """Run ``callback`` once, ``delay`` simulated seconds from now."""
        delay = _seconds(delay)
        if delay < 0:
            raise InvalidParameter("InvalidParameterValue", f"Cannot schedule in the past (delay {delay:g} s).")
        event = Event(self._now + delay, priority, next(self._seq), callback, name)
        heapq.heappush(self._heap, event)
        return event

    def at(self, t: float, callback: Callable[[], Any], *, priority: int = 0, name: str = "") -> Event:
        """Run ``callback`` at simulated time ``t`` (seconds since the epoch)."""
        return self.schedule(max(0.0, t - self._now), callback, priority=priority, name=name)

    def every(
        self,
        interval: float,
        callback: Callable[[], Any],
        *,
        start: float | None = None,
        priority: int = 0,
        name: str = "",
    ) -> Event:
        """Run ``callback`` every ``interval`` seconds; the first run is after ``start`` (default: one interval)."""
        interval = _seconds(interval)
        if interval <= 0:
            raise InvalidParameter("InvalidParameterValue", f"A periodic event needs an interval > 0, not {interval:g}.")
        first = interval if start is None else _seconds(start)
        event = self.schedule(first, callback, priority=priority, name=name)
        event.interval = interval
        return event

    # -- running ----------------------------------------------------------
    def advance(self, seconds: float = 0, *, minutes: float = 0, hours: float = 0, days: float = 0) -> None:
        """Move time forward, running every event due on the way, in order."""
        span = _seconds(seconds, minutes, hours, days)
        if span < 0:
            raise InvalidParameter("InvalidParameterValue", "Time only moves forward: advance() needs a span >= 0.")
        self.run_until(self._now + span)

    def run_until(self, t: float) -> None:
        """Run every event due up to and including simulated time ``t``, then set now to ``t``."""
        if self._running:
            # A callback that advances time would reorder the world under our feet.
            raise InvalidParameter(
                "InvalidParameterValue", "advance() was called from inside a scheduled event; schedule instead."
            )
        self._running = True
        try:
            heap = self._heap
            while heap and heap[0].at <= t:
                event = heapq.heappop(heap)
                if event.cancelled:
                    continue
                self._now = event.at
                if event.interval:
                    # A periodic event is the same object pushed back: cancel() on the
                    # handle the caller holds stops every later repeat.
                    event.at += event.interval
                    event.seq = next(self._seq)
                    heapq.heappush(heap, event)
                event.callback()
            self._now = max(self._now, t)
        finally:
            self._running = False

    def step(self) -> Event | None:
        """Run the next pending event alone (jumping time to it); None when nothing is pending."""
        while self._heap and self._heap[0].cancelled:
            heapq.heappop(self._heap)
        if not self._heap:
            return None
        event = self._heap[0]
        self.run_until(event.at)
        return event

    def run_until_true(self, condition: Callable[[], bool], *, timeout: float, poll: float = 1.0) -> bool:
        """Advance in steps of ``poll`` seconds until ``condition()`` holds or ``timeout`` passes."""
        end = self._now + timeout
        while not condition():
            if self._now >= end:
                return False
            self.run_until(min(end, self._now + poll))
        return True

    @property
    def pending(self) -> list[Event]:
        """Scheduled events not yet run, soonest first."""
        return sorted(e for e in self._heap if not e.cancelled)

    def __repr__(self) -> str:
        return f"Clock(now={self._now:g}s, {self.isoformat()}, pending={len(self.pending)})"
