"""The chapter 4 launch console, driven in plain Python: choose, launch, watch, act."""

import pytest

from awskit.widgets import LaunchConsole
from awskit.widgets.launch import NEW_KEY, NO_KEY, STATE_COLOURS


@pytest.fixture
def shop(cloud):
    net = cloud.vpc
    vpc = net.create_vpc("10.0.0.0/16", tags={"Name": "shop"})
    public = net.create_subnet(vpc, "10.0.1.0/24", availability_zone="us-east-1a", tags={"Name": "public-a"},
                               map_public_ip_on_launch=True)
    private = net.create_subnet(vpc, "10.0.11.0/24", availability_zone="us-east-1b", tags={"Name": "app-b"})
    igw = net.create_internet_gateway()
    net.attach_internet_gateway(igw, vpc)
    rt = net.create_route_table(vpc)
    net.create_route(rt, "0.0.0.0/0", gateway_id=igw)
    net.associate_route_table(rt, public)
    web_sg = net.create_security_group(vpc, "web", "web tier")
    return {"vpc": vpc, "public": public, "private": private, "web_sg": web_sg}


@pytest.fixture
def console(cloud, shop):
    view = LaunchConsole(cloud, shop["vpc"])
    yield view
    view.close()


def test_starts_on_amazon_linux_t3_micro_in_the_public_subnet_with_the_custom_group(console, shop):
    assert console.ec2.get_image(console.ami.value).name.startswith("al2023-ami-")
    assert console.instance_type.value == "t3.micro"
    assert console.subnet.value == shop["public"].id
    assert console.security_group.value == shop["web_sg"].id


def test_instance_types_show_vcpus_memory_and_price(console):
    labels = {v: k for k, v in console.instance_type.options}
    assert labels["m5.xlarge"] == "m5.xlarge · 4 vCPU · 16 GiB · $0.192/h"
    assert "burstable" in console.type_info.value


def test_only_subnets_of_the_chosen_vpc_are_offered(cloud, console, shop):
    offered = {v for _, v in console.subnet.options}
    assert offered == {shop["public"].id, shop["private"].id}


def test_a_new_subnet_appears_in_the_choices(cloud, console, shop):
    subnet = cloud.vpc.create_subnet(shop["vpc"], "10.0.2.0/24", availability_zone="us-east-1b")
    assert subnet.id in {v for _, v in console.subnet.options}


def test_launch_adds_a_pending_row_that_turns_running_when_time_passes(cloud, console):
    console.name.value = "web-1"
    console.launch_button.click()
    row = console.table_rows[0]
    assert (row["name"], row["type"], row["az"], row["state"]) == ("web-1", "t3.micro", "us-east-1a", "pending")
    assert row["public_ip"]  # the public subnet gives one
    assert STATE_COLOURS["pending"] in console.table.value
    console.clock_buttons["+1 min"].click()
    assert console.table_rows[0]["state"] == "running"
    assert STATE_COLOURS["running"] in console.table.value


def test_the_table_follows_instances_launched_elsewhere(cloud, console, shop):
    other = cloud.ec2.run_instance(instance_type="t3.nano", subnet=shop["private"])
    cloud.clock.advance(minutes=1)  # a clock change made outside the console
    assert {"id": other.id, "state": "running"}.items() <= console.table_rows[-1].items()


def test_instances_of_other_vpcs_are_not_listed(cloud, console):
    cloud.ec2.run_instance()  # into the default VPC
    assert console.table_rows == []


def test_creating_a_key_pair_shows_the_private_key_once_with_a_warning(cloud, console):
    console.key_pair.value = NEW_KEY
    console.new_key_name.value = "lab"
    console.launch_button.click()
    assert console.private_key.value.startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert "only" in console.key_warning.value and "public half" in console.key_warning.value
    assert console.selected.key_name == "lab" and console.key_pair.value == "lab"
    assert cloud.ec2.get_key_pair("lab").matches(console.private_key.value)
    console.hide_key_button.click()
    assert console.private_key.value == "" and console.key_warning.value == ""


