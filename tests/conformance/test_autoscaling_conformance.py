"""EC2 Auto Scaling and launch templates: the same boto3 calls against moto and awskit."""

from .conftest import error_code, keys, moto_differs


def _ami(ec2) -> str:
    images = ec2.describe_images(Owners=["amazon"])["Images"]
    return next(i["ImageId"] for i in images if i.get("Platform") != "windows" and i["RootDeviceType"] == "ebs"
                and i["Architecture"] == "x86_64")


def _setup(client, **kw):
    ec2, asg = client("ec2"), client("autoscaling")
    ec2.create_launch_template(LaunchTemplateName="web",
                               LaunchTemplateData={"ImageId": _ami(ec2), "InstanceType": "t3.micro"})
    subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"] if s.get("DefaultForAz")][:2]
    kw.setdefault("MinSize", 2)
    kw.setdefault("MaxSize", 4)
    asg.create_auto_scaling_group(AutoScalingGroupName="web", LaunchTemplate={"LaunchTemplateName": "web"},
                                  VPCZoneIdentifier=",".join(subnets), **kw)
    return ec2, asg


def _group(asg):
    return asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]


def test_create_launch_template_shape(client):
    lt = client("ec2").create_launch_template(LaunchTemplateName="tpl", LaunchTemplateData={"InstanceType": "t3.micro"})
    assert {"LaunchTemplateId", "LaunchTemplateName", "CreateTime", "DefaultVersionNumber",
            "LatestVersionNumber"} <= set(lt["LaunchTemplate"])
    assert lt["LaunchTemplate"]["LaunchTemplateId"].startswith("lt-")


def test_duplicate_launch_template_name(client):
    ec2 = client("ec2")
    ec2.create_launch_template(LaunchTemplateName="tpl", LaunchTemplateData={})
    assert error_code(ec2.create_launch_template, LaunchTemplateName="tpl", LaunchTemplateData={}) == \
        "InvalidLaunchTemplateName.AlreadyExistsException"


def test_launch_template_versions(client):
    ec2 = client("ec2")
    ec2.create_launch_template(LaunchTemplateName="tpl", LaunchTemplateData={"InstanceType": "t3.micro"})
    v = ec2.create_launch_template_version(LaunchTemplateName="tpl", LaunchTemplateData={"InstanceType": "t3.small"})
    assert v["LaunchTemplateVersion"]["VersionNumber"] == 2
    rows = ec2.describe_launch_template_versions(LaunchTemplateName="tpl")["LaunchTemplateVersions"]
    assert sorted(r["VersionNumber"] for r in rows) == [1, 2]
    lt = ec2.describe_launch_templates(LaunchTemplateNames=["tpl"])["LaunchTemplates"][0]
    assert (lt["DefaultVersionNumber"], lt["LatestVersionNumber"]) == (1, 2)


def test_group_shape(client):
    _ec2, asg = _setup(client)
    g = _group(asg)
    for key in ("AutoScalingGroupName", "AutoScalingGroupARN", "LaunchTemplate", "MinSize", "MaxSize",
                "DesiredCapacity", "DefaultCooldown", "AvailabilityZones", "HealthCheckType", "Instances",
                "CreatedTime", "VPCZoneIdentifier", "TerminationPolicies", "NewInstancesProtectedFromScaleIn"):
        assert key in g, key
    assert (g["DesiredCapacity"], g["DefaultCooldown"], g["HealthCheckType"]) == (2, 300, "EC2")
    assert len(g["AvailabilityZones"]) == 2


def test_group_instance_shape(client):
    _ec2, asg = _setup(client)
    inst = _group(asg)["Instances"][0]
    assert {"InstanceId", "AvailabilityZone", "LifecycleState", "HealthStatus", "LaunchTemplate",
            "ProtectedFromScaleIn"} <= set(inst)
    assert inst["HealthStatus"] == "Healthy"


@moto_differs("moto puts instances InService at once; AWS shows them Pending while they boot")
def test_new_instances_start_pending(client):
    _ec2, asg = _setup(client)
    assert {i["LifecycleState"] for i in _group(asg)["Instances"]} == {"Pending"}


@moto_differs("moto launches every instance into the first subnet; AWS balances zones")
def test_instances_spread_over_zones(client):
    _ec2, asg = _setup(client)
    assert len({i["AvailabilityZone"] for i in _group(asg)["Instances"]}) == 2


def test_set_desired_capacity_changes_group_size(client):
    _ec2, asg = _setup(client)
    asg.set_desired_capacity(AutoScalingGroupName="web", DesiredCapacity=4)
    g = _group(asg)
    assert g["DesiredCapacity"] == 4 and len(g["Instances"]) == 4


@moto_differs("moto accepts a desired capacity above MaxSize")
def test_desired_above_max_is_validation_error(client):
    _ec2, asg = _setup(client)
    assert error_code(asg.set_desired_capacity, AutoScalingGroupName="web", DesiredCapacity=9) == "ValidationError"


