import pytest

from awskit.core.clock import EPOCH, Clock
from awskit.core.errors import AWSError, InvalidParameter


def test_advance_runs_due_events_in_time_order():
    clock, seen = Clock(), []
    clock.schedule(30, lambda: seen.append("b"))
    clock.schedule(10, lambda: seen.append("a"))
    clock.schedule(90, lambda: seen.append("c"))
    clock.advance(minutes=1)
    assert seen == ["a", "b"]
    assert clock.now == 60.0


def test_equal_times_run_by_priority_then_scheduling_order():
    clock, seen = Clock(), []
    clock.schedule(5, lambda: seen.append("second"))
    clock.schedule(5, lambda: seen.append("first"), priority=-1)
    clock.schedule(5, lambda: seen.append("third"))
    clock.advance(5)
    assert seen == ["first", "second", "third"]


def test_event_sees_its_own_time_as_now():
    clock, times = Clock(), []
    clock.schedule(42, lambda: times.append(clock.now))
    clock.advance(hours=1)
    assert times == [42.0] and clock.now == 3600.0


def test_periodic_event_repeats_until_cancelled():
    clock, seen = Clock(), []
    ev = clock.every(10, lambda: seen.append(clock.now))
    clock.advance(35)
    ev.cancel()
    clock.advance(100)
    assert seen == [10.0, 20.0, 30.0]


def test_events_scheduled_by_events_run_in_the_same_advance():
    clock, seen = Clock(), []
    clock.schedule(1, lambda: clock.schedule(1, lambda: seen.append(clock.now)))
    clock.advance(5)
    assert seen == [2.0]


def test_cancelled_event_does_not_run():
    clock, seen = Clock(), []
    clock.schedule(1, lambda: seen.append(1)).cancel()
    clock.advance(2)
    assert seen == []


def test_advance_rejects_negative_and_non_numbers():
    clock = Clock()
    with pytest.raises(InvalidParameter):
        clock.advance(-1)
    with pytest.raises(AWSError) as err:
        clock.advance("5")
    assert err.value.code == "InvalidParameterValue"


def test_advance_inside_an_event_is_refused():
    clock = Clock()
    errors = []

    def nested():
        try:
            clock.advance(1)
        except AWSError as e:
            errors.append(e.code)

    clock.schedule(1, nested)
    clock.advance(2)
    assert errors == ["InvalidParameterValue"]


def test_datetime_follows_simulated_time():
    clock = Clock()
    clock.advance(days=1)
    assert (clock.datetime - EPOCH).total_seconds() == 86400
    assert clock.isoformat().endswith("Z")


def test_run_until_true_stops_when_condition_holds():
    clock, state = Clock(), {"up": False}
    clock.schedule(45, lambda: state.update(up=True))
    assert clock.run_until_true(lambda: state["up"], timeout=600, poll=15)
    assert clock.now == 45.0


def test_run_until_true_gives_up_at_timeout():
    clock = Clock()
    assert not clock.run_until_true(lambda: False, timeout=60, poll=15)
    assert clock.now == 60.0


def test_step_jumps_to_next_event():
    clock, seen = Clock(), []
    clock.schedule(100, lambda: seen.append(clock.now))
    assert clock.step() is not None
    assert seen == [100.0] and clock.step() is None
