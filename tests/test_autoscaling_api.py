"""The boto3-shaped autoscaling client and the EC2 launch-template operations."""

import base64

import pytest

from awskit import Cloud


@pytest.fixture
def world():
    cloud = Cloud(seed=0)
    ec2, asg = cloud.client("ec2"), cloud.client("autoscaling")
    ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={
        "InstanceType": "t3.micro", "UserData": base64.b64encode(b"#!/bin/bash\necho hi").decode(),
        "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "app", "Value": "shop"}]}]})
    subnets = ",".join(s.id for s in cloud.vpc.default_vpc.subnets[:2])
    asg.create_auto_scaling_group(AutoScalingGroupName="web", MinSize=2, MaxSize=6,
                                  LaunchTemplate={"LaunchTemplateName": "web", "Version": "$Latest"},
                                  VPCZoneIdentifier=subnets, Tags=[{"Key": "env", "Value": "lab",
                                                                    "PropagateAtLaunch": True}])
    return cloud, ec2, asg


def code(call, **kw):
    with pytest.raises(Exception) as err:
        call(**kw)
    return err.value.response["Error"]["Code"]


def test_group_shape_lists_instances_with_lifecycle_and_template(world):
    _cloud, _ec2, asg = world
    asg.get_waiter("group_in_service").wait(AutoScalingGroupNames=["web"])
    g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]
    assert (g["MinSize"], g["DesiredCapacity"], g["HealthCheckType"], g["HealthCheckGracePeriod"]) == (2, 2, "EC2", 0)
    inst = g["Instances"][0]
    assert inst["LifecycleState"] == "InService" and inst["HealthStatus"] == "Healthy"
    assert inst["LaunchTemplate"]["LaunchTemplateName"] == "web" and inst["LaunchTemplate"]["Version"] == "1"
    assert g["Tags"][0] == {"ResourceId": "web", "ResourceType": "auto-scaling-group", "Key": "env", "Value": "lab",
                            "PropagateAtLaunch": True}


def test_describe_auto_scaling_instances_uses_capital_health(world):
    _cloud, _ec2, asg = world
    rows = asg.describe_auto_scaling_instances()["AutoScalingInstances"]
    assert {r["HealthStatus"] for r in rows} == {"HEALTHY"} and {r["AutoScalingGroupName"] for r in rows} == {"web"}


def test_launched_instances_carry_template_user_data_and_tags(world):
    cloud, _ec2, asg = world
    iid = asg.describe_auto_scaling_instances()["AutoScalingInstances"][0]["InstanceId"]
    inst = cloud.ec2.get_instance(iid)
    assert inst.user_data == "#!/bin/bash\necho hi" and inst.tags["app"] == "shop" and inst.tags["env"] == "lab"


def test_target_tracking_policy_returns_its_alarms(world):
    _cloud, _ec2, asg = world
    resp = asg.put_scaling_policy(AutoScalingGroupName="web", PolicyName="cpu50", PolicyType="TargetTrackingScaling",
                                  TargetTrackingConfiguration={"PredefinedMetricSpecification": {
                                      "PredefinedMetricType": "ASGAverageCPUUtilization"}, "TargetValue": 50.0})
    assert resp["PolicyARN"].startswith("arn:aws:autoscaling:us-east-1:")
    assert ":autoScalingGroupName/web:policyName/cpu50" in resp["PolicyARN"]
    assert [a["AlarmName"].split("-")[2] for a in resp["Alarms"]] == ["AlarmHigh", "AlarmLow"]
    pol = asg.describe_policies(AutoScalingGroupName="web")["ScalingPolicies"][0]
    assert pol["TargetTrackingConfiguration"]["TargetValue"] == 50.0 and len(pol["Alarms"]) == 2


def test_scaling_activities_newest_first_with_aws_fields(world):
    _cloud, _ec2, asg = world
    asg.set_desired_capacity(AutoScalingGroupName="web", DesiredCapacity=3)
    acts = asg.describe_scaling_activities(AutoScalingGroupName="web")["Activities"]
    assert len(acts) == 3 and "explicitly set group desired capacity" in acts[0]["Cause"]
    assert set(acts[0]) >= {"ActivityId", "Description", "Cause", "StartTime", "StatusCode", "Progress", "Details"}


