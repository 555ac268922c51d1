"""Invoking Lambda functions: payloads, errors, simulated time, cold starts, concurrency, async, logs, bill."""

import base64
import math

import pytest

from awskit.awslambda import sleep


@pytest.fixture
def lam(cloud):
    return cloud.awslambda


def test_print_output_goes_to_the_log_stream_between_start_and_report(cloud, lam):
    lam.create_function("p", handler=lambda e, c: print("working on", e["id"]))
    r = lam.invoke("p", {"id": 7})
    assert r.log[1].startswith("START RequestId") and "working on 7" in r.log and r.log[-1].startswith("REPORT")
    stream = cloud.logs.get_log_group("/aws/lambda/p").streams
    assert any(ev.message == "working on 7" for s in stream.values() for ev in s.events)


def test_unhandled_exception_gives_function_error_payload(lam):
    def boom(event, context):
        raise ValueError("bad input")
    lam.create_function("boom", handler=boom)
    r = lam.invoke("boom")
    assert r.status_code == 200 and r.function_error == "Unhandled"
    assert (r.payload["errorType"], r.payload["errorMessage"]) == ("ValueError", "bad input")
    assert r.payload["stackTrace"]


def test_duration_is_simulated_not_measured(lam):
    lam.create_function("s", handler=lambda e, c: sleep(1200))
    r = lam.invoke("s")
    assert (r.duration_ms, r.billed_ms) == (1201.0, math.ceil(1201 + r.init_ms))


def test_cpu_work_is_slower_with_less_memory(lam):
    lam.create_function("small", handler=lambda e, c: c.work(100), memory_size=128, timeout=10)
    lam.create_function("big", handler=lambda e, c: c.work(100), memory_size=1769)
    assert lam.invoke("small").duration_ms > 10 * lam.invoke("big").duration_ms


def test_remaining_time_follows_the_simulated_clock(lam):
    def handler(event, context):
        sleep(1000)
        return context.get_remaining_time_in_millis()
    lam.create_function("t", handler=handler, timeout=5)
    assert lam.invoke("t").payload == 5000 - 1001


def test_handler_past_its_timeout_times_out(lam):
    lam.create_function("slow", handler=lambda e, c: sleep(5000), timeout=3)
    r = lam.invoke("slow")
    assert r.function_error == "Unhandled" and "Task timed out after 3.00 seconds" in r.payload["errorMessage"]
    assert r.duration_ms == 3000


def test_first_invocation_is_cold_and_the_next_warm(lam):
    lam.create_function("w", handler=lambda e, c: 1)
    first, second = lam.invoke("w"), lam.invoke("w")
    assert first.cold_start and first.init_ms > 0 and not second.cold_start


def test_cold_start_report_has_init_duration(lam):
    lam.create_function("w", handler=lambda e, c: 1)
    assert "Init Duration" in lam.invoke("w").log[-1]
    assert "Init Duration" not in lam.invoke("w").log[-1]


def test_module_state_survives_in_a_warm_environment(lam):
    state = {"n": 0}

    def counter(event, context):
        state["n"] += 1
        return state["n"]
    lam.create_function("c", handler=counter)
    assert [lam.invoke("c").payload for _ in range(3)] == [1, 2, 3]


def test_idle_environment_is_reclaimed_after_a_long_pause(cloud, lam):
    lam.create_function("w", handler=lambda e, c: 1)
    lam.invoke("w")
    cloud.clock.advance(minutes=16)
    assert lam.invoke("w").cold_start


def test_environment_still_warm_after_a_short_pause(cloud, lam):
    lam.create_function("w", handler=lambda e, c: 1)
    lam.invoke("w")
    cloud.clock.advance(minutes=4)
    assert not lam.invoke("w").cold_start


def test_same_seed_gives_the_same_timings_and_ids():
    from awskit import Cloud

    def run():
        cloud = Cloud(seed=5)
        cloud.awslambda.create_function("f", handler=lambda e, c: sleep(42))
        r = cloud.awslambda.invoke("f")
        return r.request_id, r.duration_ms, r.init_ms, cloud.clock.now
    assert run() == run()


def test_synchronous_invoke_lets_simulated_time_pass(cloud, lam):
    lam.create_function("s", handler=lambda e, c: sleep(2000))
    before = cloud.clock.now
    r = lam.invoke("s")
    assert cloud.clock.now == pytest.approx(before + (r.init_ms + r.duration_ms) / 1000)


def test_payload_that_is_not_json_is_rejected(lam):
    lam.create_function("f", handler=lambda e, c: 1)
    with pytest.raises(Exception) as err:
        lam.invoke("f", b"{not json")
    assert err.value.code == "InvalidRequestContentException"


def test_unserializable_result_is_a_marshal_error(lam):
    lam.create_function("f", handler=lambda e, c: {1, 2})
    assert lam.invoke("f").payload["errorType"] == "Runtime.MarshalError"


def test_tail_log_result_is_base64_of_the_log(lam):
    lam.create_function("f", handler=lambda e, c: print("hi"))
    text = base64.b64decode(lam.invoke("f", log_type="Tail").log_result).decode()
    assert "hi\n" in text and "REPORT RequestId" in text


