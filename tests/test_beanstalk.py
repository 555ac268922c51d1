"""Elastic Beanstalk: composition, readiness, routing, health, deployments, termination."""

import io
import zipfile

import pytest

from awskit.core.errors import AWSError
from awskit.http import Response


def ok_app(request):
    return Response(200, body=f"v1 {request.path}")


def v2_app(request):
    return Response(200, body="v2")


def broken_app(request):
    raise RuntimeError("boom")


def _zip(source: str, name: str = "application.py") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, source)
    return buf.getvalue()


def _env(cloud, *, size=2, policy="AllAtOnce", batch="50", name="web-prod", **kw):
    eb = cloud.beanstalk
    if "shop" not in eb._apps:
        eb.create_application("shop")
        eb.create_application_version("shop", "v1", app=ok_app)
        eb.create_application_version("shop", "v2", app=v2_app)
        eb.create_application_version("shop", "bad", app=broken_app)
    opts = {"aws:autoscaling:asg": {"MinSize": str(size), "MaxSize": str(max(size, 4))},
            "aws:elasticbeanstalk:command": {"DeploymentPolicy": policy, "BatchSize": batch}}
    return eb.create_environment("shop", name, version_label="v1", cname_prefix=name, option_settings=opts, **kw)


@pytest.fixture
def ready(cloud):
    env = _env(cloud)
    cloud.clock.advance(minutes=5)
    assert env.status.value == "Ready"
    return env


def test_duplicate_application_name_is_invalid_parameter_value(cloud):
    cloud.beanstalk.create_application("shop")
    with pytest.raises(AWSError) as err:
        cloud.beanstalk.create_application("shop")
    assert err.value.code == "InvalidParameterValue"


def test_duplicate_version_label_is_rejected(cloud):
    cloud.beanstalk.create_application("shop")
    cloud.beanstalk.create_application_version("shop", "v1", app=ok_app)
    with pytest.raises(AWSError) as err:
        cloud.beanstalk.create_application_version("shop", "v1", app=ok_app)
    assert err.value.code == "InvalidParameterValue"


def test_bundle_from_s3_is_loaded_and_processed(cloud):
    cloud.s3.create_bucket("bundles-b1")
    cloud.s3.put_object("bundles-b1", "v1.zip", _zip("def application(request):\n    return 'zipped'\n"))
    cloud.beanstalk.create_application("shop")
    v = cloud.beanstalk.create_application_version("shop", "v1", source_bundle={"S3Bucket": "bundles-b1",
                                                                                "S3Key": "v1.zip"}, process=True)
    assert v.status.value == "Processed"


def test_bundle_without_application_py_fails_processing(cloud):
    cloud.s3.create_bucket("bundles-b2")
    cloud.s3.put_object("bundles-b2", "v1.zip", _zip("x = 1\n", name="app/main.py"))
    cloud.beanstalk.create_application("shop")
    v = cloud.beanstalk.create_application_version("shop", "v1", source_bundle=("bundles-b2", "v1.zip"), process=True)
    assert v.status.value == "Failed"


def test_missing_bundle_in_s3_is_invalid_parameter_combination(cloud):
    cloud.s3.create_bucket("bundles-b3")
    cloud.beanstalk.create_application("shop")
    with pytest.raises(AWSError) as err:
        cloud.beanstalk.create_application_version("shop", "v1", source_bundle=("bundles-b3", "nope.zip"))
    assert err.value.code == "InvalidParameterCombination"


def test_unprocessed_version_stays_unprocessed(cloud):
    cloud.beanstalk.create_application("shop")
    assert cloud.beanstalk.create_application_version("shop", "v1", app=ok_app).status.value == "Unprocessed"


def test_environment_name_too_short_is_rejected(cloud):
    cloud.beanstalk.create_application("shop")
    with pytest.raises(AWSError) as err:
        cloud.beanstalk.create_environment("shop", "ab")
    assert err.value.code == "InvalidParameterValue"


def test_unknown_option_is_configuration_validation_exception(cloud):
    cloud.beanstalk.create_application("shop")
    with pytest.raises(AWSError) as err:
        cloud.beanstalk.create_environment("shop", "web-prod", option_settings={"aws:autoscaling:asg": {"Bogus": "1"}})
    assert err.value.code == "ConfigurationValidationException"


