"""client("elasticbeanstalk"): shapes, waiters on simulated time, events, resources, health."""

import pytest

from awskit import Cloud


@pytest.fixture
def eb():
    cloud = Cloud(seed=3)
    c = cloud.client("elasticbeanstalk")
    c.create_application(ApplicationName="shop")
    c.create_environment(ApplicationName="shop", EnvironmentName="shop-prod", CNAMEPrefix="shop-prod",
                         OptionSettings=[{"Namespace": "aws:autoscaling:asg", "OptionName": "MinSize", "Value": "2"}])
    c.get_waiter("environment_exists").wait(EnvironmentNames=["shop-prod"])
    return c


def test_environment_exists_waiter_ends_ready_and_green(eb):
    env = eb.describe_environments(EnvironmentNames=["shop-prod"])["Environments"][0]
    assert (env["Status"], env["Health"], env["HealthStatus"]) == ("Ready", "Green", "Ok")
    assert env["EndpointURL"].endswith(".elb.amazonaws.com")


def test_describe_environment_resources_lists_the_composition(eb):
    r = eb.describe_environment_resources(EnvironmentName="shop-prod")["EnvironmentResources"]
    assert len(r["AutoScalingGroups"]) == 1 and len(r["Instances"]) == 2
    assert len(r["LoadBalancers"]) == 1 and len(r["LaunchTemplates"]) == 1 and len(r["Triggers"]) == 2


def test_describe_events_is_newest_first_with_severity(eb):
    events = eb.describe_events(EnvironmentName="shop-prod")["Events"]
    assert events[-1]["Message"] == "createEnvironment is starting."
    assert events[0]["EventDate"] >= events[-1]["EventDate"]
    assert {e["Severity"] for e in events} <= {"INFO", "WARN", "ERROR"}


def test_describe_instances_health_reports_each_instance_ok(eb):
    rows = eb.describe_instances_health(EnvironmentName="shop-prod")["InstanceHealthList"]
    assert [r["HealthStatus"] for r in rows] == ["Ok", "Ok"]


def test_environment_terminated_waiter(eb):
    eb.terminate_environment(EnvironmentName="shop-prod")
    eb.get_waiter("environment_terminated").wait(EnvironmentNames=["shop-prod"])
    assert eb.describe_environments(EnvironmentNames=["shop-prod"])["Environments"][0]["Status"] == "Terminated"


def test_update_with_unknown_version_is_invalid_parameter_value(eb):
    with pytest.raises(eb.exceptions.ClientError) as err:
        eb.update_environment(EnvironmentName="shop-prod", VersionLabel="nope")
    assert err.value.code == "InvalidParameterValue"
