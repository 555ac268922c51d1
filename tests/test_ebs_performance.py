"""The EBS I/O model against hand-computed cases."""


import pytest

from awskit.core.errors import AWSError


def make(cloud, *args, **kwargs):
    vol = cloud.ebs.create_volume(*args, **kwargs)
    cloud.clock.advance(seconds=10)
    return vol


def test_gp2_100_gib_bursts_at_3000_until_credits_run_out_after_2000_s(cloud):
    vol = make(cloud, 100, "gp2", "us-east-1a")
    run = cloud.ebs.run_workload(vol, iops=3000, duration_s=3600)
    assert run.iops[0] == 3000 and run.iops[1999] == 3000
    assert run.credits_exhausted_at == 2000.0
    assert run.iops[2000] == 300 and run.iops[-1] == 300
    assert run.throttled_by == {"burst-credits": 1600.0}


def test_gp2_burst_balance_falls_to_zero_and_refills_while_idle(cloud):
    vol = make(cloud, 100, "gp2", "us-east-1a")
    run = cloud.ebs.run_workload(vol, iops=3000, duration_s=2500)
    assert run.burst_balance[0] == pytest.approx(100 * (5.4e6 - 2700) / 5.4e6)
    assert vol.burst_balance == 0.0
    cloud.clock.advance(seconds=1000)  # 300 credits per second while idle
    assert vol.burst_balance == pytest.approx(100 * 300_000 / 5.4e6)


def test_gp2_below_baseline_is_never_throttled(cloud):
    vol = make(cloud, 100, "gp2", "us-east-1a")
    run = cloud.ebs.run_workload(vol, iops=250, duration_s=3600)
    assert not run.throttled and run.summary["iops"]["min"] == 250


def test_gp2_of_1_tib_or_more_does_not_burst(cloud):
    vol = make(cloud, 2000, "gp2", "us-east-1a")
    run = cloud.ebs.run_workload(vol, iops=None, duration_s=10)
    assert run.iops[0] == 6000


def test_gp3_3000_iops_at_16_kib_is_46_9_mibps(cloud):
    vol = make(cloud, 100, "gp3", "us-east-1a")
    run = cloud.ebs.run_workload(vol, iops=None, duration_s=60)
    assert run.iops[0] == 3000 and run.throughput[0] == pytest.approx(46.875)
    assert run.throttled_by == {"iops": 60.0}


def test_gp3_large_io_is_capped_by_throughput(cloud):
    vol = make(cloud, 100, "gp3", "us-east-1a")
    run = cloud.ebs.run_workload(vol, iops=None, io_size_kib=256, duration_s=10)
    assert run.throughput[0] == pytest.approx(125) and run.throttled_by == {"throughput": 10.0}


def test_ssd_io_larger_than_256_kib_counts_as_several_operations(cloud):
    vol = make(cloud, 1000, "io1", "us-east-1a", iops=4000)
    run = cloud.ebs.run_workload(vol, iops=None, io_size_kib=1024, duration_s=10)
    assert run.iops[0] == pytest.approx(500)  # 1 MiB = 4 operations; io1 <= 32,000 IOPS: 500 MiB/s


def test_st1_random_small_io_is_capped_far_below_sequential(cloud):
    vol = make(cloud, 1024, "st1", "us-east-1a")
    rnd = cloud.ebs.run_workload(vol, iops=None, io_size_kib=16, pattern="random", duration_s=10)
    seq = cloud.ebs.run_workload(vol, iops=None, io_size_kib=16, pattern="sequential", duration_s=10)
    assert rnd.throughput[0] == pytest.approx(500 * 16 / 1024)   # 500 operations x 16 KiB
    assert seq.throughput[0] == pytest.approx(250)               # 1 TiB st1 bursts at 250 MiB/s
    assert rnd.summary["latency_ms"]["mean"] > seq.summary["latency_ms"]["mean"]


def test_st1_falls_to_its_baseline_when_the_bucket_is_empty(cloud):
    vol = make(cloud, 1024, "st1", "us-east-1a")
    # 1 TiB of credit, spent at 250 - 40 = 210 MiB/s: empty after about 4993 s.
    run = cloud.ebs.run_workload(vol, iops=None, io_size_kib=1024, pattern="sequential", duration_s=6000)
    assert run.throughput[0] == pytest.approx(250) and run.throughput[-1] == pytest.approx(40)
    assert run.credits_exhausted_at == pytest.approx(1024 * 1024 / 210, abs=1.0)


def test_raid0_stripe_adds_iops_and_throughput(cloud):
    vols = [make(cloud, 100, "gp3", "us-east-1a") for _ in range(4)]
    run = cloud.ebs.run_workload(vols, iops=None, duration_s=10)
    assert run.iops[0] == 12000 and run.throughput[0] == pytest.approx(4 * 46.875)