def test_min_size_above_max_size_is_rejected(cloud):
    cloud.beanstalk.create_application("shop")
    with pytest.raises(AWSError) as err:
        cloud.beanstalk.create_environment("shop", "web-prod",
                                           option_settings={"aws:autoscaling:asg": {"MinSize": "5", "MaxSize": "2"}})
    assert err.value.code == "ConfigurationValidationException"


def test_taken_cname_prefix_is_rejected(cloud):
    _env(cloud, name="web-prod")
    with pytest.raises(AWSError) as err:
        cloud.beanstalk.create_environment("shop", "web-other", cname_prefix="web-prod")
    assert err.value.code == "InvalidParameterValue"


def test_duplicate_environment_name_is_rejected(cloud):
    _env(cloud)
    with pytest.raises(AWSError) as err:
        cloud.beanstalk.create_environment("shop", "web-prod")
    assert err.value.code == "InvalidParameterValue"


def test_unknown_solution_stack_is_rejected(cloud):
    cloud.beanstalk.create_application("shop")
    with pytest.raises(AWSError) as err:
        cloud.beanstalk.create_environment("shop", "web-prod", solution_stack="64bit Windows 95")
    assert err.value.code == "InvalidParameterValue"


def test_environment_launches_then_becomes_ready_within_minutes(cloud):
    env = _env(cloud)
    cloud.clock.advance(minutes=1)
    assert env.status.value == "Launching" and env.health == "Grey"
    cloud.clock.advance(minutes=4)
    assert env.status.value == "Ready"


def test_environment_composes_linked_resources(ready, cloud):
    env = ready
    assert env.load_balancer.listeners[0].port == 80
    assert env.auto_scaling_group.target_group_arns == [env.target_group.arn]
    assert {t.id for t in env.target_group.targets.values()} == {i.id for i in env.instances}
    assert len({i.availability_zone.name for i in env.instances}) == 2
    assert env.security_group in env.instances[0].security_groups
    assert len(env.alarms) == 2 and all(a.alarm_actions for a in env.alarms)


def test_creation_events_tell_the_story(ready):
    messages = [e.message for e in ready.events()]
    assert messages[0] == "createEnvironment is starting."
    assert any(m.startswith("Created load balancer named: ") for m in messages)
    assert any(m.startswith("Created Auto Scaling group named: ") for m in messages)
    assert "Successfully launched environment: web-prod" in messages
    assert any(m.startswith("Environment health has transitioned from Pending to Ok.") for m in messages)


def test_request_goes_through_load_balancer_to_the_app(ready, cloud):
    res = cloud.beanstalk.request("web-prod.us-east-1.elasticbeanstalk.com", "/cart")
    assert res.status == 200 and res.response.body == "v1 /cart"
    assert res.target.id in {i.id for i in ready.instances}


def test_healthy_environment_is_green_ok(ready):
    assert (ready.health, ready.health_status.value) == ("Green", "Ok")


def test_stopping_one_of_two_instances_turns_yellow(ready, cloud):
    cloud.ec2.stop_instances([ready.instances[0]])
    cloud.clock.advance(seconds=10)
    assert (ready.health, ready.health_status.value) == ("Yellow", "Warning")


def test_stopping_every_instance_turns_red(ready, cloud):
    cloud.ec2.stop_instances(ready.instances)
    cloud.clock.advance(seconds=10)
    assert (ready.health, ready.health_status.value) == ("Red", "Severe")