def test_dry_run_returns_204_without_running(lam):
    calls = []
    lam.create_function("f", handler=lambda e, c: calls.append(1))
    assert lam.invoke("f", invocation_type="DryRun").status_code == 204 and calls == []


def test_nested_invoke_adds_to_the_callers_duration(lam):
    lam.create_function("inner", handler=lambda e, c: sleep(300))
    lam.create_function("outer", handler=lambda e, c: lam.invoke("inner").duration_ms)
    lam.invoke("inner")  # warm it
    r = lam.invoke("outer")
    assert r.duration_ms >= 301 + 1


# -- concurrency and throttling ---------------------------------------------------------------

def test_burst_beyond_reserved_concurrency_is_throttled(lam):
    lam.create_function("b", handler=lambda e, c: sleep(500))
    lam.put_function_concurrency("b", 2)
    out = lam.burst("b", 4)
    codes = [getattr(o, "code", None) for o in out]
    assert codes[:2] == [None, None] and codes[2:] == ["TooManyRequestsException"] * 2
    assert out[2].response["Error"]["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"


def test_reserved_concurrency_zero_stops_every_invocation(lam):
    lam.create_function("off", handler=lambda e, c: 1)
    lam.put_function_concurrency("off", 0)
    with pytest.raises(Exception) as err:
        lam.invoke("off")
    assert err.value.code == "TooManyRequestsException"


def test_account_limit_throttles_unreserved_functions(lam):
    lam.concurrency_limit = 105
    lam.create_function("a", handler=lambda e, c: sleep(1000))
    out = lam.burst("a", 106)
    assert out[-1].response["Error"]["Reason"] == "ConcurrentInvocationLimitExceeded"
    assert sum(1 for o in out if hasattr(o, "status_code")) == 105


def test_burst_starts_one_environment_per_concurrent_invocation(lam):
    lam.create_function("a", handler=lambda e, c: sleep(100))
    out = lam.burst("a", 5)
    assert all(o.cold_start for o in out) and len(lam.get_function("a").environments) == 5


def test_throttles_are_counted_in_cloudwatch(cloud, lam):
    lam.create_function("b", handler=lambda e, c: sleep(500))
    lam.put_function_concurrency("b", 1)
    lam.burst("b", 3)
    metric = cloud.cloudwatch.get_metric("AWS/Lambda", "Throttles", {"FunctionName": "b"})
    assert metric is not None


def test_invocation_after_the_previous_one_ended_is_not_throttled(lam):
    lam.create_function("b", handler=lambda e, c: sleep(500))
    lam.put_function_concurrency("b", 1)
    lam.invoke("b")
    assert lam.invoke("b").status_code == 200


# -- asynchronous invocation -----------------------------------------------------------------

def test_event_invoke_returns_202_and_runs_later_on_the_clock(cloud, lam):
    seen = []
    lam.create_function("e", handler=lambda e, c: seen.append(e))
    r = lam.invoke("e", {"x": 1}, invocation_type="Event")
    assert r.status_code == 202 and seen == []
    cloud.clock.advance(1)
    assert seen == [{"x": 1}]


def test_failed_event_invoke_is_retried_twice(cloud, lam):
    calls = []

    def fail(event, context):
        calls.append(cloud.clock.now)
        raise RuntimeError("nope")
    lam.create_function("e", handler=fail)
    lam.invoke("e", invocation_type="Event")
    cloud.clock.advance(minutes=10)
    assert len(calls) == 3 and lam.dropped_events[-1][0] == "e"


def test_throttled_event_waits_in_the_queue(cloud, lam):
    seen = []
    lam.create_function("e", handler=lambda e, c: seen.append(1))
    lam.put_function_concurrency("e", 0)
    lam.invoke("e", invocation_type="Event")
    cloud.clock.advance(10)
    assert seen == []
    lam.delete_function_concurrency("e")
    cloud.clock.advance(minutes=5)
    assert seen == [1]


# -- metrics and bill ---------------------------------------------------------------------------

def test_invocations_and_duration_metrics_are_published(cloud, lam):
    lam.create_function("m", handler=lambda e, c: sleep(10))
    lam.invoke("m")
    lam.invoke("m")
    metric = cloud.cloudwatch.get_metric("AWS/Lambda", "Invocations", {"FunctionName": "m"})
    assert metric is not None


def test_bill_charges_requests_and_gb_seconds(cloud, lam):
    lam.create_function("b", handler=lambda e, c: sleep(999), memory_size=1024)
    r = lam.invoke("b")
    expected = 0.20 / 1e6 + 1.0 * r.billed_ms / 1000 * 0.0000166667
    assert cloud.bill.by_service()["lambda"] == pytest.approx(expected)


def test_arm64_compute_is_cheaper(cloud):
    from awskit import Cloud

    costs = []
    for arch in ("x86_64", "arm64"):
        c = Cloud(seed=0)
        c.awslambda.create_function("b", handler=lambda e, ctx: sleep(1000), architectures=[arch])
        c.awslambda.invoke("b")
        costs.append(c.bill.by_service()["lambda"])
    assert costs[1] < costs[0]