def test_raid0_stripe_runs_at_the_pace_of_its_slowest_member(cloud):
    vols = [make(cloud, 100, "gp3", "us-east-1a", iops=6000), make(cloud, 100, "gp3", "us-east-1a")]
    run = cloud.ebs.run_workload(vols, iops=10000, duration_s=10)
    assert run.iops[0] == 6000  # 2 x 3000: the 3000-IOPS member holds the stripe back


def test_instance_bandwidth_caps_the_workload(cloud):
    vol = make(cloud, 100, "gp3", "us-east-1a", iops=16000, throughput=1000)
    run = cloud.ebs.run_workload(vol, iops=None, io_size_kib=256, duration_s=10, instance_bandwidth_mibps=300)
    assert run.throughput[0] == pytest.approx(300) and run.throttled_by == {"instance-bandwidth": 10.0}


def test_latency_rises_as_demand_approaches_capacity(cloud):
    vol = make(cloud, 100, "gp3", "us-east-1a")
    light = cloud.ebs.run_workload(vol, iops=300, duration_s=5).latency_ms[0]
    busy = cloud.ebs.run_workload(vol, iops=2700, duration_s=5).latency_ms[0]
    over = cloud.ebs.run_workload(vol, iops=6000, duration_s=5).latency_ms[0]
    assert light < 1.2 < busy < over
    assert busy == pytest.approx(light * (1 - 0.1) / (1 - 0.9))


def test_io2_is_faster_than_gp3_at_the_same_load(cloud):
    gp3 = make(cloud, 100, "gp3", "us-east-1a", iops=6000)
    io2 = make(cloud, 100, "io2", "us-east-1a", iops=6000)
    a = cloud.ebs.run_workload(gp3, iops=1000, duration_s=5).latency_ms[0]
    b = cloud.ebs.run_workload(io2, iops=1000, duration_s=5).latency_ms[0]
    assert b < a


def test_impaired_volume_does_no_io(cloud):
    vol = make(cloud, 100, "gp3", "us-east-1a")
    cloud.fail_az("us-east-1a")
    run = cloud.ebs.run_workload(vol, iops=100, duration_s=5)
    assert run.iops == [0.0] * 5 and run.throttled_by == {"impaired": 5.0}


def test_workload_advances_the_clock(cloud):
    vol = make(cloud, 100, "gp3", "us-east-1a")
    before = cloud.clock.now
    cloud.ebs.run_workload(vol, iops=100, duration_s=600)
    assert cloud.clock.now == before + 600


def test_magnetic_io_requests_are_charged(cloud):
    vol = make(cloud, 100, "standard", "us-east-1a")
    cloud.ebs.run_workload(vol, iops=100, duration_s=10000)
    charged = sum(i.amount for i in cloud.bill.items if i.resource == vol.id)
    assert charged == pytest.approx(1e6 / 1e6 * 0.05)


def test_one_hour_at_one_second_steps_gives_one_sample_per_second(cloud):
    vols = [make(cloud, 100, "gp2", "us-east-1a") for _ in range(2)]
    result = cloud.ebs.run_workload(vols, iops=4000, duration_s=3600)
    assert len(result.iops) == 3600


@pytest.mark.parametrize("kwargs", [{"iops": -1}, {"io_size_kib": 0}, {"read_fraction": 1.5},
                                    {"pattern": "zigzag"}, {"duration_s": 1e7, "step_s": 1}])
def test_bad_workload_parameters_are_rejected(cloud, kwargs):
    vol = make(cloud, 100, "gp3", "us-east-1a")
    with pytest.raises(AWSError) as err:
        cloud.ebs.run_workload(vol, **kwargs)
    assert err.value.code == "InvalidParameterValue"


def test_workload_on_a_creating_volume_is_refused(cloud):
    vol = cloud.ebs.create_volume(100, "gp3", "us-east-1a")
    with pytest.raises(AWSError) as err:
        cloud.ebs.run_workload(vol, iops=10, duration_s=5)
    assert err.value.code == "IncorrectState"


def test_io_history_keeps_the_daily_average_iops_of_each_day(cloud):
    vol = make(cloud, 100, "gp3")
    start = cloud.clock.now
    cloud.clock.advance(seconds=86400 - start % 86400 - 300)  # five minutes before midnight
    cloud.ebs.run_workload(vol, iops=864, duration_s=600, step_s=1)
    day = int(cloud.clock.now // 86400)
    assert vol.io_history == {day - 1: pytest.approx(3.0), day: pytest.approx(3.0)}


def test_io_history_splits_a_stripe_between_its_volumes(cloud):
    a, b = make(cloud, 100, "gp3"), make(cloud, 100, "gp3")
    cloud.ebs.run_workload([a, b], iops=1000, duration_s=864, step_s=1, advance_clock=False)
    assert sum(a.io_history.values()) == pytest.approx(5.0) and a.io_history == b.io_history
