"""CloudWatch metrics: PutMetricData validation, statistics, list_metrics, GetMetricData."""

import datetime as dt

import pytest

from awskit.core.errors import AWSError


@pytest.fixture
def cw(cloud):
    return cloud.client("cloudwatch")


def _ts(cloud, minutes=0.0, seconds=0.0):
    return cloud.clock.datetime + dt.timedelta(minutes=minutes, seconds=seconds)


def _stats(cw, cloud, period=60, start=-10, end=1, **kw):
    args = {"Namespace": "App", "MetricName": "Lat", "StartTime": _ts(cloud, start), "EndTime": _ts(cloud, end),
                "Period": period, "Statistics": ["Sum", "Average", "SampleCount", "Minimum", "Maximum"]}
    args.update(kw)
    return cw.get_metric_statistics(**args)["Datapoints"]


def _code(call, **kw):
    with pytest.raises(AWSError) as err:
        call(**kw)
    return err.value.code


def test_put_then_statistics_sum_average_count_min_max(cw, cloud):
    cw.put_metric_data(Namespace="App", MetricData=[
        {"MetricName": "Lat", "Value": v, "Timestamp": _ts(cloud, seconds=-50 + i)} for i, v in enumerate([2, 4, 9])])
    (point,) = _stats(cw, cloud)
    assert (point["Sum"], point["Average"], point["SampleCount"], point["Minimum"], point["Maximum"]) == (15, 5, 3, 2, 9)


def test_timestamp_defaults_to_simulated_now(cw, cloud):
    cloud.clock.advance(minutes=7)
    cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "Lat", "Value": 1}])
    (point,) = _stats(cw, cloud)
    assert point["Timestamp"] == cloud.clock.datetime


def test_dimension_order_does_not_change_metric_identity(cw, cloud):
    dims = [{"Name": "A", "Value": "1"}, {"Name": "B", "Value": "2"}]
    cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "Lat", "Dimensions": dims, "Value": 1},
                                                    {"MetricName": "Lat", "Dimensions": dims[::-1], "Value": 3}])
    assert len(cw.list_metrics()["Metrics"]) == 1
    (point,) = _stats(cw, cloud, Dimensions=dims[::-1])
    assert point["Sum"] == 4


def test_statistics_need_the_exact_dimension_set(cw, cloud):
    cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "Lat", "Value": 1,
                                                     "Dimensions": [{"Name": "A", "Value": "1"}]}])
    assert _stats(cw, cloud) == []


def test_values_with_counts_weight_the_samples(cw, cloud):
    cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "Lat", "Values": [1, 10], "Counts": [3, 1]}])
    (point,) = _stats(cw, cloud)
    assert (point["SampleCount"], point["Sum"]) == (4, 13)


def test_statistic_values_are_a_summary(cw, cloud):
    cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "Lat", "StatisticValues": {
        "SampleCount": 4, "Sum": 20, "Minimum": 1, "Maximum": 9}}])
    (point,) = _stats(cw, cloud)
    assert (point["Average"], point["Minimum"], point["Maximum"]) == (5, 1, 9)


def test_value_and_values_together_are_rejected(cw):
    assert _code(cw.put_metric_data, Namespace="App",
                 MetricData=[{"MetricName": "x", "Value": 1, "Values": [1]}]) == "InvalidParameterValue"


def test_datum_without_value_is_rejected(cw):
    assert _code(cw.put_metric_data, Namespace="App", MetricData=[{"MetricName": "x"}]) == "InvalidParameterCombination"


def test_nan_value_is_rejected(cw):
    assert _code(cw.put_metric_data, Namespace="App",
                 MetricData=[{"MetricName": "x", "Value": float("nan")}]) == "InvalidParameterValue"


def test_storage_resolution_must_be_1_or_60(cw):
    assert _code(cw.put_metric_data, Namespace="App",
                 MetricData=[{"MetricName": "x", "Value": 1, "StorageResolution": 5}]) == "InvalidParameterValue"


def test_aws_namespaces_are_reserved(cw):
    assert _code(cw.put_metric_data, Namespace="AWS/EC2",
                 MetricData=[{"MetricName": "x", "Value": 1}]) == "InvalidParameterValue"


