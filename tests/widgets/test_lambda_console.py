"""The chapter 4 Lambda console, driven in plain Python: events, results, logs, bursts."""

import pytest

from awskit import AWSError
from awskit.awslambda import sleep
from awskit.widgets import LambdaConsole
from awskit.widgets.lambda_console import call_cost


def adder(event, context):
    print("adding", event["numbers"])
    sleep(40)
    return {"total": sum(event["numbers"])}


@pytest.fixture
def fn(cloud):
    return cloud.awslambda.create_function("adder", handler=adder, memory_size=256)


@pytest.fixture
def console(cloud, fn):
    view = LambdaConsole(cloud, fn, event={"numbers": [1, 2, 3]})
    yield view
    view.close()


def test_invoke_shows_the_payload(console):
    console.invoke_button.click()
    assert console.last_result.payload == {"total": 6}
    assert "&quot;total&quot;: 6" in console.response.value


def test_first_call_is_cold_and_the_next_is_warm(console):
    console.invoke_button.click()
    assert console.last_result.cold_start and "cold start" in console.metrics.value
    console.invoke_button.click()
    assert not console.last_result.cold_start and "warm start" in console.metrics.value


def test_log_tail_has_start_the_print_end_and_report(console):
    console.invoke_button.click()
    log = console.logs.value
    for piece in ("START RequestId", "adding [1, 2, 3]", "END RequestId", "REPORT RequestId", "Init Duration"):
        assert piece in log


def test_metrics_show_duration_billed_duration_and_cost(console):
    console.invoke_button.click()
    r = console.last_result
    assert r.duration_ms == pytest.approx(41.0)
    assert f"{r.duration_ms:.2f} ms" in console.metrics.value and f"{r.billed_ms} ms" in console.metrics.value
    assert console.last_cost == pytest.approx(call_cost(r))
    assert f"${console.last_cost:.10f}" in console.metrics.value


def test_call_cost_is_requests_plus_gb_seconds(console):
    console.invoke_button.click()
    r = console.last_result
    assert call_cost(r) == pytest.approx(0.2e-6 + 0.25 * r.billed_ms / 1000 * 0.0000166667)


def test_the_bill_line_follows_the_lambda_charges(cloud, console):
    console.invoke_button.click()
    assert f"${cloud.bill.by_service()['lambda']:.8f}" in console.bill.value


def test_invalid_json_is_a_teaching_error_in_the_status_line(console):
    console.event.value = "{'numbers': [1, 2]}"
    console.invoke_button.click()
    assert console.last_error.code == "InvalidRequestContentException"
    assert "line 1, column 2" in console.status.value and "double quotes" in console.status.value
    assert console.last_result is None


def test_a_handler_error_is_shown_as_a_function_error(console):
    console.event.value = '{"numbers": [1, "two"]}'
    console.invoke_button.click()
    assert console.last_result.function_error == "Unhandled"
    assert "TypeError" in console.response.value and "Function error" in console.response.value
    assert console.last_error is None  # the call worked; the handler failed


def test_burst_without_reservation_runs_every_call(console):
    console.burst_size.value = 30
    console.burst_button.click()
    b = console.last_burst
    assert (b.n, b.succeeded, b.throttled, b.cold_starts) == (30, 30, 0, 30)


def test_reserved_concurrency_throttles_the_rest_of_a_burst(console, fn):
    console.reserved.value = 4
    console.reserve_button.click()
    assert fn.reserved_concurrency == 4
    console.burst_size.value = 10
    console.burst_button.click()
    assert (console.last_burst.succeeded, console.last_burst.throttled) == (4, 6)
    assert "4 succeeded" in console.burst_result.value and "6 throttled" in console.burst_result.value


def test_removing_the_reservation_lets_the_burst_through(console, fn):
    console.reserved.value = 2
    console.reserve_button.click()
    console.unreserve_button.click()
    assert fn.reserved_concurrency is None
    assert console.burst(10).throttled == 0


def test_reserved_zero_throttles_a_single_invoke(console):
    console.reserved.value = 0
    console.reserve_button.click()
    console.invoke_button.click()
    assert console.last_error.code == "TooManyRequestsException"


def test_reserving_too_much_is_refused_by_the_model(cloud, console):
    console.reserved.value = 950  # clamped to 900: leaves exactly the 100 the account must keep
    console.reserve_button.click()
    assert console.last_error is None
    other = cloud.awslambda.create_function("other", handler=adder)
    with pytest.raises(AWSError) as err:
        cloud.awslambda.put_function_concurrency(other, 1)
    assert err.value.code == "InvalidParameterValueException"


def test_configuration_changes_elsewhere_redraw_the_settings(cloud, console, fn):
    cloud.awslambda.update_function_configuration(fn, memory_size=1024)
    assert "1024 MB" in console.config.value


def test_an_unknown_function_is_refused(cloud):
    with pytest.raises(AWSError) as err:
        LambdaConsole(cloud, "missing")
    assert err.value.code == "ResourceNotFoundException"


def test_a_burst_accounts_for_every_call(console):
    # (redraw time is printed here; speed is measured in bench/, never asserted)
    console.invoke_button.click()
    summary = console.burst(50)
    print(f"\nLambdaConsole redraw: {console.last_redraw_ms:.3f} ms")
    assert summary.n == 50 and summary.succeeded + summary.throttled + summary.function_errors == 50
    assert console.last_burst is summary