@moto_differs("moto accepts DesiredCapacity outside MinSize..MaxSize")
def test_create_with_desired_outside_bounds_is_validation_error(client):
    ec2 = client("ec2")
    ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={"ImageId": _ami(ec2)})
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    assert error_code(client("autoscaling").create_auto_scaling_group, AutoScalingGroupName="web", MinSize=1,
                      MaxSize=2, DesiredCapacity=3, LaunchTemplate={"LaunchTemplateName": "web"},
                      VPCZoneIdentifier=subnet) == "ValidationError"


@moto_differs("moto overwrites a group of the same name instead of answering AlreadyExists")
def test_duplicate_group_is_already_exists(client):
    ec2, asg = _setup(client)
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    assert error_code(asg.create_auto_scaling_group, AutoScalingGroupName="web", MinSize=1, MaxSize=2,
                      LaunchTemplate={"LaunchTemplateName": "web"}, VPCZoneIdentifier=subnet) == "AlreadyExists"


@moto_differs("moto writes HealthStatus 'Healthy'; DescribeAutoScalingInstances answers 'HEALTHY'")
def test_describe_auto_scaling_instances_shape(client):
    _ec2, asg = _setup(client)
    row = asg.describe_auto_scaling_instances()["AutoScalingInstances"][0]
    assert {"InstanceId", "AutoScalingGroupName", "AvailabilityZone", "LifecycleState", "HealthStatus",
            "ProtectedFromScaleIn"} <= set(row)
    assert row["HealthStatus"] == "HEALTHY"


@moto_differs("moto's PutScalingPolicy answer has no PolicyARN")
def test_simple_policy_shape(client):
    _ec2, asg = _setup(client)
    resp = asg.put_scaling_policy(AutoScalingGroupName="web", PolicyName="out", PolicyType="SimpleScaling",
                                  AdjustmentType="ChangeInCapacity", ScalingAdjustment=1)
    assert "PolicyARN" in resp and ":scalingPolicy:" in resp["PolicyARN"]
    pol = asg.describe_policies(AutoScalingGroupName="web")["ScalingPolicies"][0]
    assert {"AutoScalingGroupName", "PolicyName", "PolicyARN", "PolicyType", "AdjustmentType",
            "ScalingAdjustment"} <= set(pol)


@moto_differs("moto creates no CloudWatch alarms for a target tracking policy; AWS creates AlarmHigh and AlarmLow")
def test_target_tracking_policy_lists_its_alarms(client):
    _ec2, asg = _setup(client)
    resp = asg.put_scaling_policy(AutoScalingGroupName="web", PolicyName="cpu", PolicyType="TargetTrackingScaling",
                                  TargetTrackingConfiguration={"PredefinedMetricSpecification": {
                                      "PredefinedMetricType": "ASGAverageCPUUtilization"}, "TargetValue": 50.0})
    names = [a["AlarmName"] for a in resp["Alarms"]]
    assert len(names) == 2 and all(n.startswith("TargetTracking-web-") for n in names)
    alarms = client("cloudwatch").describe_alarms(AlarmNames=names)["MetricAlarms"]
    assert len(alarms) == 2


def test_execute_simple_policy(client):
    _ec2, asg = _setup(client)
    asg.put_scaling_policy(AutoScalingGroupName="web", PolicyName="out", AdjustmentType="ChangeInCapacity",
                           ScalingAdjustment=1)
    asg.execute_policy(AutoScalingGroupName="web", PolicyName="out")
    assert _group(asg)["DesiredCapacity"] == 3


def test_launch_configuration_shape(client):
    ec2, asg = client("ec2"), client("autoscaling")
    asg.create_launch_configuration(LaunchConfigurationName="old", ImageId=_ami(ec2), InstanceType="t3.micro")
    lc = asg.describe_launch_configurations()["LaunchConfigurations"][0]
    assert {"LaunchConfigurationName", "LaunchConfigurationARN", "ImageId", "InstanceType", "CreatedTime"} <= set(lc)


@moto_differs("moto replaces a launch configuration of the same name instead of answering AlreadyExists")
def test_duplicate_launch_configuration_is_already_exists(client):
    ec2, asg = client("ec2"), client("autoscaling")
    asg.create_launch_configuration(LaunchConfigurationName="old", ImageId=_ami(ec2), InstanceType="t3.micro")
    assert error_code(asg.create_launch_configuration, LaunchConfigurationName="old", ImageId=_ami(ec2),
                      InstanceType="t3.micro") == "AlreadyExists"


def test_delete_group_response_keys(client):
    _ec2, asg = _setup(client, MinSize=0, MaxSize=1)
    assert keys(asg.delete_auto_scaling_group(AutoScalingGroupName="web", ForceDelete=True)) == set()