def test_more_than_1000_entries_are_rejected(cw):
    assert _code(cw.put_metric_data, Namespace="App",
                 MetricData=[{"MetricName": "x", "Value": 1}] * 1001) == "InvalidParameterValue"


def test_timestamp_more_than_two_hours_ahead_is_rejected(cw, cloud):
    assert _code(cw.put_metric_data, Namespace="App",
                 MetricData=[{"MetricName": "x", "Value": 1, "Timestamp": _ts(cloud, minutes=121)}]) == "InvalidParameterValue"


def test_bad_entry_stores_nothing_from_the_call(cw):
    with pytest.raises(AWSError):
        cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "ok", "Value": 1}, {"MetricName": "bad"}])
    assert cw.list_metrics()["Metrics"] == []


def test_unknown_unit_is_rejected(cw):
    assert _code(cw.put_metric_data, Namespace="App",
                 MetricData=[{"MetricName": "x", "Value": 1, "Unit": "Furlongs"}]) == "InvalidParameterValue"


def test_period_must_be_a_multiple_of_60(cw, cloud):
    assert _code(cw.get_metric_statistics, Namespace="App", MetricName="Lat", StartTime=_ts(cloud, -5),
                 EndTime=_ts(cloud), Period=61, Statistics=["Sum"]) == "InvalidParameterValue"


def test_more_than_1440_datapoints_is_rejected(cw, cloud):
    assert _code(cw.get_metric_statistics, Namespace="App", MetricName="Lat", StartTime=_ts(cloud, -1441),
                 EndTime=_ts(cloud), Period=60, Statistics=["Sum"]) == "InvalidParameterCombination"


def test_a_statistic_is_required(cw, cloud):
    assert _code(cw.get_metric_statistics, Namespace="App", MetricName="Lat", StartTime=_ts(cloud, -5),
                 EndTime=_ts(cloud), Period=60) == "InvalidParameterCombination"


def test_start_must_precede_end(cw, cloud):
    assert _code(cw.get_metric_statistics, Namespace="App", MetricName="Lat", StartTime=_ts(cloud),
                 EndTime=_ts(cloud, -1), Period=60, Statistics=["Sum"]) == "InvalidParameterValue"


def test_datapoints_are_oldest_first_one_per_period(cw, cloud):
    for v in (1, 2, 3):
        cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "Lat", "Value": v}])
        cloud.clock.advance(minutes=1)
    points = _stats(cw, cloud)
    assert [p["Sum"] for p in points] == [1, 2, 3]


def test_percentile_extended_statistic(cw, cloud):
    cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "Lat", "Values": list(range(1, 101))}])
    (point,) = cw.get_metric_statistics(Namespace="App", MetricName="Lat", StartTime=_ts(cloud, -1),
                                        EndTime=_ts(cloud, 1), Period=120, ExtendedStatistics=["p90"])["Datapoints"]
    assert point["ExtendedStatistics"]["p90"] == 90


def test_unit_filter_hides_other_units(cw, cloud):
    cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "Lat", "Value": 1, "Unit": "Milliseconds"}])
    assert _stats(cw, cloud, Unit="Seconds") == []


def test_high_resolution_data_answers_one_second_periods(cw, cloud):
    cw.put_metric_data(Namespace="App", MetricData=[
        {"MetricName": "Lat", "Value": i, "StorageResolution": 1, "Timestamp": _ts(cloud, seconds=-10 + i)}
        for i in range(5)])
    points = cw.get_metric_statistics(Namespace="App", MetricName="Lat", StartTime=_ts(cloud, seconds=-10),
                                      EndTime=_ts(cloud), Period=1, Statistics=["Sum"])["Datapoints"]
    assert len(points) == 5


def test_standard_resolution_rounds_to_the_minute(cw, cloud):
    cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "Lat", "Value": 1, "Timestamp": _ts(cloud, seconds=-25)}])
    (point,) = _stats(cw, cloud)
    assert point["Timestamp"].second == 0


def test_list_metrics_filters_by_dimension_name(cw):
    cw.put_metric_data(Namespace="App", MetricData=[
        {"MetricName": "Lat", "Value": 1, "Dimensions": [{"Name": "Svc", "Value": "a"}]},
        {"MetricName": "Lat", "Value": 1, "Dimensions": [{"Name": "Host", "Value": "h"}]},
        {"MetricName": "Err", "Value": 1}])
    found = cw.list_metrics(Namespace="App", Dimensions=[{"Name": "Svc"}])["Metrics"]
    assert [m["Dimensions"] for m in found] == [[{"Name": "Svc", "Value": "a"}]]


