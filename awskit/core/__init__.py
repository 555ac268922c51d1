"""What every service shares: simulated time, errors, ids, events and the bill."""

from .clock import Clock
from .errors import (AccessDenied, AlreadyExists, AWSError, DependencyViolation, InvalidParameter,
                     InvalidState, LimitExceeded, NotFound, Throttling, WaiterError)
from .events import EventBus
from .ids import IdGenerator, arn
from .pricing import Bill

__all__ = ["Clock", "AWSError", "NotFound", "AlreadyExists", "InvalidParameter", "DependencyViolation",
           "InvalidState", "LimitExceeded", "AccessDenied", "Throttling", "WaiterError", "EventBus",
           "IdGenerator", "arn", "Bill"]
