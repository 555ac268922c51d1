"""EC2 model: catalog, key pairs, launching, lifecycle, Elastic IPs, SSH and apps."""

import pytest

from awskit import Cloud
from awskit.core.errors import AWSError
from awskit.ec2 import INSTANCE_TYPES, InstanceState, SSHError
from awskit.http import Request, Response


def _code(fn, *args, **kwargs) -> str:
    with pytest.raises(AWSError) as info:
        fn(*args, **kwargs)
    return info.value.code


@pytest.fixture
def ec2(cloud):
    return cloud.ec2


def _running(cloud, **kwargs):
    inst = cloud.ec2.run_instance(**kwargs)
    cloud.clock.advance(minutes=1)
    return inst


def _open_ssh(cloud, inst):
    cloud.vpc.authorize_security_group_ingress(inst.security_groups[0], ip_protocol="tcp", from_port=22,
                                               to_port=22, cidr_ip="203.0.113.9/32")


# -- catalog -----------------------------------------------------------------------
def test_t3_micro_has_two_vcpus_and_one_gib():
    t = INSTANCE_TYPES["t3.micro"]
    assert (t.vcpus, t.memory_mib, t.burstable) == (2, 1024, True)


def test_every_family_of_the_chapter_has_types():
    families = {t.family for t in INSTANCE_TYPES.values()}
    assert families == {"general purpose", "compute optimized", "memory optimized", "storage optimized",
                        "accelerated computing"}


def test_ami_ids_differ_between_regions(cloud):
    east = {i.name: i.id for i in cloud.ec2.images}
    west = {i.name: i.id for i in cloud.region("eu-west-1").ec2.images}
    assert east.keys() == west.keys() and not set(east.values()) & set(west.values())


def test_ami_ids_do_not_depend_on_the_seed():
    assert [i.id for i in Cloud(seed=1).ec2.images] == [i.id for i in Cloud(seed=2).ec2.images]


def test_unknown_ami_is_not_found(ec2):
    assert _code(ec2.get_image, "ami-0123456789abcdef0") == "InvalidAMIID.NotFound"


def test_malformed_ami_id_is_refused(ec2):
    assert _code(ec2.get_image, "ami-xyz") == "InvalidAMIID.Malformed"


def test_unknown_instance_type_is_refused(ec2):
    assert _code(ec2.get_instance_type, "t3.huge") == "InvalidInstanceType"


# -- key pairs -------------------------------------------------------------------------
def test_created_key_matches_its_private_key(ec2):
    key, pem = ec2.create_key_pair("lab")
    assert key.matches(pem) and "PRIVATE KEY" not in key.public_key


def test_duplicate_key_name_is_refused(ec2):
    ec2.create_key_pair("lab")
    assert _code(ec2.create_key_pair, "lab") == "InvalidKeyPair.Duplicate"


def test_imported_key_must_be_an_openssh_public_key(ec2):
    assert _code(ec2.import_key_pair, "mine", "not a key") == "InvalidKey.Format"