def test_list_metrics_paginates_by_500(cw):
    cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": f"m{i:04d}", "Value": 1} for i in range(600)])
    first = cw.list_metrics(Namespace="App")
    second = cw.list_metrics(Namespace="App", NextToken=first["NextToken"])
    assert (len(first["Metrics"]), len(second["Metrics"]), "NextToken" in second) == (500, 100, False)


def _gmd(cw, cloud, queries, **kw):
    return cw.get_metric_data(MetricDataQueries=queries, StartTime=_ts(cloud, -5), EndTime=_ts(cloud, 1), **kw)


def _q(qid, name, stat="Sum"):
    return {"Id": qid, "MetricStat": {"Metric": {"Namespace": "App", "MetricName": name}, "Period": 60, "Stat": stat}}


def test_metric_math_adds_two_metrics(cw, cloud):
    cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "A", "Value": 2}, {"MetricName": "B", "Value": 5}])
    res = _gmd(cw, cloud, [_q("a", "A"), _q("b", "B"), {"Id": "total", "Expression": "a + b * 2"}])
    assert res["MetricDataResults"][2]["Values"] == [12]


def test_sum_of_metrics_function(cw, cloud):
    cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "A", "Value": 2}, {"MetricName": "B", "Value": 5}])
    res = _gmd(cw, cloud, [_q("a", "A"), _q("b", "B"), {"Id": "s", "Expression": "SUM(METRICS())"}])
    assert res["MetricDataResults"][2]["Values"] == [7]


def test_get_metric_data_is_newest_first_by_default(cw, cloud):
    for v in (1, 2):
        cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "A", "Value": v}])
        cloud.clock.advance(minutes=1)
    assert _gmd(cw, cloud, [_q("a", "A")])["MetricDataResults"][0]["Values"] == [2, 1]


def test_query_id_must_start_lowercase(cw, cloud):
    assert _code(_gmd, cw=cw, cloud=cloud, queries=[_q("A1", "A")]) == "ValidationError"


def test_expression_with_unknown_id_is_rejected(cw, cloud):
    assert _code(_gmd, cw=cw, cloud=cloud, queries=[_q("a", "A"), {"Id": "e", "Expression": "a + zz"}]) == "ValidationError"


def test_return_data_false_hides_a_query(cw, cloud):
    cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "A", "Value": 2}])
    q = _q("a", "A")
    q["ReturnData"] = False
    res = _gmd(cw, cloud, [q, {"Id": "d", "Expression": "a * 10"}])
    assert [r["Id"] for r in res["MetricDataResults"]] == ["d"]


def test_series_helper_gives_times_and_values(cloud):
    for v in (3, 4):
        cloud.cloudwatch.put("AWS/EC2", "CPUUtilization", v, dimensions={"InstanceId": "i-1"})
        cloud.clock.advance(minutes=1)
    times, values = cloud.cloudwatch.series("AWS/EC2", "CPUUtilization", {"InstanceId": "i-1"}, stat="Maximum")
    assert (times, values) == ([0.0, 60.0], [3.0, 4.0])


def test_a_simulated_day_of_minute_data_aggregates_exactly(cloud):
    cw = cloud.cloudwatch
    for minute in range(1440):
        for host in range(20):
            cw.put("App", "Requests", 1.0, dimensions={"Host": str(host)}, timestamp=minute * 60.0)
    cloud.clock.advance(days=1)
    (point,) = cw.get_metric_statistics("App", "Requests", start=0, end=86400, period=86400,
                                        statistics=["Sum"], dimensions={"Host": "7"})
    assert point["Sum"] == 1440


def test_custom_metric_is_billed_per_metric_month(cloud):
    cloud.cloudwatch.put("App", "Orders", 1)
    cloud.clock.advance(hours=730)
    assert round(cloud.bill.by_service()["cloudwatch"], 2) == 0.30


def test_aws_namespace_metrics_are_free(cloud):
    cloud.cloudwatch.put("AWS/EC2", "CPUUtilization", 1)
    cloud.clock.advance(hours=730)
    assert "cloudwatch" not in cloud.bill.by_service()
