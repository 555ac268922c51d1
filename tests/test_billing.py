"""The bill by service, resource and usage, and cost over time, against hand-computed totals."""

import pytest

from awskit import AWSError
from awskit.billing import (
    PRICE_SOURCES,
    bill_report,
    cost_over_time,
    monthly_rate,
    plot_costs,
    series,
)

HOUR, MONTH = 3600.0, 730 * 3600.0


@pytest.fixture
def scenario(cloud):
    """2 t3.micro, a 100 GiB gp3 volume, a bucket with 10 MiB, a Lambda function."""
    vol = cloud.ebs.create_volume(size=100, volume_type="gp3", availability_zone="us-east-1a")
    cloud.s3.create_bucket("bill-data-1")
    cloud.s3.put_object("bill-data-1", "blob", b"x" * 10 * 2**20)
    fn = cloud.awslambda.create_function("ping", handler=lambda event, context: "pong", memory_size=128)
    insts = cloud.ec2.run_instances(instance_type="t3.micro", min_count=2, associate_public_ip=False)
    cloud.clock.advance(minutes=1)
    return cloud, vol, list(insts), fn


def _ec2(cloud):
    return sum(m.cost(cloud.clock.now) for m in cloud.bill.meters if m.service == "ec2")


def test_two_small_instances_for_ten_hours(scenario):
    cloud, *_ = scenario
    started = _ec2(cloud)
    cloud.clock.advance(hours=10)
    assert _ec2(cloud) - started == pytest.approx(2 * 10 * 0.0104)


def test_gp3_volume_for_half_a_month(scenario):
    cloud, vol, _, _ = scenario
    cloud.clock.advance(seconds=MONTH / 2 - cloud.clock.now)
    assert cloud.bill.by_resource()[vol.id] == pytest.approx(100 * 0.08 / 2)


def test_s3_standard_storage_for_a_month(scenario):
    cloud, _, _, _ = scenario   # 10 MiB = 1/102.4 GB at $0.023 per GB-month
    cloud.clock.advance(seconds=MONTH)
    storage = sum(m.cost(cloud.clock.now) for m in cloud.bill.meters if m.service == "s3")
    assert storage == pytest.approx(0.023 / 102.4, rel=0.01)


def test_lambda_requests_cost_twenty_cents_a_million(scenario):
    cloud, _, _, fn = scenario
    before = sum(i.amount for i in cloud.bill.items if i.service == "lambda")
    for _ in range(1000):
        cloud.awslambda.invoke(fn, {})
    requests = sum(i.amount for i in cloud.bill.items if i.service == "lambda" and "request" in i.usage.lower())
    assert requests == pytest.approx(1000 * 0.20 / 1e6) and before == 0


def test_report_by_service_matches_the_bill(scenario):
    cloud, *_ = scenario
    cloud.clock.advance(hours=5)
    frame = bill_report(cloud, by="service")
    assert dict(zip(frame["service"], frame["cost"])) == pytest.approx(cloud.bill.by_service())


def test_report_by_usage_has_service_resource_usage_cost(scenario):
    cloud, vol, _, _ = scenario
    frame = bill_report(cloud)
    assert list(frame.columns) == ["service", "resource", "usage", "cost", "monthly_rate"]
    assert frame[frame["resource"] == vol.id]["monthly_rate"].sum() == pytest.approx(8.0)


def test_report_by_an_unknown_grouping_is_rejected(cloud):
    with pytest.raises(AWSError) as err:
        bill_report(cloud, by="colour")
    assert err.value.code == "InvalidParameterValue"


def test_monthly_rate_of_a_resource(scenario):
    cloud, vol, _, _ = scenario
    assert monthly_rate(cloud, vol.id) == pytest.approx(8.0)


def test_cost_over_time_is_cumulative_and_ends_at_the_total(scenario):
    cloud, *_ = scenario
    cloud.clock.advance(hours=6)
    frame = cost_over_time(cloud, step=HOUR)
    services = frame.drop(columns=["hours"])
    assert services.sum(axis=1).is_monotonic_increasing
    assert services.iloc[-1].sum() == pytest.approx(cloud.bill.total())


def test_interval_costs_add_up_to_the_cumulative_series(scenario):
    cloud, *_ = scenario
    cloud.clock.advance(hours=3)
    _, per_step = series(cloud, step=HOUR, cumulative=False)
    _, cumulative = series(cloud, step=HOUR)
    assert sum(per_step["ebs"]) == pytest.approx(cumulative["ebs"][-1])


def test_a_meter_costs_nothing_before_it_starts(cloud):
    cloud.clock.advance(hours=2)
    vol = cloud.ebs.create_volume(size=730, volume_type="gp3", availability_zone="us-east-1a")
    cloud.clock.advance(hours=1)
    _, cols = series(cloud, step=HOUR)
    assert cols["ebs"][:3] == [0.0, 0.0, 0.0] and cols["ebs"][-1] == pytest.approx(0.08) and vol.size == 730


def test_series_rejects_a_zero_step(cloud):
    with pytest.raises(AWSError) as err:
        series(cloud, step=0)
    assert err.value.code == "InvalidParameterValue"


def test_plot_stacks_services(scenario):
    import matplotlib
    matplotlib.use("Agg")
    cloud, *_ = scenario
    cloud.clock.advance(hours=2)
    fig = plot_costs(cloud, step=HOUR)
    assert len(fig.axes[0].collections) == len(cloud.bill.by_service())


def test_every_billing_service_has_a_dated_price_source(scenario):
    cloud, *_ = scenario
    cloud.clock.advance(hours=1)
    assert set(cloud.bill.by_service()) - set(PRICE_SOURCES) == set()