def test_a_launch_without_a_key_pair_has_none(console):
    console.key_pair.value = NO_KEY
    console.launch_button.click()
    assert console.selected.key_pair is None


def test_stop_then_start_changes_the_public_ip(cloud, console):
    console.launch_button.click()
    console.clock_buttons["+1 min"].click()
    first_ip = console.table_rows[0]["public_ip"]
    console.action_buttons["Stop"].click()
    assert console.table_rows[0]["state"] == "stopping"
    console.clock_buttons["+1 min"].click()
    assert (console.table_rows[0]["state"], console.table_rows[0]["public_ip"]) == ("stopped", "")
    console.action_buttons["Start"].click()
    console.clock_buttons["+1 min"].click()
    assert console.table_rows[0]["state"] == "running"
    assert console.table_rows[0]["public_ip"] not in ("", first_ip)


def test_terminate_turns_the_row_red(console):
    console.launch_button.click()
    console.clock_buttons["+1 min"].click()
    console.action_buttons["Terminate"].click()
    console.clock_buttons["+1 min"].click()
    assert console.table_rows[0]["state"] == "terminated"
    assert STATE_COLOURS["terminated"] in console.table.value


def test_stopping_a_pending_instance_shows_the_aws_error(console):
    console.launch_button.click()
    console.action_buttons["Stop"].click()
    assert console.last_error.code == "IncorrectInstanceState"
    assert "IncorrectInstanceState" in console.status.value


def test_stopping_an_instance_store_instance_is_refused(console):
    store = next(i for i in console.ec2.images if i.root_device_type == "instance-store")
    console.ami.value = store.id
    console.instance_type.value = "i3.large"
    console.launch_button.click()
    console.clock_buttons["+1 min"].click()
    console.action_buttons["Stop"].click()
    assert console.last_error.code == "UnsupportedOperation"
    console.action_buttons["Reboot"].click()
    assert console.last_error is None and console.selected.state.value == "running"


def test_the_vcpu_quota_error_reaches_the_student(cloud, console):
    cloud.ec2.set_vcpu_quota("standard", 2)
    console.launch_button.click()
    console.launch_button.click()
    assert console.last_error.code == "VcpuLimitExceeded"
    assert len(console.table_rows) == 1


def test_a_mismatched_architecture_is_flagged_and_refused(console):
    arm = console.ec2.find_image("al2023-ami-*", "arm64")
    console.ami.value = arm.id
    assert "pick a matching pair" in console.type_info.value
    console.launch_button.click()
    assert console.last_error.code == "InvalidParameterValue"


def test_the_bill_grows_while_an_instance_runs(cloud, console):
    console.launch_button.click()
    console.clock_buttons["+10 min"].click()
    ec2_cost = cloud.bill.by_service()["ec2"]
    assert ec2_cost > 0
    assert f"${ec2_cost:.4f}" in console.bill.value


def test_the_clock_buttons_advance_simulated_time(cloud, console):
    before = cloud.clock.now
    for label in ("+10 s", "+1 min", "+10 min"):
        console.clock_buttons[label].click()
    assert cloud.clock.now - before == 670


def test_acting_with_nothing_selected_is_a_teaching_error(console):
    console.action_buttons["Stop"].click()
    assert console.last_error.code == "InvalidParameterValue"


def test_table_lists_instances_launched_elsewhere(cloud, console, shop):
    # (redraw time is printed here; speed is measured in bench/, never asserted)
    before = {row["id"] for row in console.table_rows}
    launched = cloud.ec2.run_instances(instance_type="t3.nano", subnet=shop["private"], min_count=12).instances
    console.refresh()
    print(f"\nLaunchConsole redraw with {len(console.table_rows)} instances: {console.last_redraw_ms:.2f} ms")
    assert {row["id"] for row in console.table_rows} == before | {i.id for i in launched}