def test_import_accepts_an_ed25519_public_key(ec2):
    key = ec2.import_key_pair("mine", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample me@laptop")
    assert key.key_type == "ed25519" and key.imported


def test_unknown_key_pair_is_not_found(ec2):
    assert _code(ec2.get_key_pair, "nope") == "InvalidKeyPair.NotFound"


def test_deleting_a_missing_key_name_succeeds_quietly(ec2):
    ec2.delete_key_pair("never-made")
    assert ec2.key_pairs == []


# -- launching -----------------------------------------------------------------------------
def test_new_instance_is_pending(ec2):
    assert ec2.run_instance().state is InstanceState.PENDING


def test_instance_runs_within_a_minute(cloud):
    assert _running(cloud).state is InstanceState.RUNNING


def test_default_launch_uses_a_default_subnet_and_gets_a_public_ip(ec2):
    inst = ec2.run_instance()
    assert inst.subnet.default_for_az and inst.public_ip_address is not None


def test_private_ip_lies_in_the_subnet(ec2):
    inst = ec2.run_instance()
    assert inst.private_ip_address in inst.subnet.cidr_block


def test_primary_interface_is_attached_and_in_use(ec2):
    eni = ec2.run_instance().primary_network_interface
    assert eni.attachment is not None and eni.status == "in-use"


def test_private_subnet_instance_gets_no_public_ip(cloud):
    vpc = cloud.vpc.create_vpc("10.0.0.0/16")
    subnet = cloud.vpc.create_subnet(vpc, "10.0.1.0/24", availability_zone="us-east-1a")
    inst = cloud.ec2.run_instance(subnet=subnet)
    assert inst.public_ip_address is None and inst.private_dns_name.startswith("ip-10-0-1-")


def test_dns_names_outside_us_east_1_name_the_region():
    inst = Cloud(seed=0, region="eu-west-1").ec2.run_instance()
    assert inst.private_dns_name.endswith(".eu-west-1.compute.internal")
    assert inst.public_dns_name.endswith(".eu-west-1.compute.amazonaws.com")


def test_architecture_mismatch_is_refused(ec2):
    arm = ec2.find_image("al2023-ami-*", "arm64")
    assert _code(ec2.run_instance, arm, "t3.micro") == "InvalidParameterValue"


def test_min_count_above_max_count_is_refused(ec2):
    assert _code(ec2.run_instances, None, "t3.micro", min_count=3, max_count=2) == "InvalidParameterValue"


def test_vcpu_quota_refuses_a_launch_that_cannot_fit(ec2):
    ec2.set_vcpu_quota("standard", 4)
    assert _code(ec2.run_instances, None, "m5.xlarge", min_count=2) == "VcpuLimitExceeded"


def test_vcpu_quota_launches_as_many_as_fit_up_to_max_count(ec2):
    ec2.set_vcpu_quota("standard", 4)
    assert len(ec2.run_instances(None, "t3.micro", min_count=1, max_count=5)) == 2


def test_placement_az_must_match_the_subnet(cloud):
    subnet = cloud.vpc.default_vpc.subnets[0]
    assert _code(cloud.ec2.run_instance, subnet=subnet, availability_zone="us-east-1b") == "InvalidParameterValue"


def test_group_names_are_refused_outside_the_default_vpc(cloud):
    vpc = cloud.vpc.create_vpc("10.0.0.0/16")
    subnet = cloud.vpc.create_subnet(vpc, "10.0.1.0/24")
    assert _code(cloud.ec2.run_instance, subnet=subnet,
                 security_group_names=["default"]) == "InvalidParameterCombination"


def test_unknown_key_name_is_refused_at_launch(ec2):
    assert _code(ec2.run_instance, key_name="ghost") == "InvalidKeyPair.NotFound"


def test_launch_into_a_failed_az_has_no_capacity(cloud):
    cloud.fail_az("us-east-1a")
    assert _code(cloud.ec2.run_instance, availability_zone="us-east-1a") == "InsufficientInstanceCapacity"


def test_unknown_instance_profile_is_refused(ec2):
    assert _code(ec2.run_instance, iam_instance_profile="nobody") == "InvalidParameterValue"


def test_instance_profile_is_attached_by_name(cloud):
    profile = cloud.iam.create_instance_profile("web")
    assert cloud.ec2.run_instance(iam_instance_profile="web").iam_instance_profile is profile


def test_root_volume_record_exists_for_ebs_backed_instances(ec2):
    inst = ec2.run_instance()
    att = inst.block_device_mappings["/dev/xvda"]
    assert att.volume_id.startswith("vol-") and att.delete_on_termination


def test_ubuntu_root_device_is_sda1(ec2):
    inst = ec2.run_instance(ec2.find_image("ubuntu/*"))
    assert list(inst.block_device_mappings) == ["/dev/sda1"]


# -- lifecycle ---------------------------------------------------------------------------------
def test_status_checks_pass_two_minutes_after_running(cloud):
    inst = _running(cloud)
    assert inst.instance_status == "initializing"
    cloud.clock.advance(minutes=2)
    assert (inst.system_status, inst.instance_status) == ("ok", "ok")


def test_stop_releases_the_public_ip_and_start_gives_a_new_one(cloud):
    inst = _running(cloud)
    before = inst.public_ip_address
    cloud.ec2.stop_instances(inst)
    cloud.clock.advance(minutes=1)
    assert inst.state is InstanceState.STOPPED and inst.public_ip_address is None
    cloud.ec2.start_instances(inst)
    assert inst.public_ip_address not in (None, before)


def test_stop_loses_instance_store_data(cloud):
    inst = _running(cloud)
    inst.ephemeral_data["/mnt/cache"] = "x"
    cloud.ec2.stop_instances(inst)
    cloud.clock.advance(minutes=1)
    assert inst.ephemeral_data == {}


def test_instance_store_backed_instance_cannot_stop(cloud):
    image = cloud.ec2.find_image("amzn-ami-minimal-*")
    inst = _running(cloud, image=image, instance_type="i3.large")
    assert _code(cloud.ec2.stop_instances, inst) == "UnsupportedOperation"


def test_instance_store_ami_needs_a_type_with_instance_storage(ec2):
    assert _code(ec2.run_instance, ec2.find_image("amzn-ami-minimal-*"), "t3.micro") == "InvalidParameterCombination"


def test_stopping_a_pending_instance_is_incorrect_state(ec2):
    assert _code(ec2.stop_instances, ec2.run_instance()) == "IncorrectInstanceState"


def test_starting_a_terminated_instance_is_incorrect_state(cloud):
    inst = _running(cloud)
    cloud.ec2.terminate_instances(inst)
    cloud.clock.advance(minutes=1)
    assert _code(cloud.ec2.start_instances, inst) == "IncorrectInstanceState"


def test_reboot_keeps_the_addresses(cloud):
    inst = _running(cloud)
    ips = (inst.private_ip_address, inst.public_ip_address)
    cloud.ec2.reboot_instances(inst)
    assert (inst.private_ip_address, inst.public_ip_address) == ips and inst.is_running


def test_termination_deletes_the_interface(cloud):
    inst = _running(cloud)
    eni_id = inst.primary_network_interface.id
    cloud.ec2.terminate_instances(inst)
    cloud.clock.advance(minutes=1)
    assert inst.state is InstanceState.TERMINATED
    assert eni_id not in {e.id for e in cloud.vpc.network_interfaces}


def test_terminated_instance_disappears_after_an_hour(cloud):
    inst = _running(cloud)
    cloud.ec2.terminate_instances(inst)
    cloud.clock.advance(minutes=30)
    assert cloud.ec2.get_instance(inst.id) is inst
    cloud.clock.advance(minutes=31)
    assert _code(cloud.ec2.get_instance, inst.id) == "InvalidInstanceID.NotFound"


def test_termination_protection_blocks_terminate(ec2):
    inst = ec2.run_instance(disable_api_termination=True)
    assert _code(ec2.terminate_instances, inst) == "OperationNotPermitted"


def test_stop_sets_the_user_initiated_reason(cloud):
    inst = _running(cloud)
    cloud.ec2.stop_instances(inst)
    assert inst.state_reason.code == "Client.UserInitiatedShutdown"


def test_os_shutdown_with_terminate_behaviour_terminates(cloud):
    inst = _running(cloud, shutdown_behavior="terminate")
    cloud.ec2.shutdown_from_os(inst)
    cloud.clock.advance(minutes=1)
    assert inst.state is InstanceState.TERMINATED


def test_type_change_needs_a_stopped_instance(cloud):
    inst = _running(cloud)
    assert _code(cloud.ec2.modify_instance_attribute, inst, instance_type="t3.small") == "IncorrectInstanceState"


def test_state_changes_are_published(cloud):
    seen = []
    cloud.events.subscribe("ec2.instance.state", lambda m: seen.append(m["new"]))
    _running(cloud)
    assert seen == ["pending", "running"]


def test_malformed_instance_id_is_refused(ec2):
    assert _code(ec2.get_instance, "i-xyz") == "InvalidInstanceID.Malformed"


# -- billing and metrics ---------------------------------------------------------------------
def test_billing_runs_only_while_running(cloud):
    inst = _running(cloud, instance_type="m5.large")
    cloud.clock.advance(hours=1)
    cloud.ec2.stop_instances(inst)
    cloud.clock.advance(hours=5)
    assert cloud.bill.by_resource()[inst.id] == pytest.approx(0.096, rel=0.02)


def test_a_short_run_is_billed_one_minute(cloud):
    inst = cloud.ec2.run_instance(instance_type="m5.large")
    cloud.clock.advance(seconds=50)
    cloud.ec2.stop_instances(inst)
    assert cloud.bill.by_resource()[inst.id] == pytest.approx(0.096 / 60)


def test_cpu_utilization_is_published_to_cloudwatch(cloud):
    inst = _running(cloud, monitoring=True)
    inst.cpu_load = 75.0
    cloud.clock.advance(minutes=2)
    metric = cloud.cloudwatch.get_metric("AWS/EC2", "CPUUtilization", {"InstanceId": inst.id})
    assert metric is not None and metric.aggregate(cloud.clock.now - 60, cloud.clock.now + 1).maximum == 75.0


def test_basic_monitoring_publishes_every_five_minutes(cloud):
    inst = _running(cloud)
    cloud.clock.advance(minutes=10)
    metric = cloud.cloudwatch.get_metric("AWS/EC2", "CPUUtilization", {"InstanceId": inst.id})
    assert len(metric.times) == 2


# -- AZ outage ----------------------------------------------------------------------------------
def test_az_outage_impairs_status_checks_and_apps(cloud):
    inst = _running(cloud)
    inst.serve(lambda r: Response(200, body="ok"))
    cloud.fail_az(inst.availability_zone.name)
    assert inst.state is InstanceState.RUNNING and inst.system_status == "impaired"
    assert inst.handle(Request("GET", "/")).status == 504


def test_az_restore_recovers_the_instance(cloud):
    inst = _running(cloud)
    cloud.fail_az(inst.availability_zone.name)
    cloud.restore_az(inst.availability_zone.name)
    assert inst.system_status == "ok"


# -- Elastic IPs ----------------------------------------------------------------------------------
def test_elastic_ip_survives_stop_and_start(cloud):
    inst = _running(cloud)
    eip = cloud.ec2.allocate_address()
    cloud.ec2.associate_address(eip, instance=inst)
    cloud.ec2.stop_instances(inst)
    cloud.clock.advance(minutes=1)
    cloud.ec2.start_instances(inst)
    assert inst.public_ip_address == eip.public_ip


def test_associated_elastic_ip_cannot_be_released(cloud):
    inst = _running(cloud)
    eip = cloud.ec2.allocate_address()
    cloud.ec2.associate_address(eip, instance=inst)
    assert _code(cloud.ec2.release_address, eip) == "InvalidIPAddress.InUse"


def test_elastic_ip_needs_an_internet_gateway(cloud):
    vpc = cloud.vpc.create_vpc("10.0.0.0/16")
    inst = cloud.ec2.run_instance(subnet=cloud.vpc.create_subnet(vpc, "10.0.1.0/24"))
    assert _code(cloud.ec2.associate_address, cloud.ec2.allocate_address(), instance=inst) == "Gateway.NotAttached"


def test_disassociation_gives_an_auto_assigned_instance_a_new_public_ip(cloud):
    inst = _running(cloud)
    eip = cloud.ec2.allocate_address()
    cloud.ec2.associate_address(eip, instance=inst)
    cloud.ec2.disassociate_address(eip)
    assert inst.public_ip_address not in (None, eip.public_ip)


def test_idle_elastic_ip_is_billed(cloud):
    eip = cloud.ec2.allocate_address()
    cloud.clock.advance(hours=10)
    assert cloud.bill.by_resource()[str(eip.public_ip)] == pytest.approx(0.05)


def test_sixth_elastic_ip_exceeds_the_quota(ec2):
    for _ in range(5):
        ec2.allocate_address()
    assert _code(ec2.allocate_address) == "AddressLimitExceeded"


# -- SSH and apps ----------------------------------------------------------------------------------
def test_ssh_with_the_right_key_opens_a_session(cloud):
    _key, pem = cloud.ec2.create_key_pair("lab")
    inst = _running(cloud, key_name="lab")
    _open_ssh(cloud, inst)
    assert cloud.ec2.ssh(inst, pem).run("hostname").output == inst.private_dns_name


def test_ssh_with_a_wrong_key_is_denied(cloud):
    cloud.ec2.create_key_pair("lab")
    _, other = cloud.ec2.create_key_pair("other")
    inst = _running(cloud, key_name="lab")
    _open_ssh(cloud, inst)
    assert _code(cloud.ec2.ssh, inst, other) == "SSH.PermissionDenied"


def test_ssh_without_a_port_22_rule_times_out(cloud):
    _, pem = cloud.ec2.create_key_pair("lab")
    inst = _running(cloud, key_name="lab")
    with pytest.raises(SSHError) as info:
        cloud.ec2.ssh(inst, pem)
    assert info.value.code == "SSH.Timeout" and info.value.extra["ExplanationCode"] == "ENI_SG_RULES_MISMATCH"


def test_ssh_with_the_wrong_user_is_denied(cloud):
    _, pem = cloud.ec2.create_key_pair("lab")
    inst = _running(cloud, key_name="lab")
    _open_ssh(cloud, inst)
    assert _code(cloud.ec2.ssh, inst, pem, user="root") == "SSH.PermissionDenied"


def test_ssh_to_a_stopped_instance_fails(cloud):
    _, pem = cloud.ec2.create_key_pair("lab")
    inst = _running(cloud, key_name="lab")
    cloud.ec2.stop_instances(inst)
    assert _code(cloud.ec2.ssh, inst, pem) == "SSH.InstanceNotRunning"


def test_curl_localhost_reaches_the_app(cloud):
    _, pem = cloud.ec2.create_key_pair("lab")
    inst = _running(cloud, key_name="lab")
    inst.serve(lambda r: Response(200, body=f"path={r.path}"), port=8080)
    _open_ssh(cloud, inst)
    assert cloud.ec2.ssh(inst, pem).run("curl http://localhost:8080/x").output == "path=/x"


def test_metadata_service_reports_the_instance_id(cloud):
    _, pem = cloud.ec2.create_key_pair("lab")
    inst = _running(cloud, key_name="lab")
    _open_ssh(cloud, inst)
    out = cloud.ec2.ssh(inst, pem).run("curl http://169.254.169.254/latest/meta-data/instance-id")
    assert out.output == inst.id


def test_stopped_instance_refuses_requests(cloud):
    inst = _running(cloud)
    inst.serve(lambda r: "hi")
    cloud.ec2.stop_instances(inst)
    assert inst.handle(Request("GET", "/")).status == 502


def test_apps_on_two_ports_answer_separately(cloud):
    inst = _running(cloud)
    inst.serve(lambda r: "web", port=80)
    inst.serve(lambda r: "admin", port=8080)
    assert (inst.handle(Request("GET", "/"), 80).body, inst.handle(Request("GET", "/"), 8080).body) == ("web", "admin")


def test_an_app_that_raises_answers_500(cloud):
    inst = _running(cloud)
    inst.serve(lambda r: 1 / 0)
    assert inst.handle(Request("GET", "/")).status == 500


def test_reachability_resolves_instance_ids(cloud):
    inst = _running(cloud)
    assert cloud.reachability("internet", inst.id, 80).reachable is False


def test_find_image_needs_a_name_pattern(ec2):
    assert _code(ec2.find_image, None) == "InvalidParameterValue"


def test_find_image_with_an_unknown_architecture_is_invalid(ec2):
    assert _code(ec2.find_image, "al2023-ami-*", "sparc") == "InvalidParameterValue"


def test_describe_images_owners_must_be_names_or_ids(ec2):
    assert _code(ec2.describe_images, owners=[{"Owner": "amazon"}]) == "InvalidParameterValue"


def test_describe_images_with_a_malformed_id_is_malformed(ec2):
    assert _code(ec2.describe_images, image_ids=["ami-nope"]) == "InvalidAMIID.Malformed"


def test_run_instances_security_group_names_must_be_a_list(ec2):
    assert _code(ec2.run_instances, instance_type="t3.micro", security_group_names=7) == "InvalidParameterValue"


def test_instance_type_lookup_with_an_unknown_error_code_is_invalid(ec2):
    assert _code(ec2.get_instance_type, "t3.micro", code=None) == "InvalidParameterValue"


def test_vcpu_quota_for_a_malformed_class_is_invalid(ec2):
    assert _code(ec2.set_vcpu_quota, ["standard"], 64) == "InvalidParameterValue"
