import random
import re

from awskit.core.events import EventBus
from awskit.core.ids import IdGenerator, arn
from awskit.core.pricing import Bill


def test_ids_have_aws_format():
    ids = IdGenerator(random.Random(1))
    assert re.fullmatch(r"vpc-0[0-9a-f]{16}", ids.new("vpc"))
    assert re.fullmatch(r"i-0[0-9a-f]{16}", ids.new("i"))


def test_same_seed_same_ids():
    a, b = IdGenerator(random.Random(7)), IdGenerator(random.Random(7))
    assert [a.new("sg") for _ in range(5)] == [b.new("sg") for _ in range(5)]


def test_ids_never_repeat():
    ids = IdGenerator(random.Random(0))
    made = [ids.new("x", digits=2) for _ in range(200)]
    assert len(set(made)) == 200


def test_arn_format():
    assert arn("s3", "", "", "bucket") == "arn:aws:s3:::bucket"


def test_bus_delivers_by_topic_prefix_and_wildcard():
    bus, got = EventBus(lambda: 5.0), []
    bus.subscribe("vpc.*", lambda m: got.append(("prefix", m.topic)))
    bus.subscribe("*", lambda m: got.append(("all", m.topic)))
    bus.subscribe("vpc.subnet.created", lambda m: got.append(("exact", m["id"])))
    bus.publish("vpc.subnet.created", id="subnet-1")
    bus.publish("ec2.instance.state")
    assert got == [("all", "vpc.subnet.created"), ("exact", "subnet-1"), ("prefix", "vpc.subnet.created"),
                   ("all", "ec2.instance.state")]


def test_closed_subscription_gets_nothing():
    bus, got = EventBus(lambda: 0.0), []
    sub = bus.subscribe("*", got.append)
    sub.close()
    bus.publish("x")
    assert got == []


def test_meter_accrues_only_while_running():
    t = [0.0]
    bill = Bill(lambda: t[0])
    meter = bill.start_meter("ec2", "i-1", "hours", hourly=0.1)
    t[0] = 3600.0
    bill.stop_meter(meter)
    t[0] = 7200.0
    assert round(bill.total(), 6) == 0.1


def test_monthly_meter_uses_730_hours():
    t = [0.0]
    bill = Bill(lambda: t[0])
    bill.start_meter("ebs", "vol-1", "GB-month", monthly=7.3)
    t[0] = 3600.0
    assert round(bill.total(), 6) == 0.01


def test_bill_groups_by_service_and_resource():
    bill = Bill(lambda: 0.0)
    bill.charge("s3", "bucket-a", "requests", 0.5)
    bill.charge("s3", "bucket-b", "requests", 0.25)
    bill.charge("lambda", "fn", "requests", 1.0)
    assert bill.by_service() == {"lambda": 1.0, "s3": 0.75}
    assert bill.by_resource()["bucket-a"] == 0.5