def _traffic_during_deploy(cloud, env, seconds=400):
    failed = 0
    for _ in range(seconds // 2):
        if cloud.beanstalk.request(env, "/").status >= 500:
            failed += 1
        cloud.clock.advance(seconds=2)
        if env.status.value == "Ready":
            break
    return failed


def test_all_at_once_deployment_drops_requests(ready, cloud):
    cloud.beanstalk.update_environment(ready, version_label="v2")
    assert ready.status.value == "Updating"
    failed = _traffic_during_deploy(cloud, ready)
    assert failed > 0
    assert ready.version_label == "v2" and cloud.beanstalk.request(ready, "/").response.body == "v2"


def test_rolling_deployment_drops_no_requests(cloud):
    env = _env(cloud, size=2, policy="Rolling", batch="50")
    cloud.clock.advance(minutes=5)
    cloud.beanstalk.update_environment(env, version_label="v2")
    failed = _traffic_during_deploy(cloud, env)
    assert failed == 0
    assert env.status.value == "Ready" and {env.version_on(i) for i in env.instances} == {"v2"}


def test_rolling_deployment_runs_one_batch_at_a_time(cloud):
    env = _env(cloud, size=2, policy="Rolling", batch="50")
    cloud.clock.advance(minutes=5)
    cloud.beanstalk.update_environment(env, version_label="v2")
    _traffic_during_deploy(cloud, env)
    messages = [e.message for e in env.events()]
    assert any(m.startswith("Batch 2: Completed") for m in messages)


def test_bad_version_turns_health_red(ready, cloud):
    cloud.beanstalk.update_environment(ready, version_label="bad")
    for _ in range(60):
        cloud.beanstalk.request(ready, "/")
        cloud.clock.advance(seconds=2)
    assert ready.health == "Red"


def test_update_while_updating_is_rejected(ready, cloud):
    cloud.beanstalk.update_environment(ready, version_label="v2")
    with pytest.raises(AWSError) as err:
        cloud.beanstalk.update_environment(ready, version_label="v1")
    assert err.value.code == "InvalidParameterValue"


def test_deleting_a_deployed_version_is_rejected(ready, cloud):
    with pytest.raises(AWSError) as err:
        cloud.beanstalk.delete_application_version("shop", "v1")
    assert err.value.code == "InvalidParameterValue"


def test_option_update_resizes_the_group(ready, cloud):
    cloud.beanstalk.update_environment(ready, option_settings={"aws:autoscaling:asg": {"MinSize": "3"}})
    cloud.clock.advance(minutes=2)
    assert len(ready.instances) == 3


def test_swap_cnames_moves_traffic_to_the_green_environment(ready, cloud):
    green = cloud.beanstalk.create_environment("shop", "web-green", version_label="v2", cname_prefix="web-green")
    cloud.clock.advance(minutes=5)
    cloud.beanstalk.swap_environment_cnames(ready, green)
    assert cloud.beanstalk.request("web-prod.us-east-1.elasticbeanstalk.com", "/").response.body == "v2"


def test_terminate_removes_every_composed_resource(ready, cloud):
    lb, tg, group, lt = ready.load_balancer, ready.target_group, ready.auto_scaling_group, ready.launch_template
    sgs = [ready.security_group.id, ready.load_balancer_security_group.id]
    instances = ready.instances
    cloud.beanstalk.terminate_environment(ready)
    assert ready.status.value == "Terminating"
    cloud.clock.advance(minutes=5)
    assert ready.status.value == "Terminated"
    assert lb not in cloud.elb.load_balancers and tg not in cloud.elb.target_groups
    assert group.name not in {g.name for g in cloud.autoscaling.groups}
    assert lt not in cloud.autoscaling.launch_templates
    assert all(i.state.value == "terminated" for i in instances)
    assert not [g for g in cloud.vpc.security_groups if g.id in sgs]
    assert not cloud.cloudwatch.describe_alarms(names=[a.name for a in ready.alarms])


def test_terminated_name_can_be_reused(ready, cloud):
    cloud.beanstalk.terminate_environment(ready)
    cloud.clock.advance(minutes=5)
    again = cloud.beanstalk.create_environment("shop", "web-prod", version_label="v1")
    assert again.id != ready.id


def test_single_instance_environment_has_no_load_balancer(cloud):
    env = _env(cloud, name="solo-env", size=1)
    cloud.beanstalk.terminate_environment(env)
    cloud.beanstalk.create_application_version("shop", "v3", app=ok_app)
    solo = cloud.beanstalk.create_environment(
        "shop", "solo-two", version_label="v3",
        option_settings={"aws:elasticbeanstalk:environment": {"EnvironmentType": "SingleInstance"}})
    cloud.clock.advance(minutes=3)
    assert solo.status.value == "Ready" and solo.load_balancer is None
    assert cloud.beanstalk.request(solo, "/x").response.body == "v1 /x"