def test_errors_carry_aws_codes(world):
    _cloud, ec2, asg = world
    assert code(asg.set_desired_capacity, AutoScalingGroupName="web", DesiredCapacity=9) == "ValidationError"
    assert code(asg.delete_auto_scaling_group, AutoScalingGroupName="web") == "ScalingActivityInProgress"
    assert code(ec2.create_launch_template, LaunchTemplateName="web",
                LaunchTemplateData={}) == "InvalidLaunchTemplateName.AlreadyExistsException"


def test_force_delete_then_group_not_exists_waiter(world):
    _cloud, _ec2, asg = world
    asg.delete_auto_scaling_group(AutoScalingGroupName="web", ForceDelete=True)
    asg.get_waiter("group_not_exists").wait(AutoScalingGroupNames=["web"])
    assert asg.describe_auto_scaling_groups()["AutoScalingGroups"] == []


def test_launch_template_versions_default_and_latest(world):
    _cloud, ec2, _asg = world
    ec2.create_launch_template_version(LaunchTemplateName="web", SourceVersion="1",
                                       LaunchTemplateData={"InstanceType": "t3.small"})
    rows = ec2.describe_launch_template_versions(LaunchTemplateName="web", Versions=["$Latest", "$Default"])
    got = [(v["VersionNumber"], v["DefaultVersion"], v["LaunchTemplateData"]["InstanceType"])
           for v in rows["LaunchTemplateVersions"]]
    assert got == [(2, False, "t3.small"), (1, True, "t3.micro")]
    lt = ec2.modify_launch_template(LaunchTemplateName="web", DefaultVersion="2")["LaunchTemplate"]
    assert (lt["DefaultVersionNumber"], lt["LatestVersionNumber"]) == (2, 2)


def test_template_with_unknown_instance_type_is_created_with_a_warning(world):
    _cloud, ec2, _asg = world
    resp = ec2.create_launch_template(LaunchTemplateName="odd", LaunchTemplateData={"InstanceType": "t9.huge"})
    assert resp["Warning"]["Errors"][0]["Code"] == "InvalidInstanceType"


def test_launch_configuration_round_trip(world):
    cloud, _ec2, asg = world
    ami = cloud.ec2.images[0].id
    asg.create_launch_configuration(LaunchConfigurationName="old", ImageId=ami, InstanceType="t3.micro",
                                    UserData="echo hi")
    lc = asg.describe_launch_configurations()["LaunchConfigurations"][0]
    assert lc["UserData"] == base64.b64encode(b"echo hi").decode() and lc["InstanceMonitoring"] == {"Enabled": True}
    assert code(asg.create_launch_configuration, LaunchConfigurationName="old", ImageId=ami,
                InstanceType="t3.micro") == "AlreadyExists"


def test_paginator_walks_groups(world):
    _cloud, _ec2, asg = world
    for i in range(3):
        asg.create_auto_scaling_group(AutoScalingGroupName=f"g{i}", MinSize=0, MaxSize=1,
                                      LaunchTemplate={"LaunchTemplateName": "web"},
                                      AvailabilityZones=["us-east-1a"])
    pages = list(asg.get_paginator("describe_auto_scaling_groups").paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["AutoScalingGroups"]) for p in pages] == [2, 2]


def test_scheduled_action_shape(world):
    _cloud, _ec2, asg = world
    asg.put_scheduled_update_group_action(AutoScalingGroupName="web", ScheduledActionName="nightly",
                                          Recurrence="0 22 * * *", DesiredCapacity=2)
    row = asg.describe_scheduled_actions(AutoScalingGroupName="web")["ScheduledUpdateGroupActions"][0]
    assert row["Recurrence"] == "0 22 * * *" and row["StartTime"].hour == 22
