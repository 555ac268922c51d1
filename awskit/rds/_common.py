"""What the RDS model's modules share (private): error families, name rules, windows.

RDS answers "not found" codes with HTTP 404 and every other client error with 400; its
codes often end in ``Fault`` and do not say their family in their own words, so the family
of each code awskit raises is pinned here.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from ..core.errors import (
    AlreadyExists,
    AWSError,
    DependencyViolation,
    InvalidParameter,
    InvalidState,
    LimitExceeded,
    NotFound,
)

__all__ = [
    "DAYS",
    "Window",
    "check_bool",
    "check_identifier",
    "check_int",
    "fail",
    "parse_backup_window",
    "parse_maintenance_window",
]

_FAMILIES: dict[str, type[AWSError]] = {
    "DBInstanceNotFound": NotFound,
    "DBSnapshotNotFound": NotFound,
    "DBSubnetGroupNotFoundFault": NotFound,
    "DBClusterNotFoundFault": NotFound,
    "DBClusterSnapshotNotFoundFault": NotFound,
    "DBInstanceAutomatedBackupNotFound": NotFound,
    "DBInstanceAlreadyExists": AlreadyExists,
    "DBSnapshotAlreadyExists": AlreadyExists,
    "DBSubnetGroupAlreadyExists": AlreadyExists,
    "DBClusterAlreadyExistsFault": AlreadyExists,
    "InvalidDBInstanceState": InvalidState,
    "InvalidDBClusterStateFault": InvalidState,
    "InvalidDBSnapshotState": InvalidState,
    "InvalidDBSubnetGroupStateFault": DependencyViolation,
    "InvalidVPCNetworkStateFault": InvalidState,
    "PointInTimeRestoreNotEnabled": InvalidState,
    "InvalidRestoreFault": InvalidParameter,
    "DBSubnetGroupDoesNotCoverEnoughAZs": InvalidParameter,
    "InvalidSubnet": InvalidParameter,
    "InvalidParameterValue": InvalidParameter,
    "InvalidParameterCombination": InvalidParameter,
    "UnsupportedDBEngineVersion": InvalidParameter,
    "InstanceQuotaExceeded": LimitExceeded,
    "DBClusterQuotaExceededFault": LimitExceeded,
    "StorageQuotaExceeded": LimitExceeded,
    "InsufficientAvailableIPsInSubnetFault": LimitExceeded,
}


def fail(code: str, message: str) -> NoReturn:
    """Raise the AWSError family for an RDS ``code`` with RDS's HTTP status (404 or 400)."""
    cls = _FAMILIES.get(code, InvalidParameter)
    raise cls(code, message, status=404 if cls is NotFound else 400)


_IDENT_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,62}$")


def check_identifier(value: Any, what: str = "DBInstanceIdentifier") -> str:
    """RDS identifiers: 1-63 letters, digits or hyphens; a letter first; no trailing hyphen and
    no two hyphens in a row.  RDS stores them in lowercase (``MyDB`` becomes ``mydb``).

    >>> check_identifier("Orders-DB")
    'orders-db'
    """
    if not isinstance(value, str) or not _IDENT_RE.match(value) or value.endswith("-") or "--" in value:
        fail("InvalidParameterValue",
             f"The parameter {what} is not a valid identifier: {value!r}. Identifiers must begin with a "
             "letter; must contain only ASCII letters, digits, and hyphens; must be 1 to 63 characters; "
             "and must not end with a hyphen or contain two consecutive hyphens.")
    return value.lower()


def check_bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        fail("InvalidParameterValue", f"{name} is True or False, not {value!r}.")
    return value


def check_int(name: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        fail("InvalidParameterValue", f"{name} must be a whole number from {lo} to {hi}, not {value!r}.")
    return value


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEK = 7 * 1440


class Window:
    """A recurring window in minutes of the week (maintenance) or of the day (backup), UTC.

    ``start``/``end`` are minutes from Monday 00:00 (or from midnight for a daily window).
    """

    __slots__ = ("daily", "end", "start", "text")

    def __init__(self, start: int, end: int, daily: bool, text: str) -> None:
        self.start, self.end, self.daily, self.text = start, end, daily, text

    @property
    def length(self) -> int:
        period = 1440 if self.daily else _WEEK
        return (self.end - self.start) % period

    def week_spans(self) -> list[tuple[int, int]]:
        """The window as spans of minutes of the week (a daily window repeats 7 times)."""
        starts = [self.start + d * 1440 for d in range(7)] if self.daily else [self.start]
        return [(s, s + self.length) for s in starts]

    def overlaps(self, other: Window) -> bool:
        for a0, a1 in self.week_spans():
            for b0, b1 in other.week_spans():
                for shift in (-_WEEK, 0, _WEEK):
                    if a0 < b1 + shift and b0 + shift < a1:
                        return True
        return False

    def next_start(self, t: float, epoch_weekday: int, epoch_minute: int) -> float:
        """Seconds (simulated) of the next start of this window strictly after ``t``."""
        minute_of_week_at_0 = epoch_weekday * 1440 + epoch_minute
        now_min = (minute_of_week_at_0 + t / 60.0) % _WEEK
        best = None
        for s, _ in self.week_spans():
            delta = (s - now_min) % _WEEK
            if delta <= 1e-9:
                delta = _WEEK
            best = delta if best is None else min(best, delta)
        return t + best * 60.0

    def __repr__(self) -> str:
        return f"Window({self.text!r})"


_HM = r"([01]\d|2[0-3]):([0-5]\d)"


def parse_backup_window(value: Any) -> Window:
    """``'hh24:mi-hh24:mi'`` in UTC, at least 30 minutes long."""
    m = re.fullmatch(f"{_HM}-{_HM}", value) if isinstance(value, str) else None
    if not m:
        fail("InvalidParameterValue",
             f"The backup window {value!r} must be in the format hh24:mi-hh24:mi (UTC), e.g. '03:00-03:30'.")
    start = int(m[1]) * 60 + int(m[2])
    end = int(m[3]) * 60 + int(m[4])
    w = Window(start, end, True, value)
    if w.length < 30:
        fail("InvalidParameterValue", f"The backup window {value!r} must be at least 30 minutes long.")
    return w


def parse_maintenance_window(value: Any) -> Window:
    """``'ddd:hh24:mi-ddd:hh24:mi'`` in UTC (days mon..sun), at least 30 minutes long."""
    m = (re.fullmatch(f"([a-z]{{3}}):{_HM}-([a-z]{{3}}):{_HM}", value.lower())
         if isinstance(value, str) else None)
    if not m or m[1] not in DAYS or m[4] not in DAYS:
        fail("InvalidParameterValue",
             f"The maintenance window {value!r} must be in the format ddd:hh24:mi-ddd:hh24:mi (UTC, days "
             "mon, tue, wed, thu, fri, sat, sun), e.g. 'sun:05:00-sun:05:30'.")
    start = DAYS.index(m[1]) * 1440 + int(m[2]) * 60 + int(m[3])
    end = DAYS.index(m[4]) * 1440 + int(m[5]) * 60 + int(m[6])
    w = Window(start, end, False, value.lower())
    if w.length < 30:
        fail("InvalidParameterValue", f"The maintenance window {value!r} must be at least 30 minutes long.")
    return w


def format_backup_window(start: int, length: int = 30) -> str:
    end = (start + length) % 1440
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def format_maintenance_window(start: int, length: int = 30) -> str:
    end = (start + length) % _WEEK

    def one(m: int) -> str:
        return f"{DAYS[m // 1440]}:{(m % 1440) // 60:02d}:{m % 60:02d}"

    return f"{one(start)}-{one(end)}"
